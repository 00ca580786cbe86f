/*
 * vertex.c — Vertex AI Pipelines REST calls and the API's naming rules; see vertex.h.
 */
#include "vertex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOB_ID_MAX 127
#define LABEL_MAX 64
#define RESPONSE_MAX (64u << 20)
#define VERTEX_ABORTED_TRIES 3 /* creates sent in all while the server answers 409 ABORTED */

int vertex_check_job_id(const char *id, struct err *e)
{
	size_t n = strlen(id);
	if (n == 0 || n > JOB_ID_MAX)
		return ERR(e, "job id \"%s\": expected 1 to %d characters", id, JOB_ID_MAX);
	if (!(id[0] >= 'a' && id[0] <= 'z'))
		return ERR(e, "job id \"%s\": expected a lowercase letter first", id);
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return ERR(e, "job id \"%s\": expected only lowercase letters, digits and '-'", id);
	return 0;
}

/* Length of the UTF-8 sequence starting at s (0 for an invalid one). */
static size_t utf8_len(const unsigned char *s)
{
	size_t len = *s < 0x80 ? 1 : (*s >> 5) == 6 ? 2 : (*s >> 4) == 14 ? 3 : (*s >> 3) == 30 ? 4 : 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] >> 6) != 2)
			return 0;
	return len;
}

/* Count code points; -1 when a character is not allowed in a label. */
static long label_chars(const char *s)
{
	long count = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; count++) {
		size_t len = utf8_len(p);
		if (len == 0)
			return -1;
		if (len == 1 && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return -1;
		p += len;
	}
	return count;
}

int vertex_check_label(const char *key, const char *value, struct err *e)
{
	long k = label_chars(key), v = label_chars(value);
	if (k == 0)
		return ERR(e, "label \"=%s\": expected a key", value);
	if (k < 0 || v < 0)
		return ERR(e, "label \"%s=%s\": expected only lowercase letters, digits, '_' and '-'", key, value);
	if (k > LABEL_MAX || v > LABEL_MAX)
		return ERR(e, "label \"%s=%s\": keys and values are at most %d characters", key, value, LABEL_MAX);
	if (key[0] >= '0' && key[0] <= '9')
		return ERR(e, "label \"%s=%s\": expected the key to start with a letter", key, value);
	if (key[0] == '_' || key[0] == '-')
		return ERR(e, "label \"%s=%s\": expected the key to start with a letter", key, value);
	if (strcmp(key, "vertex-ai-pipelines-run-billing-id") == 0)
		return ERR(e, "label \"%s\": reserved by Vertex AI Pipelines", key);
	return 0;
}

void vertex_make_job_id(const char *pipeline_name, time_t now, char *buf, size_t size)
{
	char stamp[32];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "-%Y%m%d%H%M%S", &tm);
	char name[JOB_ID_MAX + 1];
	size_t room = JOB_ID_MAX - strlen(stamp) - 4, o = 0;
	for (const char *p = pipeline_name; *p && o < room; p++) {
		char c = (char)tolower((unsigned char)*p);
		name[o++] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '-';
	}
	name[o] = '\0';
	bool letter_first = name[0] >= 'a' && name[0] <= 'z';
	snprintf(buf, size, "%s%s%s", letter_first ? "" : (o ? "job-" : "job"), name, stamp);
}

/* Non-empty, lowercase letters, digits, '-' and the extra characters: safe inside a URL path. */
static bool name_ok(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || (*s && strchr(extra, *s))))
			return false;
	return true;
}

int vertex_parse_job(const char *job, const char *project, const char *region, struct vertex_job_ref *ref,
		     struct err *e)
{
	memset(ref, 0, sizeof *ref);
	if (strncmp(job, "projects/", 9) == 0) {
		char p[256], r[64], id[160], rest;
		if (sscanf(job, "projects/%255[^/]/locations/%63[^/]/pipelineJobs/%159[^/]%c", p, r, id, &rest) != 3)
			return ERR(e, "job \"%s\": expected projects/PROJECT/locations/REGION/pipelineJobs/ID", job);
		snprintf(ref->project, sizeof ref->project, "%s", p);
		snprintf(ref->region, sizeof ref->region, "%s", r);
		snprintf(ref->id, sizeof ref->id, "%s", id);
	} else {
		if (!project || !region)
			return ERR(e, "job \"%s\": give the full name projects/P/locations/R/pipelineJobs/ID, or --project and --region", job);
		if (strchr(job, '/'))
			return ERR(e, "job \"%s\": expected a job id or projects/P/locations/R/pipelineJobs/ID", job);
		if (strlen(project) >= sizeof ref->project || strlen(region) >= sizeof ref->region ||
		    strlen(job) >= sizeof ref->id)
			return ERR(e, "job \"%s\": name too long", job);
		snprintf(ref->project, sizeof ref->project, "%s", project);
		snprintf(ref->region, sizeof ref->region, "%s", region);
		snprintf(ref->id, sizeof ref->id, "%s", job);
	}
	if (!name_ok(ref->region, ""))
		return ERR(e, "region \"%s\": expected lowercase letters, digits and '-'", ref->region);
	if (!name_ok(ref->project, ".:"))
		return ERR(e, "project \"%s\": expected a project id (lowercase letters, digits, '-')", ref->project);
	if (!name_ok(ref->id, ""))
		return ERR(e, "job id \"%s\": expected lowercase letters, digits and '-'", ref->id);
	return 0;
}

