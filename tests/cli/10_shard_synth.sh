#!/usr/bin/env bash
# 10_shard_synth.sh — golden runs of nightfan-shard over generated nights (`nightfan synth`): two
# plain nights, two --messy ones (BOM, CRLF, quoted fields, unknown values under "unscored") and a
# --broken one written as failed under --on-error=record. Goldens: tests/golden/shard/synth*/;
# regenerate deliberately with UPDATE_GOLDEN=1 when the generator or the shard changes on purpose.
source "$TESTS/lib.sh"

GOLDEN=$TESTS/golden/shard

# run_set NAME SYNTH-OPTIONS... — synth two nights, shard both, compare with the goldens.
run_set() {
	local name=$1
	shift
	nightfan synth --nights 2 --out "$WORK/$name" "$@" >/dev/null
	for night in N0001 N0002; do
		check_run "$name $night" 0 "" nightfan-shard --input "$WORK/$name" --night $night \
			--profile "$WORK/$name/profile.json" --out "$WORK/$name.out" --on-error=record
		for file in night.json epochs.csv events.csv; do
			[ -f "$WORK/$name.out/$night/$file" ] || continue
			check_file_eq "$name $night $file" "$WORK/$name.out/$night/$file" "$GOLDEN/$name/$night/$file"
		done
	done
}

run_set synth --seed 11
run_set synth-messy --seed 12 --messy
run_set synth-broken --seed 13 --broken 1

check_eq "broken night is recorded as failed" \
	"$(tr -d ' \t\n' <"$WORK/synth-broken.out/N0002/night.json" | grep -o '"status":"[a-z]*"')" '"status":"failed"'
check_eq "broken night has no epochs.csv" "$(ls "$WORK/synth-broken.out/N0002")" "night.json"
check_eq "messy nights count unmapped values" \
	"$(tr -d ' \t\n' <"$WORK/synth-messy.out/N0001/night.json" | grep -c '"unmapped":{"labels')" "1"

# The default policy refuses the broken night with one line naming file and line, and writes nothing.
status=0
nightfan-shard --input "$WORK/synth-broken" --night N0002 --profile "$WORK/synth-broken/profile.json" \
	--out "$WORK/fail.out" 2>"$WORK/fail.err" || status=$?
check_eq "broken night fails" "$status" 1
check_eq "broken night: one error line naming file and line" \
	"$(grep -cE '^nightfan-shard: error: (labels|predictions)/[a-z]+\.csv:[0-9]+(:[0-9]+)?: ' "$WORK/fail.err")" 1
check_eq "broken night: nothing written" "$(ls -A "$WORK/fail.out" 2>/dev/null)" ""

# ---- the position file's fast path (plain records in bulk) against record by record ----
# The shard takes plain position rows in bulk (csv.h) and leaves every other row to the record-by-
# record path. Rewritten copies of one night's position file that force rows onto the slow path —
# all of them (every time quoted), every line (CRLF), or scattered ones (motion cells with 9 or more
# characters, the same decimal; times with a trailing zero) — must give the same epochs.csv.
same_epochs() { # NAME SED-SCRIPT — position.csv rewritten by sed must give the first run's epochs.csv
	local name=$1 script=$2
	rm -rf "$WORK/fast" "$WORK/fast.out"
	cp -r "$WORK/synth" "$WORK/fast"
	sed -E "$script" "$WORK/synth/N0001/labels/position.csv" >"$WORK/fast/N0001/labels/position.csv"
	check_eq "fast path: $name rewrote the file" \
		"$(cmp -s "$WORK/synth/N0001/labels/position.csv" "$WORK/fast/N0001/labels/position.csv" && echo same || echo rewritten)" rewritten
	check_run "fast path: $name" 0 "" nightfan-shard --input "$WORK/fast" --night N0001 \
		--profile "$WORK/fast/profile.json" --out "$WORK/fast.out"
	check_file_eq "fast path: $name gives the same epochs" "$WORK/fast.out/N0001/epochs.csv" "$GOLDEN/synth/N0001/epochs.csv"
}
same_epochs "every time quoted" '2,$ s/^([^,]*),/"\1",/'
same_epochs "CRLF line ends" 's/$/\r/'
same_epochs "long motion cells every 7th row" '2~7 s/,([0-9.]+)$/,\1000000/'
same_epochs "times with a trailing zero every 5th row" '2~5 s/^([0-9]+\.[0-9]+),/\10,/'
same_epochs "a quoted position every 50th row" '2~50 s/,Supine,/,"Supine",/'

finish
