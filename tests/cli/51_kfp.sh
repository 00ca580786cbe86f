#!/usr/bin/env bash
# 51_kfp.sh — nightfan submit / status against a multi-user Kubeflow Pipelines server (the fake in
# tests/fake/cloud_fake.py with kfp.json {"multi_user": true}), whose answers follow
# kubeflow/pipelines backend/api/v2beta1/run.proto, experiment.proto, filter.proto and the swagger
# (backend/api/v2beta1/swagger/run.swagger.json, experiment.swagger.json); multi-user refusals as
# backend/src/apiserver (run_server.go createRun, resource_manager.go GetValidExperimentNamespacePair,
# experiment_server.go canAccessExperiment) words them.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

unset GOOGLE_OAUTH_ACCESS_TOKEN KF_PIPELINES_SA_TOKEN_PATH KF_PIPELINES_TOKEN STORAGE_EMULATOR_HOST
export NIGHTFAN_HTTP_SLEEP_SCALE=0
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexit 1\n' >"$WORK/bin/gcloud"
chmod +x "$WORK/bin/gcloud"
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake"
export GCE_METADATA_HOST=127.0.0.1:1
API=$FAKE_URL
echo '{"multi_user": true}' >"$WORK/fake/kfp.json"

run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
}
script() { echo "$1" >"$WORK/fake/script.json"; }

nightfan synth --nights 2 --out "$WORK/in" --seed 3 >/dev/null
nightfan compile --profile "$WORK/in/profile.json" --image registry.example/nightfan:1 --input "$WORK/in" \
	-o "$WORK/pipeline.yaml" >/dev/null 2>&1
