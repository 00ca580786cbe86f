#!/usr/bin/env python3
"""cloud_fake.py — fakes of the cloud APIs nightfan talks to, on 127.0.0.1 only, for the tests.

One server answers, as the public REST documentation describes them:
  Vertex AI     POST /v1/projects/P/locations/R/pipelineJobs?pipelineJobId=ID   (create)
                GET  /v1/projects/P/locations/R/pipelineJobs/ID                 (get)
                POST /v1/projects/P/locations/R/pipelineJobs/ID:cancel          (cancel)
  Kubeflow      POST /apis/v2beta1/runs, GET /apis/v2beta1/runs/ID, POST /apis/v2beta1/runs/ID:terminate,
                POST /apis/v2beta1/experiments, GET /apis/v2beta1/experiments?namespace=&filter=
                (v2beta1 run.proto / experiment.proto; see "Kubeflow Pipelines" below for the shapes)
  Storage       GET  /storage/v1/b/BUCKET/o?prefix=&delimiter=/&pageToken=     (objects.list)
                GET  /storage/v1/b/BUCKET/o/OBJECT?alt=media [Range: bytes=N-] (objects.get media)
                POST /upload/storage/v1/b/BUCKET/o?uploadType=media&name=OBJECT[&ifGenerationMatch=G]
                                                                            (media upload; 412 when
                the generation precondition fails: G=0 and the object exists)
                objects are the files under STATE/gcs/BUCKET/ (uploads are written there too)
  Metadata      GET  /computeMetadata/v1/instance/service-accounts/default/token (Metadata-Flavor: Google)
  OAuth token   POST /token (application/x-www-form-urlencoded), as Google's token endpoint answers
                (RFC 6749 §5; "Using OAuth 2.0 for Server to Server Applications",
                developers.google.com/identity/protocols/oauth2/service-account):
                grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT (RFC 7523 §2.1):
                the JWT's RS256 signature is VERIFIED against the public key its "kid" names, and its
                claims checked (iss = that key's account, aud = this endpoint's URL, a scope, iat
                within 5 min of now, exp after now and at most 3600 s after iat);
                grant_type=refresh_token&client_id&client_secret&refresh_token (RFC 6749 §6).
                200 {"access_token", "expires_in", "scope", "token_type": "Bearer"}; refusals
                {"error": "invalid_grant" | "invalid_client" | ..., "error_description": ...} (400;
                401 for invalid_client), worded as Google words them.

Usage: cloud_fake.py STATE_DIR [--page-size N]. Writes the ephemeral port to STATE/port once
listening. Every request is appended to STATE/requests.jsonl as one JSON object: method, path,
query (name -> list of values), headers (lower-case names), body (JSON when it parses, else text),
body_len and body_sha256 (the exact bytes received: length and hex SHA-256), fault (the injected
fault, or null).

Control files in STATE (read on every request, so a test can change them between commands):
  faults.json   [{"method": "GET", "path": "regex", "actions": ["503", "429:2", "reset", "truncate",
                 "slow:3", "lost", "token:T", "ok"], "repeat": false}] — each matching request takes the next
                action of the first rule with actions left ("repeat": the last action forever).
                "503"/"429"/...: that status with a Google error body ("429:2" adds Retry-After: 2;
                "409:ABORTED" names the error's status); an object {"status": 429, "quota": true,
                "retry_delay": "45s", "retry_after": "7", "grpc": "...", "message": "..."}: an error
                answer built by error_fault() (a quota error, RetryInfo, Retry-After);
                "reset": close the connection with a TCP reset; "truncate": announce the whole body,
                send half, close; "slow:S": sleep S seconds, then answer; "lost": do the work, then
                answer 503 (a create whose answer is lost); "token:T": answer an objects.list page
                normally but with "nextPageToken": "T" (a server whose listing repeats a token);
                "unseen": answer a KFP ListExperiments as if nothing matched (a list that raced
                another client's create);
                "ok": answer normally.
  tokens.json   {"accept": ["tok1", ...], "metadata": ["tok1", ...]} — bearer tokens accepted by
                Vertex/Storage (absent: any), and the tokens the metadata server hands out in turn
                (the last one repeats).
  oauth.json    {"keys": {KID: {"email": E, "public_key": PEM}}, "clients": {ID: {"secret": S,
                 "refresh_tokens": [R, ...]}}, "tokens": [T1, ...], "expires_in": N} — what the token
                endpoint trusts, the access tokens it hands out in turn (from the first again whenever
                the list changes; the last repeats; default "fake-oauth-token-s3cr3t") and their announced lifetime (default 3599).
  script.json   [{"state": "RUNNING", "tasks": [["shard", "SUCCEEDED"], ...]}, ...] — what
                successive GETs of a job report (the last frame repeats). States as KFP's RuntimeState
                names them (RUNNING, SUCCEEDED, FAILED, ...): Vertex answers prefix PIPELINE_STATE_,
                KFP answers use them as they are.
  kfp.json      {"multi_user": true, "user_header": "kubeflow-userid"} — the KFP API server in
                multi-user mode (absent: single-user).
"""
import base64
import hashlib
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = sys.argv[1]
PAGE_SIZE = int(sys.argv[sys.argv.index("--page-size") + 1]) if "--page-size" in sys.argv else 1000
LOCK = threading.Lock()
JOBS = {}      # vertex job name -> {"job": dict, "polls": int, "cancelled": bool}
RUNS = {}      # kfp run id -> {"job": Run, "polls": int, "terminated": bool}
EXPERIMENTS = {}  # kfp experiment id -> Experiment
METADATA_CALLS = [0]
OAUTH_CALLS = [0, None]  # tokens handed out since oauth.json's "tokens" last changed, that list