void vertex_console_link(const struct vertex_job_ref *ref, char *buf, size_t size)
{
	snprintf(buf, size, "https://console.cloud.google.com/vertex-ai/locations/%s/pipelines/runs/%s?project=%s",
		 ref->region, ref->id, ref->project);
}

int vertex_open(struct vertex *v, const char *region, const char *api_endpoint, struct err *e)
{
	memset(v, 0, sizeof *v);
	int n;
	if (api_endpoint) {
		size_t len = strlen(api_endpoint);
		while (len > 0 && api_endpoint[len - 1] == '/')
			len--;
		if (!http_url_safe_for_tokens(api_endpoint))
			return ERR(e, "--api-endpoint \"%s\": expected an https:// URL (tokens never travel unencrypted)",
				   api_endpoint);
		n = asprintf(&v->base, "%.*s", (int)len, api_endpoint);
	} else {
		n = asprintf(&v->base, "https://%s-aiplatform.googleapis.com", region);
	}
	if (n < 0) {
		v->base = NULL;
		return ERR(e, "out of memory");
	}
	v->http = http_client_new(NULL, e);
	if (!v->http) {
		free(v->base);
		v->base = NULL;
		return -1;
	}
	return 0;
}

void vertex_close(struct vertex *v)
{
	http_client_free(v->http);
	gauth_clear(&v->auth);
	free(v->base);
	memset(v, 0, sizeof *v);
}

/* ---- requests ---- */

/* Send a JSON request with the token; a 401 from a refreshable token is retried once with a new one.
 * *out (may be NULL) gets the parsed response body. *status the final HTTP status. */
static int call(struct vertex *v, const char *method, const char *url, const json_t *body, bool idempotent,
		json_t **out, struct http_response *resp, struct err *e)
{
	if (out)
		*out = NULL;
	memset(resp, 0, sizeof *resp);
	if (gauth_get(&v->auth, e) != 0) /* the token held, unless it is about to expire */
		return -1;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (body && !text)
		return ERR(e, "out of memory");
	const char *headers[3] = {v->auth.header, "Content-Type: application/json", NULL};
	struct http_request req = {.method = method, .url = url, .headers = headers, .idempotent = idempotent,
		.body = text, .body_len = text ? strlen(text) : 0, .max_body = RESPONSE_MAX};
	int rc = http_send(v->http, &req, resp, e);
	if (rc != 0 && resp->status == 401) {
		struct err refresh_e;
		if (v->auth.source == GAUTH_ENV || gauth_refresh(&v->auth, &refresh_e) != 0) {
			gauth_explain_refusal(&v->auth, e);
		} else {
			int attempts = resp->attempts;
			http_response_free(resp);
			headers[0] = v->auth.header;
			rc = http_send(v->http, &req, resp, e);
			resp->attempts += attempts;
			if (rc != 0 && resp->status == 401)
				gauth_explain_refusal(&v->auth, e);
		}
	}
	free(text);
	if (rc != 0 || !out)
		return rc;
	json_error_t je;
	*out = json_loadb(resp->body ? resp->body : "", resp->body_len, 0, &je);
	if (!*out) {
		char shown[1024];
		return ERR(e, "%s %s: expected a JSON response (%s)", method, http_redact_url(url, shown, sizeof shown), je.text);
	}
	return 0;
}

static int set_string(json_t *obj, const char *key, const char *value)
{
	return value ? json_object_set_new(obj, key, json_string(value)) : 0;
}

json_t *vertex_create_body(const struct vertex_create *c)
{
	json_t *body = json_object(), *runtime = json_object();
	if (!body || !runtime) {
		json_decref(body);
		json_decref(runtime);
		return NULL;
	}
	int rc = set_string(body, "displayName", c->display_name);
	rc |= json_object_set_new(body, "pipelineSpec", json_deep_copy(c->pipeline_spec));
	rc |= set_string(runtime, "gcsOutputDirectory", c->gcs_output_directory);
	if (c->parameter_values && json_object_size(c->parameter_values) > 0)
		rc |= json_object_set_new(runtime, "parameterValues", json_deep_copy(c->parameter_values));
	rc |= json_object_set_new(body, "runtimeConfig", runtime);
	rc |= set_string(body, "serviceAccount", c->service_account);
	rc |= set_string(body, "network", c->network);
	if (c->labels && json_object_size(c->labels) > 0)
		rc |= json_object_set_new(body, "labels", json_deep_copy(c->labels));
	if (rc != 0) {
		json_decref(body);
		return NULL;
	}
	return body;
}