SUBMIT=(nightfan submit "$WORK/pipeline.yaml" --kfp-host "$API" --pipeline-root minio://mlpipeline/v2/artifacts)
RUN1=00000000-0000-4000-8000-000000000001

# ---- what the server says without an experiment (the old behaviour) ----
run "${SUBMIT[@]}"
check_eq "multi-user: no identity is refused (401)" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: POST $API/apis/v2beta1/runs: HTTP 401: Request header error: there is no user identity header. (no token was sent: set KF_PIPELINES_SA_TOKEN_PATH)"
KF_PIPELINES_TOKEN=sa-token run "${SUBMIT[@]}"
check_eq "multi-user: a run without experiment_id is refused (400)" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: POST $API/apis/v2beta1/runs: HTTP 400: Failed to create a new run: Failed to create a run due to invalid experimentId and namespace combination: Invalid input error: Experiment id can not be empty in multi-user mode"
fake_clear

# ---- refused before anything is sent ----
run "${SUBMIT[@]}" --kfp-user alice@example.org
check_eq "--kfp-user needs --kfp-namespace" "$status:$(cat "$WORK/err")" \
	"2:nightfan submit: error: --kfp-user: a multi-user Kubeflow Pipelines server needs --kfp-namespace NS, the profile namespace the run goes to
Try \"nightfan submit --help\" for the options."
run "${SUBMIT[@]}" --kfp-namespace team-sleep --experiment ''
check_eq "empty --experiment" "$status:$(cat "$WORK/err")" "2:nightfan submit: error: --experiment: expected a name
Try \"nightfan submit --help\" for the options."
run nightfan submit "$WORK/pipeline.yaml" --project p --region europe-west4 --pipeline-root gs://b/r --experiment x
check_eq "--experiment is KFP's" "$status:$(cat "$WORK/err")" "2:nightfan submit: error: --experiment needs --kfp-host
Try \"nightfan submit --help\" for the options."
check_eq "nothing was sent" "$(fake_reqs 'len(reqs)')" 0

# ---- --kfp-user: the "Default" experiment of the namespace, created when missing ----
MU=("${SUBMIT[@]}" --kfp-user alice@example.org --kfp-namespace team-sleep)
run "${MU[@]}"
check_eq "default experiment created, run in it" "$status:$(cat "$WORK/out")" \
"0:experiment: Default (11111111-0000-4000-8000-000000000001, created in namespace team-sleep)
run: $RUN1
console: $API/#/runs/details/$RUN1"
check_eq "requests: list, create experiment, create run" "$(fake_reqs '[r["method"] + " " + r["path"] for r in reqs]')" \
	'["GET /apis/v2beta1/experiments", "POST /apis/v2beta1/experiments", "POST /apis/v2beta1/runs"]'
# ListExperimentsRequest: filter is a JSON-serialized filter.proto Filter, namespace a query parameter.
check_eq "list: filter by display_name in the namespace" \
	"$(fake_reqs '[__import__("json").loads(reqs[0]["query"]["filter"][0]), reqs[0]["query"]["namespace"]]')" \
	'[{"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "Default"}]}, ["team-sleep"]]'
check_eq "create experiment body (v2beta1Experiment)" "$(fake_reqs 'reqs[1]["body"]')" \
	'{"display_name": "Default", "namespace": "team-sleep"}'
check_eq "run carries experiment_id" "$(fake_reqs 'reqs[2]["body"]["experiment_id"]')" "11111111-0000-4000-8000-000000000001"
check_eq "every request names the user" "$(fake_reqs 'sorted(set(r["headers"].get("kubeflow-userid") for r in reqs))')" \
	'["alice@example.org"]'
fake_clear
run "${MU[@]}"
check_eq "default experiment found the second time" "$status:$(head -1 "$WORK/out"):$(fake_reqs '[r["method"] for r in reqs]')" \
	'0:experiment: Default (11111111-0000-4000-8000-000000000001, found in namespace team-sleep):["GET", "POST"]'
fake_clear

# ---- --experiment NAME ----
run "${MU[@]}" --experiment nightly
check_eq "named experiment created" "$status:$(head -1 "$WORK/out")" \
	"0:experiment: nightly (11111111-0000-4000-8000-000000000002, created in namespace team-sleep)"
run "${MU[@]}" --experiment nightly
check_eq "named experiment found" "$(head -1 "$WORK/out")" \
	"experiment: nightly (11111111-0000-4000-8000-000000000002, found in namespace team-sleep)"
run "${MU[@]}" --experiment nightly --kfp-namespace other-team
check_eq "same name in another namespace is another experiment" "$(head -1 "$WORK/out")" \
	"experiment: nightly (11111111-0000-4000-8000-000000000003, created in namespace other-team)"
fake_clear
# A create whose answer is lost is not repeated (the id is the server's); the next submit finds it.
echo '[{"method": "POST", "path": "experiments$", "actions": ["lost"]}]' >"$WORK/fake/faults.json"
run "${MU[@]}" --experiment weekly
check_eq "lost experiment create: error, sent once" "$status:$(cat "$WORK/err"):$(fake_reqs 'len(reqs)')" \
	"1:nightfan submit: error: POST $API/apis/v2beta1/experiments: HTTP 503: The service is currently unavailable.:2"
run "${MU[@]}" --experiment weekly
check_eq "...and found by the next submit" "$status:$(head -1 "$WORK/out")" \
	"0:experiment: weekly (11111111-0000-4000-8000-000000000004, found in namespace team-sleep)"
# Someone creates the experiment between our list and our create: the create answers 409
# ALREADY_EXISTS (as the server's "Already exist error"), the list is asked again, theirs is used.
echo '[{"method": "GET", "path": "experiments$", "actions": ["unseen"]}]' >"$WORK/fake/faults.json"
run "${MU[@]}" --experiment weekly
check_eq "experiment created meanwhile: 409, listed again, used" \
	"$status:$(head -1 "$WORK/out"):$(fake_reqs '[r["method"] + " " + r["path"].split("/")[-1] for r in reqs][-4:]')" \
	'0:experiment: weekly (11111111-0000-4000-8000-000000000004, found in namespace team-sleep):["GET experiments", "POST experiments", "GET experiments", "POST runs"]'
rm "$WORK/fake/faults.json"
fake_clear

# ---- --wait ends on run.proto's terminal states, with the exit status they mean ----
# A cached shard: KFP reports the task SKIPPED and Argo's inner "executor" task SKIPPED too; it
# counts once, as done.
script '[{"state": "RUNNING", "tasks": [["shard", "SKIPPED"], ["shard", "RUNNING"]]},
	{"state": "SUCCEEDED", "tasks": [["shard", "SKIPPED"], ["shard", "SUCCEEDED"], ["merge", "SUCCEEDED"]]}]'
