/*
 * adc.c — Application Default Credentials files traded for access tokens; see adc.h.
 */
#include "adc.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "jwt.h"

#define FILE_MAX (1u << 20)   /* a key file is ~2.3 KB */
#define TOKEN_RESPONSE_MAX (64u << 10)
#define TOKEN_MAX 8192

static void wipe_free(char *s, size_t n)
{
	if (!s)
		return;
	explicit_bzero(s, n);
	free(s);
}

static void wipe_str(char *s)
{
	if (s)
		wipe_free(s, strlen(s));
}

const char *adc_type_name(enum adc_type t)
{
	return t == ADC_SERVICE_ACCOUNT ? "service account key" : "gcloud user credentials";
}

/* ---- which file ---- */

char *adc_gcloud_file(void)
{
	const char *dir = getenv("CLOUDSDK_CONFIG");
	char *path = NULL;
	if (dir && *dir) {
		if (asprintf(&path, "%s/application_default_credentials.json", dir) < 0)
			return NULL;
		return path;
	}
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !*home)
		return NULL;
	if (asprintf(&path, "%s/.config/gcloud/application_default_credentials.json", home) < 0)
		return NULL;
	return path;
}

int adc_find_file(char **path, bool *from_env, struct err *e)
{
	*path = NULL;
	*from_env = false;
	const char *named = getenv("GOOGLE_APPLICATION_CREDENTIALS");
	if (named && *named) {
		if (access(named, R_OK) != 0)
			return ERR(e, "GOOGLE_APPLICATION_CREDENTIALS=%s: cannot read: %s", named, strerror(errno));
		*path = strdup(named);
		*from_env = true;
		return *path ? 1 : ERR(e, "out of memory");
	}
	char *p = adc_gcloud_file();
	if (!p)
		return 0; /* no home folder: no gcloud file */
	struct stat st;
	if (stat(p, &st) != 0) {
		free(p);
		return 0;
	}
	*path = p;
	return 1;
}

/* ---- reading it ---- */

static char *read_file(const char *path, size_t *len, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ERR_AT(e, path, 0, 0, "cannot read the credentials file: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > FILE_MAX) {
		close(fd);
		ERR_AT(e, path, 0, 0, "expected a credentials file (a JSON file of at most 1 MiB)");
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		ERR(e, "out of memory");
		return NULL;
	}
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* A string member, or NULL (and e naming it) when missing or not a non-empty string. */
static const char *member(const cJSON *root, const char *name, const char *path, const char *type, struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
	if (cJSON_IsString(v) && v->valuestring[0])
		return v->valuestring;
	ERR_AT(e, path, 0, 0, "expected \"%s\" (a non-empty string) in %s credentials", name, type);
	return NULL;
}

/* ---- the token endpoint ---- */

static char *form_append(char *form, const char *name, const char *value)
{
	char *escaped = http_escape(value);
	char *out = NULL;
	if (escaped && asprintf(&out, "%s%s%s=%s", form ? form : "", form ? "&" : "", name, escaped) < 0)
		out = NULL;
	wipe_str(escaped);
	wipe_str(form);
	return out;
}

static bool token_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return false;
	return true;
}

/* The endpoint's refusal, as RFC 6749 §5.2 shapes it: {"error": CODE, "error_description": TEXT}. */
static void explain_refusal(const char *url, const struct http_response *resp, struct err *e)
{
	cJSON *root = resp->body ? cJSON_ParseWithLength(resp->body, resp->body_len) : NULL;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "error_description");
	if (cJSON_IsString(code)) {
		char shown[512], msg[600];
		snprintf(msg, sizeof msg, "%s%s%s", code->valuestring, cJSON_IsString(text) ? ": " : "",
			 cJSON_IsString(text) ? text->valuestring : "");
		for (char *p = msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		ERR(e, "POST %s: HTTP %ld: %s", http_redact_url(url, shown, sizeof shown), resp->status, msg);
	}
	cJSON_Delete(root);
}

/* POST the form to the token endpoint; 0 with the token, or -1. Wipes nothing of the caller's. */
static int post_grant(const char *url, const char *form, char **token, long *expires_in, struct err *e)
{
	struct http_policy p;
	http_policy_default(&p);
	struct http_client *c = http_client_new(&p, e);
	if (!c)
		return -1;
	static const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json", NULL};
	/* Asking for a token twice is harmless: the grant is retried like a GET. */
	struct http_request req = {.method = "POST", .url = url, .headers = headers, .body = form,
		.body_len = strlen(form), .idempotent = true, .max_body = TOKEN_RESPONSE_MAX};
	struct http_response resp = {0};
	int rc = http_send(c, &req, &resp, e);
	http_client_free(c);
	if (rc != 0) {
		if (resp.status >= 400)
			explain_refusal(url, &resp, e);
	} else {
		char shown[512];
		cJSON *root = cJSON_ParseWithLength(resp.body, resp.body_len);
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "access_token");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "token_type");
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expires_in");
		if (!cJSON_IsString(t) || !token_ok(t->valuestring))
			rc = ERR(e, "POST %s: expected JSON with an \"access_token\"", http_redact_url(url, shown, sizeof shown));
		else if (cJSON_IsString(type) && strcasecmp(type->valuestring, "Bearer") != 0)
			rc = ERR(e, "POST %s: expected a Bearer token, got token_type \"%.40s\"",
				 http_redact_url(url, shown, sizeof shown), type->valuestring);
		else if (!(*token = strdup(t->valuestring)))
			rc = ERR(e, "out of memory");
		*expires_in = cJSON_IsNumber(exp) && exp->valuedouble > 0 && exp->valuedouble < 1e9 ? (long)exp->valuedouble : 0;
		if (cJSON_IsString(t))
			explicit_bzero(t->valuestring, strlen(t->valuestring));
		cJSON_Delete(root);
	}
	if (resp.body)
		explicit_bzero(resp.body, resp.body_len);
	http_response_free(&resp);
	return rc;
}

