/*
 * test_executor.c — common/executor.c against the ExecutorInput files the KFP SDK's local runner
 * really produced (tests/golden/executor/, copied unmodified from ../shared/kfp-reference/
 * executor-input/), against hand-written inputs for doubles, lists and URIs, and against malformed
 * inputs with their exact messages. The ExecutorOutput is checked byte for byte (compact form).
 * Unit tests run from the repository root (tests/run.sh), so the golden files are found relative.
 */
#include "check.h"
#include "executor.h"
#include "fsutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOLDEN "tests/golden/executor/"
#define ROOT "<pipeline-root>/local-fanout-2026-11-24-19-13-31-631766/"

static char *read_golden(const char *name)
{
	struct err e = {0};
	char path[256];
	char *text;

	snprintf(path, sizeof path, GOLDEN "%s", name);
	text = fs_read_file(path, 1 << 20, NULL, &e);
	if (!text)
		check_fail(__FILE__, __LINE__, "cannot read %s (run from the repository root): %s", path,
			   e.message);
	return text;
}

static struct executor *parse_golden(const char *name)
{
	struct err e = {0};
	char *text = read_golden(name);
	struct executor *ex = text ? executor_parse(text, &e) : NULL;

	if (text && !ex)
		check_fail(__FILE__, __LINE__, "%s: %s", name, e.message);
	free(text);
	return ex;
}

static struct executor *parse_ok(const char *json)
{
	struct err e = {0};
	struct executor *ex = executor_parse(json, &e);

	if (!ex)
		check_fail(__FILE__, __LINE__, "parse failed: %s", e.message);
	return ex;
}

/* ---- the two reference files ---- */

