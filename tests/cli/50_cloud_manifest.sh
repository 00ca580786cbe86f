#!/usr/bin/env bash
# 50_cloud_manifest.sh — `nightfan submit` of a spec whose night list lives in a manifest file
# (over KFP's 10,000-character parameter limit), against the fake Vertex AI, KFP and Cloud Storage
# (tests/fake/cloud_fake.py on 127.0.0.1): for Vertex AI the local manifest is uploaded (the exact
# media-upload request, its bytes, the content-addressed name, retries, reuse, a clash) and the job
# reads it from gs://; Kubeflow Pipelines gets a clear refusal; every refusal is before any request.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

TOKEN=ya29.fake-SECRET-token-7f3a
unset KF_PIPELINES_SA_TOKEN_PATH KF_PIPELINES_TOKEN STORAGE_EMULATOR_HOST
export NIGHTFAN_HTTP_SLEEP_SCALE=0 GOOGLE_OAUTH_ACCESS_TOKEN=$TOKEN
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexit 1\n' >"$WORK/bin/gcloud" # never a real gcloud (executable, or PATH goes on to one)
chmod +x "$WORK/bin/gcloud"
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake"
export GCE_METADATA_HOST=127.0.0.1:1 NIGHTFAN_STORAGE_ENDPOINT=$FAKE_URL
BUCKET=$WORK/fake/gcs/sleep-bucket
mkdir -p "$BUCKET"
API=$FAKE_URL
JOBS=/v1/projects/sleep-lab/locations/europe-west4/pipelineJobs

run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
	{ cat "$WORK/out" "$WORK/err"; } >>"$WORK/transcript"
}
faults() { echo "$1" >"$WORK/fake/faults.json"; }
# XXH3-128 of a file, canonical hex, computed by libxxhash itself (not by nightfan's code).
xxh128() {
	python3 - "$1" <<'PY'
import ctypes, ctypes.util, sys
lib = ctypes.CDLL(ctypes.util.find_library("xxhash") or "libxxhash.so.0")
class H(ctypes.Structure):
    _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]
lib.XXH3_128bits.restype = H
lib.XXH3_128bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
data = open(sys.argv[1], "rb").read()
h = lib.XXH3_128bits(data, len(data))
print("%016x%016x" % (h.high64, h.low64))
PY
}

# 2,000 nights: over the parameter limit, so compile writes big.manifest.json beside the spec.
nightfan synth --nights 1 --out "$WORK/in" --seed 3 >/dev/null
seq -f 'N%05g' 1 2000 >"$WORK/ids.txt"
run nightfan compile --profile "$WORK/in/profile.json" --image registry.example/nightfan:1 \
	--nights-file "$WORK/ids.txt" -o "$WORK/big.yaml"
MANIFEST=$WORK/big.manifest.json
check_eq "compile wrote a manifest" "$status:$(cat "$WORK/out")" \
	"0:$WORK/big.yaml: 2000 nights in 100 shard tasks (20 a task); night list in manifest $WORK/big.manifest.json"
HASH=$(xxh128 "$MANIFEST")
SHA=$(sha256sum "$MANIFEST" | cut -d' ' -f1)
SIZE=$(stat -c %s "$MANIFEST")
OBJECT=runs/nightfan-manifests/$HASH.json
URI=gs://sleep-bucket/$OBJECT

