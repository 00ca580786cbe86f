/*
 * test_http.c — common/http: Google's backoff formula, Retry-After, RetryInfo and quota waits, URL redaction, the API's error
 * message, escaping; common/gcs: gs:// URIs; common/curl_dl: loading libcurl and its errors. (Requests against a live fake are tests/cli/50_cloud.sh.)
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "curl_dl.h"
#include "gcs.h"
#include "http.h"

TEST(backoff_doubles_from_one_second_plus_jitter)
{
	CHECK_DOUBLE(http_backoff_seconds(0, 0.0, 32), 1.0, 0);
	CHECK_DOUBLE(http_backoff_seconds(0, 0.25, 32), 1.25, 0);
	CHECK_DOUBLE(http_backoff_seconds(1, 0.5, 32), 2.5, 0);
	CHECK_DOUBLE(http_backoff_seconds(3, 0.999, 32), 8.999, 1e-12);
	CHECK_DOUBLE(http_backoff_seconds(4, 0.5, 32), 16.5, 0);
}

TEST(backoff_is_capped_at_32_seconds)
{
	CHECK_DOUBLE(http_backoff_seconds(5, 0.0, 32), 32.0, 0);   /* 2^5 = 32 exactly */
	CHECK_DOUBLE(http_backoff_seconds(5, 0.7, 32), 32.0, 0);   /* 32.7 capped */
	CHECK_DOUBLE(http_backoff_seconds(4, 0.99, 16.5), 16.5, 0);
	CHECK_DOUBLE(http_backoff_seconds(200, 0.5, 32), 32.0, 0); /* no overflow for huge n */
}

TEST(retry_after_seconds_and_dates)
{
	time_t now = 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */
	CHECK_DOUBLE(http_parse_retry_after("2", now), 2.0, 0);
	CHECK_DOUBLE(http_parse_retry_after(" 120\r\n", now), 120.0, 0);
	CHECK_DOUBLE(http_parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now), 30.0, 0);
	CHECK_DOUBLE(http_parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now), 0.0, 0);
	CHECK_DOUBLE(http_parse_retry_after("soon", now), -1.0, 0);
	CHECK_DOUBLE(http_parse_retry_after("5x", now), -1.0, 0);
}

/* google.protobuf.Duration's JSON form: seconds with up to 9 fractional digits, suffix "s"
 * (protobuf's JSON mapping). */
TEST(durations_in_their_json_form)
{
	CHECK_DOUBLE(http_parse_duration("30s"), 30.0, 0);
	CHECK_DOUBLE(http_parse_duration("1.5s"), 1.5, 0);
	CHECK_DOUBLE(http_parse_duration("0.000001s"), 1e-6, 1e-15);
	CHECK_DOUBLE(http_parse_duration("30"), -1.0, 0);
	CHECK_DOUBLE(http_parse_duration("-3s"), -1.0, 0);
	CHECK_DOUBLE(http_parse_duration("3ms"), -1.0, 0);
	CHECK_DOUBLE(http_parse_duration(""), -1.0, 0);
}

/* A quota error as Google APIs send it (cloud.google.com/apis/design/errors): status
 * RESOURCE_EXHAUSTED, details with an ErrorInfo and a RetryInfo. */
TEST(retry_info_and_quota_from_a_google_error_body)
{
	const char *body = "{\"error\": {\"code\": 429, \"message\": \"Quota exceeded\", \"status\": \"RESOURCE_EXHAUSTED\","
		"\"details\": [{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\", \"reason\": \"RATE_LIMIT_EXCEEDED\"},"
		"{\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"42.5s\"}]}}";
	bool quota = false;
	CHECK_DOUBLE(http_error_retry_info(body, strlen(body), &quota), 42.5, 0);
	CHECK(quota);
	body = "{\"error\": {\"code\": 503, \"status\": \"UNAVAILABLE\"}}";
	CHECK_DOUBLE(http_error_retry_info(body, strlen(body), &quota), -1.0, 0);
	CHECK(!quota);
	body = "{\"error\": {\"code\": 429, \"message\": \"rateLimitExceeded\"}}"; /* Cloud Storage: no status */
	CHECK_DOUBLE(http_error_retry_info(body, strlen(body), &quota), -1.0, 0);
	CHECK(!quota);
	body = "{\"error\": {\"details\": [{\"@type\": \"type.googleapis.com/google.rpc.Help\", \"retryDelay\": \"9s\"}]}}";
	CHECK_DOUBLE(http_error_retry_info(body, strlen(body), &quota), -1.0, 0); /* only RetryInfo's counts */
	CHECK_DOUBLE(http_error_retry_info("busy", 4, &quota), -1.0, 0);
	CHECK_DOUBLE(http_error_retry_info(NULL, 0, &quota), -1.0, 0);
}

