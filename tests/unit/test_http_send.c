/*
 * test_http_send.c — common/http's retry loop against a scripted HTTP server in a thread on
 * 127.0.0.1, with the sleep, jitter and clock injected: the exact waits, the attempt bound,
 * Retry-After (seconds and dates), POSTs that must not be repeated, bounded and streamed bodies.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "http.h"

#define MAX_REPLIES 8

/* The server answers the i-th connection with replies[i] (the last one repeats). */
struct server {
	int fd, port;
	const char *replies[MAX_REPLIES];
	int n_replies;
	_Atomic int served;   /* read by the test after each reply arrived */
	pthread_t thread;
};

static void read_request(int c)
{
	char buf[8192];
	size_t len = 0;
	while (len < sizeof buf - 1) {
		ssize_t n = read(c, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		const char *cl = strstr(buf, "Content-Length: ");
		size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
		if (len >= (size_t)(end + 4 - buf) + body)
			return;
	}
}

static void *serve(void *arg)
{
	struct server *s = arg;
	for (;;) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			return NULL;
		read_request(c);
		int i = s->served++;
		const char *reply = s->replies[i < s->n_replies ? i : s->n_replies - 1];
		ssize_t w = write(c, reply, strlen(reply));
		(void)w;
		close(c);
	}
}

static void server_start(struct server *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(s->fd, (struct sockaddr *)&a, sizeof a);
	listen(s->fd, 8);
	getsockname(s->fd, (struct sockaddr *)&a, &len);
	s->port = ntohs(a.sin_port);
	pthread_create(&s->thread, NULL, serve, s);
}

static void server_stop(struct server *s)
{
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	pthread_join(s->thread, NULL);
}

#define R503 "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 39\r\nConnection: close\r\n\r\n{\"error\":{\"code\":503,\"message\":\"busy\"}}"
#define R200 "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"

struct sleeps {
	double v[16];
	int n;
};

static void fake_sleep(double seconds, void *ctx)
{
	struct sleeps *s = ctx;
	if (s->n < 16)
		s->v[s->n++] = seconds;
}

static double half(void *ctx)
{
	(void)ctx;
	return 0.5;
}

static time_t fixed_clock(void *ctx)
{
	(void)ctx;
	return 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */
}

static struct http_client *client(int attempts, struct sleeps *sl)
{
	struct http_policy p;
	struct err e;
	http_policy_default(&p);
	p.max_attempts = attempts;
	p.sleep_scale = 1;
	struct http_client *c = http_client_new(&p, &e);
	http_client_set_sleep(c, fake_sleep, sl);
	http_client_set_jitter(c, half, NULL);
	http_client_set_clock(c, fixed_clock, NULL);
	return c;
}

TEST(retries_wait_2_to_the_n_plus_jitter)
{
	struct server s = {.replies = {R503, R503, R200}, .n_replies = 3};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(6, &sl);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s.port);
	struct http_request req = {.method = "GET", .url = url, .idempotent = true};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), 0);
	CHECK_INT(resp.status, 200);
	CHECK_INT(resp.attempts, 3);
	CHECK_STR(resp.body, "ok");
	CHECK_INT(sl.n, 2);
	CHECK_DOUBLE(sl.v[0], 1.5, 0);
	CHECK_DOUBLE(sl.v[1], 2.5, 0);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&s);
}

TEST(attempts_are_bounded_and_the_error_names_everything)
{
	struct server s = {.replies = {R503}, .n_replies = 1};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(3, &sl);
	char url[96], want[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x?access_token=abc", s.port);
	struct http_request req = {.method = "GET", .url = url, .idempotent = true};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), -1);
	CHECK_INT(s.served, 3);
	CHECK_INT(resp.status, 503);
	snprintf(want, sizeof want, "GET http://127.0.0.1:%d/x?access_token=REDACTED: HTTP 503: busy (after 3 attempts)", s.port);
	CHECK_STR(e.message, want);
	CHECK_INT(sl.n, 2);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&s);
}

TEST(retry_after_date_uses_the_clock)
{
	struct server s = {.replies = {"HTTP/1.1 429 Too Many Requests\r\nRetry-After: Tue, 14 Nov 2023 22:13:50 GMT\r\n"
				       "Content-Length: 0\r\nConnection: close\r\n\r\n", R200}, .n_replies = 2};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(6, &sl);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s.port);
	struct http_request req = {.method = "GET", .url = url, .idempotent = true};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), 0);
	CHECK_INT(sl.n, 1);
	CHECK_DOUBLE(sl.v[0], 30.0, 0);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&s);
}

