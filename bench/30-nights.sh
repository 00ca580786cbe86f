#!/usr/bin/env bash
# bench/30-nights.sh — `make bench`, issue 13's three figures:
#   1. what event-by-event agreement (pairing + events.csv) adds to nightfan-shard's CPU time a
#      night: the shard against the same sources built with -DSHARD_BENCH_NO_EVENTS, over the
#      bench nights (synth --seed 1), one process a night, the two alternating night by night
#      (each going first on every other night), each pass into fresh folders; the median of
#      BENCH_PASSES passes;
#   2. what the night pages add to nightfan-merge at 2,200 nights: --no-pages against pages, per
#      100 nights, each merge into a new folder (fastest of BENCH_PASSES each, the two taking
#      turns); beside it, merges with pages over the previous merge's pages (a rerun);
#   3. report.html at 2,200 nights: its size, and the time headless Chromium takes to load it (a
#      wrapper page times the report's load in an iframe with performance.now(); the wall time of
#      the whole chromium process, and of chromium on an empty page, are printed beside it).
# Targets (issue 13): pairing < 3 % of the shard's CPU; pages < 20 ms per 100 nights; report.html
# < 3 MB and < 2 s in Chromium.
# Environment: BENCH_NIGHTS (shard nights, default 200), BENCH_MERGE_NIGHTS (default 2200),
# BENCH_PASSES (default 5), KEEP=1 keeps the data.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
NIGHTS=${BENCH_NIGHTS:-200}
MERGE_NIGHTS=${BENCH_MERGE_NIGHTS:-2200}
PASSES=${BENCH_PASSES:-5}
CC=${CC:-cc}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/nightfan-bench-nights.XXXXXX")
trap '[ -n "${KEEP:-}" ] && echo "kept $DIR" || rm -rf "$DIR"' EXIT

# ---- 1. the shard with and without event agreement ----------------------------------------------
# A runner: each line of stdin is "A cmd..." or "B cmd..."; it runs them in turn (fork + exec) and
# sums each child's user + sys CPU time (wait4) per letter: prints "A_ms B_ms". The two shards
# alternate night by night, so both see the same host load (this VM shares 2 cores).
cat >"$DIR/runner.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	char line[65536];
	double ms[2] = {0, 0};
	while (fgets(line, sizeof line, stdin)) {
		char *argv[64];
		int argc = 0, status, which;
		struct rusage ru;
		for (char *tok = strtok(line, " \n"); tok && argc < 63; tok = strtok(NULL, " \n"))
			argv[argc++] = tok;
		argv[argc] = NULL;
		if (argc < 2)
			continue;
		which = argv[0][0] == 'B';
		pid_t pid = fork();
		if (pid == 0) {
			dup2(open("/dev/null", O_WRONLY), 1);
			execvp(argv[1], argv + 1);
			_exit(127);
		}
		wait4(pid, &status, 0, &ru);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "runner: %s failed\n", argv[1]);
			return 1;
		}
		ms[which] += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	}
	printf("%.3f %.3f\n", ms[0], ms[1]);
	return 0;
}
C
$CC -O2 -o "$DIR/runner" "$DIR/runner.c"
# The shard without event agreement: the Makefile's build, one define more, in a folder of its own.
make -s -j2 O="$DIR/build" BINDIR="$DIR/bin" CFLAGS="-O2 -g -DSHARD_BENCH_NO_EVENTS" "$DIR/bin/nightfan-shard" >/dev/null
cp "$DIR/bin/nightfan-shard" "$DIR/shard-no-events"

