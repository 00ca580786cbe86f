#!/usr/bin/env bash
# 14_profile.sh — nightfan profile init/check/show (docs/PROFILES.md runs here): the draft for the
# synth layout and for the clock-export example against goldens, each draft then run through the
# shard (the same epochs.csv as the hand-written profile's) and through check; show's table; check's
# grouped report on a root with planted problems; every bad input with its exact message.
source "$TESTS/lib.sh"

G=$TESTS/golden/profile
CLOCK=$TESTS/data/profiles/clock-export

# ---- the synth layout ----
nightfan synth --nights 6 --out "$WORK/syn" >/dev/null
check_run "init synth" 0 "" nightfan profile init "$WORK/syn"
check_file_eq "init synth: draft" "$WORK/stdout" "$G/init-synth.json"
check_run "init synth -o" 0 "" nightfan profile init "$WORK/syn" --night N0001 -o "$WORK/synth-draft.json"
check_file_eq "init synth -o: the same draft" "$WORK/synth-draft.json" "$G/init-synth.json"
check_eq "init synth -o: nothing on stdout" "$(cat "$WORK/stdout")" ""
for profile in synth-draft.json syn/profile.json; do
	nightfan-shard --input "$WORK/syn" --night N0002 --profile "$WORK/$profile" --out "$WORK/out-$(basename "$profile")" 2>&1
done
check_true "synth draft: the shard reads N0002 as with synth's own profile" \
	cmp "$WORK/out-synth-draft.json/N0002/epochs.csv" "$WORK/out-profile.json/N0002/epochs.csv"
# init looked at N0001 only: check finds what the other nights hold
check_run "check synth draft" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$WORK/syn"
check_file_eq "check synth draft: report" "$WORK/stdout" "$G/check-synth-draft.txt"
sed -i 's/"Supine": "supine"/"Supine": "supine", "Prone": "prone"/' "$WORK/synth-draft.json"
check_run "check synth profile, finished" 0 "" nightfan profile check "$WORK/synth-draft.json" --input "$WORK/syn"
check_eq "check synth profile, finished: report" "$(cat "$WORK/stdout")" "nightfan profile check: 6 nights read, every one would pass"
check_run "show synth" 0 "" nightfan profile show "$WORK/synth-draft.json" --input "$WORK/syn" --night N0001 --epochs 12
check_file_eq "show synth: table" "$WORK/stdout" "$G/show-synth.txt"

# ---- a semicolon / decimal-comma export with clock times (the dialects example) ----
check_run "init clock-export" 0 "" nightfan profile init "$CLOCK"
check_file_eq "init clock-export: draft" "$WORK/stdout" "$G/init-clock-export.json"
cp "$WORK/stdout" "$WORK/clock-draft.json"
nightfan-shard --input "$CLOCK" --night D1 --profile "$WORK/clock-draft.json" --out "$WORK/out-clock" 2>&1
check_file_eq "clock-export draft: the shard's epochs.csv" "$WORK/out-clock/D1/epochs.csv" \
	"$TESTS/golden/profiles/clock-export/epochs.csv"
check_run "check clock-export draft" 0 "" nightfan profile check "$WORK/clock-draft.json" --input "$CLOCK"
check_run "show clock-export" 0 "" nightfan profile show "$WORK/clock-draft.json" --input "$CLOCK" --night D1
check_file_eq "show clock-export: table" "$WORK/stdout" "$G/show-clock-export.txt"

