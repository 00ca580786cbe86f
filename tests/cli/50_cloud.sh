#!/usr/bin/env bash
# 50_cloud.sh — nightfan submit / status / cancel against the fake Vertex AI, KFP and metadata
# server (tests/fake/cloud_fake.py on 127.0.0.1): the exact requests, retries and their limits,
# credentials, messages, and that no token ever reaches any output.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

TOKEN=ya29.fake-SECRET-token-7f3a
MD_TOKEN=fake-metadata-token-s3cr3t
unset GOOGLE_OAUTH_ACCESS_TOKEN KF_PIPELINES_SA_TOKEN_PATH KF_PIPELINES_TOKEN STORAGE_EMULATOR_HOST
export NIGHTFAN_HTTP_SLEEP_SCALE=0 # retries and polls cost no time; traces show the nominal waits

# A gcloud that fails, ahead of any real one: no test may reach a real credential or network.
mkdir -p "$WORK/bin"
printf '#!/bin/sh\necho "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected." >&2\nexit 1\n' >"$WORK/bin/gcloud"
chmod +x "$WORK/bin/gcloud"
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake"
export GCE_METADATA_HOST=127.0.0.1:$FAKE_PORT
API=$FAKE_URL
JOBS=/v1/projects/sleep-lab/locations/europe-west4/pipelineJobs

# run CMD... — stdout to $WORK/out, stderr to $WORK/err, status in $status; all kept for the
# secret check at the end.
run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
	{ cat "$WORK/out" "$WORK/err"; } >>"$WORK/transcript"
}
faults() { echo "$1" >"$WORK/fake/faults.json"; }
script() { echo "$1" >"$WORK/fake/script.json"; }

# A spec as users make it.
nightfan synth --nights 2 --out "$WORK/in" --seed 3 >/dev/null
nightfan compile --profile "$WORK/in/profile.json" --image registry.example/nightfan:1 --input "$WORK/in" \
	-o "$WORK/pipeline.yaml" >/dev/null 2>&1
check_true "compile wrote a spec" test -s "$WORK/pipeline.yaml"