echo "== event-by-event agreement in nightfan-shard: $NIGHTS synth nights (seed 1), one process a night"
bin/nightfan synth --nights "$NIGHTS" --out "$DIR/in" --seed 1 >/dev/null
sync
# Every pass writes into folders of its own, and nothing is deleted until the end. Deleting the
# previous pass's ~2,000 files right before a pass made the files the shards then created dearer
# (ext4 without a journal, as on this VM, passes over the inodes freed in the last minute or more
# when it allocates one, reading each): in a loop that publishes night folders like the shard's, a
# night cost 43-78 us of CPU, 140-240 us right after ~2,000 files were deleted; and the shard with
# events.csv creates one file more a night than the one without.
# The two take turns going first: of two runs of the same binary on the same night, the second was
# 0.8-2.8 % faster (median 1.9 %, 7 passes; 1.3-2.0 % with the turns swapped), so the events build,
# always second before 2026-12-05, came out cheaper than it is.
i=0
for night in $(cd "$DIR/in" && ls -d N* | sort); do
	args="--input $DIR/in --night $night --profile $DIR/in/profile.json"
	a="A $DIR/shard-no-events $args --out $DIR/out-a.PASS"
	b="B $ROOT/bin/nightfan-shard $args --out $DIR/out.PASS"
	if [ $((i++ % 2)) -eq 0 ]; then printf '%s\n%s\n' "$a" "$b"; else printf '%s\n%s\n' "$b" "$a"; fi
