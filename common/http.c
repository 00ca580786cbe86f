/*
 * http.c — requests over libcurl with Google's retry policy; see http.h for the contract.
 * libcurl is reached only through common/curl_dl.h (loaded on the first client, not linked).
 *
 * One easy handle per client (reset before every attempt) so connections are reused. An attempt
 * is classified as done (2xx, or a status not worth retrying), transient (retryable status, reset,
 * timeout, broken transfer) or fatal; transient attempts are retried while the policy allows.
 */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <cjson/cJSON.h>

#include "curl_dl.h"
#include "strbuf.h"

#define DEFAULT_MAX_BODY (64u << 20)
#define ERROR_BODY_MAX (64u << 10) /* error bodies are kept only to quote the API's message */
#define URL_SHOWN_MAX 1024

struct http_client {
	const struct curl_dl *lib;
	CURL *curl;
	struct http_policy policy;
	void (*sleep_fn)(double, void *);
	void *sleep_ctx;
	double (*jitter_fn)(void *);
	void *jitter_ctx;
	time_t (*clock_fn)(void *);
	void *clock_ctx;
	void (*trace_fn)(const char *, void *);
	void *trace_ctx;
};

/* The trace new clients start with (--verbose sets it once, for every client of the process). */
static void (*default_trace_fn)(const char *, void *);
static void *default_trace_ctx;

/* ---- policy, backoff, Retry-After (pure) ---- */

static double env_double(const char *name, double fallback, double min)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return fallback;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !(v >= min) || !isfinite(v))
		return fallback;
	return v;
}

void http_policy_default(struct http_policy *p)
{
	p->timeout_s = env_double("NIGHTFAN_HTTP_TIMEOUT", 60, 0.001);
	p->connect_timeout_s = env_double("NIGHTFAN_HTTP_CONNECT_TIMEOUT", 10, 0.001);
	p->max_attempts = (int)env_double("NIGHTFAN_HTTP_ATTEMPTS", 6, 1);
	p->max_backoff_s = 32;
	/* "Use the following minimum retry intervals: 30 seconds for 429 quota errors"
	 * (cloud.google.com/service-usage/docs/troubleshooting). */
	p->quota_min_s = 30;
	p->max_total_wait_s = env_double("NIGHTFAN_HTTP_MAX_WAIT", 300, 0);
	p->sleep_scale = env_double("NIGHTFAN_HTTP_SLEEP_SCALE", 1, 0);
}

double http_backoff_seconds(int retry, double jitter, double cap)
{
	if (retry > 30) /* 2^31 s is past any cap; keeps the shift in range */
		retry = 30;
	double wait = (double)(UINT64_C(1) << (retry > 0 ? retry : 0)) + jitter;
	return wait < cap ? wait : cap;
}

double http_parse_retry_after(const char *value, time_t now)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		char *end;
		errno = 0;
		double v = strtod(value, &end);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		return (errno || *end) ? -1 : v;
	}
	const struct curl_dl *lib = curl_dl_get(NULL); /* loaded already when a response is read */
	time_t when = lib ? lib->getdate(value, NULL) : -1;
	if (when == -1)
		return -1;
	return when > now ? (double)(when - now) : 0;
}

double http_parse_duration(const char *text)
{
	if (!text || !isdigit((unsigned char)*text))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || strcmp(end, "s") != 0 || !isfinite(v))
		return -1;
	return v;
}

double http_error_retry_info(const char *body, size_t len, bool *quota)
{
	*quota = false;
	if (!body || len == 0)
		return -1;
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(error, "status");
	*quota = cJSON_IsString(status) && strcmp(status->valuestring, "RESOURCE_EXHAUSTED") == 0;
	double delay = -1;
	const cJSON *detail;
	cJSON_ArrayForEach(detail, cJSON_GetObjectItemCaseSensitive(error, "details"))
	{
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(detail, "@type");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(detail, "retryDelay");
		if (cJSON_IsString(type) && strcmp(type->valuestring, "type.googleapis.com/google.rpc.RetryInfo") == 0 &&
		    cJSON_IsString(d))
			delay = http_parse_duration(d->valuestring);
	}
	cJSON_Delete(root);
	return delay;
}