/* google.rpc.Status.status of an error body ({"error": {"status": "ALREADY_EXISTS"}}); "" when none. */
static const char *error_status(const struct http_response *resp, char *buf, size_t size)
{
	json_t *root = resp->body ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
	const char *status = json_string_value(json_object_get(json_object_get(root, "error"), "status"));
	snprintf(buf, size, "%s", status ? status : "");
	json_decref(root);
	return buf;
}

/* An earlier attempt created the job and only its answer was lost: fetch it, and make sure it is
 * ours (same displayName), not someone else's under the same id. */
static int take_existing(struct vertex *v, const struct vertex_create *c, json_t **job, struct err *e)
{
	struct vertex_job_ref ref;
	snprintf(ref.project, sizeof ref.project, "%s", c->project);
	snprintf(ref.region, sizeof ref.region, "%s", c->region);
	snprintf(ref.id, sizeof ref.id, "%s", c->job_id);
	if (vertex_get_job(v, &ref, job, e) != 0)
		return -1;
	const char *shown = json_string_value(json_object_get(*job, "displayName"));
	if (!shown || strcmp(shown, c->display_name) != 0) {
		ERR(e, "job id %s is taken by another job (\"%s\"); choose another --job-id", c->job_id, shown ? shown : "");
		json_decref(*job);
		*job = NULL;
		return -1;
	}
	return 0;
}

int vertex_create_job(struct vertex *v, const struct vertex_create *c, json_t **job, struct err *e)
{
	*job = NULL;
	if (vertex_check_job_id(c->job_id, e) != 0)
		return -1;
	json_t *body = vertex_create_body(c);
	char *url = NULL;
	if (!body || asprintf(&url, "%s/v1/projects/%s/locations/%s/pipelineJobs?pipelineJobId=%s", v->base,
			      c->project, c->region, c->job_id) < 0) {
		json_decref(body);
		return ERR(e, "out of memory");
	}
	int rc, attempts = 0;
	for (int round = 0;; round++) {
		struct http_response resp;
		char status[64];
		/* Idempotent because the id is in the request: a repeated POST cannot make a second job. */
		rc = call(v, "POST", url, body, true, job, &resp, e);
		attempts += resp.attempts;
		error_status(&resp, status, sizeof status);
		long http_status = resp.status;
		http_response_free(&resp);
		if (rc == 0 || http_status != 409)
			break;
		/* 409 is two google.rpc codes (AIP-193): ALREADY_EXISTS — the id is taken, by an earlier
		 * attempt of ours when there was one — and ABORTED — a concurrency conflict, nothing was
		 * done, the create may be tried again. A 409 without a status is taken as ALREADY_EXISTS. */
		if (strcmp(status, "ABORTED") == 0) {
			if (round + 1 < VERTEX_ABORTED_TRIES) {
				http_client_pause(v->http, round);
				continue;
			}
			size_t len = strlen(e->message);
			snprintf(e->message + len, sizeof e->message - len,
				 " (ABORTED %d times: a concurrent change conflicted with the create; the job was not made, "
				 "submit again)", VERTEX_ABORTED_TRIES);
		} else if (attempts > 1 && (!status[0] || strcmp(status, "ALREADY_EXISTS") == 0)) {
			rc = take_existing(v, c, job, e);
		}
		break;
	}
	json_decref(body);
	free(url);
	return rc;
}

static char *job_url(const struct vertex *v, const struct vertex_job_ref *ref, const char *suffix)
{
	char *url;
	if (asprintf(&url, "%s/v1/projects/%s/locations/%s/pipelineJobs/%s%s", v->base, ref->project, ref->region,
		     ref->id, suffix) < 0)
		return NULL;
	return url;
}

int vertex_get_job(struct vertex *v, const struct vertex_job_ref *ref, json_t **job, struct err *e)
{
	char *url = job_url(v, ref, "");
	if (!url)
		return ERR(e, "out of memory");
	struct http_response resp;
	int rc = call(v, "GET", url, NULL, true, job, &resp, e);
	http_response_free(&resp);
	free(url);
	return rc;
}

int vertex_cancel_job(struct vertex *v, const struct vertex_job_ref *ref, struct err *e)
{
	char *url = job_url(v, ref, ":cancel");
	if (!url)
		return ERR(e, "out of memory");
	struct http_response resp;
	json_t *empty = json_object();
	/* Cancelling twice is harmless, so the POST may be retried. */
	int rc = call(v, "POST", url, empty, true, NULL, &resp, e);
	json_decref(empty);
	http_response_free(&resp);
	free(url);
	return rc;
}
