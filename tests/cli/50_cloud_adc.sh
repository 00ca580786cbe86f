#!/usr/bin/env bash
# 50_cloud_adc.sh — Application Default Credentials against the fake OAuth token endpoint
# (tests/fake/cloud_fake.py POST /token, which verifies the JWT's RS256 signature with the public
# key and checks its claims, and answers as Google's endpoint does):
# - the order of "How Application Default Credentials works"
#   (cloud.google.com/docs/authentication/application-default-credentials): the file
#   GOOGLE_APPLICATION_CREDENTIALS names, then gcloud's application_default_credentials.json, then
#   the metadata server; a named file that is missing or wrong is an error, not a fall-through;
# - service_account keys: the JWT bearer grant of RFC 7523 §2.1 as "Using OAuth 2.0 for Server to
#   Server Applications" (developers.google.com/identity/protocols/oauth2/service-account) forms
#   it: header alg RS256 + kid, claims iss/scope/aud/exp/iat, exp = iat + 3600;
# - authorized_user files: the refresh-token grant of RFC 6749 §6;
# - refusals as RFC 6749 §5.2 shapes them ({"error", "error_description"});
# - tokens kept until 60 s before the expires_in the endpoint announced, refreshed after a 401;
# - other types refused by name; no key, secret, assertion or token in any output.
source "$TESTS/lib.sh"
source "$TESTS/fake/fake.sh"

unset GOOGLE_OAUTH_ACCESS_TOKEN KF_PIPELINES_SA_TOKEN_PATH KF_PIPELINES_TOKEN STORAGE_EMULATOR_HOST \
	NIGHTFAN_OAUTH_TOKEN_ENDPOINT
export NIGHTFAN_HTTP_SLEEP_SCALE=0 GCE_METADATA_HOST=127.0.0.1:1 CLOUDSDK_CONFIG=$WORK/gcloud
mkdir -p "$WORK/bin" "$WORK/gcloud"
printf '#!/bin/sh\necho "ERROR: no account" >&2\nexit 1\n' >"$WORK/bin/gcloud" # never a real gcloud
chmod +x "$WORK/bin/gcloud"
PATH="$WORK/bin:$PATH"

fake_start "$WORK/fake"
API=$FAKE_URL
TOKEN_URL=$FAKE_URL/token
JOBS=/v1/projects/sleep-lab/locations/europe-west4/pipelineJobs
EMAIL=nightfan-ci@sleep-lab.iam.gserviceaccount.com

run() {
	status=0
	"$@" >"$WORK/out" 2>"$WORK/err" || status=$?
	{ cat "$WORK/out" "$WORK/err"; } >>"$WORK/transcript"
}

# Keys made now, never stored: the one the account has, and one the token endpoint does not know.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/sa.pem" 2>/dev/null
openssl pkey -in "$WORK/sa.pem" -pubout -out "$WORK/sa.pub"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/stranger.pem" 2>/dev/null
KEY_LINE=$(sed -n 5p "$WORK/sa.pem") # a line of the key's body, to look for in outputs

# key_file OUT PEM [FIELD=VALUE...] — a service account key file as the Cloud console downloads it.
key_file() {
	python3 - "$@" <<'PY'
import json, os, sys
out, pem = sys.argv[1], sys.argv[2]
key = {"type": "service_account", "project_id": "sleep-lab", "private_key_id": "kid-1",
       "private_key": open(pem).read(), "client_email": "nightfan-ci@sleep-lab.iam.gserviceaccount.com",
       "client_id": "104", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
       "token_uri": os.environ["TOKEN_URL"], "universe_domain": "googleapis.com"}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    key[k] = v
json.dump(key, open(out, "w"), indent=2)
PY
}
export TOKEN_URL
key_file "$WORK/sa.json" "$WORK/sa.pem"
key_file "$WORK/stranger.json" "$WORK/stranger.pem"
python3 - "$WORK/fake/oauth.json" "$WORK/sa.pub" "$EMAIL" <<'PY'
import json, sys
json.dump({"keys": {"kid-1": {"email": sys.argv[3], "public_key": open(sys.argv[2]).read()}},
           "clients": {"764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com":
                       {"secret": "d-FL95Q19q7MQmFpd7hHD0Ty-s3cr3t", "refresh_tokens": ["1//refresh-s3cr3t"]}},
           "tokens": ["ya29.sa-one-s3cr3t", "ya29.sa-two-s3cr3t", "ya29.sa-three-s3cr3t"]},
          open(sys.argv[1], "w"))
