#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...] — build the libFuzzer targets (fuzz/Makefile) and run each for
# SECONDS (default 15) over its seed corpus (fuzz/make-seeds.sh) plus the corpus earlier runs grew
# in build/fuzz/corpus/<target>. A target passes when libFuzzer finds nothing (no crash, leak,
# sanitizer report, timeout or out-of-memory); a finding is kept under build/fuzz/artifacts/<target>/
# and its reproduction command printed. Ends with "N passed, N failed" (one test per target) and
# writes "P F" to $NIGHTFAN_COUNTS when set. Each run is appended to build/fuzz/history.tsv.
#
# libFuzzer flags (the same for every target, except -max_len):
#   -max_total_time=SECONDS -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=<per target>
#   -dict=fuzz/dict/<target>.dict when present, -artifact_prefix=build/fuzz/artifacts/<target>/
#   -print_final_stats=1
set -u
cd "$(dirname "$0")/.."
seconds=${1:-15}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv shard profile executor night pagedata spec agreement xml edf)

declare -A max_len=([csv]=16384 [shard]=65536 [profile]=16384 [executor]=16384 [night]=16384 [pagedata]=16384 [spec]=65536 [agreement]=16384 [xml]=16384 [edf]=65536)

make -s all >/dev/null && make -s -j2 -f fuzz/Makefile >/dev/null || {
	echo "fuzz: build failed"
	[ -n "${NIGHTFAN_COUNTS:-}" ] && echo "0 ${#targets[@]}" >"$NIGHTFAN_COUNTS"
	exit 1
}
fuzz/make-seeds.sh build/fuzz/seeds
passed=0
failed=0
for t in "${targets[@]}"; do
	bin=build/fuzz/fuzz_$t
	corpus=build/fuzz/corpus/$t
	artifacts=build/fuzz/artifacts/$t
	log=build/fuzz/logs/$t.log
	mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
	dict=()
	[ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
	status=0
	started=$(date +%s)
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
		-max_len="${max_len[$t]}" "${dict[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 \
		"$corpus" "build/fuzz/seeds/$t" >"$log" 2>&1 || status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	# history.tsv: when, target, seconds actually run (a finding stops the run early), runs, exit
	printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$(($(date +%s) - started))" "${runs:-0}" \
		"$status" >>build/fuzz/history.tsv
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		printf 'fuzz_%-10s %ss, %s runs, nothing found\n' "$t" "$seconds" "${runs:-?}"
	else
		failed=$((failed + 1))
		echo "FAIL fuzz_$t (exit $status):"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|^    #[0-9]' "$log" | head -25 | sed 's/^/  /'
		echo "  reproduce: $bin <the file written above>   (full log: $log)"
	fi
done
[ -n "${NIGHTFAN_COUNTS:-}" ] && echo "$passed $failed" >"$NIGHTFAN_COUNTS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