#define QUOTA_BODY "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"," \
	"\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"%s\"}]}}"

static char *quota_reply(const char *delay)
{
	char body[256], *reply;
	snprintf(body, sizeof body, QUOTA_BODY, delay);
	if (asprintf(&reply, "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
			     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(body), body) < 0)
		return NULL;
	return reply;
}

/* RetryInfo 10s (< the 30 s quota floor), then 45s, then 0.5s: waits 30.5 (30 x 2^0 + jitter),
 * 60.5 (30 x 2^1 + jitter; RetryInfo's 45 is below), 120.5 (30 x 2^2 + jitter); then success.
 * Then a server that keeps refusing: 30.5 + 60.5 + 120.5 = 211.5 s waited, the next (240.5 s) would
 * pass 300 s in all, so it stops after 4 attempts and says so. */
TEST(quota_errors_wait_at_least_30_s_doubling_within_a_total)
{
	char *q10 = quota_reply("10s"), *q45 = quota_reply("45s"), *q05 = quota_reply("0.5s");
	struct server s = {.replies = {q10, q45, q05, R200}, .n_replies = 4};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(6, &sl);
	char url[64], want[512];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s.port);
	struct http_request req = {.method = "GET", .url = url, .idempotent = true};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), 0);
	CHECK_INT(sl.n, 3);
	CHECK_DOUBLE(sl.v[0], 30.5, 0);
	CHECK_DOUBLE(sl.v[1], 60.5, 0);
	CHECK_DOUBLE(sl.v[2], 120.5, 0);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&s);

	struct server forever = {.replies = {q10}, .n_replies = 1};
	server_start(&forever);
	struct sleeps sl2 = {0};
	c = client(6, &sl2);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", forever.port);
	CHECK_INT(http_send(c, &req, &resp, &e), -1);
	CHECK_INT(forever.served, 4);
	CHECK_INT(sl2.n, 3);
	snprintf(want, sizeof want, "GET %s: HTTP 429: Quota exceeded (gave up after 4 attempts and 212 s of waiting: the next "
		 "wait would be 240 s, past the 300 s a request may wait in all; NIGHTFAN_HTTP_MAX_WAIT sets it)", url);
	CHECK_STR(e.message, want);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&forever);
	free(q10);
	free(q45);
	free(q05);
}

TEST(a_post_without_an_idempotency_key_is_sent_once)
{
	struct server s = {.replies = {R503, R200}, .n_replies = 2};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(6, &sl);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/runs", s.port);
	struct http_request req = {.method = "POST", .url = url, .body = "{}", .body_len = 2};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), -1);
	CHECK_INT(s.served, 1);
	CHECK_INT(sl.n, 0);
	http_response_free(&resp);
	http_client_free(c);
	server_stop(&s);
}

static int collect(const char *data, size_t len, void *ctx)
{
	strncat(ctx, data, len);
	return 0;
}

TEST(bodies_are_bounded_or_streamed)
{
	struct server s = {.replies = {"HTTP/1.1 200 OK\r\nContent-Length: 20\r\nConnection: close\r\n\r\n0123456789abcdefghij"},
			   .n_replies = 1};
	server_start(&s);
	struct sleeps sl = {0};
	struct http_client *c = client(6, &sl);
	char url[64], want[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/o", s.port);
	struct http_request req = {.method = "GET", .url = url, .idempotent = true, .max_body = 10};
	struct http_response resp;
	struct err e;
	CHECK_INT(http_send(c, &req, &resp, &e), -1);
	snprintf(want, sizeof want, "GET http://127.0.0.1:%d/o: response larger than 10 bytes", s.port);
	CHECK_STR(e.message, want);
	http_response_free(&resp);
	char got[64] = "";
	struct http_request stream = {.method = "GET", .url = url, .idempotent = true, .sink = collect, .sink_ctx = got};
	CHECK_INT(http_send(c, &stream, &resp, &e), 0);
	CHECK_STR(got, "0123456789abcdefghij");
	CHECK(resp.body == NULL);
	http_client_free(c);
	server_stop(&s);
}
