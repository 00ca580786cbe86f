#!/usr/bin/env bash
# 50_cloud_kfp_uris.sh — the URI parameters of a shard task as a Kubeflow Pipelines launcher hands
# them over. The launcher (backend/src/v2/component/launcher_v2.go) downloads input *artifacts* to
# /gcs/, /minio/, /s3/ before the container starts; string parameters (nights_manifest,
# input_root) arrive as text and nothing is fetched for them. So with no /gcs/ mount (any KFP
# cluster) the shard reads a gs:// manifest and a gs:// input root through the Cloud Storage JSON
# API (objects.get alt=media; the fake on 127.0.0.1), and an s3:// or minio:// one fails with the
# reason (nightfan submit refuses those before a run: tests/cli/50_cloud_manifest.sh).
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"
cd "$WORK"

unset GOOGLE_OAUTH_ACCESS_TOKEN STORAGE_EMULATOR_HOST
export NIGHTFAN_HTTP_SLEEP_SCALE=0 GCE_METADATA_HOST=127.0.0.1:1
mkdir -p bin
printf '#!/bin/sh\nexit 1\n' >bin/gcloud && chmod +x bin/gcloud # never a real gcloud
PATH="$WORK/bin:$PATH"
fake_start "$WORK/fake"
export NIGHTFAN_STORAGE_ENDPOINT=$FAKE_URL GOOGLE_OAUTH_ACCESS_TOKEN=kfp-pod-s3cr3t
BUCKET=$WORK/fake/gcs/sleep-bucket
nightfan synth --nights 3 --out "$BUCKET/study" --seed 3 >/dev/null
mkdir -p "$BUCKET/m"
echo '{"schema": "nightfan.manifest/1", "batches": [["N0001"], ["N0002", "N0003"]]}' >"$BUCKET/m/manifest.json"
test ! -e /gcs/sleep-bucket && test ! -e /minio/mlpipeline && test ! -e /s3/lab # as on a KFP pod

# task BATCH INPUT_ROOT MANIFEST — the executor input a KFP launcher gives one shard iteration.
task() { # task BATCH INPUT_ROOT MANIFEST
	kfp_shard_input "$BUCKET/study/profile.json" "$2" "$WORK/task/nights" "$WORK/task/executor_output.json" "$1" "$3" record
}

check_run "a @K batch from a gs:// manifest over a gs:// root, no /gcs/ mount" 0 \
	"{\"severity\":\"INFO\",\"message\":\"written to $WORK/task/nights/N0002\",\"night\":\"N0002\"}
{\"severity\":\"INFO\",\"message\":\"written to $WORK/task/nights/N0003\",\"night\":\"N0003\"}" \
	nightfan-shard --executor-input "$(task @1 gs://sleep-bucket/study gs://sleep-bucket/m/manifest.json)"
check_eq "the batch's nights were written" "$(ls task/nights | tr '\n' ' ')" "N0002 N0003 "
check_eq "their status" "$(python3 -c 'import json,sys; print([json.load(open(f))["status"] for f in sys.argv[1:]])' \
	task/nights/N0002/night.json task/nights/N0003/night.json)" "['ok', 'ok']"
check_eq "the manifest was read through the API first, with the pod's token" \
	"$(fake_reqs '[reqs[0]["path"], reqs[0]["query"], reqs[0]["headers"]["authorization"]]')" \
	'["/storage/v1/b/sleep-bucket/o/m%2Fmanifest.json", {"alt": ["media"]}, "Bearer kfp-pod-s3cr3t"]'
check_eq "then the nights' files" "$(fake_reqs 'sorted(set(r["path"].split("%2F")[1] for r in reqs[1:]))')" \
	'["N0002", "N0003"]'
check_eq "the executor output names the batch" \
	"$(python3 -c 'import json; print(json.load(open("task/executor_output.json"))["artifacts"]["nights"]["artifacts"][0]["metadata"])')" \
	"{'nights': ['N0002', 'N0003'], 'count': 2}"
rm -rf task
fake_clear

check_run "a manifest object that is not there" 1 \
	'{"severity":"ERROR","message":"gs://sleep-bucket/m/none.json: no such object"}' \
	nightfan-shard --executor-input "$(task @0 gs://sleep-bucket/study gs://sleep-bucket/m/none.json)"
echo '{"batches": [["N0001"]]}' >"$BUCKET/m/short.json"
check_run "a batch the manifest lacks names the URI" 1 \
	'{"severity":"ERROR","message":"gs://sleep-bucket/m/short.json: the manifest has no batch 1"}' \
	nightfan-shard --executor-input "$(task @1 gs://sleep-bucket/study gs://sleep-bucket/m/short.json)"
check_run "an s3:// manifest: the launcher never fetched it" 1 \
	'{"severity":"ERROR","message":"nights_manifest: \"s3://lab/m.json\": a Kubeflow Pipelines launcher fetches input artifacts, never parameters, and no volume mounts the bucket here; pass a gs:// URI (read through the Cloud Storage API)"}' \
	nightfan-shard --executor-input "$(task @0 gs://sleep-bucket/study s3://lab/m.json)"
check_run "a minio:// input root: the same" 1 \
	'{"severity":"ERROR","message":"input_root: \"minio://mlpipeline/study\": a Kubeflow Pipelines launcher fetches input artifacts, never parameters, and no volume mounts the bucket here; pass a gs:// URI (read through the Cloud Storage API)"}' \
	nightfan-shard --executor-input "$(task N0001 minio://mlpipeline/study "")"
check_true "no output artifact from failed tasks" test ! -e task/executor_output.json

finish