SUBMIT=(nightfan submit "$WORK/big.yaml" --project sleep-lab --region europe-west4
	--pipeline-root gs://sleep-bucket/runs --api-endpoint "$API")

# ---- Vertex AI: the manifest is uploaded, then the job reads it from Cloud Storage ----
run "${SUBMIT[@]}" --job-id big-1
check_eq "upload and submit: exit, output" "$status:$(cat "$WORK/out")$(cat "$WORK/err")" \
"0:manifest: $URI (uploaded from $MANIFEST)
job: projects/sleep-lab/locations/europe-west4/pipelineJobs/big-1
console: https://console.cloud.google.com/vertex-ai/locations/europe-west4/pipelines/runs/big-1?project=sleep-lab"
check_eq "upload, then create" "$(fake_reqs '[r["method"] + " " + r["path"] for r in reqs]')" \
	"[\"POST /upload/storage/v1/b/sleep-bucket/o\", \"POST $JOBS\"]"
check_eq "upload query: media, content-addressed name, only if absent" "$(fake_reqs 'reqs[0]["query"]')" \
	"{\"ifGenerationMatch\": [\"0\"], \"name\": [\"$OBJECT\"], \"uploadType\": [\"media\"]}"
check_eq "upload headers" \
	"$(fake_reqs '[reqs[0]["headers"]["content-type"], reqs[0]["headers"]["authorization"] == "Bearer '$TOKEN'"]')" \
	'["application/json", true]'
check_eq "upload body is the manifest's bytes" "$(fake_reqs '[reqs[0]["body_len"], reqs[0]["body_sha256"]]')" \
	"[$SIZE, \"$SHA\"]"
check_true "stored object = manifest" cmp -s "$MANIFEST" "$BUCKET/$OBJECT"
check_eq "the job reads the uploaded manifest" "$(fake_reqs 'reqs[1]["body"]["runtimeConfig"]')" \
	"{\"gcsOutputDirectory\": \"gs://sleep-bucket/runs\", \"parameterValues\": {\"nights_manifest\": \"$URI\"}}"
check_eq "the spec is sent unchanged" \
	"$(fake_reqs 'reqs[1]["body"]["pipelineSpec"]["root"]["inputDefinitions"]["parameters"]["nights_manifest"]["defaultValue"]')" \
	"$MANIFEST"
fake_clear

# The same manifest again: the upload meets the object (412), whose bytes are checked, not replaced.
run "${SUBMIT[@]}" --job-id big-2
check_eq "same manifest: reused" "$status:$(head -1 "$WORK/out")" \
	"0:manifest: $URI (already there, same bytes as $MANIFEST)"
check_eq "same manifest: upload (412), read back, create" \
	"$(fake_reqs '[r["method"] + " " + r["path"] + " " + ",".join(r["query"].get("alt", [])) for r in reqs]')" \
	"[\"POST /upload/storage/v1/b/sleep-bucket/o \", \"GET /storage/v1/b/sleep-bucket/o/runs%2Fnightfan-manifests%2F$HASH.json media\", \"POST $JOBS \"]"
check_eq "same manifest: parameter" "$(fake_reqs 'reqs[2]["body"]["runtimeConfig"]["parameterValues"]')" \
	"{\"nights_manifest\": \"$URI\"}"
fake_clear

# A transient failure: retried with the same bytes (the precondition makes the upload idempotent).
faults '[{"method": "POST", "path": "^/upload/", "actions": ["503"]}]'
run "${SUBMIT[@]}" --job-id big-3 --pipeline-root gs://sleep-bucket/retry
check_eq "503 then success: exit" "$status:$(head -1 "$WORK/out")" \
	"0:manifest: gs://sleep-bucket/retry/nightfan-manifests/$HASH.json (uploaded from $MANIFEST)"
check_eq "503 then success: two identical uploads, then the create" \
	"$(fake_reqs '[(r["path"], r["fault"], r.get("body_sha256") if r["path"].startswith("/upload/") else "") for r in reqs]')" \
	"[[\"/upload/storage/v1/b/sleep-bucket/o\", \"503\", \"$SHA\"], [\"/upload/storage/v1/b/sleep-bucket/o\", null, \"$SHA\"], [\"$JOBS\", null, \"\"]]"
check_true "503 then success: stored object = manifest" cmp -s "$MANIFEST" "$BUCKET/retry/nightfan-manifests/$HASH.json"
fake_clear

# An upload whose answer is lost: the retry meets our own object and takes it.
faults '[{"method": "POST", "path": "^/upload/", "actions": ["lost"]}]'
run "${SUBMIT[@]}" --job-id big-4 --pipeline-root gs://sleep-bucket/lost
check_eq "lost answer: exit, reused" "$status:$(head -1 "$WORK/out")" \
	"0:manifest: gs://sleep-bucket/lost/nightfan-manifests/$HASH.json (already there, same bytes as $MANIFEST)"
check_eq "lost answer: requests" "$(fake_reqs '[(r["method"], r["fault"]) for r in reqs]')" \
	'[["POST", "lost"], ["POST", null], ["GET", null], ["POST", null]]'
fake_clear

# Other bytes under the manifest's name: never overwritten, no job.
mkdir -p "$BUCKET/clash/nightfan-manifests"
echo '{"batches": []}' >"$BUCKET/clash/nightfan-manifests/$HASH.json"
run "${SUBMIT[@]}" --job-id big-5 --pipeline-root gs://sleep-bucket/clash
check_eq "clash: message" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: uploading the nights manifest $MANIFEST: gs://sleep-bucket/clash/nightfan-manifests/$HASH.json: already exists with other content (16 bytes, expected $SIZE)"
check_eq "clash: no job created" "$(fake_reqs '[r["method"] for r in reqs]')" '["POST", "GET"]'
fake_clear
faults '[{"method": "POST", "path": "^/upload/", "actions": ["503"], "repeat": true}]'
NIGHTFAN_HTTP_ATTEMPTS=2 run "${SUBMIT[@]}" --job-id big-6 --pipeline-root gs://sleep-bucket/down
check_eq "upload failing for good: message" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: uploading the nights manifest $MANIFEST: POST $API/upload/storage/v1/b/sleep-bucket/o?uploadType=media&name=down%2Fnightfan-manifests%2F$HASH.json&ifGenerationMatch=0: HTTP 503: fake fault 503 (after 2 attempts)"
check_eq "upload failing for good: no job created" "$(fake_reqs '[r["path"] for r in reqs]')" \
	'["/upload/storage/v1/b/sleep-bucket/o", "/upload/storage/v1/b/sleep-bucket/o"]'
faults '[]'
fake_clear

# An emulator takes no credentials, uploads included; a pipeline root at the bucket's top.
STORAGE_EMULATOR_HOST=127.0.0.1:$FAKE_PORT NIGHTFAN_STORAGE_ENDPOINT= run "${SUBMIT[@]}" --job-id big-7 \
	--pipeline-root gs://sleep-bucket
check_eq "emulator: no token, name at the bucket's top" \
	"$status:$(fake_reqs '[reqs[0]["headers"].get("authorization"), reqs[0]["query"]["name"][0]]')" \
	"0:[null, \"nightfan-manifests/$HASH.json\"]"
fake_clear

# ---- no upload when the run does not need it ----
run "${SUBMIT[@]}" --job-id one-night --param 'nights=["N00042"]'
check_eq "a plain night list needs no manifest" \
	"$status:$(fake_reqs '[[r["path"] for r in reqs], reqs[-1]["body"]["runtimeConfig"]["parameterValues"]]')" \
	"0:[[\"$JOBS\"], {\"nights\": [\"N00042\"]}]"
fake_clear
run "${SUBMIT[@]}" --job-id given-uri --param nights_manifest=gs://sleep-bucket/mine/m.json
check_eq "a gs:// manifest is passed as given" \
	"$status:$(fake_reqs '[[r["path"] for r in reqs], reqs[-1]["body"]["runtimeConfig"]["parameterValues"]]')" \
	"0:[[\"$JOBS\"], {\"nights_manifest\": \"gs://sleep-bucket/mine/m.json\"}]"
fake_clear

# ---- refused or failed before anything is sent ----
run "${SUBMIT[@]}" --param nights_manifest=s3://lab/m.json
check_eq "vertex reads gs:// only" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: nights_manifest "s3://lab/m.json": Vertex AI tasks read only gs:// URIs (under /gcs/)
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --param nights_manifest=
check_eq "empty nights_manifest with @K items" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: the nights list names manifest batches (@0, @1, ...) but nights_manifest is empty; pass --param nights_manifest=URI
Try "nightfan submit --help" for the options.'
python3 -c 'import json; print(json.dumps({"schema": "nightfan.manifest/1", "batches": [["N00001"]]}))' >"$WORK/small.json"
run "${SUBMIT[@]}" --param nights_manifest="$WORK/small.json" --param 'nights=["@0","@1"]'
check_eq "a batch the manifest lacks" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: $WORK/small.json: @1: the manifest has only 1 batches"
echo '{"batches": [[' >"$WORK/broken.json"
run "${SUBMIT[@]}" --param nights_manifest="$WORK/broken.json"
check_eq "a manifest that is not JSON" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: $WORK/broken.json:2: expected a nightfan night manifest (JSON object with \"batches\")"
mv "$MANIFEST" "$WORK/moved.json"
run "${SUBMIT[@]}"
check_eq "missing manifest" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: $MANIFEST: cannot read: No such file or directory"
mv "$WORK/moved.json" "$MANIFEST"

# ---- Kubeflow Pipelines: the containers cannot read a local file; the user uploads it ----
# A KFP launcher fetches input artifacts, never string parameters (backend/src/v2/component/
# launcher_v2.go downloads executorInput.inputs.artifacts only), so an s3:// or minio:// parameter
# is never under /s3/ or /minio/: refused; gs:// works, read through the Cloud Storage API.
KFP=(nightfan submit "$WORK/big.yaml" --kfp-host "$API" --pipeline-root minio://mlpipeline/v2/artifacts)
run "${KFP[@]}"
check_eq "kfp refuses a local manifest" "$status:$(cat "$WORK/err")" \
	"2:nightfan submit: error: nights_manifest is the local file $MANIFEST, which the containers of a Kubeflow Pipelines run cannot read: upload it to Cloud Storage and pass --param nights_manifest=gs://BUCKET/KEY
Try \"nightfan submit --help\" for the options."
run "${KFP[@]}" --param nights_manifest=minio://mlpipeline/manifests/big.json
check_eq "kfp refuses a minio:// manifest" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: nights_manifest "minio://mlpipeline/manifests/big.json": Kubeflow Pipelines tasks cannot read it (the launcher fetches input artifacts, never parameters; nightfan reads only gs:// itself, through the Cloud Storage API); upload the manifest to Cloud Storage and pass --param nights_manifest=gs://BUCKET/KEY
Try "nightfan submit --help" for the options.'
run "${KFP[@]}" --param nights_manifest=gs://sleep-bucket/m/big.json --param input_root=s3://lab/study
check_eq "kfp refuses an s3:// input root" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: input_root "s3://lab/study": Kubeflow Pipelines tasks cannot read it (the launcher fetches input artifacts, never parameters; nightfan reads only gs:// itself, through the Cloud Storage API); pass --param input_root=gs://BUCKET/PREFIX
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --param input_root=minio://mlpipeline/study
check_eq "vertex refuses a minio:// input root" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: input_root "minio://mlpipeline/study": Vertex AI tasks read only gs:// URIs (under /gcs/)
Try "nightfan submit --help" for the options.'
check_eq "nothing was sent for refused submissions" "$(fake_reqs 'len(reqs)')" 0
run "${KFP[@]}" --param nights_manifest=gs://sleep-bucket/manifests/big.json
check_eq "kfp with an uploaded manifest" \
	"$status:$(fake_reqs '[[r["path"] for r in reqs], reqs[0]["body"]["runtime_config"]["parameters"]]')" \
	'0:[["/apis/v2beta1/runs"], {"nights_manifest": "gs://sleep-bucket/manifests/big.json"}]'

check_eq "no token in any output" "$(grep -a -c -e "$TOKEN" "$WORK/transcript")" 0

finish
