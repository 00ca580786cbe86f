#!/usr/bin/env bash
# 52_quota.sh — quota errors from Vertex AI (HTTP 429, status RESOURCE_EXHAUSTED, as
# https://cloud.google.com/apis/design/errors describes them) against the fake: at least 30 s
# before retrying ("30 seconds for 429 quota errors", cloud.google.com/service-usage/docs/
# troubleshooting), doubling; google.rpc.RetryInfo.retryDelay and Retry-After taken as floors
# ("clients should wait at least this long", google/rpc/error_details.proto); the total bounded
# (NIGHTFAN_HTTP_MAX_WAIT, default 300 s) and said. NIGHTFAN_HTTP_SLEEP_SCALE=0: no real waiting,
# the trace and messages show the nominal waits, each plus up to 1 s of jitter.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

unset KF_PIPELINES_SA_TOKEN_PATH KF_PIPELINES_TOKEN STORAGE_EMULATOR_HOST
export NIGHTFAN_HTTP_SLEEP_SCALE=0 GOOGLE_OAUTH_ACCESS_TOKEN=ya29.quota-test-token
fake_start "$WORK/fake"
export GCE_METADATA_HOST=127.0.0.1:1
API=$FAKE_URL
JOBS=/v1/projects/sleep-lab/locations/europe-west4/pipelineJobs

run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
}
faults() { echo "$1" >"$WORK/fake/faults.json"; }
# waits EXPECTED...: the "retrying in N s" of the trace, each shown as EXPECTED when it lies in
# [EXPECTED, EXPECTED + 1] (the jitter is under 1 s; the trace rounds to 1/100 s), else as it is.
waits() {
	grep -o 'retrying in [0-9.]* s' "$WORK/err" | awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
		{ v = $3 + 0; e = w[NR] + 0; printf "%s ", (NR <= n && v >= e && v <= e + 1) ? w[NR] : $3 }'
}

nightfan synth --nights 2 --out "$WORK/in" --seed 3 >/dev/null
nightfan compile --profile "$WORK/in/profile.json" --image registry.example/nightfan:1 --input "$WORK/in" \
	-o "$WORK/pipeline.yaml" >/dev/null 2>&1
nightfan submit "$WORK/pipeline.yaml" --project sleep-lab --region europe-west4 --pipeline-root gs://sleep-bucket/runs \
	--api-endpoint "$API" --job-id weekly-1 >/dev/null
fake_clear
ST=(nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API" --verbose)
QUOTA='{"status": 429, "quota": true}'

# A quota error without a hint: 30 s, then 60, 120 (each + jitter < 1 s).
faults "[{\"path\": \"weekly-1\$\", \"actions\": [$QUOTA, $QUOTA, $QUOTA, \"ok\"]}]"
run "${ST[@]}"
check_eq "quota: 30, 60, 120 s, then success" "$status:$(waits 30 60 120):$(fake_reqs 'len(reqs)')" "0:30 60 120 :4"
check_eq "quota: the trace says why" "$(grep -c 'HTTP 429: Quota exceeded for quota metric .*; retrying in [0-9.]* s; quota error: at least 30 s, doubling (attempt [234] of 6)' "$WORK/err")" 3
fake_clear

# Forever: 30 + 60 + 120 = 210 s waited; the next wait (240 s) would pass 300 s in all.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [$QUOTA], \"repeat\": true}]"
run "${ST[@]}"
check_eq "quota forever: 4 attempts" "$(fake_reqs 'len(reqs)')" 4
check_true "quota forever: the message says how long and why it stopped" grep -q -E \
	"^nightfan status: error: GET $API$JOBS/weekly-1: HTTP 429: Quota exceeded for quota metric 'Resource management \(CRUD\) requests' and limit 'Resource management \(CRUD\) requests per minute per region' of service 'aiplatform.googleapis.com' for consumer 'project_number:123456789'. \(gave up after 4 attempts and 21[0-3] s of waiting: the next wait would be 24[0-1] s, past the 300 s a request may wait in all; NIGHTFAN_HTTP_MAX_WAIT sets it\)$" \
	"$WORK/err"
fake_clear
NIGHTFAN_HTTP_ATTEMPTS=3 run "${ST[@]}"
check_true "quota, attempts run out first: the total is said" grep -q -E \
	"\(after 3 attempts and (90|91|92) s of waiting\)$" "$WORK/err"
fake_clear
NIGHTFAN_HTTP_MAX_WAIT=1000 run "${ST[@]}"
check_eq "a larger NIGHTFAN_HTTP_MAX_WAIT: 6 attempts, 30..480 s" "$(waits 30 60 120 240 480):$(fake_reqs 'len(reqs)')" "30 60 120 240 480 :6"
fake_clear

# RetryInfo asks for longer than 30 s: its delay is the floor.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 429, \"quota\": true, \"retry_delay\": \"45s\"}, \"ok\"]}]"
run "${ST[@]}"
check_eq "RetryInfo 45s" "$status:$(grep -c 'HTTP 429: Quota exceeded .*; retrying in 45.00 s; as RetryInfo asks (attempt 2 of 6)$' "$WORK/err")" "0:1"
fake_clear
# RetryInfo shorter than the 30 s quota floor: 30 s (+ jitter) still.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 429, \"quota\": true, \"retry_delay\": \"2.5s\"}, \"ok\"]}]"
run "${ST[@]}"
check_eq "RetryInfo below the quota floor" "$(waits 30)" "30 "
fake_clear
# RetryInfo on an error that is not a quota error (503 UNAVAILABLE): taken as it is.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 503, \"retry_delay\": \"3.5s\"}, \"ok\"]}]"
run "${ST[@]}"
check_eq "RetryInfo on a 503" "$(grep -o 'retrying in [0-9.]* s; as RetryInfo asks' "$WORK/err")" "retrying in 3.50 s; as RetryInfo asks"
fake_clear
# Retry-After and RetryInfo together: the longer wins.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 429, \"quota\": true, \"retry_delay\": \"40s\", \"retry_after\": \"50\"}, \"ok\"]}]"
run "${ST[@]}"
check_eq "Retry-After 50 over RetryInfo 40" "$(grep -o 'retrying in [0-9.]* s; as [a-zA-Z-]* asks' "$WORK/err")" "retrying in 50.00 s; as Retry-After asks"
fake_clear
# A server asking for more than the whole budget: no retry, and the message says so.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 429, \"quota\": true, \"retry_delay\": \"3600s\"}]}]"
run nightfan status weekly-1 --project sleep-lab --region europe-west4 --api-endpoint "$API"
check_eq "RetryInfo past the budget" "$status:$(fake_reqs 'len(reqs)'):$(sed 's/.*(gave up/(gave up/' "$WORK/err")" \
	"1:1:(gave up after 1 attempt and 0 s of waiting: the server asked (RetryInfo) to retry after 3600 s, past the 300 s a request may wait in all; NIGHTFAN_HTTP_MAX_WAIT sets it)"
fake_clear
# A 429 without RESOURCE_EXHAUSTED (a Cloud Storage rate limit, JSON API errors carry no status)
# keeps the ordinary backoff: 1 s + jitter.
faults "[{\"path\": \"weekly-1\$\", \"actions\": [{\"status\": 429, \"grpc\": \"\"}, \"ok\"]}]"
run "${ST[@]}"
check_eq "429 without RESOURCE_EXHAUSTED: ordinary backoff" "$(waits 1)" "1 "

finish