run "${MU[@]}" --wait
check_eq "wait: SUCCEEDED exits 0" "$status:$(tail -n +4 "$WORK/out")" \
"0:RUNNING; shard 1/2 done (1 running, 0 failed)
SUCCEEDED; shard 2/2 done; merge 1/1 done"
RUN=$(sed -n 2p "$WORK/out" | cut -d' ' -f2)
check_eq "...though the answer listed the shards' executor tasks" "$(python3 - "$API/apis/v2beta1/runs/$RUN" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"kubeflow-userid": "alice@example.org"})
run = json.load(urllib.request.urlopen(req))
print(" ".join(t["display_name"] + "=" + t["state"] for t in run["run_details"]["task_details"]
               if t["display_name"] in ("shard", "executor")))
PY
)" "shard=SKIPPED executor=SKIPPED shard=SUCCEEDED executor=SUCCEEDED executor=SUCCEEDED"
script '[{"state": "SKIPPED", "tasks": [["shard", "SKIPPED"], ["shard", "SKIPPED"], ["merge", "SKIPPED"]]}]'
run "${MU[@]}" --wait
check_eq "wait: a run SKIPPED whole (cached) exits 0" "$status:$(tail -1 "$WORK/out")" "0:SKIPPED; shard 2/2 done; merge 1/1 done"
script '[{"state": "RUNNING", "tasks": [["shard", "RUNNING"]]}, {"state": "FAILED", "tasks": [["shard", "FAILED"]]}]'
run "${MU[@]}" --wait
RUN=$(sed -n 2p "$WORK/out" | cut -d' ' -f2)
check_eq "wait: FAILED exits 1 with the run's error" "$status:$(cat "$WORK/err")" \
	"1:nightfan submit: error: job $RUN ended in FAILED: The DAG failed because some tasks failed."
script '[{"state": "PAUSED", "tasks": []}, {"state": "RUNNING", "tasks": []}, {"state": "SUCCEEDED", "tasks": []}]'
run "${MU[@]}" --wait
check_eq "wait: PAUSED is not an end" "$status:$(tail -n +4 "$WORK/out" | cut -d';' -f1 | tr '\n' ' ')" "0:PAUSED RUNNING SUCCEEDED "
rm "$WORK/fake/script.json"

# status and cancel name the user too
fake_clear
run nightfan cancel "$RUN1" --kfp-host "$API" --kfp-user alice@example.org
run nightfan status "$RUN1" --kfp-host "$API" --kfp-user alice@example.org --wait
check_eq "status --wait follows CANCELING to CANCELED" "$status:$(cut -d';' -f1 "$WORK/out" | tr '\n' ' ')" "1:CANCELING CANCELED "
check_eq "cancel and status send kubeflow-userid" "$(fake_reqs '[r["headers"].get("kubeflow-userid") for r in reqs][:2]')" \
	'["alice@example.org", "alice@example.org"]'

# A single-user server with --experiment: looked up and created without a namespace.
rm "$WORK/fake/kfp.json"
fake_clear
run "${SUBMIT[@]}" --experiment solo
check_eq "single-user --experiment" "$status:$(head -1 "$WORK/out")" \
	"0:experiment: solo (11111111-0000-4000-8000-000000000005, created)"
check_eq "single-user: no namespace anywhere" \
	"$(fake_reqs '["namespace" in reqs[0]["query"], reqs[1]["body"], reqs[2]["body"]["experiment_id"]]')" \
	'[false, {"display_name": "solo"}, "11111111-0000-4000-8000-000000000005"]'

finish