# ---- annotation files (the worked examples of 13_annotations.sh): recognised by their first bytes,
# their labels proposed as stages and events, the rest passed over; the draft, unchanged, gives the
# shard the example's own epochs.csv ----
${CC:-cc} -O1 -o "$WORK/edfwrite" "$TESTS/tools/edfwrite.c" -ledf
cp -r "$TESTS/data/profiles/sleep-edf" "$WORK/sleep-edf"
"$WORK/edfwrite" "$WORK/sleep-edf/E1/labels/E1-Hypnogram.edf" 180 <"$WORK/sleep-edf/E1-Hypnogram.tsv"
for ex in nsrr:S1 profusion:P1 sleep-edf:E1; do
	set=${ex%%:*} night=${ex#*:} root=$TESTS/data/profiles/${ex%%:*}
	[ "$set" = sleep-edf ] && root=$WORK/sleep-edf
	check_run "init $set" 0 "" nightfan profile init "$root"
	check_file_eq "init $set: draft" "$WORK/stdout" "$G/init-$set.json"
	cp "$WORK/stdout" "$WORK/$set-draft.json"
	nightfan-shard --input "$root" --night "$night" --profile "$WORK/$set-draft.json" --out "$WORK/out-$set" 2>&1
	check_file_eq "$set draft: the shard's epochs.csv" "$WORK/out-$set/$night/epochs.csv" \
		"$TESTS/golden/profiles/$set/epochs.csv"
	check_run "check $set draft" 0 "" nightfan profile check "$WORK/$set-draft.json" --input "$root"
done
# an .xml that is neither format is listed, not read
mkdir -p "$WORK/notannot/N1/labels"
cp "$TESTS/data/profiles/nsrr/S1/labels/position.csv" "$WORK/notannot/N1/labels/"
printf 'Start [s],Sleep Stage\n0,Wake\n30,N1\n' >"$WORK/notannot/N1/labels/hypnogram.csv"
printf '<?xml version="1.0"?>\n<Other/>\n' >"$WORK/notannot/N1/labels/other.xml"
check_run "init: another XML" 0 "" nightfan profile init "$WORK/notannot"
check_eq "init: another XML: listed as not used" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["_files"]["labels/other.xml"])' "$WORK/stdout")" \
	"not used: not an annotation file nightfan reads (NSRR XML, Profusion XML, EDF+)"

# ---- what init cannot decide ----
mkdir -p "$WORK/odd/X1/labels" "$WORK/odd/X1/model"
printf 'Start;Stage;Note\n0;Wake;a\n30;Stage 2 sleep|2;b\n60;Schlummer;c\n' >"$WORK/odd/X1/labels/staging.csv"
printf 'Beginn|Ereignis|Dauer\n00:00:10|Obstruktive Apnoe|10\n00:01:00|Entsättigung|12\n' >"$WORK/odd/X1/labels/events.txt"
printf 'time,lage\n0,1\n0.25,2\n' >"$WORK/odd/X1/labels/pos.csv"
printf 'x,"y\n' >"$WORK/odd/X1/labels/broken.csv"
printf 'onset,stage\n0,0\n30,2\n60,5\n' >"$WORK/odd/X1/model/stages.csv"
printf 'notes\n' >"$WORK/odd/X1/README"
check_run "init odd" 0 "" nightfan profile init "$WORK/odd"
check_file_eq "init odd: draft with _todo" "$WORK/stdout" "$G/init-odd.json"
cp "$WORK/stdout" "$WORK/odd-draft.json"
check_run "a draft with _todo is refused" 1 \
	"nightfan profile check: error: $WORK/odd-draft.json: _todo: this draft still has 5 open questions: settle them (the values and columns written \"TODO\"), then remove \"_todo\"" \
	nightfan profile check "$WORK/odd-draft.json" --input "$WORK/odd"
check_run "the shard refuses it too" 1 \
	"nightfan-shard: error: $WORK/odd-draft.json: _todo: this draft still has 5 open questions: settle them (the values and columns written \"TODO\"), then remove \"_todo\"" \
	nightfan-shard --input "$WORK/odd" --night X1 --profile "$WORK/odd-draft.json" --out "$WORK/out-odd"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); del p["_todo"]; json.dump(p, open(sys.argv[1], "w"), ensure_ascii=False)' "$WORK/odd-draft.json"
check_run "a TODO left in place is refused" 1 \
	"nightfan profile check: error: $WORK/odd-draft.json: sources.labels.hypnogram.values.stage: \"Schlummer\": expected one of W, N1, N2, N3, R, ?, got \"TODO\"" \
	nightfan profile check "$WORK/odd-draft.json" --input "$WORK/odd"

