#!/usr/bin/env bash
# 50_cloud_gcs.sh — gs:// input roots against the fake Cloud Storage JSON API
# (tests/fake/cloud_fake.py on 127.0.0.1): `nightfan compile --input gs://...` lists the nights over
# every page, and `nightfan-shard --input gs://...` streams a night's files, resuming broken
# transfers, with the same results as a local folder.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

unset GOOGLE_OAUTH_ACCESS_TOKEN STORAGE_EMULATOR_HOST NIGHTFAN_STORAGE_ENDPOINT
export NIGHTFAN_HTTP_SLEEP_SCALE=0
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexit 1\n' >"$WORK/bin/gcloud" # never a real gcloud (executable, or PATH goes on to one)
chmod +x "$WORK/bin/gcloud"
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake" --page-size 2
export GCE_METADATA_HOST=127.0.0.1:1 # no metadata server
BUCKET=$WORK/fake/gcs/sleep-bucket
nightfan synth --nights 3 --out "$BUCKET/study/v1" --seed 5 >/dev/null
cp -r "$BUCKET/study/v1" "$WORK/local"
PROFILE=$WORK/local/profile.json

run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
	{ cat "$WORK/out" "$WORK/err"; } >>"$WORK/transcript"
}
faults() { echo "$1" >"$WORK/fake/faults.json"; }

# ---- listing nights: prefix, delimiter, every page; no credentials with an emulator ----
export STORAGE_EMULATOR_HOST=127.0.0.1:$FAKE_PORT
run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/gs.json" --input gs://sleep-bucket/study/v1/
check_eq "compile from gs:// exit" "$status:$(cat "$WORK/err")" "0:"
check_eq "nights from every page" \
	"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["root"]["inputDefinitions"]["parameters"]; print(r["nights"]["defaultValue"], r["input_root"]["defaultValue"])' "$WORK/gs.json")" \
	"['N0001', 'N0002', 'N0003'] gs://sleep-bucket/study/v1/"
check_eq "objects.list requests" "$(fake_reqs '[(r["path"], r["query"]) for r in reqs]')" \
	'[["/storage/v1/b/sleep-bucket/o", {"delimiter": ["/"], "fields": ["prefixes,nextPageToken"], "prefix": ["study/v1/"]}], ["/storage/v1/b/sleep-bucket/o", {"delimiter": ["/"], "fields": ["prefixes,nextPageToken"], "pageToken": ["2"], "prefix": ["study/v1/"]}]]'
check_eq "no credentials sent to an emulator" "$(fake_reqs '[r["headers"].get("authorization") for r in reqs]')" '[null, null]'
fake_clear
STORAGE_EMULATOR_HOST=http://127.0.0.1:$FAKE_PORT/ run nightfan compile --profile "$PROFILE" --image img:1 \
	-o "$WORK/gs2.json" --input gs://sleep-bucket/study/v1
check_eq "emulator host with a scheme" "$status:$(fake_reqs 'len(reqs)')" "0:2"
fake_clear
run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/x.json" --input gs://no-such-bucket/x
check_eq "missing bucket: URL, status, API message" "$status:$(cat "$WORK/err")" \
	"1:nightfan compile: error: GET http://127.0.0.1:$FAKE_PORT/storage/v1/b/no-such-bucket/o?prefix=x%2F&delimiter=%2F&fields=prefixes%2CnextPageToken: HTTP 404: The specified bucket does not exist."
fake_clear

# A listing that would loop forever: every page gives the token "2" (the one just followed), or a
# token that leads back to the first page. Stopped at the first token seen before, named.
faults '[{"path": "/o$", "actions": ["token:2"], "repeat": true}]'
run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/loop.json" --input gs://sleep-bucket/study/v1/
check_eq "token repeated at once: refused, named" "$status:$(cat "$WORK/err")" \
	'1:nightfan compile: error: gs://sleep-bucket/study/v1/: objects.list page 2 repeats the page token "2" of an earlier page: expected a new token or none (the listing would never end)'
check_eq "token repeated at once: 2 requests, no spec" "$(fake_reqs '[r["query"].get("pageToken") for r in reqs]'):$(test -e "$WORK/loop.json" && echo spec)" \
	'[null, ["2"]]:'
fake_clear
faults '[{"path": "/o$", "actions": ["ok", "token:0"]}]'
run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/loop.json" --input gs://sleep-bucket/study/v1
check_eq "token cycle: refused, named" "$status:$(cat "$WORK/err")" \
	'1:nightfan compile: error: gs://sleep-bucket/study/v1/: objects.list page 3 repeats the page token "2" of an earlier page: expected a new token or none (the listing would never end)'
check_eq "token cycle: 3 requests" "$(fake_reqs '[r["query"].get("pageToken") for r in reqs]')" '[null, ["2"], ["0"]]'
faults '[]'
fake_clear
# The fake's answers are the API's shape: a repeated-token page still lists its prefixes.
faults '[{"path": "/o$", "actions": ["token:2"]}]'
check_eq "a faulted page keeps the API's shape" \
	"$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' \
		"http://127.0.0.1:$FAKE_PORT/storage/v1/b/sleep-bucket/o?prefix=study%2Fv1%2F&delimiter=%2F&pageToken=2")" \
	'{"kind": "storage#objects", "prefixes": ["study/v1/N0003/"], "items": [{"kind": "storage#object", "name": "study/v1/profile.json"}], "nextPageToken": "2"}'
faults '[]'
fake_clear

