# tests/cli/71_hostile_regress.sh — fuzz findings that need the whole shard run, replayed from
# tests/data/regress/ (the unit-level ones are tests/unit/test_regress.c). Under `make test
# SANITIZE=1` (which adds -fsanitize=float-cast-overflow) a regression aborts the shard; the fuzz
# stage of `make check` also replays the original inputs (fuzz/regress/) under clang's UBSan.
source "$TESTS/lib.sh"
cd "$WORK"
data=$TESTS/data/regress

# fuzz/regress/shard/shard-onset-1e73: a hypnogram onset of 1.0144e73 (finite, past long long) was
# converted to long long before the range check when epochs.csv printed it (shard/epochscsv.c,
# format_number: UBSan "outside the range of representable values of type 'long long'"). Fixed:
# range first; the onset is printed in shortest round-trip form.
check_run "onset 1.0144e73" 0 "" nightfan-shard --input "$data/huge-onset" --night R1 \
	--profile "$data/huge-onset/profile.json" --out out-onset
check_eq "onset 1.0144e73: epochs.csv" "$(cat out-onset/R1/epochs.csv)" \
	"night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred
R1,0,1.0144444444444444e+73,W,,unknown,,,
R1,1,1.0144444444444444e+73,N2,,unknown,,,"

finish