/* Hand-computed: quota waits are 30 x 2^k + jitter; a server hint is a floor; otherwise
 * min(2^n + jitter, 32). */
TEST(retry_waits_for_quota_hints_and_plain_errors)
{
	struct http_policy p;
	http_policy_default(&p);
	struct http_retry_hint none = {-1, -1, false}, quota = {-1, -1, true};
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.5, &none), 1.5, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 3, 0, 0.5, &none), 8.5, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 7, 0, 0.5, &none), 32.0, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.25, &quota), 30.25, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 1, 1, 0.25, &quota), 60.25, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 4, 3, 0.0, &quota), 240.0, 0);
	CHECK_DOUBLE(http_retry_wait(&p, 4, 100, 0.0, &quota), 30.0 * 1048576, 0); /* no overflow */
	struct http_retry_hint info = {-1, 45, true}, small = {-1, 2.5, true}, after = {7, -1, false},
		both = {50, 40, true}, plain_info = {-1, 3.5, false};
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.5, &info), 45.0, 0);   /* RetryInfo above the floor */
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.5, &small), 30.5, 0);  /* below: the quota floor */
	CHECK_DOUBLE(http_retry_wait(&p, 2, 0, 0.5, &after), 7.0, 0);   /* Retry-After on a 503, as asked */
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.5, &both), 50.0, 0);   /* the longer of the two */
	CHECK_DOUBLE(http_retry_wait(&p, 0, 0, 0.5, &plain_info), 3.5, 0);
	CHECK_DOUBLE(p.quota_min_s, 30.0, 0);
	CHECK_DOUBLE(p.max_total_wait_s, 300.0, 0);
}

TEST(retryable_statuses_are_408_429_and_5xx)
{
	CHECK(http_status_retryable(408));
	CHECK(http_status_retryable(429));
	CHECK(http_status_retryable(500));
	CHECK(http_status_retryable(503));
	CHECK(http_status_retryable(599));
	CHECK(!http_status_retryable(400));
	CHECK(!http_status_retryable(401));
	CHECK(!http_status_retryable(404));
	CHECK(!http_status_retryable(409));
}

TEST(redaction_drops_userinfo_and_secret_query_values)
{
	char buf[512];
	CHECK_STR(http_redact_url("https://user:pa55@host.example/v1/x?pipelineJobId=j1", buf, sizeof buf),
		  "https://host.example/v1/x?pipelineJobId=j1");
	CHECK_STR(http_redact_url("https://h/o?alt=media&access_token=ya29.SECRET&key=AIza", buf, sizeof buf),
		  "https://h/o?alt=media&access_token=REDACTED&key=REDACTED");
	CHECK_STR(http_redact_url("https://h/o?X-Goog-Signature=abc&X-Goog-Credential=sa%40p&prefix=a%2F", buf, sizeof buf),
		  "https://h/o?X-Goog-Signature=REDACTED&X-Goog-Credential=REDACTED&prefix=a%2F");
	CHECK_STR(http_redact_url("http://127.0.0.1:8080/apis/v2beta1/runs#frag", buf, sizeof buf),
		  "http://127.0.0.1:8080/apis/v2beta1/runs");
	CHECK_STR(http_redact_url("http://h/p?tokenish=1&token", buf, sizeof buf), "http://h/p?tokenish=1&token");
}

TEST(redaction_truncates_safely)
{
	char buf[12];
	CHECK_STR(http_redact_url("https://u:p@abcdefghijkl/", buf, sizeof buf), "https://abc");
}

