# tests/cli/71_hostile.sh — hostile values wherever a user can type them or a file can say them:
# night ids with "..", "/", spaces, quotes, "$()", backquotes, newlines and bytes above 0x7f
# (shard --night, compile --nights / --nights-file / --input folder names, run --param nights=...,
# merge folder names) are refused with the exact message before any path, argument or spec is
# built; enormous fields, lines, headers and files end in a clear error within bounded memory;
# deeply nested and huge JSON/YAML; NaN and infinity in CSV and JSON numbers; duplicate columns.
source "$TESTS/lib.sh"
cd "$WORK"

RULE='expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit'
nightfan synth --nights 2 --out in --seed 71 >/dev/null
profile=in/profile.json

# Each id with the way messages show it (quotes, control bytes and bytes over 0x7f as \xNN).
hostile=('..' '../x' 'a/b' '/etc' 'a b' 'a"b' "a'b" '$(touch pwned)' '`touch pwned`' $'a\nb' $'a\rb'
	'a;b' 'N*' '' '.hidden' '-rf' $'\xff' "$(printf 'N%.0s' {1..129})")
shown() { # the id as the messages print it
	local s=$1
	s=${s//\"/\\x22}
	s=${s//$'\n'/\\x0a}
	s=${s//$'\r'/\\x0d}
	s=${s//$'\xff'/\\xff}
	printf '%s' "$s"
}

# ---- nightfan-shard --night ----------------------------------------------------------------------
for id in "${hostile[@]}"; do
	check_run "shard --night $(shown "$id")" 2 "nightfan-shard: error: --night: invalid night id \"$(shown "$id")\": $RULE
Try \"nightfan-shard --help\" for the options." \
		nightfan-shard --input in --night "$id" --profile $profile --out sout
done
check_true "shard: nothing created for a refused id" test ! -e sout -a ! -e pwned -a ! -e in/pwned

# ---- nightfan compile: --nights, --nights-file, --input folder names -------------------------------
for id in '..' 'a b' 'a"b' '$(touch pwned)' $'a\nb' $'\xff'; do
	check_run "compile --nights N0001,$(shown "$id")" 1 \
		"nightfan compile: error: --nights: invalid night id \"$(shown "$id")\": $RULE" \
		nightfan compile --profile $profile --image img -o p.yaml --nights "N0001,$id"
	[ "$id" = $'a\nb' ] && continue # two lines in a nights file: two good ids
	printf 'N0001\n# a comment\n%s\n' "$id" >nights.txt
	check_run "compile --nights-file with $(shown "$id")" 1 \
		"nightfan compile: error: nights.txt:3: invalid night id \"$(shown "$id")\": $RULE" \
		nightfan compile --profile $profile --image img -o p.yaml --nights-file nights.txt
done
for id in 'a b' 'a"b' '$(touch pwned)' $'a\nb' "a'b" 'a;b' $'\xff'; do
	rm -rf root && mkdir -p root/N0001 "root/$id"
	check_run "compile --input with a folder $(shown "$id")" 1 \
		"nightfan compile: error: root: invalid night id \"$(shown "$id")\": $RULE" \
		nightfan compile --profile $profile --image img -o p.yaml --input root
done
check_true "compile: no spec written, nothing run" test ! -e p.yaml -a ! -e pwned

# ---- nightfan run --param nights=... --------------------------------------------------------------
nightfan compile --profile $profile --image img -o p.yaml --input in >/dev/null
item=0
for id in '../x' 'a b' '$(touch pwned)' $'a\nb' 'a"b'; do
	value=$(printf '%s' "$id" | python3 -c 'import json, sys; print(json.dumps(["N0001", sys.stdin.read()]))')
	check_run "run --param nights=[N0001, $(shown "$id")]" 1 \
		"nightfan run: error: loop for-loop-1, item 1: invalid night id \"$(shown "$id")\": $RULE" \
		nightfan run p.yaml --root run --param "nights=$value"
done
check_run "run: a hostile id inside a batch item" 1 \
	"nightfan run: error: loop for-loop-1, item 0: invalid night id \"../x\": $RULE" \
	nightfan run p.yaml --root run --param 'nights=["N0001,../x"]'
# the plan is checked before the run folder is made: nothing started, nothing made
check_true "run: no run folder made for a refused id" test ! -e run

# ---- nightfan-merge: folder names under --nights ------------------------------------------------
for n in N0001 N0002; do nightfan-shard --input in --night $n --profile $profile --out nights; done
for id in 'a b' '$(touch pwned)' $'a\nb' 'a"b' $'\xff'; do
	rm -rf hm && cp -r nights hm && mkdir "hm/$id"
	check_run "merge: a folder $(shown "$id") among the nights" 1 \
		"nightfan-merge: error: hm: a folder of nights holds only night folders: invalid night id \"$(shown "$id")\": $RULE" \
		nightfan-merge --nights hm --out merged
done
check_true "merge: nothing written for a refused folder" test ! -e merged -a ! -e pwned

# ---- enormous fields, lines, headers, files: a clear error in bounded memory ----------------------
# bounded NAME MB STATUS STDERR CMD...: check_run, with CMD's memory held under MB megabytes —
# by `ulimit -v` (address space); ASan reserves terabytes of address space, so under SANITIZE=1 the
# peak resident size (GNU time) is checked instead, against twice the bound.
asan=0
ldd "$(command -v nightfan-shard)" | grep -q libasan && asan=1
bounded() {
	local name=$1 mb=$2 status=$3 err=$4
	shift 4
	if [ $asan = 0 ]; then
		check_run "$name" "$status" "$err" bash -c "ulimit -v $((mb * 1024)); exec \"\$@\"" _ "$@"
	else
		check_run "$name" "$status" "$err" /usr/bin/time -q -f %M -o "$WORK/rss" "$@"
		check_true "$name: peak memory $(tail -1 "$WORK/rss") KB" test "$(tail -1 "$WORK/rss")" -lt $((2 * mb * 1024))
	fi
}
night=in/N0001/labels
cp -r in big
{ head -n 2 $night/hypnogram.csv; printf '30,'; head -c $((64 << 20)) /dev/zero | tr '\0' W; printf '\n'; } \
	>big/N0001/labels/hypnogram.csv
bounded "a 64 MB field" 150 1 "nightfan-shard: error: labels/hypnogram.csv:3: record longer than 1048576 bytes" \
	nightfan-shard --input big --night N0001 --profile $profile --out sout
{ head -c $((64 << 20)) /dev/zero | tr '\0' ','; printf '\n'; } >big/N0001/labels/hypnogram.csv
bounded "a header of 64 M fields" 150 1 "nightfan-shard: error: labels/hypnogram.csv:1: more than 4096 fields in a record" \
	nightfan-shard --input big --night N0001 --profile $profile --out sout
cp $night/hypnogram.csv big/N0001/labels/
awk 'BEGIN { print "Start [s],Duration [s],Event Type"; for (i = 0; i <= 1048576; i++) print "600,10,Hypopnea" }' \
	>big/N0001/labels/respiratory.csv
bounded "2^20 + 1 events" 150 1 "nightfan-shard: error: labels/respiratory.csv:1048578: more than 1048576 events" \
	nightfan-shard --input big --night N0001 --profile $profile --out sout
cp $night/respiratory.csv big/N0001/labels/
awk 'BEGIN { print "Start [s],Sleep Stage"; for (i = 0; i <= 1048576; i++) print i * 30 ",N2" }' \
	>big/N0001/labels/hypnogram.csv
bounded "2^20 + 1 epochs" 150 1 "nightfan-shard: error: labels/hypnogram.csv:1048578: hypnogram longer than 1048576 epochs" \
	nightfan-shard --input big --night N0001 --profile $profile --out sout
cp $night/hypnogram.csv big/N0001/labels/
# 4 M position samples (most outside the recording) are aggregated as read: memory stays flat
awk 'BEGIN { print "Time [s],Body Position,Head Motion"; for (i = 0; i < 4000000; i++) print i / 4 ",Supine,0.5" }' \
	>big/N0001/labels/position.csv
bounded "4 M position rows" 150 0 "" nightfan-shard --input big --night N0001 --profile $profile --out sout
check_true "4 M position rows: the night is written" test -s sout/N0001/epochs.csv
rm -rf big sout

# ---- deep and huge JSON and YAML ----------------------------------------------------------------
python3 -c "print('[' * 20000 + ']' * 20000)" >deep.json
python3 -c "print('{\"a\": ' * 20000 + '1' + '}' * 20000)" >deep-object.json
python3 -c "print('- ' * 20000 + '1')" >deep.yaml
check_run "profile nested 20000 deep" 1 "nightfan-shard: error: deep.json:1: not valid JSON" \
	nightfan-shard --input in --night N0001 --profile deep.json --out sout
check_run "executor input nested 20000 deep (shard)" 1 \
	'{"severity":"ERROR","message":"executor input: not valid JSON at byte 1001 near \"[[[[[[[[[[[[[[[[[[[[[[[[\""}' \
	nightfan-shard --executor-input "$(cat deep.json)"
check_run "executor input nested 20000 deep (merge)" 1 \
	'{"severity":"ERROR","message":"executor input: not valid JSON at byte 1001 near \"[[[[[[[[[[[[[[[[[[[[[[[[\""}' \
	nightfan-merge --executor-input "$(cat deep.json)"
for spec in deep.json:66 deep-object.json:391 deep.yaml:131; do
	f=${spec%:*}
	check_run "spec $f nested 20000 deep" 1 "nightfan run: error: $f:1:${spec#*:}: nesting deeper than 64 levels" \
		nightfan run $f --root deep-run
done
rm -rf bad && cp -r nights bad && cp deep.json bad/N0001/night.json
check_run "night.json nested 20000 deep" 1 "nightfan-merge: error: bad/N0001/night.json:1:1001: not valid JSON" \
	nightfan-merge --nights bad --out merged
python3 - "$profile" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["sources"]["labels"]["hypnogram"]["values"]["stage"].update({f"x{i}": "W" for i in range(100000)})
open("huge-profile.json", "w").write(json.dumps(p))
t = open("nights/N0001/night.json").read()
open("bad/N0001/night.json", "w").write(t[:-2] + " " * (17 << 20) + t[-2:])
PY
check_run "a 1.5 MB profile" 1 "nightfan-shard: error: huge-profile.json: file is larger than 1048576 bytes" \
	nightfan-shard --input in --night N0001 --profile huge-profile.json --out sout
bounded "a 17 MB night.json" 150 1 "nightfan-merge: error: bad/N0001/night.json: file is larger than 16777216 bytes" \
	nightfan-merge --nights bad --out merged
check_true "no output from refused JSON" test ! -e sout -a ! -e merged

# ---- NaN and infinity --------------------------------------------------------------------------
cp -r in nan
# csv_number FILE COLUMN VALUE: the first data row's COLUMN set to VALUE (in nan/, from in/)
csv_number() {
	awk -F, -v c="$2" -v v="$3" 'NR == 2 { $c = v } 1' OFS=, "in/N0001/$1" >"nan/N0001/$1"
}
for v in nan NaN inf -inf Infinity 1e999; do
	csv_number labels/hypnogram.csv 1 "$v"
	check_run "CSV onset $v" 1 \
		"nightfan-shard: error: labels/hypnogram.csv:2:1: expected a number of seconds for \"Start [s]\", got \"$v\"" \
		nightfan-shard --input nan --night N0001 --profile $profile --out sout
	cp in/N0001/labels/hypnogram.csv nan/N0001/labels/
	csv_number labels/respiratory.csv 2 "$v"
	check_run "CSV duration $v" 1 \
		"nightfan-shard: error: labels/respiratory.csv:2:2: expected a number of seconds for \"Duration [s]\", got \"$v\"" \
		nightfan-shard --input nan --night N0001 --profile $profile --out sout
	cp in/N0001/labels/respiratory.csv nan/N0001/labels/
	csv_number labels/position.csv 3 "$v"
	check_run "CSV motion $v" 1 \
		"nightfan-shard: error: labels/position.csv:2:3: expected a number (or an empty cell) for \"Head Motion\", got \"$v\"" \
		nightfan-shard --input nan --night N0001 --profile $profile --out sout
	cp in/N0001/labels/position.csv nan/N0001/labels/
done
for v in 1e999 -1e999 0 -30; do
	sed "s/\"epoch_seconds\": 30/\"epoch_seconds\": $v/" $profile >p-num.json
	check_run "profile epoch_seconds $v" 1 "nightfan-shard: error: p-num.json: epoch_seconds: expected a positive number of seconds" \
		nightfan-shard --input in --night N0001 --profile p-num.json --out sout
done
sed 's/"epoch_seconds": 30/"epoch_seconds": NaN/' $profile >p-num.json
check_run "profile epoch_seconds NaN" 1 "nightfan-shard: error: p-num.json:2: not valid JSON" \
	nightfan-shard --input in --night N0001 --profile p-num.json --out sout
for v in 1e999 -1e999; do
	rm -rf bad && cp -r nights bad
	sed -i "0,/\"TST\":\t[0-9.]*/s//\"TST\":\t$v/" bad/N0001/night.json
	check_run "night.json TST $v" 1 \
		"nightfan-merge: error: bad/N0001/night.json: expected \"scores\".\"labels\".\"TST\" to be a finite number" \
		nightfan-merge --nights bad --out merged
done
rm -rf bad && cp -r nights bad
sed -i "0,/\"TST\":\t[0-9.]*/s//\"TST\":\tNaN/" bad/N0001/night.json
check_run "night.json TST NaN" 1 "nightfan-merge: error: bad/N0001/night.json:$(grep -n '"TST"' bad/N0001/night.json | head -1 | cut -d: -f1):11: not valid JSON" \
	nightfan-merge --nights bad --out merged
# 1e308 is finite but its square is not: the statistics that overflow are null, never inf or nan
rm -rf bad && cp -r nights bad
sed -i "0,/\"TST\":\t[0-9.]*/s//\"TST\":\t1e308/" bad/N0001/night.json
check_run "night.json TST 1e308" 0 "" nightfan-merge --nights bad --out merged
check_true "report.json is valid JSON without inf or nan" python3 -c '
import json, sys
json.load(open("merged/report.json"), parse_constant=lambda c: sys.exit("non-finite " + c))'
check_eq "TST sd_diff overflows to null" "$(python3 -c 'import json; print(json.load(open("merged/report.json"))["scores"]["TST"]["sd_diff"])')" "None"
rm -rf merged
check_run "executor input: 1e999 where a string belongs" 1 \
	'{"severity":"ERROR","message":"executor input: inputs.parameterValues.batch: expected a string, got a number"}' \
	nightfan-shard --executor-input '{"inputs": {"parameterValues": {"batch": 1e999}}}'

# ---- duplicate CSV header columns ---------------------------------------------------------------
cp -r in dup
printf 'Start [s],Sleep Stage,Sleep Stage\n0,W,N1\n30,W,N2\n' >dup/N0001/labels/hypnogram.csv
check_run "a mapped column twice" 1 \
	'nightfan-shard: error: labels/hypnogram.csv:1:3: column "Sleep Stage" appears twice (fields 2 and 3); expected it once' \
	nightfan-shard --input dup --night N0001 --profile $profile --out sout
printf 'Start [s],Note,Sleep Stage,Note\n0,a,W,b\n30,c,N2,d\n' >dup/N0001/labels/hypnogram.csv
python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
p["sources"] = {"labels": {"hypnogram": p["sources"]["labels"]["hypnogram"]}}
print(json.dumps(p))' $profile >hypnogram-only.json
check_run "an unmapped column twice is fine" 0 "" \
	nightfan-shard --input dup --night N0001 --profile hypnogram-only.json --out sout
check_eq "... and the mapped columns are read" "$(cut -d, -f4 sout/N0001/epochs.csv | tr '\n' ' ')" "stage_label W N2 "

finish