double http_retry_wait(const struct http_policy *p, int retry, int quota_retries, double jitter,
		       const struct http_retry_hint *h)
{
	double hint = h->retry_after > h->retry_delay ? h->retry_after : h->retry_delay;
	double wait;
	if (h->quota) {
		if (quota_retries > 20) /* past any budget; keeps the power finite */
			quota_retries = 20;
		wait = p->quota_min_s * (double)(UINT64_C(1) << quota_retries) + jitter;
	} else if (hint >= 0) {
		return hint;
	} else {
		wait = http_backoff_seconds(retry, jitter, p->max_backoff_s);
	}
	return wait > hint ? wait : hint;
}

bool http_status_retryable(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

/* ---- URL redaction ---- */

static bool is_secret_param(const char *name, size_t len)
{
	static const char *const secrets[] = {"access_token", "token", "key", "api_key", "apikey",
		"signature", "sig", "x-goog-signature", "x-goog-credential", "password", "secret",
		"code", "client_secret", "refresh_token", "id_token"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strlen(secrets[i]) == len && strncasecmp(secrets[i], name, len) == 0)
			return true;
	return false;
}

struct sbuf {
	char *p;
	size_t size, len;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	while (n-- && b->len + 1 < b->size)
		b->p[b->len++] = *s++;
	b->p[b->len] = '\0';
}

/* Copy scheme://host/path, dropping a user:password@ part of the authority. */
static const char *copy_without_userinfo(struct sbuf *b, const char *url)
{
	const char *scheme_end = strstr(url, "://");
	const char *authority = scheme_end ? scheme_end + 3 : url;
	sb_put(b, url, (size_t)(authority - url));
	size_t auth_len = strcspn(authority, "/?#");
	const char *at = memchr(authority, '@', auth_len);
	const char *host = at ? at + 1 : authority;
	size_t rest = strcspn(host, "?#");
	sb_put(b, host, rest);
	return host + rest;
}

char *http_redact_url(const char *url, char *buf, size_t size)
{
	struct sbuf b = {buf, size, 0};
	if (size == 0)
		return buf;
	buf[0] = '\0';
	const char *q = copy_without_userinfo(&b, url);
	if (*q != '?')
		return buf; /* fragments are never sent; drop them too */
	sb_put(&b, "?", 1);
	q++;
	bool first = true;
	while (*q && *q != '#') {
		size_t pair = strcspn(q, "&#");
		size_t name = strcspn(q, "=&#");
		if (!first)
			sb_put(&b, "&", 1);
		first = false;
		if (name < pair && is_secret_param(q, name)) {
			sb_put(&b, q, name + 1);
			sb_put(&b, "REDACTED", 8);
		} else {
			sb_put(&b, q, pair);
		}
		q += pair;
		if (*q == '&')
			q++;
	}
	return buf;
}

/* ---- the API's own error message ---- */

static void copy_clean(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++)
		buf[o++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? ' ' : s[i];
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
}

static const char *json_message(const cJSON *root)
{
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(error, "message");
	if (cJSON_IsString(m))
		return m->valuestring;
	if (cJSON_IsString(error))
		return error->valuestring;
	m = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(m))
		return m->valuestring;
	m = cJSON_GetObjectItemCaseSensitive(root, "error_message");
	if (cJSON_IsString(m))
		return m->valuestring;
	return NULL;
}

char *http_error_message(const char *body, size_t len, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (!body || len == 0)
		return buf;
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (root) {
		const char *m = json_message(root);
		if (m)
			copy_clean(m, strlen(m), buf, size);
		cJSON_Delete(root);
		return buf;
	}
	/* Plain text (the metadata server, proxies): quote it only when short and on one line. */
	if (len <= 300 && !memchr(body, '<', len)) {
		size_t n = len;
		while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == '\r'))
			n--;
		if (!memchr(body, '\n', n))
			copy_clean(body, n, buf, size);
	}
	return buf;
}

/* ---- client ---- */