PY
echo '{"accept": ["ya29.sa-one-s3cr3t", "ya29.sa-two-s3cr3t", "ya29.sa-three-s3cr3t"]}' >"$WORK/fake/tokens.json"

nightfan synth --nights 2 --out "$WORK/in" --seed 3 >/dev/null
nightfan compile --profile "$WORK/in/profile.json" --image registry.example/nightfan:1 --input "$WORK/in" \
	-o "$WORK/pipeline.yaml" >/dev/null 2>&1
SUBMIT=(nightfan submit "$WORK/pipeline.yaml" --project sleep-lab --region europe-west4
	--pipeline-root gs://sleep-bucket/runs --api-endpoint "$API" --param 'nights=["N0002"]')
ST=(nightfan status adc-1 --project sleep-lab --region europe-west4 --api-endpoint "$API")
form() { fake_reqs "__import__('urllib.parse').parse.parse_qs(reqs[$1]['body'])$2"; }
# seq — what each request was: the path's last part and the token sent (after "Bearer ya29.").
seq() { fake_reqs '[r["path"].split("/")[-1] + " " + r["headers"].get("authorization", "")[12:] for r in reqs]'; }
jwt_part() { fake_reqs "json.loads(__import__('base64').urlsafe_b64decode((lambda p: p + '=' * (-len(p) % 4))(__import__('urllib.parse').parse.parse_qs(reqs[0]['body'])['assertion'][0].split('.')[$1])))"; }

# ---- a service account key named by GOOGLE_APPLICATION_CREDENTIALS ----
export GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json
run "${SUBMIT[@]}" --job-id adc-1
check_eq "submit with a service account key" "$status:$(cat "$WORK/err")" "0:"
check_eq "token first, then the API" "$(fake_reqs '[r["method"] + " " + r["path"] for r in reqs]')" \
	"[\"POST /token\", \"POST $JOBS\"]"
check_eq "the grant is a form" "$(fake_reqs 'reqs[0]["headers"]["content-type"]')" application/x-www-form-urlencoded
check_eq "RFC 7523 grant type" "$(form 0 '["grant_type"]')" '["urn:ietf:params:oauth:grant-type:jwt-bearer"]'
check_eq "only grant_type and assertion" "$(fake_reqs "list(__import__('urllib.parse').parse.parse_qs(reqs[0]['body']))")" '["grant_type", "assertion"]'
check_eq "JWT header: RS256 and the key's id" "$(jwt_part 0)" '{"alg": "RS256", "kid": "kid-1", "typ": "JWT"}'
check_eq "JWT claims: issuer, scope, audience" \
	"$(fake_reqs "(lambda c: [c['iss'], c['scope'], c['aud'], sorted(c)])($(jwt_part 1 | sed 's/true/True/g'))")" \
	"[\"$EMAIL\", \"https://www.googleapis.com/auth/cloud-platform\", \"$TOKEN_URL\", [\"aud\", \"exp\", \"iat\", \"iss\", \"scope\"]]"
check_eq "JWT lifetime: exp = iat + 3600" "$(fake_reqs "(lambda c: c['exp'] - c['iat'])($(jwt_part 1))")" 3600
check_eq "iat is now" "$(fake_reqs "abs($(date +%s) - $(jwt_part 1)['iat']) < 60")" true
check_eq "the API gets the endpoint's token" "$(fake_reqs 'reqs[1]["headers"]["authorization"]')" "Bearer ya29.sa-one-s3cr3t"
fake_clear

echo '[{"state": "RUNNING", "tasks": []}, {"state": "RUNNING", "tasks": []}, {"state": "SUCCEEDED", "tasks": []}]' \
	>"$WORK/fake/script.json"
run "${ST[@]}" --wait
check_eq "status --wait" "$status" 0
check_eq "one token for three polls (expires_in 3599: kept)" \
	"$(seq)" \
	'["token ", "adc-1 sa-two-s3cr3t", "adc-1 sa-two-s3cr3t", "adc-1 sa-two-s3cr3t"]'
fake_clear
python3 - "$WORK/fake/oauth.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["expires_in"] = 50; c["tokens"] = c["tokens"][1:] + c["tokens"][:1]
json.dump(c, open(sys.argv[1], "w"))
PY
run "${SUBMIT[@]}" --job-id adc-2 --wait
check_eq "a token announced for 50 s (< the 60 s margin) is fetched again for every request" \
	"$status:$(seq)" \
	'0:["token ", "pipelineJobs sa-two-s3cr3t", "token ", "adc-2 sa-three-s3cr3t", "token ", "adc-2 sa-one-s3cr3t", "token ", "adc-2 sa-one-s3cr3t"]'
fake_clear

echo '{"accept": ["ya29.sa-two-s3cr3t"]}' >"$WORK/fake/tokens.json"
python3 - "$WORK/fake/oauth.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["expires_in"] = 3599
c["tokens"] = ["ya29.sa-one-s3cr3t", "ya29.sa-two-s3cr3t"]
json.dump(c, open(sys.argv[1], "w"))
PY
run "${ST[@]}"
check_eq "a refused token: a new grant, once" "$status:$(seq)" \
	'0:["token ", "adc-1 sa-one-s3cr3t", "token ", "adc-1 sa-two-s3cr3t"]'
fake_clear
echo '{"accept": ["someone-else"]}' >"$WORK/fake/tokens.json"
run "${ST[@]}"
check_eq "refused twice: the message names the file" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GET $API$JOBS/adc-1: HTTP 401: Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. (the token from the credentials file $WORK/sa.json was refused)"
echo '{"accept": ["ya29.sa-one-s3cr3t", "ya29.sa-two-s3cr3t", "ya29.sa-three-s3cr3t", "fake-metadata-token-s3cr3t"]}' \
	>"$WORK/fake/tokens.json"
fake_clear

# ---- what the token endpoint refuses, as Google words it ----
GOOGLE_APPLICATION_CREDENTIALS=$WORK/stranger.json run "${ST[@]}"
check_eq "a key the account does not have: the signature check fails" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/stranger.json: POST $TOKEN_URL: HTTP 400: invalid_grant: Invalid JWT Signature."
check_eq "no API request without a token" "$(fake_reqs '[r["path"] for r in reqs]')" '["/token"]'
fake_clear
key_file "$WORK/other-account.json" "$WORK/sa.pem" client_email=intruder@sleep-lab.iam.gserviceaccount.com
GOOGLE_APPLICATION_CREDENTIALS=$WORK/other-account.json run "${ST[@]}"
check_eq "an issuer the key is not for" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/other-account.json: POST $TOKEN_URL: HTTP 400: invalid_grant: Invalid grant: account not found"
echo '[{"method": "POST", "path": "^/token$", "actions": ["503"]}]' >"$WORK/fake/faults.json"
fake_clear
run "${ST[@]}"
check_eq "a 503 from the token endpoint is retried" "$status:$(fake_reqs '[r["path"].split("/")[-1] for r in reqs]')" \
	'0:["token", "token", "adc-1"]'
fake_clear

# ---- files that cannot work: named, never a fall-through ----
export GCE_METADATA_HOST=127.0.0.1:$FAKE_PORT # a metadata server that would answer
GOOGLE_APPLICATION_CREDENTIALS=$WORK/no-such.json run "${ST[@]}"
check_eq "a missing named file" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: GOOGLE_APPLICATION_CREDENTIALS=$WORK/no-such.json: cannot read: No such file or directory"
check_eq "is not a fall-through to the metadata server" "$(fake_reqs 'len(reqs)')" 0
for type in external_account impersonated_service_account external_account_authorized_user; do
	echo "{\"type\": \"$type\", \"audience\": \"//iam.googleapis.com/x\"}" >"$WORK/$type.json"
	GOOGLE_APPLICATION_CREDENTIALS=$WORK/$type.json run "${ST[@]}"
	check_eq "type $type refused by name" "$status:$(cat "$WORK/err")" \
		"1:nightfan status: error: $WORK/$type.json: credentials of type \"$type\" are not supported: nightfan takes \"service_account\" keys and \"authorized_user\" files (\`gcloud auth application-default login\`); use GOOGLE_OAUTH_ACCESS_TOKEN for others"
done
echo 'not json' >"$WORK/junk.json"
GOOGLE_APPLICATION_CREDENTIALS=$WORK/junk.json run "${ST[@]}"
check_eq "not JSON" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/junk.json: expected a JSON object with a \"type\" (a credentials file from gcloud or the Cloud console)"
key_file "$WORK/nokey.json" "$WORK/sa.pem" "private_key=-----BEGIN PRIVATE KEY-----
bm90IGEga2V5
-----END PRIVATE KEY-----"
GOOGLE_APPLICATION_CREDENTIALS=$WORK/nokey.json run "${ST[@]}"
check_eq "a private_key that is no key" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/nokey.json: \"private_key\": expected a PEM RSA private key"
python3 -c 'import json,sys; k=json.load(open(sys.argv[1])); del k["client_email"]; json.dump(k, open(sys.argv[2], "w"))' \
	"$WORK/sa.json" "$WORK/noemail.json"
GOOGLE_APPLICATION_CREDENTIALS=$WORK/noemail.json run "${ST[@]}"
check_eq "a key without its account" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/noemail.json: expected \"client_email\" (a non-empty string) in service_account credentials"
key_file "$WORK/plain.json" "$WORK/sa.pem" token_uri=http://oauth.example.com/token
GOOGLE_APPLICATION_CREDENTIALS=$WORK/plain.json run "${ST[@]}"
check_eq "a token_uri without TLS" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $WORK/plain.json: \"token_uri\" \"http://oauth.example.com/token\": expected an https:// URL (a signed key never travels unencrypted)"
check_eq "none of these asked anyone" "$(fake_reqs 'len(reqs)')" 0
unset GOOGLE_APPLICATION_CREDENTIALS

# ---- gcloud's file: authorized_user, the refresh-token grant ----
python3 - "$CLOUDSDK_CONFIG/application_default_credentials.json" <<'PY'
import json, sys
json.dump({"account": "", "client_id": "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com",
           "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty-s3cr3t", "quota_project_id": "sleep-lab",
           "refresh_token": "1//refresh-s3cr3t", "type": "authorized_user", "universe_domain": "googleapis.com"},
          open(sys.argv[1], "w"))
PY
export NIGHTFAN_OAUTH_TOKEN_ENDPOINT=$TOKEN_URL
run "${ST[@]}"
check_eq "gcloud's file, before the metadata server" "$status:$(fake_reqs '[r["path"].split("/")[-1] for r in reqs]')" \
	'0:["token", "adc-1"]'
check_eq "RFC 6749 §6 refresh grant" "$(form 0 '')" \
	'{"client_id": ["764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com"], "client_secret": ["d-FL95Q19q7MQmFpd7hHD0Ty-s3cr3t"], "grant_type": ["refresh_token"], "refresh_token": ["1//refresh-s3cr3t"]}'
fake_clear
GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json run "${ST[@]}"
check_eq "GOOGLE_APPLICATION_CREDENTIALS before gcloud's file" "$status:$(form 0 '["grant_type"][0]')" \
	"0:urn:ietf:params:oauth:grant-type:jwt-bearer"
fake_clear
GOOGLE_OAUTH_ACCESS_TOKEN=ya29.sa-two-s3cr3t run "${ST[@]}"
check_eq "GOOGLE_OAUTH_ACCESS_TOKEN before any file" "$status:$(fake_reqs '[r["path"].split("/")[-1] for r in reqs]')" \
	'0:["adc-1"]'
fake_clear
sed -i 's|1//refresh-s3cr3t|1//revoked-s3cr3t|' "$CLOUDSDK_CONFIG/application_default_credentials.json"
run "${ST[@]}"
check_eq "a revoked refresh token" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $CLOUDSDK_CONFIG/application_default_credentials.json: POST $TOKEN_URL: HTTP 400: invalid_grant: Token has been expired or revoked."
sed -i 's|d-FL95Q19q7MQmFpd7hHD0Ty-s3cr3t|wrong-s3cr3t|' "$CLOUDSDK_CONFIG/application_default_credentials.json"
run "${ST[@]}"
check_eq "a client the endpoint does not know" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: $CLOUDSDK_CONFIG/application_default_credentials.json: POST $TOKEN_URL: HTTP 401: invalid_client: The OAuth client was not found."
check_eq "an existing gcloud file that fails is not a fall-through" "$(fake_reqs '[r["path"].split("/")[-1] for r in reqs]')" \
	'["token", "token"]'
NIGHTFAN_OAUTH_TOKEN_ENDPOINT=http://oauth.example.com/token run "${ST[@]}"
check_eq "a token endpoint without TLS" "$status:$(cat "$WORK/err")" \
	"1:nightfan status: error: NIGHTFAN_OAUTH_TOKEN_ENDPOINT \"http://oauth.example.com/token\": expected an https:// URL (refresh tokens never travel unencrypted)"
rm "$CLOUDSDK_CONFIG/application_default_credentials.json"
fake_clear
run "${ST[@]}"
check_eq "no file: the metadata server" "$status:$(fake_reqs '[r["path"].split("/")[-1] for r in reqs]')" \
	'0:["token", "adc-1"]'
check_eq "...the metadata server's own path" "$(fake_reqs 'reqs[0]["path"]')" \
	/computeMetadata/v1/instance/service-accounts/default/token
export GCE_METADATA_HOST=127.0.0.1:1

# ---- Cloud Storage with a key, and --verbose never shows a secret ----
mkdir -p "$WORK/fake/gcs/sleep-bucket/study/N0001"
echo x >"$WORK/fake/gcs/sleep-bucket/study/N0001/placeholder"
fake_clear
GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json NIGHTFAN_STORAGE_ENDPOINT=$FAKE_URL \
	run nightfan compile --profile "$WORK/in/profile.json" --image img:1 -o "$WORK/gs.json" --input gs://sleep-bucket/study
check_eq "compile lists Cloud Storage with the key's token" "$status:$(fake_reqs '[r["path"] for r in reqs]')" \
	'0:["/token", "/storage/v1/b/sleep-bucket/o"]'
GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json run "${SUBMIT[@]}" --job-id adc-verbose --wait --verbose
check_eq "verbose traces the token request" "$(grep -c "^nightfan submit: POST $TOKEN_URL -> 200$" "$WORK/err")" 1
check_eq "no key, secret, assertion or token in any output" \
	"$(grep -a -c -e s3cr3t -e "$KEY_LINE" -e PRIVATE -e eyJhbGciOiJSUzI1NiIs "$WORK/transcript")" 0

finish
