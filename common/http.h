/*
 * http.h — every HTTP request nightfan makes, on libcurl.
 *
 * Owns: timeouts, the retry policy (Google's: retry 408, 429, 5xx, resets and timeouts with
 * min(2^n s + up to 1 s of jitter, 32 s) between attempts, a bounded number of attempts,
 * Retry-After and google.rpc.RetryInfo honoured, at least 30 s, doubling, after a quota error
 * (RESOURCE_EXHAUSTED), a bounded total of waiting), response bodies either buffered (bounded) or streamed to a callback
 * (resumed with a Range request after a broken transfer), error messages that name the URL without
 * secrets, the HTTP status and the API's own message, and a trace for --verbose that never shows a
 * header's value (tokens travel in headers only).
 * Not here: what the requests mean (pipeline/cloud/vertex.c, pipeline/cloud/kfp_rest.c, common/gcs.c) and where
 * tokens come from (common/gauth.c).
 */
#ifndef NIGHTFAN_HTTP_H
#define NIGHTFAN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "err.h"

/* How persistent a client is. http_policy_default() fills the defaults, which the environment
 * may change: NIGHTFAN_HTTP_TIMEOUT (total seconds per attempt, default 60),
 * NIGHTFAN_HTTP_CONNECT_TIMEOUT (seconds, default 10), NIGHTFAN_HTTP_ATTEMPTS (default 6),
 * NIGHTFAN_HTTP_MAX_WAIT (seconds of waiting between the attempts of one request, in all; default
 * 300), NIGHTFAN_HTTP_SLEEP_SCALE (multiplies every wait between attempts; 0 in tests so that
 * retries cost no time — the trace and messages still show the nominal waits). */
struct http_policy {
	double timeout_s;         /* whole attempt, connect included */
	double connect_timeout_s;
	int max_attempts;         /* 1 = never retry */
	double max_backoff_s;     /* 32: the cap of Google's formula */
	double quota_min_s;       /* 30: the least wait after a quota error, doubling with each one */
	double max_total_wait_s;  /* a wait that would take the total past this ends the retries */
	double sleep_scale;
};

void http_policy_default(struct http_policy *p);

/* Wait before retry number `retry` (0 = the first retry): min(2^retry + jitter, cap) seconds,
 * jitter in [0, 1). Pure; exposed for tests. */
double http_backoff_seconds(int retry, double jitter, double cap);

/* Parse a Retry-After value (delta-seconds or an HTTP-date) relative to `now`. Seconds to wait
 * (0 for a date in the past), or -1 when the value is neither. */
double http_parse_retry_after(const char *value, time_t now);

/* A google.protobuf.Duration in its JSON form ("30s", "1.5s", "0.000001s"): seconds, or -1 when
 * the text is not one. */
double http_parse_duration(const char *text);

/* What a Google error body ({"error": {"status": ..., "details": [...]}}) says about retrying:
 * *quota is set when error.status is RESOURCE_EXHAUSTED; the result is the retryDelay of a
 * details entry with "@type": "type.googleapis.com/google.rpc.RetryInfo" in seconds, or -1 when
 * there is none (or the body is not such JSON). */
double http_error_retry_info(const char *body, size_t len, bool *quota);

/* Why an attempt failed, as far as the wait before the next one goes. */
struct http_retry_hint {
	double retry_after;   /* the Retry-After header, seconds; -1: none */
	double retry_delay;   /* google.rpc.RetryInfo.retryDelay, seconds; -1: none */
	bool quota;           /* RESOURCE_EXHAUSTED */
};

/* The wait before retry number `retry` (0 = the first) of a request that has met `quota_retries`
 * quota errors before this one. The server's hint, when it gives one, is a floor ("wait at least");
 * a quota error waits at least quota_min_s x 2^quota_retries + jitter; otherwise
 * http_backoff_seconds(). Pure; exposed for tests. */
double http_retry_wait(const struct http_policy *p, int retry, int quota_retries, double jitter,
		       const struct http_retry_hint *h);

/* Copy `url` into buf (always NUL-terminated) with user:password@ removed and the values of
 * query parameters that carry secrets (access_token, token, key, api_key, signature, sig,
 * X-Goog-Signature, X-Goog-Credential, password, secret, code) replaced by REDACTED. Returns buf. */
char *http_redact_url(const char *url, char *buf, size_t size);

