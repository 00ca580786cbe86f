#!/usr/bin/env bash
# tests/cli/06_synth_good.sh — a plain synth night (no --broken) is always one the shard takes
# (issue 17, item 7: `--nights 1 --first-id 171 --seed 9` once jittered a predicted event past the
# predictions' shortened end). 300 plain nights over 8 seeds and first ids from 1 to 99,950, and
# 40 messy ones, each through nightfan-shard; night.json says "ok" for every one.
source "$TESTS/lib.sh"
cd "$WORK"

# The reported night, exactly: it is good now, and its predictions still end one epoch short.
nightfan synth --nights 1 --first-id 171 --seed 9 --out n171 >/dev/null
check_run "seed 9, N0171: the shard takes it" 0 "" \
	nightfan-shard --input n171 --night N0171 --profile n171/profile.json --out o171
check_eq "seed 9, N0171: its last predicted event ends with the shortened predictions" \
	"$(tail -1 n171/N0171/predictions/hypnogram.csv | cut -d, -f1):$(tail -1 n171/N0171/predictions/respiratory.csv)" \
	"31513.0:31516.72,26.28,OA"

# SEED FIRST-ID COUNT [--messy]: synth, then every night through the shard; failures listed.
refused=()
shard_all() {
	local dir=set-$1-$2${4:-}
	nightfan synth --seed "$1" --first-id "$2" --nights "$3" ${4:+"$4"} --out "$dir" >/dev/null || refused+=("synth $dir")
	for night in "$dir"/N*; do
		night=${night##*/}
		nightfan-shard --input "$dir" --night "$night" --profile "$dir/profile.json" --out "$dir.out" \
			2>>shard-errors || refused+=("$dir/$night")
	done
}
shard_all 9 1 60
shard_all 9 150 40
shard_all 1 1 40
shard_all 2 1000 30
shard_all 3 5000 30
shard_all 71 20000 30
shard_all 123456789 99950 30
shard_all 18446744073709551615 7 40
shard_all 5 1 20 --messy
shard_all 9 160 20 --messy
check_eq "every plain and messy night is taken" "${refused[*]:-none}" none
check_eq "no shard error" "$(cat shard-errors)" ""
check_eq "340 nights, all ok" "$(cat set-*.out/*/night.json | grep -c '"status":	"ok"')" 340

finish
