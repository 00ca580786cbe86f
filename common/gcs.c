/*
 * gcs.c — Cloud Storage JSON API: folder listing and streamed object reads; see gcs.h.
 */
#include "gcs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gauth.h"
#include "utf8.h"

#define LIST_PAGE_MAX (16u << 20) /* one page of a listing: 1000 entries are far below this */
/* A listing that never ends is a server bug, not a bucket: 100,000 pages hold up to 100 million
 * folders at the API's 1,000 entries a page. A page token seen before ends it at once. */
#define MAX_PAGES 100000

struct gcs {
	struct http_client *http;
	char *base;        /* "https://storage.googleapis.com" or the emulator, no trailing '/' */
	bool anonymous;    /* emulator: no credentials, as Google's libraries do */
	struct gauth auth;
};

bool gcs_is_uri(const char *path)
{
	return strncmp(path, "gs://", 5) == 0;
}

static bool bucket_ok(const char *b, size_t n)
{
	if (n < 3 || n > 222)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '.' || b[i] == '_' ||
		      b[i] == '-'))
			return false;
	return true;
}

int gcs_parse_uri(const char *uri, char **bucket, char **prefix, struct err *e)
{
	*bucket = *prefix = NULL;
	if (!gcs_is_uri(uri))
		return ERR(e, "expected a gs://bucket/prefix URI, got \"%s\"", uri);
	const char *b = uri + 5;
	size_t blen = strcspn(b, "/");
	if (!bucket_ok(b, blen))
		return ERR(e, "\"%s\": expected a bucket name of 3-222 characters a-z, 0-9, '.', '_', '-'", uri);
	const char *p = b + blen;
	while (*p == '/')
		p++;
	size_t plen = strlen(p);
	while (plen > 0 && p[plen - 1] == '/')
		plen--;
	*bucket = strndup(b, blen);
	*prefix = strndup(p, plen);
	if (!*bucket || !*prefix) {
		free(*bucket);
		free(*prefix);
		*bucket = *prefix = NULL;
		return ERR(e, "out of memory");
	}
	return 0;
}

static char *endpoint(bool *anonymous)
{
	const char *custom = getenv("NIGHTFAN_STORAGE_ENDPOINT");
	if (custom && *custom) { /* e.g. a Private Service Connect endpoint: credentials still needed */
		*anonymous = false;
		size_t n = strlen(custom);
		while (n > 0 && custom[n - 1] == '/')
			n--;
		return strndup(custom, n);
	}
	const char *host = getenv("STORAGE_EMULATOR_HOST");
	*anonymous = host && *host;
	if (!*anonymous)
		return strdup("https://storage.googleapis.com");
	bool has_scheme = strstr(host, "://") != NULL;
	size_t n = strlen(host);
	while (n > 0 && host[n - 1] == '/')
		n--;
	char *base;
	if (asprintf(&base, "%s%.*s", has_scheme ? "" : "http://", (int)n, host) < 0)
		return NULL;
	return base;
}

struct gcs *gcs_open(const struct http_policy *policy, struct err *e)
{
	struct gcs *g = calloc(1, sizeof *g);
	if (!g) {
		ERR(e, "out of memory");
		return NULL;
	}
	g->base = endpoint(&g->anonymous);
	if (!g->base) {
		free(g);
		ERR(e, "out of memory");
		return NULL;
	}
	if (!g->anonymous && !http_url_safe_for_tokens(g->base)) {
		ERR(e, "NIGHTFAN_STORAGE_ENDPOINT \"%s\": expected an https:// URL (tokens never travel unencrypted)", g->base);
		free(g->base);
		free(g);
		return NULL;
	}
	g->http = http_client_new(policy, e);
	if (!g->http) {
		free(g->base);
		free(g);
		return NULL;
	}
	return g;
}

void gcs_close(struct gcs *g)
{
	if (!g)
		return;
	http_client_free(g->http);
	gauth_clear(&g->auth);
	free(g->base);
	free(g);
}

struct http_client *gcs_http(struct gcs *g)
{
	return g->http;
}

/* h[] gets the non-NULL lines of `auth` and `extra`, NULL-terminated (an emulator has no auth). */
static void fill_headers(const char **h, const char *auth, const char *extra)
{
	size_t n = 0;
	if (auth)
		h[n++] = auth;
	if (extra)
		h[n++] = extra;
	h[n] = NULL;
}

/* Send an idempotent request with credentials (req->method set by the caller, GET when NULL);
 * after a 401 with a refreshable token, refresh once and resend. `extra_header` may be NULL. */