# ---- check on a root with planted problems ----
P=$WORK/syn
# an unmapped value in 3 nights
for n in N0001 N0002 N0004; do sed -i '3s/,Wake\r\?$/,Stage W/; 4s/,Wake\r\?$/,Stage W/' "$P/$n/labels/hypnogram.csv"; done
sed -n 1,4p "$P/N0001/labels/hypnogram.csv" >"$WORK/planted-head.txt"
# a missing file in 1 night
rm "$P/N0003/labels/position.csv"
# a night whose predicted epochs are 15 s off the labels'
awk -F, 'BEGIN{OFS=","} NR==1{print;next} {$1=$1+15; print}' "$P/N0005/predictions/hypnogram.csv" >"$WORK/h" &&
	mv "$WORK/h" "$P/N0005/predictions/hypnogram.csv"
# and another error
sed -i '3s/^[0-9.]*/abc/' "$P/N0006/labels/respiratory.csv"
check_run "check planted" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$P"
check_file_eq "check planted: grouped report" "$WORK/stdout" "$G/check-planted.txt"
check_run "check --nights" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$P" --nights N0003,N0006
check_file_eq "check --nights: report" "$WORK/stdout" "$G/check-nights.txt"
check_run "check --sample 2: N0001 and N0004" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$P" --sample 2
check_eq "check --sample 2: report's first line" "$(head -1 "$WORK/stdout")" \
	"nightfan profile check: 2 nights read, 2 would fail: N0001 N0004"
check_run "check --sample 99: every night" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$P" --sample 99
check_file_eq "check --sample 99: the whole report" "$WORK/stdout" "$G/check-planted.txt"
# with "on_unknown_value": "unscored" unmapped values are listed but fail nothing
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["on_unknown_value"]="unscored"; json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)' \
	"$WORK/synth-draft.json" "$WORK/unscored.json"
check_run "check unscored" 0 "" nightfan profile check "$WORK/unscored.json" --input "$P" --nights N0001,N0004
check_eq "check unscored: report" "$(cat "$WORK/stdout")" 'nightfan profile check: 2 nights read, both would pass

raw values with no mapping ("on_unknown_value": "unscored": counted in night.json, not failing)
  labels/hypnogram.csv stage "Stage W": 4 rows in 2 nights (N0001, N0004)'
check_run "show a night the shard refuses" 1 \
	"nightfan profile show: error: labels/hypnogram.csv:3:2: expected a stage (W, N1, N2, N3, R, ?) or a raw value the profile maps for \"Sleep Stage\", got \"Stage W\"" \
	nightfan profile show "$WORK/synth-draft.json" --input "$P" --night N0001

# ---- bad input ----
T="Try \"nightfan profile"
check_run "profile: no subcommand" 2 $'nightfan profile: error: expected a subcommand: init, check or show\nTry "nightfan profile --help" for the options.' nightfan profile
check_run "profile: unknown subcommand" 2 $'nightfan profile: error: unknown subcommand "make" (init, check or show)\nTry "nightfan profile --help" for the options.' nightfan profile make
check_run "init: no root" 2 $'nightfan profile init: error: expected the input root\n'"$T init --help\" for the options." nightfan profile init
check_run "init: unknown night" 2 $'nightfan profile init: error: --night: unknown night "N9": '"$WORK/syn/N9 is not a folder"$'\n'"$T init --help\" for the options." \
	nightfan profile init "$WORK/syn" --night N9
check_run "init: bad night id" 2 $'nightfan profile init: error: --night: invalid night id "../x": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit\n'"$T init --help\" for the options." \
	nightfan profile init "$WORK/syn" --night ../x
mkdir -p "$WORK/empty"
check_run "init: no night" 1 "nightfan profile init: error: $WORK/empty: no night folder in it" nightfan profile init "$WORK/empty"
check_run "init: no root folder" 1 "nightfan profile init: error: $WORK/nowhere: cannot list the input root: No such file or directory" \
	nightfan profile init "$WORK/nowhere"