TEST(error_message_from_google_kfp_and_text_bodies)
{
	char buf[256];
	const char *google = "{\"error\": {\"code\": 404, \"message\": \"No such object: b/o\", \"status\": \"NOT_FOUND\"}}";
	CHECK_STR(http_error_message(google, strlen(google), buf, sizeof buf), "No such object: b/o");
	const char *grpc = "{\"error\": \"run not found\", \"code\": 5, \"message\": \"Run r1 not found\"}";
	CHECK_STR(http_error_message(grpc, strlen(grpc), buf, sizeof buf), "run not found");
	const char *kfp = "{\"error_message\": \"bad spec\", \"code\": 3}";
	CHECK_STR(http_error_message(kfp, strlen(kfp), buf, sizeof buf), "bad spec");
	const char *text = "Missing Metadata-Flavor:Google header.\n";
	CHECK_STR(http_error_message(text, strlen(text), buf, sizeof buf), "Missing Metadata-Flavor:Google header.");
	const char *html = "<html><body>502 Bad Gateway</body></html>";
	CHECK_STR(http_error_message(html, strlen(html), buf, sizeof buf), "");
	const char *ctrl = "{\"message\": \"line one\\nline\\ttwo\"}";
	CHECK_STR(http_error_message(ctrl, strlen(ctrl), buf, sizeof buf), "line one line two");
	CHECK_STR(http_error_message(NULL, 0, buf, sizeof buf), "");
}

TEST(escape_keeps_unreserved_characters_only)
{
	char *s = http_escape("study/v1/N0001/labels/hypnogram.csv");
	CHECK_STR(s, "study%2Fv1%2FN0001%2Flabels%2Fhypnogram.csv");
	free(s);
	s = http_escape("a b&c=d~e_f.g-h");
	CHECK_STR(s, "a%20b%26c%3Dd~e_f.g-h");
	free(s);
}

TEST(gs_uris_split_into_bucket_and_prefix)
{
	char *bucket, *prefix;
	struct err e;
	CHECK_INT(gcs_parse_uri("gs://sleep-lab/study/v1/", &bucket, &prefix, &e), 0);
	CHECK_STR(bucket, "sleep-lab");
	CHECK_STR(prefix, "study/v1");
	free(bucket);
	free(prefix);
	CHECK_INT(gcs_parse_uri("gs://sleep-lab", &bucket, &prefix, &e), 0);
	CHECK_STR(prefix, "");
	free(bucket);
	free(prefix);
	CHECK_INT(gcs_parse_uri("s3://x/y", &bucket, &prefix, &e), -1);
	CHECK_STR(e.message, "expected a gs://bucket/prefix URI, got \"s3://x/y\"");
	CHECK_INT(gcs_parse_uri("gs://Bad_Bucket/x", &bucket, &prefix, &e), -1);
	CHECK_STR(e.message, "\"gs://Bad_Bucket/x\": expected a bucket name of 3-222 characters a-z, 0-9, '.', '_', '-'");
	CHECK(bucket == NULL && prefix == NULL);
}

TEST(tokens_travel_over_https_or_to_the_loopback_only)
{
	CHECK(http_url_safe_for_tokens("https://europe-west4-aiplatform.googleapis.com"));
	CHECK(http_url_safe_for_tokens("http://127.0.0.1:8080"));
	CHECK(http_url_safe_for_tokens("http://localhost/x"));
	CHECK(http_url_safe_for_tokens("http://[::1]:9000"));
	CHECK(http_url_safe_for_tokens("http://u:p@127.0.0.1:1/"));
	CHECK(!http_url_safe_for_tokens("http://storage.example.com"));
	CHECK(!http_url_safe_for_tokens("http://127.evil.example.com.attacker/"));
	CHECK(!http_url_safe_for_tokens("ftp://127.0.0.1/"));
}

TEST(libcurl_loads_on_demand_with_every_entry_point)
{
	struct err e = {0};
	const struct curl_dl *lib = curl_dl_get(&e);
	CHECK(lib != NULL);
	CHECK(lib == curl_dl_get(&e)); /* loaded once */
	CHECK_STR(lib->easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
	CHECK_INT((long)lib->getdate("Tue, 14 Nov 2023 22:13:20 GMT", NULL), 1700000000);
}

TEST(a_missing_libcurl_is_named_with_the_package_to_install)
{
	struct err e = {0};
	struct curl_dl table;
	CHECK(curl_dl_open("libcurl-nightfan-missing.so.4", &table, &e) == NULL);
	CHECK_STR(e.message, "HTTP (gs://, cloud commands) needs libcurl: cannot load libcurl-nightfan-missing.so.4: "
		  "libcurl-nightfan-missing.so.4: cannot open shared object file: No such file or directory; "
		  "install Debian's libcurl4");
	CHECK(curl_dl_open("libm.so.6", &table, &e) == NULL); /* loads, but is not libcurl */
	CHECK_STR(e.message, "HTTP (gs://, cloud commands) needs libcurl: libm.so.6 has no curl_global_init; "
		  "install Debian's libcurl4");
}
