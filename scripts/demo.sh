#!/usr/bin/env bash
# scripts/demo.sh — `make demo`: sample nights → a compiled Kubeflow pipeline spec → that spec run on
# this machine (the same fan-out/fan-in Vertex AI would run) → headline figures and the report.
#
# Everything goes under demo/ (git-ignored): demo/nights (input), demo/pipeline.yaml (the KFP v2
# spec), demo/run (the run folder: one folder per task, the merge's outputs in demo/run/merge/).
# Environment: NIGHTFAN_BIN (default ./bin), NIGHTS (default 50), SEED (default 2024),
# JOBS (default: the number of CPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${NIGHTFAN_BIN:-$PWD/bin}
NIGHTS=${NIGHTS:-50}
SEED=${SEED:-2024}
DEMO=$PWD/demo
JOBS=${JOBS:-$(nproc)}

echo "== 1. $NIGHTS sample nights (the last one broken on purpose) -> demo/nights"
"$BIN/nightfan" synth --nights "$NIGHTS" --seed "$SEED" --broken 1 --out "$DEMO/nights"

echo "== 2. nightfan compile -> demo/pipeline.yaml (KFP v2: ParallelFor of shards, collected into the merge)"
"$BIN/nightfan" compile --profile "$DEMO/nights/profile.json" --input "$DEMO/nights" \
	--image "nightfan:$(cat VERSION)" --parallelism 8 -o "$DEMO/pipeline.yaml"

echo "== 3. nightfan run -> demo/run (a failed night is recorded, not fatal; a rerun uses the cache)"
rm -rf "$DEMO/run"
"$BIN/nightfan" run "$DEMO/pipeline.yaml" --root "$DEMO/run" --jobs "$JOBS"

cat <<EOT

Where things are:
  demo/nights/N0001/               one raw night: labels/*.csv, predictions/*.csv; demo/nights/profile.json
  demo/pipeline.yaml               the spec to upload to Vertex AI Pipelines or a Kubeflow Pipelines server
  demo/run/shard-N0001/nights/     one task's output: N0001/night.json (scores) and epochs.csv
  demo/run/merge/dataset/          report.html (open it in a browser), report.json, nights.csv, dataset.csv
Reprocess one night:  $BIN/nightfan run demo/pipeline.yaml --root demo/run --param 'nights=["N0007"]'
EOT