mkdir -p "$WORK/plain/Z1"; printf 'a,b\n1,2\n' >"$WORK/plain/Z1/x.csv"
check_run "init: nothing to map" 1 "nightfan profile init: error: Z1: no file of the night holds a stage, event or position column" \
	nightfan profile init "$WORK/plain"
check_run "init: unwritable -o" 1 "nightfan profile init: error: $WORK/nowhere/p.json: cannot write: No such file or directory" \
	nightfan profile init "$WORK/syn" -o "$WORK/nowhere/p.json"
for bad in 0 -1 x 2x ""; do
	check_run "check: --sample \"$bad\"" 2 "nightfan profile check: error: --sample: expected a whole number of nights from 1, got \"$bad\""$'\n'"$T check --help\" for the options." \
		nightfan profile check "$WORK/synth-draft.json" --input "$P" --sample "$bad"
done
check_run "check: --nights and --sample" 2 $'nightfan profile check: error: --nights and --sample exclude each other\n'"$T check --help\" for the options." \
	nightfan profile check "$WORK/synth-draft.json" --input "$P" --nights N0001 --sample 2
check_run "check: unknown night" 2 $'nightfan profile check: error: --nights: unknown night "N0009": '"$P/N0009 is not a folder"$'\n'"$T check --help\" for the options." \
	nightfan profile check "$WORK/synth-draft.json" --input "$P" --nights N0001,N0009
check_run "check: no --input" 2 $'nightfan profile check: error: --input is required\n'"$T check --help\" for the options." \
	nightfan profile check "$WORK/synth-draft.json"
check_run "check: no profile" 2 $'nightfan profile check: error: expected the profile\n'"$T check --help\" for the options." \
	nightfan profile check --input "$P"
check_run "check: unreadable profile" 1 "nightfan profile check: error: $WORK/none.json: cannot read: No such file or directory" \
	nightfan profile check "$WORK/none.json" --input "$P"
printf '{"epoch_seconds": 30, "sources": {"labels": {"hypnogram": {"file": "h.csv", "columns": {"stage": "S"}, "values": {"stage": {"x": "N5"}}}}}}' >"$WORK/bad.json"
check_run "check: a profile error" 1 "nightfan profile check: error: $WORK/bad.json: sources.labels.hypnogram.values.stage: \"x\": expected one of W, N1, N2, N3, R, ?, got \"N5\"" \
	nightfan profile check "$WORK/bad.json" --input "$P"
check_run "check: an empty root" 1 "nightfan profile check: error: $WORK/empty: no night folder in it" \
	nightfan profile check "$WORK/synth-draft.json" --input "$WORK/empty"
# an unreadable file: a folder where the profile names a file
rm -rf "$WORK/unr"; mkdir -p "$WORK/unr"; cp -r "$WORK/syn/N0002" "$WORK/unr/N0002"
rm "$WORK/unr/N0002/labels/respiratory.csv"; mkdir "$WORK/unr/N0002/labels/respiratory.csv"
check_run "check: an unreadable file" 1 "" nightfan profile check "$WORK/synth-draft.json" --input "$WORK/unr"
check_file_eq "check: an unreadable file: report" "$WORK/stdout" "$G/check-unreadable.txt"
check_run "show: no --night" 2 $'nightfan profile show: error: --night is required\n'"$T show --help\" for the options." \
	nightfan profile show "$WORK/synth-draft.json" --input "$P"
check_run "show: unknown night" 2 $'nightfan profile show: error: --night: unknown night "N7": '"$P/N7 is not a folder"$'\n'"$T show --help\" for the options." \
	nightfan profile show "$WORK/synth-draft.json" --input "$P" --night N7
check_run "show: --epochs 0" 2 $'nightfan profile show: error: --epochs: expected a whole number from 1 to 100000, got "0"\n'"$T show --help\" for the options." \
	nightfan profile show "$WORK/synth-draft.json" --input "$P" --night N0002 --epochs 0
check_run "show: unknown option" 2 $'nightfan profile show: error: unknown option "--nite"\n'"$T show --help\" for the options." \
	nightfan profile show "$WORK/synth-draft.json" --input "$P" --nite N0002

finish
