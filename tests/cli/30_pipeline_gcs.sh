# tests/cli/30_pipeline_gcs.sh — a gs:// input root end to end against the fake Cloud Storage API
# (tests/fake/cloud_fake.py on 127.0.0.1): compile lists the nights from the bucket, `nightfan run`
# hands the gs:// root to the shards (which stream the files, no /gcs/ mount here), and the result
# equals a run over the same nights in a local folder. Without a mount the runner cannot digest
# the inputs, so those shards are never taken from the cache.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"
cd "$WORK"

unset GOOGLE_OAUTH_ACCESS_TOKEN NIGHTFAN_STORAGE_ENDPOINT
export NIGHTFAN_HTTP_SLEEP_SCALE=0 GCE_METADATA_HOST=127.0.0.1:1
mkdir -p bin
printf '#!/bin/sh\nexit 1\n' >bin/gcloud && chmod +x bin/gcloud # never a real gcloud
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake"
export STORAGE_EMULATOR_HOST=127.0.0.1:$FAKE_PORT
BUCKET=$WORK/fake/gcs/sleep-bucket
nightfan synth --nights 3 --out "$BUCKET/study" --seed 3 --broken 1 >/dev/null
cp -r "$BUCKET/study" local

check_run "compile from gs://" 0 "" nightfan compile --profile local/profile.json --image img -o gs.yaml \
	--input gs://sleep-bucket/study
check_eq "nights listed from the bucket" "$(cat "$WORK/stdout")" "gs.yaml: 3 nights in 3 shard tasks (1 a task)"
check_eq "input_root is the gs:// URI" "$(grep -A1 '^      input_root:$' gs.yaml | tail -1 | tr -d ' ')" \
	"defaultValue:gs://sleep-bucket/study"

status=0
nightfan run gs.yaml --root gsrun >out.txt 2>err.txt || status=$?
check_eq "run over gs://" "$status:$(head -2 out.txt)" "0:nightfan: 4 tasks: 4 ran, 0 cached, 0 failed
nights: 3 (2 ok, 1 failed)"
nightfan compile --profile local/profile.json --image img -o local.yaml --input local >/dev/null
nightfan run local.yaml --root localrun >/dev/null 2>&1
for f in nights.csv dataset.csv; do
	check_file_eq "gs:// run = local run: $f" gsrun/merge/dataset/$f localrun/merge/dataset/$f
done
# report.json: the same but for the input root its provenance names
check_eq "the gs:// run's provenance names the bucket" \
	"$(grep -c $'^\t\t"input_root":\t"gs://sleep-bucket/study",$' gsrun/merge/dataset/report.json)" "1"
unroot() { sed $'s|^\t\t"input_root":\t".*",$|\t\t"input_root": ROOT,|' "$1"; }
unroot gsrun/merge/dataset/report.json >gs-report.json
unroot localrun/merge/dataset/report.json >local-report.json
check_file_eq "gs:// run = local run: report.json" gs-report.json local-report.json
nightfan run gs.yaml --root gsrun >out.txt 2>err.txt || true
check_eq "unverifiable inputs are not cached" "$(head -1 out.txt)" "nightfan: 4 tasks: 3 ran, 1 cached, 0 failed"

finish