/* The API's own message from an error body: Google's {"error": {"message": ...}}, grpc-gateway's
 * {"message": ...} or {"error": "..."}, KFP's {"error_message": ...}, else a short single-line
 * plain-text body. Control characters become spaces; at most `size` - 1 bytes. "" when none. */
char *http_error_message(const char *body, size_t len, char *buf, size_t size);

/* Whether a status is worth retrying: 408, 429 and 5xx. */
bool http_status_retryable(long status);

/* Streamed body: called with each chunk of a 2xx response's body, in order, exactly once per
 * byte even across retries. Return 0 to go on, -1 to abort the request (fill the err you hold in
 * ctx; http_send then returns -1 with that message left in place when `sink_err` is set). */
typedef int (*http_sink_fn)(const char *data, size_t len, void *ctx);

struct http_request {
	const char *method;          /* "GET", "POST", ... */
	const char *url;
	const char *const *headers;  /* NULL-terminated "Name: value" lines, or NULL */
	const char *body;            /* request body, or NULL */
	size_t body_len;
	bool idempotent;             /* retry on transient failures; false: only when the request
	                                provably never reached the server (connection refused) */
	size_t max_body;             /* buffered responses: refuse bodies larger (0: 64 MiB) */
	http_sink_fn sink;           /* non-NULL: stream a 2xx body here instead of buffering it */
	void *sink_ctx;
	struct err *sink_err;        /* the err the sink fills when it returns -1 (may be NULL) */
};

struct http_response {
	long status;                 /* final HTTP status (0 when no response arrived) */
	char *body;                  /* buffered body, NUL-terminated (NULL when streamed) */
	size_t body_len;
	int attempts;                /* how many attempts were made */
};

void http_response_free(struct http_response *r);

struct http_client;

/* A client keeps one connection pool for its requests. NULL on failure (curl init). */
struct http_client *http_client_new(const struct http_policy *policy, struct err *e);
void http_client_free(struct http_client *c);

/* Tests: replace the sleep between attempts, the jitter source (returns [0, 1)) and the clock
 * (for Retry-After dates). NULL restores the real one. */
void http_client_set_sleep(struct http_client *c, void (*sleep_fn)(double seconds, void *ctx), void *ctx);
void http_client_set_jitter(struct http_client *c, double (*jitter_fn)(void *ctx), void *ctx);
void http_client_set_clock(struct http_client *c, time_t (*clock_fn)(void *ctx), void *ctx);

/* Wait before retrying a whole operation (not a request: e.g. a create the server ABORTED):
 * http_backoff_seconds(retry, the client's jitter, policy cap) seconds, scaled and slept as the
 * client sleeps between attempts. Returns the nominal seconds. */
double http_client_pause(struct http_client *c, int retry);

/* --verbose: one line per attempt ("GET <redacted url> -> 503 in 0.01 s; retrying in 1.42 s
 * (attempt 2 of 6)"). Header values and bodies are never traced. */
void http_client_set_trace(struct http_client *c, void (*trace_fn)(const char *line, void *ctx), void *ctx);
/* The trace every client created from now on starts with (the metadata server's requests made
 * while finding a token included). NULL: none. */
void http_set_default_trace(void (*trace_fn)(const char *line, void *ctx), void *ctx);

/* Send a request, retrying as the policy and req->idempotent allow.
 * Returns 0 when a response arrived with a 2xx status; the caller frees resp.
 * Returns -1 otherwise, with e naming the redacted URL, the status and the API's message
 * ("GET http://host/x: HTTP 404: No such object: b/x") or the transport failure ("GET
 * http://host/x: timed out after 2 s (6 attempts)"); after quota errors, or when the next wait
 * would pass max_total_wait_s, it also says how long it waited in all and why it stopped;
 * resp->status and resp->body still hold the
 * last response (if any) so callers can react to a status (401, 404, 409). */
int http_send(struct http_client *c, const struct http_request *req, struct http_response *resp,
	      struct err *e);

/* Whether a bearer token may travel to this URL: https://, or http:// to the loopback
 * (127.0.0.0/8, localhost, [::1]) where tests and emulators live. */
bool http_url_safe_for_tokens(const char *url);

/* Percent-encode `s` for a URL path segment or query value (everything but A-Z a-z 0-9 - . _ ~).
 * malloc'ed, or NULL when out of memory. */
char *http_escape(const char *s);

#endif