static void real_sleep(double seconds, void *ctx)
{
	(void)ctx;
	if (!(seconds > 0))
		return;
	struct timespec ts = {(time_t)seconds, (long)((seconds - floor(seconds)) * 1e9)};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static double real_jitter(void *ctx)
{
	(void)ctx;
	uint32_t r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)rand();
	return r / 4294967296.0;
}

static time_t real_clock(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

struct http_client *http_client_new(const struct http_policy *policy, struct err *e)
{
	const struct curl_dl *lib = curl_dl_get(e);
	if (!lib)
		return NULL;
	struct http_client *c = calloc(1, sizeof *c);
	if (!c) {
		ERR(e, "out of memory");
		return NULL;
	}
	c->lib = lib;
	c->curl = lib->easy_init();
	if (!c->curl) {
		free(c);
		ERR(e, "could not initialise libcurl");
		return NULL;
	}
	if (policy)
		c->policy = *policy;
	else
		http_policy_default(&c->policy);
	http_client_set_sleep(c, NULL, NULL);
	http_client_set_jitter(c, NULL, NULL);
	http_client_set_clock(c, NULL, NULL);
	http_client_set_trace(c, default_trace_fn, default_trace_ctx);
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	c->lib->easy_cleanup(c->curl);
	free(c);
}

void http_client_set_sleep(struct http_client *c, void (*sleep_fn)(double, void *), void *ctx)
{
	c->sleep_fn = sleep_fn ? sleep_fn : real_sleep;
	c->sleep_ctx = ctx;
}

void http_client_set_jitter(struct http_client *c, double (*jitter_fn)(void *), void *ctx)
{
	c->jitter_fn = jitter_fn ? jitter_fn : real_jitter;
	c->jitter_ctx = ctx;
}

void http_client_set_clock(struct http_client *c, time_t (*clock_fn)(void *), void *ctx)
{
	c->clock_fn = clock_fn ? clock_fn : real_clock;
	c->clock_ctx = ctx;
}

double http_client_pause(struct http_client *c, int retry)
{
	double wait = http_backoff_seconds(retry, c->jitter_fn(c->jitter_ctx), c->policy.max_backoff_s);
	c->sleep_fn(wait * c->policy.sleep_scale, c->sleep_ctx);
	return wait;
}

void http_set_default_trace(void (*trace_fn)(const char *, void *), void *ctx)
{
	default_trace_fn = trace_fn;
	default_trace_ctx = ctx;
}

void http_client_set_trace(struct http_client *c, void (*trace_fn)(const char *, void *), void *ctx)
{
	c->trace_fn = trace_fn;
	c->trace_ctx = ctx;
}

void http_response_free(struct http_response *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

/* ---- one attempt ---- */

struct attempt {
	const struct http_request *req;
	const struct curl_dl *lib;
	CURL *curl;
	long status;            /* learnt from the first body byte or the end of the transfer */
	struct strbuf body;     /* buffered body (success, or an error body) */
	size_t limit;
	bool too_large;
	bool sink_failed;
	size_t *delivered;      /* bytes the sink has had over all attempts */
	size_t skip;            /* bytes of this response the sink already had (server ignored Range) */
	double retry_after;     /* -1: none */
	time_t now;
	bool range_sent;
	bool range_mismatch;
	char content_range[128];
};

static bool status_ok(long status)
{
	return status >= 200 && status <= 299;
}

static int buffer_append(struct attempt *a, const char *data, size_t n)
{
	if (n > a->limit || a->body.len > a->limit - n) {
		a->too_large = true;
		return -1;
	}
	return strbuf_add(&a->body, data, n, NULL);
}

/* A resumed transfer must continue exactly where the sink stopped. */
static bool resume_matches(struct attempt *a)
{
	if (a->status == 200) {
		a->skip = *a->delivered; /* whole body again: drop what the sink already had */
		return true;
	}
	unsigned long long start = 0;
	return sscanf(a->content_range, "bytes %llu-", &start) == 1 && start == *a->delivered;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct attempt *a = userdata;
	size_t n = size * nmemb;
	if (a->status == 0) {
		a->lib->easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &a->status);
		if (a->req->sink && status_ok(a->status) && a->range_sent && !resume_matches(a)) {
			a->range_mismatch = true;
			return 0;
		}
	}
	if (!a->req->sink || !status_ok(a->status)) {
		size_t limit_keep = a->limit;
		if (!status_ok(a->status) && a->limit > ERROR_BODY_MAX)
			a->limit = ERROR_BODY_MAX;
		int rc = buffer_append(a, data, n);
		a->limit = limit_keep;
		if (rc != 0 && !status_ok(a->status))
			return n; /* an oversized error body: keep its start, it is only quoted */
		return rc == 0 ? n : 0;
	}
	size_t off = 0;
	if (a->skip > 0) {
		off = a->skip < n ? a->skip : n;
		a->skip -= off;
	}
	if (off < n) {
		if (a->req->sink(data + off, n - off, a->req->sink_ctx) != 0) {
			a->sink_failed = true;
			return 0;
		}
		*a->delivered += n - off;
	}
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct attempt *a = userdata;
	size_t n = size * nmemb;
	char line[256];
	size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
	memcpy(line, data, m);
	line[m] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "HTTP/", 5) == 0) { /* a new response (after a 100 Continue) */
		a->retry_after = -1;
		a->content_range[0] = '\0';
	} else if (strncasecmp(line, "Retry-After:", 12) == 0) {
		a->retry_after = http_parse_retry_after(line + 12, a->now);
	} else if (strncasecmp(line, "Content-Range:", 14) == 0) {
		const char *v = line + 14;
		while (*v == ' ')
			v++;
		snprintf(a->content_range, sizeof a->content_range, "%s", v);
	}
	return n;
}

