#!/usr/bin/env bash
# tests/cli/20_merge_synth.sh — golden run over real shard outputs: 8 synthetic nights (seed 7, the
# last one broken), each sharded with --on-error=record, merged with --dataset.
# Goldens: tests/golden/merge/synth/ (regenerate on purpose with UPDATE_GOLDEN=1 when the synth or
# the shard changes what it writes).
source "$TESTS/lib.sh"
GOLD=$TESTS/golden/merge/synth

check_run "synth" 0 "" bash -c "nightfan synth --nights 8 --out '$WORK/in' --seed 7 --broken 1 >/dev/null"
for n in N0001 N0002 N0003 N0004 N0005 N0006 N0007 N0008; do
	check_run "shard $n" 0 "" nightfan-shard --input "$WORK/in" --night "$n" \
		--profile "$WORK/in/profile.json" --out "$WORK/nights" --on-error=record
done
check_run "merge" 0 "" nightfan-merge --nights "$WORK/nights" --out "$WORK/run" --dataset
check_file_eq "golden nights.csv" "$WORK/run/nights.csv" "$GOLD/nights.csv"
check_file_eq "golden report.json" "$WORK/run/report.json" "$GOLD/report.json"
check_file_eq "golden report.html" "$WORK/run/report.html" "$GOLD/report.html"

report() { python3 -c "import json; r=json.load(open('$WORK/run/report.json')); print($1)"; }
check_eq "counts" "$(report "r['nights']")" "{'total': 8, 'ok': 7, 'failed': 1, 'from_base': 0}"
check_eq "the broken night is listed" "$(report "r['failed'][0]['night'], r['failed'][0]['error']['file']")" \
	"N0008 labels/hypnogram.csv"
check_eq "nights.csv: 8 nights + header" "$(wc -l <"$WORK/run/nights.csv")" 9
check_eq "failed row" "$(grep -c '^N0008,failed,' "$WORK/run/nights.csv")" 1

# The dataset is exactly the ok nights' epochs.csv rows, in night order, under one header.
check_eq "dataset header" "$(head -1 "$WORK/run/dataset.csv")" \
	"night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred"
check_true "dataset = concatenated epochs.csv" bash -c \
	"tail -q -n +2 '$WORK'/nights/N000[1-7]/epochs.csv | cmp - <(tail -n +2 '$WORK/run/dataset.csv')"
# The staging table pools the nights' own confusion matrices (checked independently here).
check_eq "staging pooled from night.json" "$(python3 - "$WORK" <<'EOF'
import json, sys, glob
w = sys.argv[1]
pooled = [[0] * 5 for _ in range(5)]
for path in sorted(glob.glob(w + "/nights/*/night.json")):
    m = json.load(open(path))["staging_confusion"]
    for i in range(5):
        for j in range(5):
            pooled[i][j] += m[i][j] if m else 0
print(pooled == json.load(open(w + "/run/report.json"))["staging"]["confusion"])
EOF
)" True

finish
