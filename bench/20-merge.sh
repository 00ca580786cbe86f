#!/usr/bin/env bash
# bench/20-merge.sh — nightfan-merge over 2,200 nights (the weekly run's size), without --dataset:
# prints wall time, CPU time and peak RSS. The nights are made cheaply: 20 synthetic nights are
# sharded once, then their output folders are copied under new ids (N0021 ... N2200) with the
# "night" field rewritten, so every night.json is a real shard output.
# Usage: bench/20-merge.sh [NIGHTS]   (from the repository root; `make bench` runs it)
set -eu
cd "$(dirname "$0")/.."
BIN=${NIGHTFAN_BIN:-$PWD/bin}
NIGHTS=${1:-2200}
SEED_NIGHTS=20
work=$(mktemp -d "${TMPDIR:-/tmp}/nightfan-bench-merge.XXXXXX")
trap '[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT

"$BIN/nightfan" synth --nights "$SEED_NIGHTS" --out "$work/in" --seed 11 --broken 1 >/dev/null
for i in $(seq 1 "$SEED_NIGHTS"); do
	"$BIN/nightfan-shard" --input "$work/in" --night "$(printf 'N%04d' "$i")" \
		--profile "$work/in/profile.json" --out "$work/nights" --on-error=record
done
for i in $(seq $((SEED_NIGHTS + 1)) "$NIGHTS"); do
	src=$(printf 'N%04d' $(((i - 1) % SEED_NIGHTS + 1)))
	dst=$(printf 'N%04d' "$i")
	mkdir "$work/nights/$dst"
	sed "s/\"night\":[[:space:]]*\"$src\"/\"night\": \"$dst\"/" "$work/nights/$src/night.json" \
		>"$work/nights/$dst/night.json"
done

# Warm the page cache once, then measure.
"$BIN/nightfan-merge" --nights "$work/nights" --out "$work/out" >/dev/null
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$BIN/nightfan-merge" --nights "$work/nights" --out "$work/out"
read -r wall user sys rss <"$work/time"
ok=$(python3 -c "import json; r=json.load(open('$work/out/report.json'))['nights']; print(r['total'], r['ok'], r['failed'])")
printf 'merge  %s nights (total ok failed: %s), no --dataset: wall %ss, CPU %ss user + %ss sys, peak RSS %.1f MB\n' \
	"$NIGHTS" "$ok" "$wall" "$user" "$sys" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
printf 'merge  outputs: nights.csv %s KB, report.json %s KB, report.html %s KB\n' \
	$(( $(stat -c %s "$work/out/nights.csv") / 1024 )) $(( $(stat -c %s "$work/out/report.json") / 1024 )) \
	$(( $(stat -c %s "$work/out/report.html") / 1024 ))