static struct curl_slist *build_headers(const struct curl_dl *lib, const struct http_request *req,
					size_t delivered, bool *range_sent)
{
	struct curl_slist *list = NULL;
	list = lib->slist_append(list, "Expect:"); /* no 100-continue round trip for bodies */
	for (const char *const *h = req->headers; h && *h; h++)
		list = lib->slist_append(list, *h);
	*range_sent = false;
	if (req->sink && delivered > 0) {
		char range[64];
		snprintf(range, sizeof range, "Range: bytes=%zu-", delivered);
		list = lib->slist_append(list, range);
		*range_sent = true;
	}
	return list;
}

static CURLcode perform(struct http_client *c, struct attempt *a, size_t delivered, char *errbuf)
{
	const struct http_request *req = a->req;
	const struct curl_dl *lib = c->lib;
	CURL *curl = c->curl;
	lib->easy_reset(curl);
	struct curl_slist *headers = build_headers(lib, req, delivered, &a->range_sent);
	errbuf[0] = '\0';
	lib->easy_setopt(curl, CURLOPT_URL, req->url);
	lib->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	lib->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	lib->easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	lib->easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(c->policy.timeout_s * 1000));
	lib->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(c->policy.connect_timeout_s * 1000));
	lib->easy_setopt(curl, CURLOPT_USERAGENT, "nightfan/" NIGHTFAN_VERSION);
	lib->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	lib->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	lib->easy_setopt(curl, CURLOPT_WRITEDATA, a);
	lib->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	lib->easy_setopt(curl, CURLOPT_HEADERDATA, a);
	if (strcmp(req->method, "GET") != 0 || req->body) {
		lib->easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
		lib->easy_setopt(curl, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		lib->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
	}
	CURLcode rc = lib->easy_perform(curl);
	if (a->status == 0)
		lib->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a->status);
	lib->slist_free_all(headers);
	return rc;
}

