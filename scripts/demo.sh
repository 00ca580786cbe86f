#!/usr/bin/env bash
# scripts/demo.sh — `make demo`: sample nights → nightfan-shard on every night → nightfan-merge.
#
# First version: runs the three programs directly, two nights at a time (xargs -P). The pipeline
# version (`nightfan compile` + `nightfan run`) replaces the middle part later.
# Everything goes under demo/ (git-ignored): demo/nights (input), demo/out (one folder per night),
# demo/report (nights.csv, report.json, report.html, dataset.csv).
# Environment: NIGHTFAN_BIN (default ./bin), NIGHTS (default 50), SEED (default 2024).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${NIGHTFAN_BIN:-$PWD/bin}
NIGHTS=${NIGHTS:-50}
SEED=${SEED:-2024}
DEMO=$PWD/demo

echo "== 1. $NIGHTS sample nights (the last one broken on purpose) -> demo/nights"
"$BIN/nightfan" synth --nights "$NIGHTS" --seed "$SEED" --broken 1 --out "$DEMO/nights"

echo "== 2. nightfan-shard on each night -> demo/out (a failed night is recorded, not fatal)"
rm -rf "$DEMO/out" "$DEMO/report"
mkdir -p "$DEMO/out"
find "$DEMO/nights" -mindepth 1 -maxdepth 1 -type d -name 'N*' -printf '%f\n' | LC_ALL=C sort |
	xargs -P 2 -I{} "$BIN/nightfan-shard" --input "$DEMO/nights" --night {} \
		--profile "$DEMO/nights/profile.json" --out "$DEMO/out" --on-error=record
ok=$(grep -l '"status":[[:space:]]*"ok"' "$DEMO"/out/*/night.json | wc -l)
failed=$(grep -l '"status":[[:space:]]*"failed"' "$DEMO"/out/*/night.json | wc -l)
echo "   $ok nights ok, $failed failed"

echo "== 3. nightfan-merge -> demo/report"
"$BIN/nightfan-merge" --nights "$DEMO/out" --out "$DEMO/report" --dataset

cat <<EOT

Done. Where things are:
  demo/nights/N0001/          one raw night: labels/{hypnogram,respiratory,position}.csv, predictions/{hypnogram,respiratory}.csv
  demo/nights/profile.json    the mapping profile the shard used
  demo/out/N0001/             night.json (scores) and epochs.csv (per-epoch table)
  demo/report/report.html     the report: open it in a browser
  demo/report/report.json     the same numbers for programs; nights.csv, dataset.csv beside it
EOT