DEFAULT_SCRIPT = [
    {"state": "RUNNING", "tasks": [["shard", "RUNNING"], ["shard", "PENDING"]]},
    {"state": "RUNNING", "tasks": [["shard", "SUCCEEDED"], ["shard", "RUNNING"]]},
    {"state": "SUCCEEDED", "tasks": [["shard", "SUCCEEDED"], ["shard", "SUCCEEDED"], ["merge", "SUCCEEDED"]]},
]


def state_file(name, default):
    try:
        with open(os.path.join(STATE, name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def take_fault(method, path):
    """The next fault action for this request, consuming it from faults.json (under LOCK)."""
    p = os.path.join(STATE, "faults.json")
    rules = state_file("faults.json", [])
    for rule in rules:
        if rule.get("method", method) != method or not re.search(rule.get("path", ""), path):
            continue
        actions = rule.get("actions", [])
        if not actions:
            continue
        action = actions[0]
        if len(actions) > 1 or not rule.get("repeat"):
            rule["actions"] = actions[1:]
        with open(p + ".tmp", "w") as f:
            json.dump(rules, f)
        os.replace(p + ".tmp", p)
        return action
    return None


def google_error(code, message, status):
    return {"error": {"code": code, "message": message, "status": status}}


def error_fault(f):
    """An error answer described by a fault object: {"status": 429, "quota": true, "retry_delay": "45s",
    "retry_after": "7", "grpc": "ABORTED", "message": "..."}. "quota" gives the body Google APIs send
    when a quota is exceeded (https://cloud.google.com/apis/design/errors: status RESOURCE_EXHAUSTED,
    a google.rpc.ErrorInfo with reason RATE_LIMIT_EXCEEDED); "retry_delay" adds a google.rpc.RetryInfo
    detail ({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "45s"}, a
    google.protobuf.Duration in its JSON form); "retry_after" a Retry-After header."""
    code = f["status"]
    if f.get("quota"):
        body = google_error(code, f.get("message", "Quota exceeded for quota metric 'Resource management (CRUD) "
                                    "requests' and limit 'Resource management (CRUD) requests per minute per "
                                    "region' of service 'aiplatform.googleapis.com' for consumer "
                                    "'project_number:123456789'."), "RESOURCE_EXHAUSTED")
        body["error"]["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
                                     "domain": "googleapis.com",
                                     "metadata": {"service": "aiplatform.googleapis.com",
                                                  "consumer": "projects/123456789",
                                                  "quota_metric": "aiplatform.googleapis.com/resource_management_requests"}}]
    else:
        body = google_error(code, f.get("message", "fake fault %d" % code),
                            f.get("grpc", STATUS_NAMES.get(code, "UNKNOWN")))
        if not body["error"]["status"]:  # "grpc": "": no status (Cloud Storage's JSON API errors have none)
            del body["error"]["status"]
    if "retry_delay" in f:
        body["error"].setdefault("details", []).append(
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f["retry_delay"]})
    return code, body, {"Retry-After": f["retry_after"]} if "retry_after" in f else {}


STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                408: "DEADLINE_EXCEEDED", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # ---- plumbing ----
    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return raw, json.loads(raw) if raw else None
        except ValueError:
            return raw, raw.decode("utf-8", "replace")

    def record(self, parsed, raw, body, fault):
        entry = {"method": self.command, "path": parsed.path,
                 "query": urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
                 "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                 "body_len": len(raw), "body_sha256": hashlib.sha256(raw).hexdigest(), "fault": fault}
        with open(os.path.join(STATE, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def send(self, code, payload, headers=None):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json" if not isinstance(payload, bytes) else
                         "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def truncate(self, code, payload):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    # ---- dispatch ----
    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        parsed = urllib.parse.urlsplit(self.path)
        raw, body = self.read_body()
        with LOCK:
            fault = take_fault(self.command, parsed.path)
        self.record(parsed, raw, body, fault)
        if isinstance(fault, dict):
            return self.send(*error_fault(fault))
        if fault and fault.startswith("slow:"):
            time.sleep(float(fault.split(":")[1]))
            fault = None
        if fault == "reset":
            return self.reset()
        if fault and fault[0].isdigit():
            code, _, extra = fault.partition(":")
            code = int(code)
            if extra and not extra[0].isdigit():  # "409:ABORTED": that google.rpc.Code name
                return self.send(code, google_error(code, "fake fault %d %s" % (code, extra), extra))
            headers = {"Retry-After": extra} if extra else {}
            return self.send(code, google_error(code, "fake fault %d" % code, STATUS_NAMES.get(code, "UNKNOWN")),
                             headers)
        with LOCK:
            code, payload, headers = self.route(parsed, raw, body)
        if fault == "lost":
            return self.send(503, google_error(503, "The service is currently unavailable.", "UNAVAILABLE"))
        if fault == "truncate":
            return self.truncate(code, payload)
        if fault == "unseen" and code == 200 and isinstance(payload, dict):
            payload = {"total_size": 0}  # a ListExperiments that ran just before someone's create
        if fault and fault.startswith("token:") and code == 200 and isinstance(payload, dict):
            payload = dict(payload, nextPageToken=fault[len("token:"):])
        self.send(code, payload, headers)

    def route(self, parsed, raw, body):
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        if path == "/computeMetadata/v1/instance/service-accounts/default/token":
            return self.metadata()
        if path == "/token":
            return self.oauth_token(raw)
        if path.startswith("/apis/v2beta1/"):
            return self.kfp(path, query, body)
        denied = self.check_token()
        if denied:
            return denied
        m = re.fullmatch(r"/v1/projects/([^/]+)/locations/([^/]+)/pipelineJobs(?:/([^/:]+)(:cancel)?)?", path)
        if m:
            return self.vertex(m, query, body)
        m = re.fullmatch(r"/storage/v1/b/([^/]+)/o(?:/(.+))?", path)
        if m:
            return self.storage(m, query)
        m = re.fullmatch(r"/upload/storage/v1/b/([^/]+)/o", path)
        if m and self.command == "POST":
            return self.upload(m.group(1), query, raw)
        return 404, google_error(404, "no such API in the fake: " + path, "NOT_FOUND"), None

    def check_token(self):
        accept = state_file("tokens.json", {}).get("accept")
        if accept is None:
            return None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer ") and auth[7:] in accept:
            return None
        return 401, google_error(401, "Request had invalid authentication credentials. Expected OAuth 2 access "
                                      "token, login cookie or other valid authentication credential.",
                                 "UNAUTHENTICATED"), None

    # ---- metadata server ----
    def metadata(self):
        if self.headers.get("Metadata-Flavor") != "Google":
            return 403, b"Missing Metadata-Flavor:Google header.", None
        tokens = state_file("tokens.json", {}).get("metadata", ["fake-metadata-token-s3cr3t"])
        token = tokens[min(METADATA_CALLS[0], len(tokens) - 1)]
        METADATA_CALLS[0] += 1
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}, None

    # ---- OAuth 2.0 token endpoint ----
    def oauth_token(self, raw):
        def refuse(error, description, code=400):
            return code, {"error": error, "error_description": description}, None
        if self.command != "POST":
            return 405, b"Method Not Allowed", None
        if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return refuse("invalid_request", "Invalid Content-Type; expected application/x-www-form-urlencoded")
        form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        one = lambda k: (form.get(k) or [""])[0]
        conf = state_file("oauth.json", {})
        grant = one("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            problem = self.check_assertion(one("assertion"), conf)
            if problem:
                return refuse(*problem)
        elif grant == "refresh_token":
            client = conf.get("clients", {}).get(one("client_id"))
            if client is None or client.get("secret") != one("client_secret"):
                return refuse("invalid_client", "The OAuth client was not found.", 401)
            if one("refresh_token") not in client.get("refresh_tokens", []):
                return refuse("invalid_grant", "Token has been expired or revoked.")
        else:
            return refuse("unsupported_grant_type", "Invalid grant_type: " + grant)
        tokens = conf.get("tokens", ["fake-oauth-token-s3cr3t"])
        if tokens != OAUTH_CALLS[1]:
            OAUTH_CALLS[0:2] = [0, tokens]
        token = tokens[min(OAUTH_CALLS[0], len(tokens) - 1)]
        OAUTH_CALLS[0] += 1
        return 200, {"access_token": token, "expires_in": conf.get("expires_in", 3599),
                     "scope": "https://www.googleapis.com/auth/cloud-platform", "token_type": "Bearer"}, \
            {"Cache-Control": "no-store", "Pragma": "no-cache"}

    def check_assertion(self, assertion, conf):
        """None when the JWT is one Google would take, else (error, description)."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        def unb64(part):
            return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        parts = assertion.split(".")
        if len(parts) != 3 or any("=" in p for p in parts):
            return "invalid_request", "Invalid JWT: expected three base64url parts without padding"
        try:
            header, claims, signature = json.loads(unb64(parts[0])), json.loads(unb64(parts[1])), unb64(parts[2])
        except ValueError:
            return "invalid_grant", "Invalid JWT: the header or claims are not base64url JSON."
        key = conf.get("keys", {}).get(header.get("kid"))
        if header.get("alg") != "RS256" or header.get("typ", "JWT") != "JWT":
            return "invalid_grant", "Invalid JWT: alg must be RS256."
        if key is None:
            return "invalid_grant", "Invalid grant: account not found"
        public = serialization.load_pem_public_key(key["public_key"].encode())
        try:
            public.verify(signature, (parts[0] + "." + parts[1]).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return "invalid_grant", "Invalid JWT Signature."
        now = time.time()
        aud = "http://127.0.0.1:%d/token" % self.server.server_address[1]
        if claims.get("iss") != key["email"]:
            return "invalid_grant", "Invalid grant: account not found"
        if claims.get("aud") != aud:
            return "invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + aud
        if not isinstance(claims.get("scope"), str) or not claims["scope"]:
            return "invalid_scope", "Invalid OAuth scope or ID token audience provided."
        iat, exp = claims.get("iat"), claims.get("exp")
        if (not isinstance(iat, int) or not isinstance(exp, int) or abs(iat - now) > 300 or exp <= now
                or exp - iat > 3600):
            return "invalid_grant", ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                                     "reasonable timeframe. Check your iat and exp values in the JWT claim.")
        return None

    # ---- Vertex AI ----
    def job_view(self, entry):
        """A Vertex PipelineJob as GET returns it: state PIPELINE_STATE_*, jobDetail.taskDetails."""
        script = state_file("script.json", DEFAULT_SCRIPT)
        job = dict(entry["job"])
        if entry["cancelled"]:
            job["state"] = "PIPELINE_STATE_CANCELLED"
            return job
        frame = script[min(entry["polls"], len(script) - 1)]
        entry["polls"] += 1
        job["state"] = "PIPELINE_STATE_" + frame["state"]
        if frame["state"] == "FAILED":
            job["error"] = {"code": 9, "message": "The DAG failed because some tasks failed."}
        tasks = [{"taskId": "1", "taskName": job["pipelineSpec"]["pipelineInfo"]["name"], "state": "RUNNING"},
                 {"taskId": "2", "parentTaskId": "1", "taskName": "for-loop-1", "state": "RUNNING"}]
        tasks += [{"taskId": str(10 + i), "parentTaskId": "2", "taskName": n, "state": s}
                  for i, (n, s) in enumerate(frame["tasks"])]
        job["jobDetail"] = {"pipelineContext": {}, "taskDetails": tasks}
        return job

    def vertex(self, m, query, body):
        project, region, job_id, cancel = m.groups()
        parent = "projects/%s/locations/%s" % (project, region)
        if job_id is None and self.command == "POST":
            job_id = (query.get("pipelineJobId") or ["generated-0001"])[0]
            name = parent + "/pipelineJobs/" + job_id
            if name in JOBS:
                return 409, google_error(409, "PipelineJob %s already exists." % name, "ALREADY_EXISTS"), None
            if not isinstance(body, dict) or not isinstance(body.get("pipelineSpec"), dict):
                return 400, google_error(400, "Invalid JSON payload: pipelineSpec must be an object.",
                                         "INVALID_ARGUMENT"), None
            job = dict(body, name=name, state="PIPELINE_STATE_PENDING", createTime="2026-11-24T20:00:00Z")
            JOBS[name] = {"job": job, "polls": 0, "cancelled": False}
            return 200, job, None
        name = parent + "/pipelineJobs/%s" % job_id
        entry = JOBS.get(name)
        if entry is None:
            return 404, google_error(404, 'The PipelineJob "%s" does not exist.' % name, "NOT_FOUND"), None
        if cancel and self.command == "POST":
            entry["cancelled"] = True
            return 200, {}, None
        if self.command == "GET" and not cancel:
            return 200, self.job_view(entry), None
        return 400, google_error(400, "bad request", "INVALID_ARGUMENT"), None

    # ---- Kubeflow Pipelines (v2beta1) ----
    # Answers follow kubeflow/pipelines backend/api/v2beta1/run.proto and experiment.proto (paths
    # from their google.api.http options; filter.proto for ListExperiments' filter) and the
    # generated swagger (backend/api/v2beta1/swagger/run.swagger.json, experiment.swagger.json):
    # fields by their proto names (snake_case), enums by value name — RuntimeState is PENDING,
    # RUNNING, SUCCEEDED, SKIPPED, FAILED, CANCELING, CANCELED, PAUSED with no prefix — and
    # timestamps in RFC 3339. Errors are the gateway's runtimeError (swagger definition) built as the
    # API server does (backend/src/common/util/error.go ToGRPCError): "error" and "message" carry the
    # wrapped internal error, "code" the google.rpc.Code, details one api.Error.
    # Multi-user mode (kfp.json {"multi_user": true}) behaves as backend/src/apiserver/server/
    # run_server.go, experiment_server.go and resource_manager.go GetValidExperimentNamespacePair do:
    # a run needs an experiment_id, experiments need a namespace (create and list); the caller is
    # named by the user-identity header (kfp.json "user_header", default kubeflow-userid as Kubeflow's
    # manifests set KUBEFLOW_USERID_HEADER) or a bearer token. Single-user mode puts a run without
    # experiment_id into the experiment "Default".
    def kfp_error(self, code, internal, external):
        http = {3: 400, 5: 404, 6: 409, 16: 401}[code]
        return http, {"error": internal, "code": code, "message": internal,
                      "details": [{"@type": "type.googleapis.com/api.Error", "error_message": external,
                                   "error_details": internal}]}, None

    def kfp(self, path, query, body):
        tokens = state_file("tokens.json", {}).get("kfp")
        auth = self.headers.get("Authorization", "")
        if tokens is not None and auth[7:] not in tokens:
            return self.kfp_error(16, "Unauthenticated", "Unauthenticated")
        conf = state_file("kfp.json", {})
        multi = bool(conf.get("multi_user"))
        if multi and not auth and not self.headers.get(conf.get("user_header", "kubeflow-userid")):
            msg = "Request header error: there is no user identity header."
            return self.kfp_error(16, msg, msg)
        body = body if isinstance(body, dict) else {}
        if path == "/apis/v2beta1/experiments":
            if self.command == "POST":
                return self.kfp_create_experiment(body, multi)
            return self.kfp_list_experiments(query, multi)
        if path == "/apis/v2beta1/runs" and self.command == "POST":
            return self.kfp_create_run(body, multi)
        m = re.fullmatch(r"/apis/v2beta1/runs/([^/:]+)(:terminate)?", path)
        entry = RUNS.get(m.group(1)) if m else None
        if entry is None:
            what = "terminate" if m and m.group(2) else "get"
            msg = "Run %s not found." % (m.group(1) if m else path)
            return self.kfp_error(5, "Failed to %s a run: ResourceNotFoundError: %s" % (what, msg), msg)
        if m.group(2) and self.command == "POST":
            if entry["job"]["state"] not in ("SUCCEEDED", "SKIPPED", "FAILED", "CANCELED"):
                entry["terminated"] = True
            return 200, {}, None
        return 200, self.kfp_run_view(entry), None

    def kfp_experiment(self, name, namespace):
        exp_id = "11111111-0000-4000-8000-%012d" % (len(EXPERIMENTS) + 1)
        exp = {"experiment_id": exp_id, "display_name": name, "created_at": "2026-11-24T19:00:00Z",
               "namespace": namespace, "storage_state": "AVAILABLE",
               "last_run_created_at": "1970-01-01T00:00:00Z"}
        EXPERIMENTS[exp_id] = exp
        return exp

    def kfp_create_experiment(self, body, multi):
        name, namespace = body.get("display_name", ""), body.get("namespace", "") if multi else ""
        if not name:
            msg = "Experiment must have a non-empty name"
            return self.kfp_error(3, "Failed to create a experiment: Invalid input error: " + msg, msg)
        if multi and not namespace:
            msg = "An experiment cannot have an empty namespace in multi-user mode"
            return self.kfp_error(3, "Failed to create a experiment: Failed to authorize the request: "
                                     "Invalid input error: " + msg, msg)
        if any(e["display_name"] == name and e["namespace"] == namespace for e in EXPERIMENTS.values()):
            msg = "Failed to create a new experiment. The name %s already exist. Please specify a new name." % name
            return self.kfp_error(6, "Failed to create a experiment: Already exist error: " + msg, msg)
        return 200, self.kfp_experiment(name, namespace), None

    def kfp_list_experiments(self, query, multi):
        namespace = query.get("namespace", [""])[0] if multi else ""
        if multi and not namespace:
            msg = "An experiment cannot have an empty namespace in multi-user mode"
            return self.kfp_error(3, "List experiments failed: Failed to authorize with API: Invalid input error: "
                                     + msg, msg)
        found = [e for e in EXPERIMENTS.values() if e["namespace"] == namespace]
        raw = query.get("filter", [""])[0]
        for pred in (json.loads(raw).get("predicates", []) if raw else []):
            op = pred.get("operation", pred.get("op"))
            value = pred.get("string_value", pred.get("stringValue"))
            if op != "EQUALS" or pred.get("key") not in ("display_name", "experiment_id") or value is None:
                msg = "the fake filters experiments by display_name or experiment_id EQUALS a string only"
                return self.kfp_error(3, "Failed to create list options: Invalid input error: " + msg, msg)
            found = [e for e in found if e[pred["key"]] == value]
        out = {"total_size": len(found)}
        if found:  # proto3 JSON leaves an empty repeated field out
            out["experiments"] = found
        return 200, out, None

    def kfp_create_run(self, body, multi):
        def invalid(msg, why="Failed to create a run due to invalid experimentId and namespace combination: "):
            return self.kfp_error(3, "Failed to create a new run: " + why + "Invalid input error: " + msg, msg)
        if not body.get("display_name"):
            return invalid("The run name is empty. Please specify a valid name",
                           "Failed to create a run due to invalid name: ")
        exp_id = body.get("experiment_id", "")
        if multi and not exp_id:
            return invalid("Experiment id can not be empty in multi-user mode")
        if exp_id and exp_id not in EXPERIMENTS:
            msg = "Experiment %s not found." % exp_id
            return self.kfp_error(5, "Failed to create a new run: Failed to create a run due to invalid experimentId "
                                     "and namespace combination: Failed to fetch namespace for experiment %s: "
                                     "ResourceNotFoundError: %s" % (exp_id, msg), msg)
        if not exp_id:
            default = [e for e in EXPERIMENTS.values() if e["display_name"] == "Default" and not e["namespace"]]
            exp_id = (default[0] if default else self.kfp_experiment("Default", ""))["experiment_id"]
        run_id = "00000000-0000-4000-8000-%012d" % (len(RUNS) + 1)
        run = {"experiment_id": exp_id, "run_id": run_id, "display_name": body["display_name"],
               "storage_state": "AVAILABLE", "pipeline_spec": body.get("pipeline_spec"),
               "runtime_config": body.get("runtime_config"), "created_at": "2026-11-24T20:00:00Z",
               "scheduled_at": "2026-11-24T20:00:00Z", "state": "PENDING",
               "state_history": [{"update_time": "2026-11-24T20:00:00Z", "state": "PENDING"}]}
        if body.get("service_account"):
            run["service_account"] = body["service_account"]
        RUNS[run_id] = {"job": run, "polls": 0, "terminated": False}
        return 200, run, None

    def kfp_run_view(self, entry):
        """GetRun: the run's state from script.json (or CANCELING, then CANCELED, after :terminate) and
        run_details.task_details as KFP v2 on Argo reports them: for each container task its driver
        ("<task>-driver"), the task, and the Argo-level "executor" task inside it
        (backend/src/v2/compiler/argocompiler/container.go), under root and for-loop-1."""
        run = entry["job"]
        if entry["terminated"]:
            state = "CANCELING" if run["state"] != "CANCELING" else "CANCELED"
            tasks = []
        else:
            script = state_file("script.json", DEFAULT_SCRIPT)
            frame = script[min(entry["polls"], len(script) - 1)]
            entry["polls"] += 1
            state, tasks = frame["state"], frame["tasks"]
        if state != run["state"]:
            run["state"] = state
            run["state_history"] = run["state_history"] + [{"update_time": "2026-11-24T20:0%d:00Z" % min(
                len(run["state_history"]), 9), "state": state}]
        if state in ("SUCCEEDED", "SKIPPED", "FAILED", "CANCELED"):
            run["finished_at"] = "2026-11-24T20:09:00Z"
        if state == "FAILED":
            run["error"] = {"code": 2, "message": "The DAG failed because some tasks failed.", "details": []}
        rid = run["run_id"]

        def task(tid, name, st, parent=None):
            t = {"run_id": rid, "task_id": tid, "display_name": name, "create_time": "2026-11-24T20:01:00Z",
                 "state": st, "pod_name": "%s-%s" % (name, tid[-4:])}
            if parent:
                t["parent_task_id"] = parent
            return t
        details = [task("t-root-driver", "root-driver", "SUCCEEDED"), task("t-root", "root", state),
                   task("t-loop-driver", "for-loop-1-driver", "SUCCEEDED", "t-root"),
                   task("t-loop", "for-loop-1", state, "t-root")]
        for i, (name, st) in enumerate(tasks):
            details.append(task("t-%04d-driver" % i, name + "-driver", "RUNNING" if st == "PENDING" else "SUCCEEDED",
                                "t-loop"))
            if st != "PENDING":
                details.append(task("t-%04d" % i, name, st, "t-loop"))
                details.append(task("t-%04d-executor" % i, "executor", st, "t-%04d" % i))
        view = dict(run)
        view["run_details"] = {"pipeline_context_id": "7", "pipeline_run_context_id": "8", "task_details": details}
        return view

    # ---- Cloud Storage ----
    def storage(self, m, query):
        bucket, obj = m.group(1), m.group(2)
        root = os.path.join(STATE, "gcs", bucket)
        if not os.path.isdir(root):
            return 404, google_error(404, "The specified bucket does not exist.", "NOT_FOUND"), None
        if obj is not None:
            return self.media(root, bucket, urllib.parse.unquote(obj), query)
        return self.listing(root, query)

    def listing(self, root, query):
        prefix = query.get("prefix", [""])[0]
        delim = query.get("delimiter", [""])[0]
        start = int(query.get("pageToken", ["0"])[0] or 0)
        names = []
        for d, _, files in os.walk(root):
            for f in files:
                names.append(os.path.relpath(os.path.join(d, f), root))
        entries = []
        for n in sorted(names):
            if not n.startswith(prefix):
                continue
            rest = n[len(prefix):]
            if delim and delim in rest:
                p = prefix + rest[: rest.index(delim) + 1]
                if not entries or entries[-1] != ("p", p):
                    entries.append(("p", p))
            else:
                entries.append(("o", n))
        page = entries[start:start + PAGE_SIZE]
        out = {"kind": "storage#objects"}
        if any(k == "p" for k, _ in page):
            out["prefixes"] = [v for k, v in page if k == "p"]
        if any(k == "o" for k, _ in page):
            out["items"] = [{"kind": "storage#object", "name": v} for k, v in page if k == "o"]
        if start + PAGE_SIZE < len(entries):
            out["nextPageToken"] = str(start + PAGE_SIZE)
        return 200, out, None

    def media(self, root, bucket, obj, query):
        if query.get("alt") != ["media"]:
            return 400, google_error(400, "the fake serves objects with alt=media only", "INVALID_ARGUMENT"), None
        path = os.path.join(root, obj)
        if ".." in obj.split("/") or not os.path.isfile(path):
            return 404, google_error(404, "No such object: %s/%s" % (bucket, obj), "NOT_FOUND"), None
        with open(path, "rb") as f:
            data = f.read()
        rng = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if rng:
            start = int(rng.group(1))
            return 206, data[start:], {"Content-Range": "bytes %d-%d/%d" % (start, len(data) - 1, len(data))}
        return 200, data, None


    def upload(self, bucket, query, raw):
        """objects.insert, uploadType=media: the body is the object's bytes."""
        root = os.path.join(STATE, "gcs", bucket)
        name = query.get("name", [""])[0]
        if query.get("uploadType") != ["media"] or not name:
            return 400, google_error(400, "the fake takes uploadType=media with a name only", "INVALID_ARGUMENT"), None
        if not os.path.isdir(root):
            return 404, google_error(404, "The specified bucket does not exist.", "NOT_FOUND"), None
        path = os.path.join(root, name)
        if ".." in name.split("/") or name.startswith("/") or name.endswith("/"):
            return 400, google_error(400, "Invalid object name: " + name, "INVALID_ARGUMENT"), None
        match = query.get("ifGenerationMatch", [None])[0]
        generation = "1" if os.path.isfile(path) else "0"
        if match is not None and match != generation:
            return 412, google_error(412, "At least one of the pre-conditions you specified did not hold.",
                                     "FAILED_PRECONDITION"), None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "wb") as f:
            f.write(raw)
        os.replace(path + ".tmp", path)
        return 200, {"kind": "storage#object", "id": "%s/%s/1" % (bucket, name), "name": name, "bucket": bucket,
                     "generation": "1", "metageneration": "1",
                     "contentType": self.headers.get("Content-Type", "application/octet-stream"),
                     "size": str(len(raw)), "md5Hash": base64.b64encode(hashlib.md5(raw).digest()).decode()}, None


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # resets and truncations on purpose end handlers with socket errors


def main():
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_file = os.path.join(STATE, "port")
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