# ---- a night's files streamed to the shard: the same output as from a local folder ----
run nightfan-shard --input "$WORK/local" --night N0002 --profile "$PROFILE" --out "$WORK/out-local"
check_eq "local shard" "$status" 0
run nightfan-shard --input gs://sleep-bucket/study/v1 --night N0002 --profile "$PROFILE" --out "$WORK/out-gs"
check_eq "gs:// shard exit" "$status:$(cat "$WORK/err")" "0:"
check_file_eq "gs:// night.json = local" "$WORK/out-gs/N0002/night.json" "$WORK/out-local/N0002/night.json"
check_file_eq "gs:// epochs.csv = local" "$WORK/out-gs/N0002/epochs.csv" "$WORK/out-local/N0002/epochs.csv"
check_eq "objects.get alt=media per file" \
	"$(fake_reqs 'sorted(r["path"].rsplit("/", 1)[1] + "?" + r["query"]["alt"][0] for r in reqs)')" \
	'["study%2Fv1%2FN0002%2Flabels%2Fhypnogram.csv?media", "study%2Fv1%2FN0002%2Flabels%2Fposition.csv?media", "study%2Fv1%2FN0002%2Flabels%2Frespiratory.csv?media", "study%2Fv1%2FN0002%2Fpredictions%2Fhypnogram.csv?media", "study%2Fv1%2FN0002%2Fpredictions%2Frespiratory.csv?media"]'
fake_clear

# A transfer cut short, then a reset, then a 503: resumed with Range from the byte reached, and
# the night still scores exactly as from the local folder.
faults '[{"path": "position.csv$", "actions": ["truncate", "reset", "503"]}]'
run nightfan-shard --input gs://sleep-bucket/study/v1 --night N0002 --profile "$PROFILE" --out "$WORK/out-faults"
check_eq "faults: shard exit" "$status:$(cat "$WORK/err")" "0:"
check_file_eq "faults: night.json = local" "$WORK/out-faults/N0002/night.json" "$WORK/out-local/N0002/night.json"
SIZE=$(stat -c %s "$BUCKET/study/v1/N0002/labels/position.csv")
check_eq "faults: resumed at the byte reached" \
	"$(fake_reqs '[(r["fault"], r["headers"].get("range")) for r in reqs if r["path"].endswith("position.csv")]')" \
	"[[\"truncate\", null], [\"reset\", \"bytes=$((SIZE / 2))-\"], [\"503\", \"bytes=$((SIZE / 2))-\"], [null, \"bytes=$((SIZE / 2))-\"]]"
fake_clear
faults '[{"path": "hypnogram.csv$", "actions": ["503"], "repeat": true}]'
NIGHTFAN_HTTP_ATTEMPTS=3 run nightfan-shard --input gs://sleep-bucket/study/v1 --night N0002 --profile "$PROFILE" --out "$WORK/out-503"
check_eq "503 forever: bounded, named" "$status:$(cat "$WORK/err")" \
	"1:nightfan-shard: error: labels/hypnogram.csv: GET http://127.0.0.1:$FAKE_PORT/storage/v1/b/sleep-bucket/o/study%2Fv1%2FN0002%2Flabels%2Fhypnogram.csv?alt=media: HTTP 503: fake fault 503 (after 3 attempts)"
check_eq "503 forever: nothing written" "$(ls "$WORK/out-503" 2>/dev/null | wc -l)" 0
faults '[]'
fake_clear
run nightfan-shard --input gs://sleep-bucket/study/v1 --night N0009 --profile "$PROFILE" --out "$WORK/out-missing"
check_eq "missing object" "$status:$(cat "$WORK/err")" \
	"1:nightfan-shard: error: labels/hypnogram.csv: gs://sleep-bucket/study/v1/N0009/labels/hypnogram.csv: no such object"
fake_clear

# ---- a storage endpoint that needs credentials ----
unset STORAGE_EMULATOR_HOST
export NIGHTFAN_STORAGE_ENDPOINT=http://127.0.0.1:$FAKE_PORT
echo '{"accept": ["gcs-s3cr3t"]}' >"$WORK/fake/tokens.json"
GOOGLE_OAUTH_ACCESS_TOKEN=gcs-s3cr3t run nightfan-shard --input gs://sleep-bucket/study/v1 --night N0001 \
	--profile "$PROFILE" --out "$WORK/out-auth"
check_eq "token sent to storage" "$status:$(fake_reqs 'sorted(set(r["headers"].get("authorization") for r in reqs))')" \
	'0:["Bearer gcs-s3cr3t"]'
fake_clear
GOOGLE_OAUTH_ACCESS_TOKEN=stale-s3cr3t run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/y.json" \
	--input gs://sleep-bucket/study/v1
check_eq "refused storage token" "$status:$(cat "$WORK/err")" \
	"1:nightfan compile: error: GET http://127.0.0.1:$FAKE_PORT/storage/v1/b/sleep-bucket/o?prefix=study%2Fv1%2F&delimiter=%2F&fields=prefixes%2CnextPageToken: HTTP 401: Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. (the token in GOOGLE_OAUTH_ACCESS_TOKEN was refused; it may have expired)"
fake_clear
run nightfan compile --profile "$PROFILE" --image img:1 -o "$WORK/z.json" --input gs://sleep-bucket/study/v1
check_eq "no credentials anywhere: storage is not asked" "$status:$(cat "$WORK/err"):$(fake_reqs 'len(reqs)')" \
	"1:nightfan compile: error: no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set; no Application Default Credentials file (GOOGLE_APPLICATION_CREDENTIALS is not set and there is no $CLOUDSDK_CONFIG/application_default_credentials.json); metadata server: GET http://127.0.0.1:1/computeMetadata/v1/instance/service-accounts/default/token: could not connect (after 3 attempts); gcloud: \`gcloud auth print-access-token\` failed (exit 1):0"
check_eq "no token in any output" "$(grep -a -c s3cr3t "$WORK/transcript")" 0

finish
