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
		for file in night.json epochs.csv; do
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

finish
