#!/usr/bin/env bash
# tests/run.sh — the quick suite: scripts/checksrc, every unit-test binary, then every tests/cli/*.sh script.
# Totals their "N passed, N failed" lines and ends with the grand total on a line of its own.
# Run through `make test` (which builds first and sets NIGHTFAN_BIN / NIGHTFAN_TESTBIN).
# Optional: `tests/run.sh PATTERN...` runs only suites whose name contains one of the PATTERNs.
set -u
cd "$(dirname "$0")/.."
: "${NIGHTFAN_BIN:?run through make test}" "${NIGHTFAN_TESTBIN:?run through make test}"
export NIGHTFAN_BIN NIGHTFAN_TESTBIN TESTS="$PWD/tests"
patterns=("$@")
total_passed=0
total_failed=0
log=$(mktemp)

run_suite() { # NAME CMD...
	local name=$1
	shift
	if [ ${#patterns[@]} -gt 0 ]; then
		local p matched=0
		for p in "${patterns[@]}"; do [[ "$name" == *"$p"* ]] && matched=1; done
		[ "$matched" -eq 1 ] || return 0
	fi
	local status=0
	"$@" >"$log" 2>&1 || status=$?
	local summary
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$summary" ]; then
		cat "$log"
		echo "$name: crashed or printed no summary (exit $status)"
		total_failed=$((total_failed + 1))
		return
	fi
	local p f
	p=${summary%% passed*}
	f=${summary#*, }
	f=${f%% failed*}
	if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then
		grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$log"
		[ "$f" -eq 0 ] && f=1 # a non-zero exit with no failed test is still a failure
	fi
	printf '%-32s %s\n' "$name" "$summary"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
}

# The conventions of docs/DEVELOPING.md, checked (one check per source file).
run_suite checksrc scripts/checksrc
for t in "$NIGHTFAN_TESTBIN"/test_*; do
	[ -x "$t" ] && run_suite "unit/$(basename "$t")" "$t"
done
for s in tests/cli/*.sh; do
	[ -f "$s" ] && run_suite "cli/$(basename "$s" .sh)" bash "$s"
done
rm -f "$log"
[ -n "${NIGHTFAN_COUNTS:-}" ] && echo "$total_passed $total_failed" >"$NIGHTFAN_COUNTS"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
