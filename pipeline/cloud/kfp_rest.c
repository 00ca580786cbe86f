/*
 * kfp_rest.c — Kubeflow Pipelines v2beta1 runs over REST; see kfp_rest.h.
 */
#include "kfp_rest.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

#define DEFAULT_TOKEN_PATH "/var/run/secrets/kubeflow/pipelines/token"
#define RESPONSE_MAX (64u << 20)

static bool token_ok(const char *t)
{
	if (!*t)
		return false;
	for (; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
			return false;
	return true;
}

static int make_auth(struct kfp *k, const char *token, const char *from, struct err *e)
{
	if (!token_ok(token))
		return ERR(e, "%s: expected a bearer token without spaces or control characters", from);
	if (asprintf(&k->auth_header, "Authorization: Bearer %s", token) < 0) {
		k->auth_header = NULL;
		return ERR(e, "out of memory");
	}
	return 0;
}

static int token_from_file(struct kfp *k, const char *path, struct err *e)
{
	size_t len;
	char *text = fs_read_file(path, 64 << 10, &len, e);
	if (!text) {
		char why[ERR_MSG_MAX];
		snprintf(why, sizeof why, "%s", e->message);
		return ERR(e, "KF_PIPELINES_SA_TOKEN_PATH=%s: %s", path, why);
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		text[--len] = '\0';
	int rc = make_auth(k, text, path, e);
	explicit_bzero(text, len);
	free(text);
	return rc;
}

static int find_token(struct kfp *k, struct err *e)
{
	const char *path = getenv("KF_PIPELINES_SA_TOKEN_PATH");
	if (path && *path)
		return token_from_file(k, path, e);
	const char *token = getenv("KF_PIPELINES_TOKEN");
	if (token && *token)
		return make_auth(k, token, "KF_PIPELINES_TOKEN", e);
	if (access(DEFAULT_TOKEN_PATH, R_OK) == 0)
		return token_from_file(k, DEFAULT_TOKEN_PATH, e);
	return 0; /* a server without authentication (a local KFP) */
}

int kfp_open(struct kfp *k, const char *host, const char *user, struct err *e)
{
	memset(k, 0, sizeof *k);
	if (strncmp(host, "http://", 7) != 0 && strncmp(host, "https://", 8) != 0)
		return ERR(e, "--kfp-host \"%s\": expected an http:// or https:// URL", host);
	size_t len = strlen(host);
	while (len > 0 && host[len - 1] == '/')
		len--;
	k->host = strndup(host, len);
	if (!k->host)
		return ERR(e, "out of memory");
	if (user && (strpbrk(user, "\r\n") || asprintf(&k->user_header, "kubeflow-userid: %s", user) < 0)) {
		k->user_header = NULL;
		kfp_close(k);
		return ERR(e, "--kfp-user: expected a user name on one line");
	}
	if (find_token(k, e) != 0) {
		kfp_close(k);
		return -1;
	}
	k->http = http_client_new(NULL, e);
	if (!k->http) {
		kfp_close(k);
		return -1;
	}
	return 0;
}

void kfp_close(struct kfp *k)
{
	http_client_free(k->http);
	if (k->auth_header)
		explicit_bzero(k->auth_header, strlen(k->auth_header));
	free(k->auth_header);
	free(k->user_header);
	free(k->host);
	memset(k, 0, sizeof *k);
}

int kfp_check_run_id(const char *id, struct err *e)
{
	size_t n = strlen(id);
	if (n == 0 || n > 128)
		return ERR(e, "run id \"%s\": expected 1 to 128 characters", id);
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return ERR(e, "run id \"%s\": expected letters, digits and '-'", id);
	return 0;
}

void kfp_run_link(const struct kfp *k, const char *run_id, char *buf, size_t size)
{
	snprintf(buf, size, "%s/#/runs/details/%s", k->host, run_id);
}

/* One request; *out (may be NULL) gets the parsed answer, *status (may be NULL) the final HTTP
 * status (0 when none arrived). */
static int call_status(struct kfp *k, const char *method, const char *url, const json_t *body, bool idempotent,
		       json_t **out, long *status, struct err *e)
{
	if (out)
		*out = NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (body && !text)
		return ERR(e, "out of memory");
	const char *headers[4];
	size_t h = 0;
	if (k->auth_header)
		headers[h++] = k->auth_header;
	if (k->user_header)
		headers[h++] = k->user_header;
	headers[h++] = "Content-Type: application/json";
	headers[h] = NULL;
	struct http_request req = {.method = method, .url = url, .headers = headers, .idempotent = idempotent,
		.body = text, .body_len = text ? strlen(text) : 0, .max_body = RESPONSE_MAX};
	struct http_response resp;
	int rc = http_send(k->http, &req, &resp, e);
	if (status)
		*status = resp.status;
	if (rc != 0 && resp.status == 401) {
		size_t len = strlen(e->message);
		snprintf(e->message + len, sizeof e->message - len, " (%s)", k->auth_header
			 ? "the Kubeflow Pipelines token was refused" : "no token was sent: set KF_PIPELINES_SA_TOKEN_PATH");
	}
	free(text);
	if (rc == 0 && out) {
		json_error_t je;
		*out = json_loadb(resp.body ? resp.body : "", resp.body_len, 0, &je);
		if (!*out) {
			char shown[1024];
			rc = ERR(e, "%s %s: expected a JSON response (%s)", method, http_redact_url(url, shown, sizeof shown), je.text);
		}
	}
	http_response_free(&resp);
	return rc;
}

static int call(struct kfp *k, const char *method, const char *url, const json_t *body, bool idempotent,
		json_t **out, struct err *e)
{
	return call_status(k, method, url, body, idempotent, out, NULL, e);
}

json_t *kfp_create_body(const struct kfp_create *c)
{
	json_t *body = json_object(), *runtime = json_object();
	if (!body || !runtime) {
		json_decref(body);
		json_decref(runtime);
		return NULL;
	}
	int rc = json_object_set_new(body, "display_name", json_string(c->display_name));
	if (c->experiment_id)
		rc |= json_object_set_new(body, "experiment_id", json_string(c->experiment_id));
	rc |= json_object_set_new(body, "pipeline_spec", json_deep_copy(c->pipeline_spec));
	if (c->parameters && json_object_size(c->parameters) > 0)
		rc |= json_object_set_new(runtime, "parameters", json_deep_copy(c->parameters));
	rc |= json_object_set_new(runtime, "pipeline_root", json_string(c->pipeline_root));
	rc |= json_object_set_new(body, "runtime_config", runtime);
	if (c->service_account)
		rc |= json_object_set_new(body, "service_account", json_string(c->service_account));
	if (rc != 0) {
		json_decref(body);
		return NULL;
	}
	return body;
}

int kfp_create_run(struct kfp *k, const struct kfp_create *c, json_t **run, struct err *e)
{
	json_t *body = kfp_create_body(c);
	char *url = NULL;
	if (!body || asprintf(&url, "%s/apis/v2beta1/runs", k->host) < 0) {
		json_decref(body);
		return ERR(e, "out of memory");
	}
	int rc = call(k, "POST", url, body, false, run, e);
	json_decref(body);
	free(url);
	return rc;
}

int kfp_get_run(struct kfp *k, const char *run_id, json_t **run, struct err *e)
{
	char *url;
	if (kfp_check_run_id(run_id, e) != 0)
		return -1;
	if (asprintf(&url, "%s/apis/v2beta1/runs/%s", k->host, run_id) < 0)
		return ERR(e, "out of memory");
	int rc = call(k, "GET", url, NULL, true, run, e);
	free(url);
	return rc;
}

int kfp_terminate_run(struct kfp *k, const char *run_id, struct err *e)
{
	char *url;
	if (kfp_check_run_id(run_id, e) != 0)
		return -1;
	if (asprintf(&url, "%s/apis/v2beta1/runs/%s:terminate", k->host, run_id) < 0)
		return ERR(e, "out of memory");
	json_t *empty = json_object();
	int rc = call(k, "POST", url, empty, true, NULL, e);
	json_decref(empty);
	free(url);
	return rc;
}

/* ---- experiments ---- */

/* GET /apis/v2beta1/experiments filtered to display_name == name (filter.proto's Filter as JSON,
 * URL-encoded, as ListExperimentsRequest.filter says), in `namespace` when given. *found gets the
 * matching Experiment (new reference) or NULL. */
static int find_experiment(struct kfp *k, const char *name, const char *namespace, json_t **found, struct err *e)
{
	*found = NULL;
	json_t *filter = json_pack("{s:[{s:s, s:s, s:s}]}", "predicates", "key", "display_name", "operation", "EQUALS",
				   "string_value", name);
	char *text = filter ? json_dumps(filter, JSON_COMPACT) : NULL;
	json_decref(filter);
	char *q_filter = text ? http_escape(text) : NULL, *q_ns = namespace ? http_escape(namespace) : NULL, *url = NULL;
	free(text);
	int rc = -1;
	if (!q_filter || (namespace && !q_ns) ||
	    asprintf(&url, "%s/apis/v2beta1/experiments?filter=%s%s%s&page_size=10", k->host, q_filter,
		     namespace ? "&namespace=" : "", namespace ? q_ns : "") < 0) {
		url = NULL;
		ERR(e, "out of memory");
		goto done;
	}
	json_t *list = NULL;
	if (call(k, "GET", url, NULL, true, &list, e) != 0)
		goto done;
	size_t i;
	json_t *exp;
	json_array_foreach(json_object_get(list, "experiments"), i, exp)
	{
		const char *shown = json_string_value(json_object_get(exp, "display_name"));
		if (shown && strcmp(shown, name) == 0 && json_is_string(json_object_get(exp, "experiment_id"))) {
			*found = json_incref(exp);
			break;
		}
	}
	json_decref(list);
	rc = 0;
done:
	free(q_filter);
	free(q_ns);
	free(url);
	return rc;
}

int kfp_experiment(struct kfp *k, const char *name, const char *namespace, char **experiment_id, bool *created,
		   struct err *e)
{
	*experiment_id = NULL;
	*created = false;
	json_t *exp = NULL;
	char where[300] = "";
	if (namespace)
		snprintf(where, sizeof where, " in namespace %s", namespace);
	if (find_experiment(k, name, namespace, &exp, e) != 0)
		return -1;
	if (!exp) {
		json_t *body = json_pack("{s:s}", "display_name", name);
		char *url = NULL;
		if (!body || (namespace && json_object_set_new(body, "namespace", json_string(namespace)) != 0) ||
		    asprintf(&url, "%s/apis/v2beta1/experiments", k->host) < 0) {
			json_decref(body);
			return ERR(e, "out of memory");
		}
		/* Not retried once it may have reached the server: the id is the server's. */
		long status = 0;
		int rc = call_status(k, "POST", url, body, false, &exp, &status, e);
		json_decref(body);
		free(url);
		if (rc != 0) {
			/* 409: someone created it since we looked; take theirs. */
			struct err again;
			if (status != 409 || find_experiment(k, name, namespace, &exp, &again) != 0 || !exp)
				return -1;
		} else {
			*created = true;
		}
	}
	const char *id = json_string_value(json_object_get(exp, "experiment_id"));
	const char *storage = json_string_value(json_object_get(exp, "storage_state"));
	int rc = 0;
	if (!id || kfp_check_run_id(id, e) != 0)
		rc = ERR(e, "experiment \"%s\"%s: the server gave no usable experiment_id", name, where);
	else if (storage && strcmp(storage, "ARCHIVED") == 0)
		rc = ERR(e, "experiment \"%s\"%s is archived: restore it in the Kubeflow Pipelines UI or choose another --experiment",
			 name, where);
	else if (!(*experiment_id = strdup(id)))
		rc = ERR(e, "out of memory");
	json_decref(exp);
	return rc;
}