static int authed_send(struct gcs *g, struct http_request *req, const char *extra_header, struct http_response *resp,
		       struct err *e)
{
	const char *headers[3];
	req->headers = headers;
	if (!req->method)
		req->method = "GET";
	req->idempotent = true;
	if (!g->anonymous && gauth_get(&g->auth, e) != 0) { /* the held token unless about to expire */
		*resp = (struct http_response){0};
		return -1;
	}
	fill_headers(headers, g->auth.header, extra_header);
	if (http_send(g->http, req, resp, e) == 0)
		return 0;
	if (resp->status != 401 || g->anonymous)
		return -1;
	if (g->auth.source == GAUTH_ENV)
		return gauth_explain_refusal(&g->auth, e);
	struct err refresh_e;
	if (gauth_refresh(&g->auth, &refresh_e) != 0)
		return -1; /* keep the 401 message: it names the request */
	http_response_free(resp);
	fill_headers(headers, g->auth.header, extra_header);
	if (http_send(g->http, req, resp, e) == 0)
		return 0;
	if (resp->status == 401)
		gauth_explain_refusal(&g->auth, e);
	return -1;
}

static int authed_get(struct gcs *g, struct http_request *req, struct http_response *resp, struct err *e)
{
	req->method = "GET";
	return authed_send(g, req, NULL, resp, e);
}

/* ---- listing ---- */

static char *list_url(const struct gcs *g, const char *bucket, const char *folder, const char *page_token)
{
	char *b = http_escape(bucket), *p = http_escape(folder), *t = page_token ? http_escape(page_token) : NULL;
	char *url = NULL;
	if (b && p && (!page_token || t)) {
		if (asprintf(&url, "%s/storage/v1/b/%s/o?prefix=%s&delimiter=%%2F&fields=prefixes%%2CnextPageToken%s%s",
			     g->base, b, p, t ? "&pageToken=" : "", t ? t : "") < 0)
			url = NULL;
	}
	free(b);
	free(p);
	free(t);
	return url;
}

/* Take one page's prefixes; *next gets the next page token (malloc'ed) or NULL. */
static int take_page(const char *body, size_t len, const char *folder, struct strlist *out, char **next,
		     const char *where, struct err *e)
{
	*next = NULL;
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return ERR(e, "%s: expected a JSON object from objects.list", where);
	}
	size_t flen = strlen(folder);
	const cJSON *prefixes = cJSON_GetObjectItemCaseSensitive(root, "prefixes"), *p;
	cJSON_ArrayForEach(p, prefixes)
	{
		if (!cJSON_IsString(p))
			continue;
		const char *s = p->valuestring;
		size_t n = strlen(s);
		if (n <= flen || strncmp(s, folder, flen) != 0 || s[n - 1] != '/')
			continue;
		if (strlist_pushn(out, s + flen, n - flen - 1, e) != 0) {
			cJSON_Delete(root);
			return -1;
		}
	}
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "nextPageToken");
	if (cJSON_IsString(tok) && tok->valuestring[0])
		*next = strdup(tok->valuestring);
	cJSON_Delete(root);
	return 0;
}

int gcs_list_folders(struct gcs *g, const char *bucket, const char *prefix, struct strlist *names,
		     struct err *e)
{
	strlist_init(names);
	char *folder = NULL; /* "prefix/" or "" */
	if (asprintf(&folder, "%s%s", prefix, *prefix ? "/" : "") < 0)
		return ERR(e, "out of memory");
	char where[600];
	snprintf(where, sizeof where, "gs://%s/%s", bucket, folder);
	struct strlist seen = STRLIST_INIT; /* every page token followed, to stop a listing that loops */
	char *token = NULL;
	int rc = 0;
	for (int page = 1; rc == 0; page++) {
		char *url = list_url(g, bucket, folder, token);
		if (!url || (token && strlist_push(&seen, token, NULL) != 0)) {
			free(url);
			rc = ERR(e, "out of memory");
			break;
		}
		struct http_request req = {.url = url, .max_body = LIST_PAGE_MAX};
		struct http_response resp;
		rc = authed_get(g, &req, &resp, e);
		free(url);
		free(token);
		token = NULL;
		if (rc == 0)
			rc = take_page(resp.body, resp.body_len, folder, names, &token, where, e);
		http_response_free(&resp);
		if (rc != 0 || !token)
			break;
		/* a linear scan: a listing that reaches thousands of pages spends far longer on its
		 * requests than here */
		if (strlist_find(&seen, token) >= 0) {
			char shown[120];
			utf8_shown(shown, sizeof shown, token, strlen(token), UTF8_ESC_CONTROL);
			rc = ERR(e, "%s: objects.list page %d repeats the page token \"%s\" of an earlier page: "
				 "expected a new token or none (the listing would never end)", where, page, shown);
		} else if (page == MAX_PAGES) {
			rc = ERR(e, "%s: the listing did not end after %d pages", where, MAX_PAGES);
		}
	}
	free(token);
	free(folder);
	strlist_release(&seen);
	if (rc != 0)
		strlist_release(names);
	return rc != 0 ? -1 : 0;
}

