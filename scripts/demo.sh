#!/usr/bin/env bash
# nightfan-demo [DIR] — sample nights → a compiled Kubeflow pipeline spec → that spec run on this
# machine (the same fan-out/fan-in Vertex AI would run) → headline figures and the report.
# `make demo` runs it from the source tree (scripts/demo.sh, into ./demo); `make install` installs
# it as nightfan-demo, which needs no source tree (into ./nightfan-demo, or DIR).
#
# Everything goes under DIR: DIR/nights (input), DIR/pipeline.yaml (the KFP v2 spec), DIR/run (the
# run folder: one folder per task, the merge's outputs in DIR/run/merge/).
# Environment: NIGHTFAN_BIN (the folder of the programs; default: beside this script when they are
# there, else the source tree's bin/, else PATH), NIGHTS (default 50), SEED (default 2024),
# JOBS (default: the number of CPUs).
set -euo pipefail
case "${1:-}" in
-h | --help)
	sed -n '2,12s/^# \{0,1\}//p' "$0"
	exit 0
	;;
--version)
	echo "nightfan-demo $(nightfan --version 2>/dev/null | awk '{print $2}')"
	exit 0
	;;
-*)
	echo "nightfan-demo: error: unknown option \"$1\"" >&2
	echo "Try \"nightfan-demo --help\" for the options." >&2
	exit 2
	;;
esac
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${NIGHTFAN_BIN:-}" ]; then
	BIN=$NIGHTFAN_BIN
elif [ -x "$here/nightfan" ]; then
	BIN=$here # installed: bin/nightfan-demo beside bin/nightfan
elif [ -x "$here/../bin/nightfan" ]; then
	BIN=$(cd "$here/../bin" && pwd) # the source tree's scripts/demo.sh
else
	BIN=$(dirname "$(command -v nightfan)")
fi
DEMO=${1:-${DEMO:-$PWD/nightfan-demo}}
mkdir -p "$DEMO"
DEMO=$(cd "$DEMO" && pwd)
NIGHTS=${NIGHTS:-50}
SEED=${SEED:-2024}
JOBS=${JOBS:-$(nproc)}
VERSION=$("$BIN/nightfan" --version | awk '{print $2}')
show() { case "$1" in "$PWD"/*) echo "${1#"$PWD"/}" ;; *) echo "$1" ;; esac; }
D=$(show "$DEMO")

echo "== 1. $NIGHTS sample nights (the last one broken on purpose) -> $D/nights"
"$BIN/nightfan" synth --nights "$NIGHTS" --seed "$SEED" --broken 1 --out "$DEMO/nights"

echo "== 2. nightfan compile -> $D/pipeline.yaml (KFP v2: ParallelFor of shards, collected into the merge)"
"$BIN/nightfan" compile --profile "$DEMO/nights/profile.json" --input "$DEMO/nights" \
	--image "nightfan:$VERSION" --parallelism 8 -o "$DEMO/pipeline.yaml"

echo "== 3. nightfan run -> $D/run (a failed night is recorded, not fatal; a rerun uses the cache)"
rm -rf "$DEMO/run"
"$BIN/nightfan" run "$DEMO/pipeline.yaml" --root "$DEMO/run" --jobs "$JOBS"

cat <<EOT

Where things are:
  $D/nights/N0001/               one raw night: labels/*.csv, predictions/*.csv; $D/nights/profile.json
  $D/pipeline.yaml               the spec to upload to Vertex AI Pipelines or a Kubeflow Pipelines server
  $D/run/shard-N0001/nights/     one task's output: N0001/night.json (scores), epochs.csv, events.csv
  $D/run/merge/dataset/          report.html (open it in a browser), report.json, nights.csv, dataset.csv,
                                 pages/<night>.html (one page a night, linked from the report's nights table)
Reprocess one night:  nightfan run $D/pipeline.yaml --root $D/run --param 'nights=["N0007"]'
EOT