done >"$DIR/ab.cmds"
events=$(cat "$DIR"/in/N*/*/respiratory.csv | grep -vc '^[a-zA-Z]' || true)
passes="" all=""
for pass in $(seq "$PASSES"); do
	cat "$DIR"/in/N*/*/*.csv >/dev/null
	result=$(sed "s/\.PASS\$/.$pass/" "$DIR/ab.cmds" | "$DIR/runner")
	all="$all$result
"
	passes="$passes $(awk -v n="$NIGHTS" '{ printf "%.3f/%.3f", $1 / n, $2 / n }' <<<"$result")"
done
# the median pass by the difference (a pass is A and B over the same nights, interleaved)
printf '%s' "$all" | awk -v n="$NIGHTS" -v ev="$events" '
	{ a[NR] = $1; b[NR] = $2; d[NR] = $2 - $1 }
	END {
		for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (d[j] < d[i]) {
			t = d[i]; d[i] = d[j]; d[j] = t; t = a[i]; a[i] = a[j]; a[j] = t; t = b[i]; b[i] = b[j]; b[j] = t }
		m = int((NR + 1) / 2)
		printf "shard without event agreement   %7.3f ms CPU/night\n", a[m] / n
		printf "shard with it (pairs, events.csv) %5.3f ms CPU/night  (%.0f events a night, both sources)\n", b[m] / n, ev / n
		printf "event agreement adds            %+7.3f ms/night = %+.2f %%   (target < 3 %%; median of %d passes)\n", d[m] / n, d[m] / a[m] * 100, NR
	}'
echo "  passes (without/with ms a night):$passes"

# ---- 2. and 3. the merge at 2,200 nights -------------------------------------------------------
echo "== night pages and report.html: nightfan-merge over $MERGE_NIGHTS nights"
SEED=20
for i in $(seq 1 "$SEED"); do
	mkdir -p "$DIR/nights"
	cp -r "$DIR/out.1/$(printf 'N%04d' "$i")" "$DIR/nights/" 2>/dev/null ||
		"$ROOT/bin/nightfan-shard" --input "$DIR/in" --night "$(printf 'N%04d' "$i")" \
			--profile "$DIR/in/profile.json" --out "$DIR/nights"
done
for i in $(seq $((SEED + 1)) "$MERGE_NIGHTS"); do # real shard outputs under new ids
	src=$(printf 'N%04d' $(((i - 1) % SEED + 1)))
	dst=$(printf 'N%04d' "$i")
	mkdir "$DIR/nights/$dst"
	sed "s/\"night\":[[:space:]]*\"$src\"/\"night\": \"$dst\"/" "$DIR/nights/$src/night.json" >"$DIR/nights/$dst/night.json"
	sed "s/^$src,/$dst,/" "$DIR/nights/$src/epochs.csv" >"$DIR/nights/$dst/epochs.csv"
	cp "$DIR/nights/$src/events.csv" "$DIR/nights/$dst/events.csv"
done
# Each pass: a merge without pages and one with them, each into a new folder (nothing deleted
# meanwhile, as above), then one with pages into the same folder every time ($DIR/merged), which
# replaces the previous merge's 2,200 pages: what a rerun pays. Fastest wall time of each.
merge_once() { # OUT OPTIONS... — prints "wall cpu"
	local out=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$DIR/time" "$ROOT/bin/nightfan-merge" --nights "$DIR/nights" --out "$out" "$@"
	read -r wall user sys <"$DIR/time"
	awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { print w, u + s }'
}
faster() { # BEST NEW — the one with the smaller wall time
	if [ -z "$1" ] || awk -v a="${2%% *}" -v b="${1%% *}" 'BEGIN { exit !(a < b) }'; then echo "$2"; else echo "$1"; fi
}
"$ROOT/bin/nightfan-merge" --nights "$DIR/nights" --out "$DIR/merged" >/dev/null # warm the cache
without="" with="" rerun=""
for pass in $(seq "$PASSES"); do
	without=$(faster "$without" "$(merge_once "$DIR/merged-a.$pass" --no-pages)")
	with=$(faster "$with" "$(merge_once "$DIR/merged-b.$pass")")
	rerun=$(faster "$rerun" "$(merge_once "$DIR/merged")")
done
awk -v a="$without" -v b="$with" -v c="$rerun" -v n="$MERGE_NIGHTS" 'BEGIN {
	split(a, x, " "); split(b, y, " "); split(c, z, " ")
	printf "merge --no-pages                %6.3f s wall, %6.3f s CPU\n", x[1], x[2]
	printf "merge with the pages            %6.3f s wall, %6.3f s CPU\n", y[1], y[2]
	printf "pages add                       %6.1f ms wall per 100 nights   (target < 20 ms)\n", (y[1] - x[1]) * 1000 / n * 100
	printf "  over the previous pages       %6.3f s wall, %6.3f s CPU: %.1f ms per 100 nights\n", z[1], z[2], (z[1] - x[1]) * 1000 / n * 100
}'
pages_kb=$(du -sk "$DIR/merged/pages" | cut -f1)
echo "pages: $(ls "$DIR/merged/pages" | wc -l) files, $((pages_kb / 1024)) MB, $(( $(stat -c %s "$DIR/merged/pages/N0001.html") / 1024 )) KB a page"

size=$(stat -c %s "$DIR/merged/report.html")
awk -v s="$size" 'BEGIN { printf "report.html                     %6.2f MB   (target < 3 MB)\n", s / 1048576 }'
cat >"$DIR/merged/time.html" <<'HTML'
<!DOCTYPE html><html><head><title>-</title></head><body>
<script>var t0 = performance.now();</script>
<iframe src="report.html" style="width:1280px;height:900px" onload="document.title = 'loaded ' + (performance.now() - t0).toFixed(0) + ' ms'"></iframe>
</body></html>
HTML
echo '<!DOCTYPE html><title>empty</title>' >"$DIR/merged/empty.html"
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$DIR/chrome" "$@" 2>/dev/null
}
chrome --dump-dom "file://$DIR/merged/empty.html" >/dev/null # first start: profile made
best_load="" best_wall="" best_empty=""
for _ in $(seq "$PASSES"); do
	t0=$(date +%s.%N)
	load=$(chrome --dump-dom "file://$DIR/merged/time.html" | grep -o 'loaded [0-9]* ms' | grep -o '[0-9]*')
	t1=$(date +%s.%N)
	chrome --dump-dom "file://$DIR/merged/empty.html" >/dev/null
	t2=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	empty=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')
	[ -z "$best_load" ] || [ "$load" -lt "$best_load" ] && best_load=$load
	if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall=$wall; fi
	if [ -z "$best_empty" ] || awk -v a="$empty" -v b="$best_empty" 'BEGIN { exit !(a < b) }'; then best_empty=$empty; fi
done
echo "report.html in Chromium          $((best_load)) ms to load (iframe onload)   (target < 2 s)"
echo "  whole headless chromium run    ${best_wall} s, on an empty page ${best_empty} s"