/* ---- reading ---- */

int gcs_read_object(struct gcs *g, const char *bucket, const char *object, http_sink_fn sink, void *ctx,
		    struct err *sink_err, struct err *e)
{
	char *b = http_escape(bucket), *o = http_escape(object), *url = NULL;
	if (!b || !o || asprintf(&url, "%s/storage/v1/b/%s/o/%s?alt=media", g->base, b, o) < 0) {
		free(b);
		free(o);
		return ERR(e, "out of memory");
	}
	free(b);
	free(o);
	struct http_request req = {.url = url, .sink = sink, .sink_ctx = ctx, .sink_err = sink_err};
	struct http_response resp;
	int rc = authed_get(g, &req, &resp, e);
	if (rc != 0 && resp.status == 404)
		ERR(e, "gs://%s/%s: no such object", bucket, object);
	http_response_free(&resp);
	free(url);
	return rc;
}

/* ---- creating ---- */

#define CREATE_ANSWER_MAX (1u << 20) /* the object resource JSON */

/* Compares an existing object's bytes with the ones we meant to upload, chunk by chunk. */
struct same_bytes {
	const char *want;
	size_t len, seen;
	bool differ;
};

static int compare_chunk(const char *data, size_t len, void *ctx)
{
	struct same_bytes *s = ctx;
	if (!s->differ && (len > s->len - s->seen || memcmp(s->want + s->seen, data, len) != 0))
		s->differ = true; /* keep reading: the connection stays reusable, the object is small */
	s->seen += len;
	return 0;
}

/* After a 412: whether gs://bucket/object already holds exactly `data`. 0 (same), or -1. */
static int check_existing(struct gcs *g, const char *bucket, const char *object, const char *data, size_t len,
			  struct err *e)
{
	struct same_bytes s = {.want = data, .len = len};
	if (gcs_read_object(g, bucket, object, compare_chunk, &s, NULL, e) != 0)
		return -1;
	if (s.differ || s.seen != len)
		return ERR(e, "gs://%s/%s: already exists with other content (%zu bytes, expected %zu)", bucket, object,
			   s.seen, len);
	return 0;
}

/* The object resource the upload answered: its "size" (a decimal string) must be ours. */
static int check_stored_size(const struct http_response *resp, const char *bucket, const char *object, size_t len,
			     struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(resp->body, resp->body_len);
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(root, "size");
	int rc = 0;
	if (!cJSON_IsObject(root))
		rc = ERR(e, "gs://%s/%s: expected the object resource (JSON) in the upload's answer", bucket, object);
	else if (cJSON_IsString(size) && strtoull(size->valuestring, NULL, 10) != len)
		rc = ERR(e, "gs://%s/%s: the upload stored %s bytes, expected %zu", bucket, object, size->valuestring, len);
	cJSON_Delete(root);
	return rc;
}

static char *upload_url(const struct gcs *g, const char *bucket, const char *object)
{
	char *b = http_escape(bucket), *o = http_escape(object), *url = NULL;
	if (b && o && asprintf(&url, "%s/upload/storage/v1/b/%s/o?uploadType=media&name=%s&ifGenerationMatch=0",
			       g->base, b, o) < 0)
		url = NULL;
	free(b);
	free(o);
	return url;
}

int gcs_create_object(struct gcs *g, const char *bucket, const char *object, const char *content_type,
		      const char *data, size_t len, bool *existed, struct err *e)
{
	*existed = false;
	char *url = upload_url(g, bucket, object), *type_header = NULL;
	if (!url || asprintf(&type_header, "Content-Type: %s", content_type) < 0) {
		free(url);
		return ERR(e, "out of memory");
	}
	/* POSTFIELDS wants a non-NULL body even when empty. */
	struct http_request req = {.method = "POST", .url = url, .body = len ? data : "", .body_len = len,
		.max_body = CREATE_ANSWER_MAX};
	struct http_response resp;
	int rc = authed_send(g, &req, type_header, &resp, e);
	if (rc == 0)
		rc = check_stored_size(&resp, bucket, object, len, e);
	else if (resp.status == 412) { /* it exists: ours from an attempt whose answer was lost, or older */
		*existed = true;
		rc = check_existing(g, bucket, object, data, len, e);
	}
	http_response_free(&resp);
	free(type_header);
	free(url);
	return rc;
}