static bool transport_retryable(CURLcode rc, bool idempotent)
{
	if (rc == CURLE_COULDNT_CONNECT)
		return true; /* nothing reached the server: safe even for a POST */
	if (!idempotent)
		return false;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Describe a transport failure in words that do not change from run to run. */
static void describe_transport(const struct http_client *c, CURLcode rc, const char *errbuf, char *out, size_t size)
{
	if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(out, size, "no response within %g s", c->policy.timeout_s);
	else if (rc == CURLE_COULDNT_CONNECT)
		snprintf(out, size, "could not connect");
	else if (rc == CURLE_GOT_NOTHING)
		snprintf(out, size, "connection closed without a response");
	else if (rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR)
		snprintf(out, size, "connection reset");
	else if (rc == CURLE_PARTIAL_FILE)
		snprintf(out, size, "response body cut short");
	else
		snprintf(out, size, "%s", errbuf[0] ? errbuf : c->lib->easy_strerror(rc));
}

static void trace(struct http_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(struct http_client *c, const char *fmt, ...)
{
	if (!c->trace_fn)
		return;
	char line[URL_SHOWN_MAX + 512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	c->trace_fn(line, c->trace_ctx);
}

enum outcome { DONE, RETRY, FAIL };

struct run_state {
	struct http_client *c;
	const struct http_request *req;
	struct http_response *resp;
	struct err *e;
	char url[URL_SHOWN_MAX];
	size_t delivered;
	char what[512];        /* the last failure, for the final message */
	struct http_retry_hint hint; /* from the last failed attempt */
	int quota_errors;      /* quota errors met so far */
	double waited;         /* nominal seconds waited between attempts so far */
};

static void keep_body(struct run_state *s, struct attempt *a)
{
	free(s->resp->body);
	s->resp->body = NULL;
	s->resp->body_len = 0;
	if (a->body.buf)
		s->resp->body = strbuf_detach(&a->body, &s->resp->body_len);
	if (!s->resp->body && !s->req->sink) {
		s->resp->body = calloc(1, 1);
		s->resp->body_len = 0;
	}
}

static enum outcome classify(struct run_state *s, struct attempt *a, CURLcode rc, const char *errbuf)
{
	s->resp->status = a->status;
	s->hint = (struct http_retry_hint){.retry_after = a->retry_after, .retry_delay = -1};
	if (a->sink_failed) {
		if (s->req->sink_err && s->req->sink_err != s->e)
			*s->e = *s->req->sink_err;
		else if (!s->req->sink_err)
			ERR(s->e, "%s %s: the response could not be processed", s->req->method, s->url);
		return FAIL;
	}
	if (a->range_mismatch) {
		ERR(s->e, "%s %s: the server did not resume the transfer at byte %zu", s->req->method, s->url, s->delivered);
		return FAIL;
	}
	if (a->too_large) {
		ERR(s->e, "%s %s: response larger than %zu bytes", s->req->method, s->url, a->limit);
		return FAIL;
	}
	if (rc == CURLE_OK && status_ok(a->status)) {
		keep_body(s, a);
		return DONE;
	}
	if (rc == CURLE_OK) {
		char msg[600];
		http_error_message(a->body.buf, a->body.len, msg, sizeof msg);
		snprintf(s->what, sizeof s->what, "HTTP %ld%s%s", a->status, msg[0] ? ": " : "", msg);
		s->hint.retry_delay = http_error_retry_info(a->body.buf, a->body.len, &s->hint.quota);
		keep_body(s, a);
		return (s->req->idempotent && http_status_retryable(a->status)) ? RETRY : FAIL;
	}
	if (rc == CURLE_WRITE_ERROR) {
		ERR(s->e, "%s %s: out of memory", s->req->method, s->url);
		return FAIL;
	}
	describe_transport(s->c, rc, errbuf, s->what, sizeof s->what);
	return transport_retryable(rc, s->req->idempotent) ? RETRY : FAIL;
}

static void fail_message(struct run_state *s, int attempts)
{
	if (attempts > 1 && s->quota_errors > 0)
		ERR(s->e, "%s %s: %s (after %d attempts and %.0f s of waiting)", s->req->method, s->url, s->what, attempts,
		    s->waited);
	else if (attempts > 1)
		ERR(s->e, "%s %s: %s (after %d attempts)", s->req->method, s->url, s->what, attempts);
	else
		ERR(s->e, "%s %s: %s", s->req->method, s->url, s->what);
}

/* The retries stop because the next wait would pass the policy's total: say so, with the totals. */
static void budget_message(struct run_state *s, int attempts, double wait)
{
	const struct http_retry_hint *h = &s->hint;
	bool from_info = h->retry_delay >= 0 && h->retry_delay >= h->retry_after;
	double hint = from_info ? h->retry_delay : h->retry_after;
	char why[160];
	if (hint >= 0 && hint >= wait)
		snprintf(why, sizeof why, "the server asked (%s) to retry after %g s", from_info ? "RetryInfo" : "Retry-After",
			 hint);
	else
		snprintf(why, sizeof why, "the next wait would be %.0f s", wait);
	ERR(s->e, "%s %s: %s (gave up after %d attempt%s and %.0f s of waiting: %s, past the %g s a request may wait in all; "
	    "NIGHTFAN_HTTP_MAX_WAIT sets it)", s->req->method, s->url, s->what, attempts, attempts == 1 ? "" : "s",
	    s->waited, why, s->c->policy.max_total_wait_s);
}

/* Why the wait is what it is, for the trace ("" for plain backoff). */
static const char *wait_reason(const struct run_state *s, double wait)
{
	const struct http_retry_hint *h = &s->hint;
	if (h->retry_delay >= 0 && h->retry_delay >= h->retry_after && h->retry_delay >= wait)
		return "; as RetryInfo asks";
	if (h->retry_after >= 0 && h->retry_after >= wait)
		return "; as Retry-After asks";
	if (h->quota)
		return "; quota error: at least 30 s, doubling";
	return "";
}

int http_send(struct http_client *c, const struct http_request *req, struct http_response *resp, struct err *e)
{
	struct run_state s = {.c = c, .req = req, .resp = resp, .e = e};
	memset(resp, 0, sizeof *resp);
	http_redact_url(req->url, s.url, sizeof s.url);
	int max = c->policy.max_attempts > 0 ? c->policy.max_attempts : 1;
	for (int attempt = 1;; attempt++) {
		struct attempt a = {.req = req, .lib = c->lib, .curl = c->curl, .retry_after = -1,
			.limit = req->max_body ? req->max_body : DEFAULT_MAX_BODY,
			.delivered = &s.delivered, .now = c->clock_fn(c->clock_ctx)};
		char errbuf[CURL_ERROR_SIZE];
		s.what[0] = '\0';
		CURLcode rc = perform(c, &a, s.delivered, errbuf);
		enum outcome o = classify(&s, &a, rc, errbuf);
		strbuf_release(&a.body);
		resp->attempts = attempt;
		if (o == DONE) {
			trace(c, "%s %s -> %ld", req->method, s.url, resp->status);
			return 0;
		}
		if (o == FAIL) {
			trace(c, "%s %s -> %s", req->method, s.url, s.what[0] ? s.what : "failed");
			if (s.what[0])
				fail_message(&s, attempt);
			return -1;
		}
		double wait = http_retry_wait(&c->policy, attempt - 1, s.quota_errors, c->jitter_fn(c->jitter_ctx), &s.hint);
		s.quota_errors += s.hint.quota;
		if (attempt >= max) {
			trace(c, "%s %s -> %s; giving up (attempt %d of %d)", req->method, s.url, s.what, attempt, max);
			fail_message(&s, attempt);
			return -1;
		}
		if (s.waited + wait > c->policy.max_total_wait_s) {
			trace(c, "%s %s -> %s; giving up: waiting %.2f s more would pass %g s in all (attempt %d of %d)",
			      req->method, s.url, s.what, wait, c->policy.max_total_wait_s, attempt, max);
			budget_message(&s, attempt, wait);
			return -1;
		}
		trace(c, "%s %s -> %s; retrying in %.2f s%s (attempt %d of %d)", req->method, s.url, s.what, wait,
		      wait_reason(&s, wait), attempt + 1, max);
		s.waited += wait;
		c->sleep_fn(wait * c->policy.sleep_scale, c->sleep_ctx);
	}
}

char *http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

bool http_url_safe_for_tokens(const char *url)
{
	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	const char *host = url + 7;
	size_t auth = strcspn(host, "/?#");
	const char *at = memchr(host, '@', auth);
	if (at)
		host = at + 1;
	size_t n = strcspn(host, ":/?#");
	if (host[0] == '[')
		return strncmp(host, "[::1]", 5) == 0;
	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return true;
	if (strncmp(host, "127.", 4) != 0)
		return false;
	for (size_t i = 0; i < n; i++) /* an IPv4 address, not a name that starts with "127." */
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			return false;
	return true;
}