static int service_account(const cJSON *root, const char *path, char **token, long *expires_in, struct err *e)
{
	static const char type[] = "service_account";
	const char *email = member(root, "client_email", path, type, e);
	const char *key = email ? member(root, "private_key", path, type, e) : NULL;
	if (!key)
		return -1;
	const cJSON *kid = cJSON_GetObjectItemCaseSensitive(root, "private_key_id");
	const cJSON *uri = cJSON_GetObjectItemCaseSensitive(root, "token_uri");
	const char *token_uri = cJSON_IsString(uri) && uri->valuestring[0] ? uri->valuestring : ADC_DEFAULT_TOKEN_URI;
	if (!http_url_safe_for_tokens(token_uri)) {
		char shown[512];
		return ERR_AT(e, path, 0, 0, "\"token_uri\" \"%s\": expected an https:// URL (a signed key never travels unencrypted)",
			      http_redact_url(token_uri, shown, sizeof shown));
	}
	char *assertion = jwt_assertion(cJSON_IsString(kid) ? kid->valuestring : NULL, email, ADC_SCOPE, token_uri,
					(long long)time(NULL), key, strlen(key), e);
	if (!assertion)
		return err_prefix(e, "%s: \"private_key\"", path);
	char *form = form_append(NULL, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
	form = form ? form_append(form, "assertion", assertion) : NULL;
	wipe_str(assertion);
	if (!form)
		return ERR(e, "out of memory");
	int rc = post_grant(token_uri, form, token, expires_in, e);
	wipe_str(form);
	return rc != 0 ? err_prefix(e, "%s", path) : 0;
}

static int authorized_user(const cJSON *root, const char *path, char **token, long *expires_in, struct err *e)
{
	static const char type[] = "authorized_user";
	const char *id = member(root, "client_id", path, type, e);
	const char *secret = id ? member(root, "client_secret", path, type, e) : NULL;
	const char *refresh = secret ? member(root, "refresh_token", path, type, e) : NULL;
	if (!refresh)
		return -1;
	/* As Google's libraries: gcloud's file carries no endpoint; the default can be replaced. */
	const char *url = getenv("NIGHTFAN_OAUTH_TOKEN_ENDPOINT");
	if (!url || !*url)
		url = ADC_DEFAULT_TOKEN_URI;
	if (!http_url_safe_for_tokens(url))
		return ERR(e, "NIGHTFAN_OAUTH_TOKEN_ENDPOINT \"%s\": expected an https:// URL (refresh tokens never travel unencrypted)",
			   url);
	char *form = form_append(NULL, "grant_type", "refresh_token");
	form = form ? form_append(form, "client_id", id) : NULL;
	form = form ? form_append(form, "client_secret", secret) : NULL;
	form = form ? form_append(form, "refresh_token", refresh) : NULL;
	if (!form)
		return ERR(e, "out of memory");
	int rc = post_grant(url, form, token, expires_in, e);
	wipe_str(form);
	return rc != 0 ? err_prefix(e, "%s", path) : 0;
}

/* Wipe every string of a parsed credentials file before freeing it. */
static void wipe_json(cJSON *node)
{
	for (; node; node = node->next) {
		if (cJSON_IsString(node) && node->valuestring)
			explicit_bzero(node->valuestring, strlen(node->valuestring));
		wipe_json(node->child);
	}
}

int adc_fetch_token(const char *path, char **token, long *expires_in, enum adc_type *type, struct err *e)
{
	*token = NULL;
	*expires_in = 0;
	size_t len = 0;
	char *text = read_file(path, &len, e);
	if (!text)
		return -1;
	cJSON *root = cJSON_ParseWithLength(text, len);
	wipe_free(text, len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "type");
	int rc;
	if (!cJSON_IsObject(root) || !cJSON_IsString(t)) {
		rc = ERR_AT(e, path, 0, 0, "expected a JSON object with a \"type\" (a credentials file from gcloud or the "
			    "Cloud console)");
	} else if (strcmp(t->valuestring, "service_account") == 0) {
		*type = ADC_SERVICE_ACCOUNT;
		rc = service_account(root, path, token, expires_in, e);
	} else if (strcmp(t->valuestring, "authorized_user") == 0) {
		*type = ADC_AUTHORIZED_USER;
		rc = authorized_user(root, path, token, expires_in, e);
	} else {
		rc = ERR_AT(e, path, 0, 0, "credentials of type \"%.64s\" are not supported: nightfan takes \"service_account\" "
			    "keys and \"authorized_user\" files (`gcloud auth application-default login`); "
			    "use GOOGLE_OAUTH_ACCESS_TOKEN for others", t->valuestring);
	}
	wipe_json(root);
	cJSON_Delete(root);
	return rc;
}