TEST(shard_reference_input)
{
	struct executor *ex = parse_golden("shard-a.json");
	const struct executor_artifact *out;
	struct err e = {0};
	long long n;

	if (!ex)
		return;
	CHECK(executor_has_param(ex, "item"));
	CHECK(!executor_has_param(ex, "Item"));
	CHECK_STR(executor_param_string(ex, "item", &e), "a");
	out = executor_output_artifact(ex, "out", &e);
	CHECK(out != NULL);
	if (out) {
		CHECK_STR(out->name, "out");
		CHECK_STR(out->uri, ROOT "for-loop-1-iteration-0/shard/out");
		/* A local path (the SDK's local runner) is used unchanged. */
		CHECK_STR(out->path, ROOT "for-loop-1-iteration-0/shard/out");
		CHECK(cJSON_IsObject(out->metadata) && out->metadata->child == NULL);
	}
	CHECK_STR(executor_output_parameter_file(ex, "Output", &e),
		  ROOT "for-loop-1-iteration-0/shard/Output");
	CHECK_STR(executor_output_file(ex, &e),
		  ROOT "for-loop-1-iteration-0/shard/executor_output.json");
	CHECK_INT(executor_param_int(ex, "item", &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.item: expected an integer, got a string");
	executor_free(ex);
}

TEST(merge_reference_input)
{
	struct executor *ex = parse_golden("merge.json");
	const struct executor_artifact *parts;
	const char *const *strings;
	size_t count = 99;
	struct err e = {0};

	if (!ex)
		return;
	CHECK_INT(executor_input_artifacts(ex, "parts", &parts, &count, &e), 0);
	CHECK_INT(count, 3);
	for (size_t i = 0; i < count && i < 3; i++) {
		char want[256];
		snprintf(want, sizeof want, ROOT "for-loop-1-iteration-%zu/shard/out", i);
		CHECK_STR(parts[i].name, "out");
		CHECK_STR(parts[i].uri, want);
		CHECK_STR(parts[i].path, want);
		CHECK(cJSON_IsObject(parts[i].metadata));
	}
	/* The collected ints arrive as doubles: not strings. */
	CHECK_INT(executor_param_strings(ex, "sizes", &strings, &count, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.sizes[0]: expected a string, got a number");
	CHECK_STR(executor_output_artifact(ex, "merged", &e)->uri, ROOT "merge/merged");
	CHECK_STR(executor_output_file(ex, &e), ROOT "merge/executor_output.json");
	CHECK_INT(executor_input_artifacts(ex, "nope", &parts, &count, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.artifacts.nope: missing, expected an object");
	executor_free(ex);
}

/* ---- parameters ---- */

TEST(integers_arrive_as_doubles)
{
	struct executor *ex = parse_ok("{\"inputs\": {\"parameterValues\": {\"a\": 3, \"b\": 3.0, "
				       "\"c\": 3.5, \"d\": \"3\", \"e\": 1e300, \"f\": -2.0, "
				       "\"g\": 9007199254740992}}}");
	struct err e = {0};
	long long n = 0;

	CHECK_INT(executor_param_int(ex, "a", &n, &e), 0);
	CHECK_INT(n, 3);
	CHECK_INT(executor_param_int(ex, "b", &n, &e), 0);
	CHECK_INT(n, 3);
	CHECK_INT(executor_param_int(ex, "f", &n, &e), 0);
	CHECK_INT(n, -2);
	CHECK_INT(executor_param_int(ex, "g", &n, &e), 0);
	CHECK_INT(n, 9007199254740992LL);
	CHECK_INT(executor_param_int(ex, "c", &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.c: expected an integer, got 3.5");
	CHECK_INT(executor_param_int(ex, "d", &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.d: expected an integer, got a string");
	CHECK_INT(executor_param_int(ex, "e", &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.e: expected an integer, got 1e+300");
	CHECK_INT(executor_param_int(ex, "zz", &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.zz: missing, expected an integer");
	executor_free(ex);
}

static void check_list(struct executor *ex, const char *name, const char *const *want, size_t n)
{
	const char *const *items = NULL;
	size_t count = 99;
	struct err e = {0};

	if (executor_param_strings(ex, name, &items, &count, &e) != 0) {
		check_fail(__FILE__, __LINE__, "%s: %s", name, e.message);
		return;
	}
	CHECK_INT(count, n);
	for (size_t i = 0; i < n && i < count; i++)
		CHECK_STR(items[i], want[i]);
}

TEST(string_lists_native_or_encoded)
{
	static const char *const nights[] = {"N0001", "N0042", "a\"b"};
	struct executor *ex = parse_ok(
		"{\"inputs\": {\"parameterValues\": {"
		"\"native\": [\"N0001\", \"N0042\", \"a\\\"b\"],"
		"\"encoded\": \"[\\\"N0001\\\", \\\"N0042\\\", \\\"a\\\\\\\"b\\\"]\","
		"\"empty\": [], \"empty_encoded\": \" [ ] \","
		"\"plain\": \"N0001\", \"bad_item\": \"[\\\"N0001\\\", 7]\", \"number\": 4}}}");
	const char *const *items;
	size_t count;
	struct err e = {0};

	check_list(ex, "native", nights, 3);
	check_list(ex, "encoded", nights, 3);
	check_list(ex, "empty", NULL, 0);
	check_list(ex, "empty_encoded", NULL, 0);
	CHECK_INT(executor_param_strings(ex, "plain", &items, &count, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.plain: expected a list of strings "
		  "(or its JSON text), got the string \"N0001\"");
	CHECK_INT(executor_param_strings(ex, "bad_item", &items, &count, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.bad_item[1]: expected a string, got a number");
	CHECK_INT(executor_param_strings(ex, "number", &items, &count, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.number: expected a list of strings, got a number");
	executor_free(ex);
}

TEST(booleans_and_strings)
{
	struct executor *ex = parse_ok("{\"inputs\": {\"parameterValues\": {\"t\": true, \"f\": false, "
				       "\"ts\": \"true\", \"fs\": \"false\", \"yes\": \"yes\", \"n\": 1, "
				       "\"nul\": null}}}");
	struct err e = {0};
	bool b = false;

	CHECK_INT(executor_param_bool(ex, "t", &b, &e), 0);
	CHECK(b);
	CHECK_INT(executor_param_bool(ex, "f", &b, &e), 0);
	CHECK(!b);
	CHECK_INT(executor_param_bool(ex, "ts", &b, &e), 0);
	CHECK(b);
	CHECK_INT(executor_param_bool(ex, "fs", &b, &e), 0);
	CHECK(!b);
	CHECK_INT(executor_param_bool(ex, "yes", &b, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.yes: expected true or false, got \"yes\"");
	CHECK_INT(executor_param_bool(ex, "n", &b, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.n: expected true or false, got a number");
	CHECK(executor_has_param(ex, "nul"));
	CHECK(executor_param_string(ex, "nul", &e) == NULL);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.nul: expected a string, got null");
	CHECK(executor_param_string(ex, "t", &e) == NULL);
	CHECK_STR(e.message, "executor input: inputs.parameterValues.t: expected a string, got a boolean");
	executor_free(ex);
}

/* ---- URIs ---- */

static void check_uri_as(const char *uri, enum executor_uri_kind kind, const char *want_path,
			 const char *want_error)
{
	struct err e = {0};
	char *path = executor_uri_to_path(uri, kind, &e);

	if (want_path) {
		CHECK_STR(path, want_path);
	} else {
		CHECK(path == NULL);
		CHECK_STR(e.message, want_error);
	}
	free(path);
}

static void check_uri(const char *uri, const char *want_path, const char *want_error)
{
	check_uri_as(uri, EXECUTOR_URI_OBJECT, want_path, want_error);
}

TEST(uri_mapping_like_the_launcher)
{
	check_uri("gs://bucket/run/shard/out", "/gcs/bucket/run/shard/out", NULL);
	check_uri("minio://mlpipeline/v2/out", "/minio/mlpipeline/v2/out", NULL);
	check_uri("s3://b/k", "/s3/b/k", NULL);
	check_uri("/tmp/run/out", "/tmp/run/out", NULL);
	check_uri("relative/out", "relative/out", NULL);
	check_uri("/tmp/odd://name", "/tmp/odd://name", NULL);
	check_uri("gs://b/x..y/.hidden/...", "/gcs/b/x..y/.hidden/...", NULL); /* dots inside names are names */
	check_uri("../local/out", "../local/out", NULL); /* a local path is the local runner's own, as given */
	check_uri("http://example.com/x", NULL,
		  "unsupported URI \"http://example.com/x\": expected gs://, minio://, s3:// or a local path");
	check_uri("file:///tmp/x", NULL,
		  "unsupported URI \"file:///tmp/x\": expected gs://, minio://, s3:// or a local path");
	check_uri("gs://", NULL, "expected a bucket after gs:// in URI \"gs://\"");
	check_uri("s3:///k", NULL, "expected a bucket after s3:// in URI \"s3:///k\"");
	check_uri("", NULL, "expected a URI, got an empty string");
}

/* Issue 17: gs://b/../../tmp/x became /gcs/b/../../tmp/x (that is /tmp/x) and was written, and
 * gs://b/.. wrote /gcs/N0001. The one rule refuses any "." or ".." segment of a mounted URI. */
TEST(uri_dot_segments_and_empty_paths_are_refused)
{
	check_uri("gs://b/../../tmp/x", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"gs://b/../../tmp/x\" (it would lead out of /gcs/)");
	check_uri_as("gs://b/..", EXECUTOR_URI_FOLDER, NULL,
		     "expected a URI without \".\" or \"..\" path segments, got \"gs://b/..\" (it would lead out of /gcs/)");
	check_uri("gs://../x", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"gs://../x\" (it would lead out of /gcs/)");
	check_uri("minio://b/x/./y", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"minio://b/x/./y\" (it would lead out of /minio/)");
	check_uri("s3://b/x/..", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"s3://b/x/..\" (it would lead out of /s3/)");
	check_uri("gs://b/.", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"gs://b/.\" (it would lead out of /gcs/)");
	/* an artifact or a file needs a path after the bucket; a folder of nights may be the bucket */
	check_uri("gs://b", NULL, "expected an object path after the bucket in URI \"gs://b\"");
	check_uri("gs://b/", NULL, "expected an object path after the bucket in URI \"gs://b/\"");
	check_uri("gs://b//", NULL, "expected an object path after the bucket in URI \"gs://b//\"");
	check_uri_as("gs://b", EXECUTOR_URI_FOLDER, "/gcs/b", NULL);
	check_uri_as("gs://b/", EXECUTOR_URI_FOLDER, "/gcs/b/", NULL);
	check_uri_as("gs://b/study/v1/", EXECUTOR_URI_FOLDER, "/gcs/b/study/v1/", NULL);
	check_uri_as("gs://b/..", EXECUTOR_URI_OBJECT, NULL,
		     "expected a URI without \".\" or \"..\" path segments, got \"gs://b/..\" (it would lead out of /gcs/)");
	check_uri_as("gs://", EXECUTOR_URI_FOLDER, NULL, "expected a bucket after gs:// in URI \"gs://\"");
	/* a URI is quoted printably */
	check_uri("gs://b/\n/..", NULL,
		  "expected a URI without \".\" or \"..\" path segments, got \"gs://b/\\x0a/..\" (it would lead out of /gcs/)");
}

TEST(input_artifacts_on_cloud_storage)
{
	struct executor *ex = parse_ok(
		"{\"inputs\": {\"artifacts\": {"
		"\"parts\": {\"artifacts\": ["
		"{\"name\": \"out\", \"uri\": \"gs://b/p/0/out\", \"metadata\": {\"night\": \"N0001\"}},"
		"{\"uri\": \"minio://b/p/1/out\"}]},"
		"\"bad\": {\"artifacts\": [{\"uri\": \"s3://b/ok\"}, {\"uri\": \"ftp://h/x\"}]},"
		"\"nouri\": {\"artifacts\": [{\"name\": \"x\"}]},"
		"\"empty\": {},"
		"\"notlist\": {\"artifacts\": {}},"
		"\"badmeta\": {\"artifacts\": [{\"uri\": \"/x\", \"metadata\": []}]}}}}");
	const struct executor_artifact *a;
	size_t n = 99;
	struct err e = {0};

	CHECK_INT(executor_input_artifacts(ex, "parts", &a, &n, &e), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(a[0].path, "/gcs/b/p/0/out");
		CHECK_STR(cJSON_GetObjectItem(a[0].metadata, "night")->valuestring, "N0001");
		CHECK_STR(a[1].name, "");
		CHECK_STR(a[1].path, "/minio/b/p/1/out");
		CHECK(a[1].metadata == NULL);
	}
	CHECK_INT(executor_input_artifacts(ex, "empty", &a, &n, &e), 0);
	CHECK_INT(n, 0);
	CHECK_INT(executor_input_artifacts(ex, "bad", &a, &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.artifacts.bad.artifacts[1].uri: unsupported "
		  "URI \"ftp://h/x\": expected gs://, minio://, s3:// or a local path");
	CHECK_INT(executor_input_artifacts(ex, "nouri", &a, &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.artifacts.nouri.artifacts[0].uri: missing, expected a string");
	CHECK_INT(executor_input_artifacts(ex, "notlist", &a, &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.artifacts.notlist.artifacts: expected a list, got an object");
	CHECK_INT(executor_input_artifacts(ex, "badmeta", &a, &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs.artifacts.badmeta.artifacts[0].metadata: expected an object, got a list");
	executor_free(ex);
}

/* ---- malformed input ---- */

static void check_parse_error(const char *json, const char *want)
{
	struct err e = {0};
	struct executor *ex = executor_parse(json, &e);

	CHECK(ex == NULL);
	CHECK_STR(e.message, want);
	executor_free(ex);
}

TEST(malformed_input)
{
	struct executor *ex;
	struct err e = {0};
	const char *const *items;
	size_t n;

	check_parse_error("{\"inputs\": }", "executor input: not valid JSON at byte 12 near \"}\"");
	check_parse_error("", "executor input: not valid JSON at byte 1 near \"\"");
	check_parse_error("{} trailing", "executor input: not valid JSON at byte 4 near \"trailing\"");
	check_parse_error("[1, 2]", "executor input: expected a JSON object, got a list");

	ex = parse_ok("{\"inputs\": \"x\", \"outputs\": {\"outputFile\": 5, \"artifacts\": "
		      "{\"o\": {\"artifacts\": []}}}}");
	CHECK(executor_param_string(ex, "p", &e) == NULL);
	CHECK_STR(e.message, "executor input: inputs: expected an object, got a string");
	CHECK_INT(executor_param_strings(ex, "p", &items, &n, &e), -1);
	CHECK_STR(e.message, "executor input: inputs: expected an object, got a string");
	CHECK(executor_output_file(ex, &e) == NULL);
	CHECK_STR(e.message, "executor input: outputs.outputFile: expected a string, got a number");
	CHECK(executor_output_artifact(ex, "o", &e) == NULL);
	CHECK_STR(e.message, "executor input: outputs.artifacts.o.artifacts: expected one artifact, got none");
	CHECK(executor_output_parameter_file(ex, "Output", &e) == NULL);
	CHECK_STR(e.message, "executor input: outputs.parameters: missing, expected an object");
	CHECK_INT(executor_write_output(ex, &e), -1);
	CHECK_STR(e.message, "executor input: outputs.outputFile: expected a string, got a number");
	executor_free(ex);

	ex = parse_ok("{}");
	CHECK(executor_output_file(ex, &e) == NULL);
	CHECK_STR(e.message, "executor input: outputs: missing, expected an object");
	CHECK(!executor_has_param(ex, "x"));
	executor_free(ex);
}

/* ---- ExecutorOutput ---- */

/* shard-a.json with its output URI on Cloud Storage and its outputFile under `dir`. */
static struct executor *shard_input_writing_to(const char *dir, const char *file)
{
	char *text = read_golden("shard-a.json");
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	cJSON *outputs = cJSON_GetObjectItem(root, "outputs");
	cJSON *art = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(outputs, "artifacts"), "out"), "artifacts"), 0);
	char path[512];
	struct executor *ex;
	char *json;

	free(text);
	if (!art) {
		cJSON_Delete(root);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", dir, file);
	cJSON_ReplaceItemInObject(outputs, "outputFile", cJSON_CreateString(path));
	cJSON_ReplaceItemInObject(art, "uri", cJSON_CreateString("gs://bucket/run/for-loop-1-iteration-0/shard/out"));
	json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	ex = parse_ok(json);
	free(json);
	return ex;
}

static char *make_temp_dir(void)
{
	char tmpl[] = "/tmp/nightfan-test-executor.XXXXXX";
	char *dir = mkdtemp(tmpl);

	return dir ? strdup(dir) : NULL;
}

/* Reprint the written file compactly: an exact comparison of content and key order. */
static char *written_compact(const char *path)
{
	struct err e = {0};
	char *text = fs_read_file(path, 1 << 20, NULL, &e);
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	char *compact = doc ? cJSON_PrintUnformatted(doc) : NULL;

	free(text);
	cJSON_Delete(doc);
	return compact;
}

TEST(executor_output_written_atomically)
{
	char *dir = make_temp_dir();
	struct executor *ex = dir ? shard_input_writing_to(dir, "deep/er/executor_output.json") : NULL;
	struct err e = {0};
	char path[512];
	char *got;

	if (!ex) {
		check_fail(__FILE__, __LINE__, "setup failed");
		free(dir);
		return;
	}
	CHECK_STR(executor_output_artifact(ex, "out", &e)->path, "/gcs/bucket/run/for-loop-1-iteration-0/shard/out");
	CHECK_INT(executor_set_artifact_metadata(ex, "out", cJSON_Parse("{\"nights\": 2}"), &e), 0);
	/* Set again: replaced, not duplicated. */
	CHECK_INT(executor_set_artifact_metadata(ex, "out", cJSON_Parse("{\"nights\": 1, \"failed\": []}"), &e), 0);
	CHECK_INT(executor_set_parameter(ex, "Output", cJSON_CreateNumber(42), &e), 0);
	CHECK_INT(executor_set_parameter(ex, "nope", cJSON_CreateNumber(1), &e), -1);
	CHECK_STR(e.message, "executor input: outputs.parameters.nope: missing, expected an object");
	CHECK_INT(executor_set_artifact_metadata(ex, "nope", cJSON_CreateObject(), &e), -1);
	CHECK_STR(e.message, "executor input: outputs.artifacts.nope: missing, expected an object");
	CHECK_INT(executor_set_artifact_metadata(ex, "out", cJSON_CreateArray(), &e), -1);
	CHECK_STR(e.message, "metadata for output artifact \"out\": expected a JSON object");
	CHECK_INT(executor_write_output(ex, &e), 0);

	snprintf(path, sizeof path, "%s/deep/er/executor_output.json", dir);
	got = written_compact(path);
	CHECK_STR(got, "{\"artifacts\":{\"out\":{\"artifacts\":[{\"name\":\"out\","
		  "\"uri\":\"gs://bucket/run/for-loop-1-iteration-0/shard/out\","
		  "\"metadata\":{\"nights\":1,\"failed\":[]}}]}},\"parameterValues\":{\"Output\":42}}");
	free(got);
	/* Nothing but the file itself is left in its folder. */
	snprintf(path, sizeof path, "%s/deep/er/.executor_output.json.tmp.%ld", dir, (long)getpid());
	CHECK(access(path, F_OK) != 0);
	executor_free(ex);
	fs_remove_tree(dir, &e);
	free(dir);
}

TEST(executor_output_defaults)
{
	struct executor *ex = parse_golden("merge.json");
	struct err e = {0};
	char *json;

	if (!ex)
		return;
	/* No metadata and no parameter set: every declared artifact with {}, parameterValues {}. */
	json = executor_output_json(ex, &e);
	if (json) {
		cJSON *doc = cJSON_Parse(json);
		char *compact = cJSON_PrintUnformatted(doc);
		CHECK_STR(compact, "{\"artifacts\":{\"merged\":{\"artifacts\":[{\"name\":\"merged\","
			  "\"uri\":\"" ROOT "merge/merged\",\"metadata\":{}}]}},\"parameterValues\":{}}");
		free(compact);
		cJSON_Delete(doc);
	}
	free(json);
	executor_free(ex);
}

TEST(executor_output_unwritable)
{
	struct executor *ex = parse_ok("{\"outputs\": {\"outputFile\": \"/dev/null/sub/executor_output.json\"}}");
	struct err e = {0};
	char buf[ERR_FILE_MAX + ERR_MSG_MAX];

	CHECK_INT(executor_write_output(ex, &e), -1);
	CHECK_STR(err_format(&e, buf, sizeof buf), "/dev/null/sub: cannot create folder: Not a directory");
	executor_free(ex);
}

/* Every accessor on every one-character mutation of merge.json: each call either succeeds or
 * fills an error message; nothing crashes or leaks (run under SANITIZE=1). */
static void exercise(struct executor *ex)
{
	const struct executor_artifact *arts;
	const char *const *items;
	size_t n;
	long long i;
	bool b;
	struct err e = {0};
	char *json;

	if (executor_input_artifacts(ex, "parts", &arts, &n, &e) != 0)
		CHECK(e.message[0] != '\0');
	executor_param_strings(ex, "sizes", &items, &n, &e);
	executor_param_int(ex, "sizes", &i, &e);
	executor_param_bool(ex, "sizes", &b, &e);
	executor_param_string(ex, "sizes", &e);
	executor_output_artifact(ex, "merged", &e);
	executor_output_parameter_file(ex, "Output", &e);
	executor_output_file(ex, &e);
	executor_set_artifact_metadata(ex, "merged", cJSON_CreateObject(), &e);
	executor_set_parameter(ex, "Output", cJSON_CreateNumber(1), &e);
	json = executor_output_json(ex, &e);
	free(json);
}

TEST(mutated_reference_inputs_are_refused_cleanly)
{
	static const char replacements[] = "{}[]\":1,";
	char *text = read_golden("merge.json");
	size_t len = text ? strlen(text) : 0;
	int parsed = 0;

	for (size_t pos = 0; pos < len; pos++) {
		char saved = text[pos];
		for (const char *r = replacements; *r; r++) {
			struct err e = {0};
			struct executor *ex;
			text[pos] = *r;
			ex = executor_parse(text, &e);
			if (ex) {
				parsed++;
				exercise(ex);
				executor_free(ex);
			} else {
				CHECK(strncmp(e.message, "executor input: ", 16) == 0);
			}
		}
		text[pos] = saved;
	}
	CHECK(parsed > 100);
	free(text);
}

TEST(path_mounted)
{
	CHECK(!executor_path_mounted("/gcs/no-such-bucket-here/x"));
	CHECK(!executor_path_mounted("/tmp/x"));
	CHECK(!executor_path_mounted("/gcs/"));
	CHECK(!executor_path_mounted("/s3"));
	CHECK(!executor_path_mounted(""));
}