SUBMIT=(nightfan submit "$WORK/pipeline.yaml" --project sleep-lab --region europe-west4
	--pipeline-root gs://sleep-bucket/runs --api-endpoint "$API")

# ---- submit: the request as the REST reference documents it ----
export GOOGLE_OAUTH_ACCESS_TOKEN=$TOKEN
run "${SUBMIT[@]}" --job-id weekly-1 --param 'nights=["N0002"]' --param on_error=fail \
	--service-account runner@sleep-lab.iam.gserviceaccount.com --network projects/12/global/networks/vpc \
	--label team=sleep --label cohort=2025
check_eq "submit exit" "$status" 0
check_eq "submit prints the job and its console link" "$(cat "$WORK/out")" \
"job: projects/sleep-lab/locations/europe-west4/pipelineJobs/weekly-1
console: https://console.cloud.google.com/vertex-ai/locations/europe-west4/pipelines/runs/weekly-1?project=sleep-lab"
check_eq "submit is one request" "$(fake_reqs 'len(reqs)')" 1
check_eq "create method, path, id" "$(fake_reqs 'reqs[0]["method"] + " " + reqs[0]["path"] + " " + reqs[0]["query"]["pipelineJobId"][0]')" \
	"POST $JOBS weekly-1"
check_eq "bearer token sent" "$(fake_reqs 'reqs[0]["headers"]["authorization"] == "Bearer '$TOKEN'"')" true
check_eq "json body" "$(fake_reqs 'reqs[0]["headers"]["content-type"]')" application/json
check_eq "displayName" "$(fake_reqs 'reqs[0]["body"]["displayName"]')" nightfan
check_eq "pipelineSpec is the compiled spec as an object" \
	"$(fake_reqs 'reqs[0]["body"]["pipelineSpec"]["pipelineInfo"]["name"] + " " + str(sorted(reqs[0]["body"]["pipelineSpec"]["root"]["inputDefinitions"]["parameters"]))')" \
	"nightfan ['base_nights', 'input_root', 'nights', 'nights_manifest', 'on_error', 'profile']"
check_eq "runtimeConfig" "$(fake_reqs 'reqs[0]["body"]["runtimeConfig"]')" \
	'{"gcsOutputDirectory": "gs://sleep-bucket/runs", "parameterValues": {"nights": ["N0002"], "on_error": "fail"}}'
check_eq "serviceAccount, network, labels" \
	"$(fake_reqs '[reqs[0]["body"][k] for k in ("serviceAccount", "network", "labels")]')" \
	'["runner@sleep-lab.iam.gserviceaccount.com", "projects/12/global/networks/vpc", {"cohort": "2025", "team": "sleep"}]'
fake_clear

# Without --job-id the id is the pipeline name and a UTC timestamp, so a retried POST is safe.
run "${SUBMIT[@]}"
check_eq "generated job id" "$(fake_reqs '__import__("re").fullmatch(r"nightfan-\d{14}", reqs[0]["query"]["pipelineJobId"][0]) is not None')" true
check_eq "no optional fields when not given" "$(fake_reqs 'sorted(reqs[0]["body"])')" '["displayName", "pipelineSpec", "runtimeConfig"]'
fake_clear

# ---- refused before anything is sent ----
run "${SUBMIT[@]}" --label Team=x
check_eq "bad label exit" "$status" 2
check_eq "bad label message" "$(cat "$WORK/err")" \
	'nightfan submit: error: label "Team=x": expected only lowercase letters, digits, '"'_'"' and '"'-'"'
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --label vertex-ai-pipelines-run-billing-id=1
check_eq "reserved label" "$(cat "$WORK/err")" \
	'nightfan submit: error: label "vertex-ai-pipelines-run-billing-id": reserved by Vertex AI Pipelines
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --job-id Weekly_1
check_eq "bad job id" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: job id "Weekly_1": expected a lowercase letter first
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --param nigths=1
check_eq "unknown parameter" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: --param nigths: the pipeline has no such parameter
Try "nightfan submit --help" for the options.'
run "${SUBMIT[@]}" --param 'nights=N0001'
check_eq "mistyped parameter" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: --param nights: expected a JSON LIST value, got "N0001"
Try "nightfan submit --help" for the options.'
run nightfan submit "$WORK/pipeline.yaml" --project sleep-lab --region europe-west4 --pipeline-root /tmp/x
check_eq "vertex needs gs:// root" "$status:$(cat "$WORK/err")" \
	'2:nightfan submit: error: --pipeline-root: Vertex AI needs a gs:// URI, got "/tmp/x"
Try "nightfan submit --help" for the options.'
run nightfan submit "$WORK/pipeline.yaml" --project sleep-lab --region europe-west4 --pipeline-root gs://Sleep/x
check_eq "pipeline root bucket checked" "$status:$(cat "$WORK/err")" \
	"2:nightfan submit: error: --pipeline-root: \"gs://Sleep/x\": expected a bucket name of 3-222 characters a-z, 0-9, '.', '_', '-'
Try \"nightfan submit --help\" for the options."
run nightfan submit "$WORK/pipeline.yaml" --region europe-west4 --pipeline-root gs://b/r
check_eq "project required" "$status:$(cat "$WORK/err")" '2:nightfan submit: error: --project is required
Try "nightfan submit --help" for the options.'
# Vertex's PipelineJob.displayName: "up to 128 characters long ... any UTF-8 characters" (REST
# reference), counted in characters: 129 x "é" (258 bytes) is refused, 128 x "é" goes.
LONG=$(printf 'é%.0s' $(seq 129))
sed "s/^  name: nightfan\$/  name: $LONG/" "$WORK/pipeline.yaml" >"$WORK/long.yaml"
run nightfan submit "$WORK/long.yaml" --project sleep-lab --region europe-west4 --pipeline-root gs://sleep-bucket/runs --api-endpoint "$API"
check_eq "displayName over 128 characters refused at submit" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: $WORK/long.yaml: pipelineInfo.name is 129 characters; Vertex AI takes a displayName of at most 128"
check_eq "nothing was sent for refused submissions" "$(fake_reqs 'len(reqs)')" 0
sed "s/^  name: nightfan\$/  name: ${LONG#é}/" "$WORK/pipeline.yaml" >"$WORK/long.yaml"
run nightfan submit "$WORK/long.yaml" --project sleep-lab --region europe-west4 --pipeline-root gs://sleep-bucket/runs --api-endpoint "$API" --job-id long-name
check_eq "a 128-character displayName is sent" "$status:$(fake_reqs 'len(reqs[0]["body"]["displayName"])')" "0:128"
fake_clear

# ---- --wait: progress from the task details, exit status from the final state ----
run "${SUBMIT[@]}" --job-id waited --wait
check_eq "wait succeeded exit" "$status" 0
check_eq "wait progress lines" "$(tail -n +3 "$WORK/out")" \
"PIPELINE_STATE_RUNNING; shard 0/2 done (1 running, 0 failed)
PIPELINE_STATE_RUNNING; shard 1/2 done (1 running, 0 failed)
PIPELINE_STATE_SUCCEEDED; shard 2/2 done; merge 1/1 done"
check_eq "wait polled until the end" "$(fake_reqs '[r["method"] for r in reqs]')" '["POST", "GET", "GET", "GET"]'
fake_clear
script '[{"state": "RUNNING", "tasks": [["shard", "RUNNING"]]}, {"state": "FAILED", "tasks": [["shard", "FAILED"]]}]'
run "${SUBMIT[@]}" --job-id failing --wait
check_eq "wait failed exit" "$status" 1
check_eq "wait failed message" "$(cat "$WORK/err")" \
	"nightfan submit: error: job projects/sleep-lab/locations/europe-west4/pipelineJobs/failing ended in PIPELINE_STATE_FAILED: The DAG failed because some tasks failed."
rm "$WORK/fake/script.json"
fake_clear

# ---- status and cancel ----
run nightfan status projects/sleep-lab/locations/europe-west4/pipelineJobs/weekly-1 --api-endpoint "$API"
check_eq "status output" "$status:$(cat "$WORK/out")" \
"0:job: projects/sleep-lab/locations/europe-west4/pipelineJobs/weekly-1
state: PIPELINE_STATE_RUNNING
task shard: 0/2 done, 1 running, 0 failed
console: https://console.cloud.google.com/vertex-ai/locations/europe-west4/pipelines/runs/weekly-1?project=sleep-lab"
run nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API" --wait
check_eq "status --wait" "$status:$(tail -1 "$WORK/out")" "0:PIPELINE_STATE_SUCCEEDED; shard 2/2 done; merge 1/1 done"
run nightfan cancel weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API"
check_eq "cancel output" "$status:$(cat "$WORK/out")" "0:cancelling projects/sleep-lab/locations/europe-west4/pipelineJobs/weekly-1"
check_eq "cancel request" "$(fake_reqs 'reqs[-1]["method"] + " " + reqs[-1]["path"]')" "POST $JOBS/weekly-1:cancel"
run nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API" --wait
check_eq "cancelled job waits to exit 1" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: job projects/sleep-lab/locations/europe-west4/pipelineJobs/weekly-1 ended in PIPELINE_STATE_CANCELLED"
run "${SUBMIT[@]}" --job-id five --param 'nights=["N0001","N0002","N0003","N0004","N0005"]'
run nightfan status five --project sleep-lab --region europe-west4 --api-endpoint "$API"
check_eq "status expects one shard per loop item before all exist" "$(sed -n 3p "$WORK/out")" \
	"task shard: 0/5 done, 1 running, 0 failed"
run nightfan status nope --project sleep-lab --region europe-west4 --api-endpoint "$API"
check_eq "unknown job: URL, status and the API's message" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API$JOBS/nope: HTTP 404: The PipelineJob \"projects/sleep-lab/locations/europe-west4/pipelineJobs/nope\" does not exist."
run nightfan status weekly-1 --api-endpoint "$API"
check_eq "bare id needs project and region" "$status:$(cat "$WORK/err")" \
	'1:nightfan status: error: job "weekly-1": give the full name projects/P/locations/R/pipelineJobs/ID, or --project and --region'
run nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint http://vertex.example.com
check_eq "tokens never travel over plain http" "$status:$(cat "$WORK/err")" \
	'1:nightfan status: error: --api-endpoint "http://vertex.example.com": expected an https:// URL (tokens never travel unencrypted)'
run nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "http://user:hunter2@127.0.0.1:$FAKE_PORT/"
check_eq "credentials in a URL are never shown" "$(grep -c hunter2 "$WORK/err")" 0
fake_clear

# ---- retries ----
ST=(nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API")
faults '[{"path": "weekly-1$", "actions": ["429", "ok"]}]'
run "${ST[@]}"
check_eq "429 then success" "$status:$(fake_reqs 'len(reqs)')" "0:2"
fake_clear
faults '[{"path": "weekly-1$", "actions": ["503"], "repeat": true}]'
run "${ST[@]}"
check_eq "503 forever: 6 attempts" "$(fake_reqs 'len(reqs)')" 6
check_eq "503 forever: message" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API$JOBS/weekly-1: HTTP 503: fake fault 503 (after 6 attempts)"
fake_clear
NIGHTFAN_HTTP_ATTEMPTS=3 run "${ST[@]}" --verbose
check_eq "attempts are bounded by NIGHTFAN_HTTP_ATTEMPTS" "$(fake_reqs 'len(reqs)')" 3
check_eq "backoff waits follow min(2^n + jitter, 32)" \
	"$(grep -o 'retrying in [0-9.]* s' "$WORK/err" | awk '{ print ($3 >= 2^(NR-1) && $3 <= 2^(NR-1) + 1) ? "ok" : "bad " $3 }' | tr '\n' ' ')" "ok ok "
fake_clear
faults '[{"path": "weekly-1$", "actions": ["503:7", "ok"]}]'
run "${ST[@]}" --verbose
check_eq "Retry-After honoured" "$(grep -c 'HTTP 503: fake fault 503; retrying in 7.00 s; as Retry-After asks (attempt 2 of 6)' "$WORK/err")" 1
fake_clear
faults '[{"path": "weekly-1$", "actions": ["503:3600"]}]'
run "${ST[@]}"
check_eq "Retry-After beyond the total wait ends the retries" "$status:$(cat "$WORK/err"):$(fake_reqs 'len(reqs)')" \
	"1:nightfan status: error: GET $API$JOBS/weekly-1: HTTP 503: fake fault 503 (gave up after 1 attempt and 0 s of waiting: the server asked (Retry-After) to retry after 3600 s, past the 300 s a request may wait in all; NIGHTFAN_HTTP_MAX_WAIT sets it):1"
fake_clear
faults '[{"path": "weekly-1$", "actions": ["reset", "truncate", "ok"]}]'
run "${ST[@]}" --verbose
check_eq "reset and truncated body are retried" "$status:$(fake_reqs 'len(reqs)')" "0:3"
check_eq "reset and truncation traced" "$(grep -o -e 'connection reset; retrying' -e 'response body cut short; retrying' "$WORK/err" | tr '\n' '|')" \
	"connection reset; retrying|response body cut short; retrying|"
fake_clear
faults '[{"path": "weekly-1$", "actions": ["slow:2", "slow:2"]}]'
NIGHTFAN_HTTP_TIMEOUT=0.3 NIGHTFAN_HTTP_ATTEMPTS=2 run "${ST[@]}"
check_eq "slow replies time out, bounded" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API$JOBS/weekly-1: no response within 0.3 s (after 2 attempts)"
fake_clear
faults '[{"path": "weekly-1$", "actions": ["400"]}]'
run "${ST[@]}"
check_eq "400 is not retried" "$status:$(fake_reqs 'len(reqs)')" "1:1"
fake_clear

# A retried create that meets someone else's job under the same id is not taken for ours.
run "${SUBMIT[@]}" --job-id taken
fake_clear
faults '[{"method": "POST", "path": "pipelineJobs$", "actions": ["503"]}]'
cp "$WORK/pipeline.yaml" "$WORK/other.yaml"
sed -i 's/^  name: nightfan$/  name: other-pipeline/' "$WORK/other.yaml"
run nightfan submit "$WORK/other.yaml" --project sleep-lab --region europe-west4 --pipeline-root gs://sleep-bucket/runs \
	--api-endpoint "$API" --job-id taken
check_eq "409 after a retry for another job's id" "$status:$(cat "$WORK/err")" \
	'1:nightfan submit: error: job id taken is taken by another job ("nightfan"); choose another --job-id'
faults '[]'
fake_clear

# A create whose answer is lost is retried with the same pipelineJobId; the 409 that follows
# means the first attempt landed, so the job is fetched, never created twice.
faults '[{"method": "POST", "path": "pipelineJobs$", "actions": ["lost"]}]'
run "${SUBMIT[@]}" --job-id lost-answer
check_eq "lost create answer: success" "$status:$(head -1 "$WORK/out")" \
	"0:job: projects/sleep-lab/locations/europe-west4/pipelineJobs/lost-answer"
check_eq "lost create answer: same id twice, then a get" \
	"$(fake_reqs '[(r["method"], r["query"].get("pipelineJobId", [""])[0], r["fault"]) for r in reqs]')" \
	'[["POST", "lost-answer", "lost"], ["POST", "lost-answer", null], ["GET", "", null]]'
fake_clear
run "${SUBMIT[@]}" --job-id lost-answer
check_eq "an existing id on the first attempt is an error" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: POST $API$JOBS?pipelineJobId=lost-answer: HTTP 409: PipelineJob projects/sleep-lab/locations/europe-west4/pipelineJobs/lost-answer already exists."
fake_clear

# 409 is two google.rpc codes (https://cloud.google.com/apis/design/errors): ALREADY_EXISTS (above)
# and ABORTED, a concurrency conflict after which nothing was created. ABORTED: the create is sent
# again with the same pipelineJobId (3 times in all), never taken for an existing job.
faults '[{"method": "POST", "path": "pipelineJobs$", "actions": ["409:ABORTED"]}]'
run "${SUBMIT[@]}" --job-id aborted-once --verbose
check_eq "409 ABORTED, then created" "$status:$(head -1 "$WORK/out")" \
	"0:job: projects/sleep-lab/locations/europe-west4/pipelineJobs/aborted-once"
check_eq "409 ABORTED: the create sent again, no GET" \
	"$(fake_reqs '[(r["method"], r["query"].get("pipelineJobId", [""])[0], r["fault"]) for r in reqs]')" \
	'[["POST", "aborted-once", "409:ABORTED"], ["POST", "aborted-once", null]]'
fake_clear
faults '[{"method": "POST", "path": "pipelineJobs$", "actions": ["409:ABORTED"], "repeat": true}]'
run "${SUBMIT[@]}" --job-id aborted-always
check_eq "409 ABORTED every time: 3 creates, then a clear error" "$status:$(fake_reqs 'len(reqs)'):$(cat "$WORK/err")" \
	"1:3:nightfan submit: error: POST $API$JOBS?pipelineJobId=aborted-always: HTTP 409: fake fault 409 ABORTED (ABORTED 3 times: a concurrent change conflicted with the create; the job was not made, submit again)"
faults '[]'
fake_clear
# A lost answer, then ABORTED, then ALREADY_EXISTS: the first attempt had landed; it is fetched.
faults '[{"method": "POST", "path": "pipelineJobs$", "actions": ["lost", "409:ABORTED"]}]'
run "${SUBMIT[@]}" --job-id lost-then-aborted
check_eq "lost, ABORTED, ALREADY_EXISTS: ours, fetched" "$status:$(fake_reqs '[(r["method"], r["fault"]) for r in reqs]')" \
	'0:[["POST", "lost"], ["POST", "409:ABORTED"], ["POST", null], ["GET", null]]'
faults '[]'
fake_clear

# ---- credentials ----
echo '{"accept": ["other-token"]}' >"$WORK/fake/tokens.json"
run "${ST[@]}"
check_eq "expired env token: message" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API$JOBS/weekly-1: HTTP 401: Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. (the token in GOOGLE_OAUTH_ACCESS_TOKEN was refused; it may have expired)"
check_eq "401 is not retried" "$(fake_reqs 'len(reqs)')" 1
fake_clear
unset GOOGLE_OAUTH_ACCESS_TOKEN
echo '{"accept": ["md-new-s3cr3t"], "metadata": ["md-old-s3cr3t", "md-new-s3cr3t"]}' >"$WORK/fake/tokens.json"
run "${ST[@]}"
check_eq "metadata token refreshed after a 401" "$status" 0
check_eq "metadata requests" \
	"$(fake_reqs '[(r["path"].split("/")[-1], r["headers"].get("metadata-flavor"), r["headers"].get("authorization", "")[:13]) for r in reqs]')" \
	'[["token", "Google", ""], ["weekly-1", null, "Bearer md-old"], ["token", "Google", ""], ["weekly-1", null, "Bearer md-new"]]'
rm "$WORK/fake/tokens.json"
fake_clear
run "${ST[@]}" --verbose
check_eq "verbose traces the metadata server too" \
	"$(grep -c "^nightfan status: GET http://127.0.0.1:$FAKE_PORT/computeMetadata/v1/instance/service-accounts/default/token -> 200$" "$WORK/err")" 1
fake_clear
printf '#!/bin/sh\necho gcloud-token-s3cr3t\n' >"$WORK/bin/gcloud"
GCE_METADATA_HOST=127.0.0.1:1 run "${ST[@]}"
check_eq "gcloud when there is no metadata server" "$status:$(fake_reqs 'reqs[0]["headers"]["authorization"]')" \
	"0:Bearer gcloud-token-s3cr3t"
printf '#!/bin/sh\necho "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected." >&2\nexit 1\n' >"$WORK/bin/gcloud"
fake_clear
GCE_METADATA_HOST=127.0.0.1:1 run "${ST[@]}"
check_eq "no credentials anywhere" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set; no Application Default Credentials file (GOOGLE_APPLICATION_CREDENTIALS is not set and there is no $CLOUDSDK_CONFIG/application_default_credentials.json); metadata server: GET http://127.0.0.1:1/computeMetadata/v1/instance/service-accounts/default/token: could not connect (after 3 attempts); gcloud: \`gcloud auth print-access-token\` failed (exit 1): ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected."
check_eq "nothing reached the API without a token" "$(fake_reqs 'len(reqs)')" 0
export GOOGLE_OAUTH_ACCESS_TOKEN=$TOKEN

# ---- Kubeflow Pipelines ----
echo -n "kfp-sa-s3cr3t" >"$WORK/kfp-token"
echo '{"kfp": ["kfp-sa-s3cr3t"]}' >"$WORK/fake/tokens.json"
export KF_PIPELINES_SA_TOKEN_PATH=$WORK/kfp-token
# A single-user server (the fake's default): no experiment is named, the run goes to the server's
# default one. Multi-user servers and experiments: 51_kfp.sh.
KFP=(nightfan submit "$WORK/pipeline.yaml" --kfp-host "$API/"
	--pipeline-root minio://mlpipeline/v2/artifacts --param on_error=fail)
run "${KFP[@]}" --wait
check_eq "kfp submit --wait exit" "$status" 0
check_eq "kfp output" "$(cat "$WORK/out")" \
"run: 00000000-0000-4000-8000-000000000001
console: $API/#/runs/details/00000000-0000-4000-8000-000000000001
RUNNING; shard 0/2 done (1 running, 0 failed)
RUNNING; shard 1/2 done (1 running, 0 failed)
SUCCEEDED; shard 2/2 done; merge 1/1 done"
check_eq "kfp create request" "$(fake_reqs 'reqs[0]["method"] + " " + reqs[0]["path"]')" "POST /apis/v2beta1/runs"
check_eq "kfp headers" "$(fake_reqs '[reqs[0]["headers"]["authorization"] == "Bearer kfp-sa-s3cr3t", "kubeflow-userid" in reqs[0]["headers"]]')" \
	'[true, false]'
check_eq "kfp single-user: no experiment_id sent" "$(fake_reqs '"experiment_id" in reqs[0]["body"]')" false
check_eq "kfp body" "$(fake_reqs '[reqs[0]["body"]["display_name"], reqs[0]["body"]["runtime_config"], reqs[0]["body"]["pipeline_spec"]["pipelineInfo"]["name"]]')" \
	'["nightfan", {"parameters": {"on_error": "fail"}, "pipeline_root": "minio://mlpipeline/v2/artifacts"}, "nightfan"]'
check_eq "kfp polls the run" "$(fake_reqs 'reqs[1]["method"] + " " + reqs[1]["path"]')" \
	"GET /apis/v2beta1/runs/00000000-0000-4000-8000-000000000001"
run "${KFP[@]}"
run nightfan cancel 00000000-0000-4000-8000-000000000002 --kfp-host "$API"
check_eq "kfp terminate" "$status:$(fake_reqs 'reqs[-1]["method"] + " " + reqs[-1]["path"]')" \
	"0:POST /apis/v2beta1/runs/00000000-0000-4000-8000-000000000002:terminate"
run nightfan status 00000000-0000-4000-8000-000000000002 --kfp-host "$API"
check_eq "kfp status after terminate" "$(sed -n 2p "$WORK/out")" "state: CANCELING"
run nightfan status 00000000-0000-4000-8000-000000000002 --kfp-host "$API" --wait
check_eq "kfp CANCELING is followed to CANCELED, exit 1" "$status:$(cat "$WORK/out"):$(cat "$WORK/err")" \
	"1:CANCELED; shard 0/2 done:nightfan status: error: job 00000000-0000-4000-8000-000000000002 ended in CANCELED"
fake_clear
faults '[{"method": "POST", "path": "runs$", "actions": ["503"], "repeat": true}]'
run "${KFP[@]}"
check_eq "kfp create is never retried (the server picks the id)" "$status:$(fake_reqs 'len(reqs)')" "1:1"
check_eq "kfp error message" "$(cat "$WORK/err")" \
	"nightfan submit: error: POST $API/apis/v2beta1/runs: HTTP 503: fake fault 503"
faults '[]'
fake_clear
echo -n "wrong" >"$WORK/kfp-token"
run nightfan status 00000000-0000-4000-8000-000000000001 --kfp-host "$API"
check_eq "kfp refused token" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API/apis/v2beta1/runs/00000000-0000-4000-8000-000000000001: HTTP 401: Unauthenticated (the Kubeflow Pipelines token was refused)"
run "${KFP[@]}" --label a=b
check_eq "vertex-only options refused with --kfp-host" "$status:$(cat "$WORK/err")" \
	"2:nightfan submit: error: --label is for Vertex AI; a Kubeflow Pipelines run has no such field
Try \"nightfan submit --help\" for the options."
unset KF_PIPELINES_SA_TOKEN_PATH
fake_clear
KF_PIPELINES_TOKEN=kfp-sa-s3cr3t run nightfan status 00000000-0000-4000-8000-000000000001 --kfp-host "$API"
check_eq "kfp token from the environment" "$status:$(fake_reqs 'reqs[0]["headers"]["authorization"] == "Bearer kfp-sa-s3cr3t"')" "0:true"
KF_PIPELINES_SA_TOKEN_PATH=$WORK/no-such-token run nightfan status 00000000-0000-4000-8000-000000000001 --kfp-host "$API"
check_eq "unreadable kfp token file" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: KF_PIPELINES_SA_TOKEN_PATH=$WORK/no-such-token: cannot read: No such file or directory"
rm "$WORK/fake/tokens.json"

# ---- no secret in any output, even with --verbose ----
run "${SUBMIT[@]}" --job-id verbose-1 --wait --verbose
check_eq "verbose traces requests" "$(grep -c "^nightfan submit: POST $API$JOBS?pipelineJobId=verbose-1 -> 200$" "$WORK/err")" 1
check_eq "no token in any output" \
	"$(grep -a -c -e "$TOKEN" -e s3cr3t -e "$MD_TOKEN" -e hunter2 "$WORK/transcript")" 0

finish
