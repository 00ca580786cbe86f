/*
 * test_vertex_manifest.c — pipeline/vertex_manifest: when a submission needs its night manifest
 * uploaded, where it goes, and what is refused (the upload itself: tests/cli/50_cloud_manifest.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "check.h"
#include "pipeline/cloud/vertex_manifest.h"

#define MANIFEST_TEXT "{\"schema\": \"nightfan.manifest/1\", \"batches\": [[\"N1\", \"N2\"], [\"N3\"]]}\n"

/* A spec with only what vertex_manifest reads: the root's nights and nights_manifest defaults. */
static json_t *spec_with(const char *nights_json, const char *manifest_default)
{
	json_t *params = json_pack("{s:{s:s,s:o}}", "nights", "parameterType", "LIST", "defaultValue",
				   json_loads(nights_json, 0, NULL));
	if (manifest_default)
		json_object_set_new(params, "nights_manifest",
				    json_pack("{s:s,s:s}", "parameterType", "STRING", "defaultValue", manifest_default));
	return json_pack("{s:{s:{s:o}}}", "root", "inputDefinitions", "parameters", params);
}

static char *write_manifest(const char *text)
{
	char *path = strdup("/tmp/nightfan-test-manifest-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void hex128(const char *text, char out[33])
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(text, strlen(text)));
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", c.digest[i]);
}

TEST(a_local_manifest_named_by_the_loop_is_uploaded_beside_the_root)
{
	char *path = write_manifest(MANIFEST_TEXT), hex[33], want[128];
	json_t *spec = spec_with("[\"@0\", \"@1\"]", path), *params = json_object();
	struct vertex_manifest m;
	struct err e;
	hex128(MANIFEST_TEXT, hex);
	CHECK_INT(vertex_manifest_prepare(spec, params, false, "gs://sleep-bucket/runs/2026/", &m, &e), 0);
	CHECK_STR(m.local_path, path);
	CHECK_STR(m.bucket, "sleep-bucket");
	snprintf(want, sizeof want, "runs/2026/nightfan-manifests/%s.json", hex);
	CHECK_STR(m.object, want);
	CHECK_INT((long)m.len, (long)strlen(MANIFEST_TEXT));
	CHECK(memcmp(m.bytes, MANIFEST_TEXT, m.len) == 0);
	vertex_manifest_free(&m);
	CHECK_INT(vertex_manifest_prepare(spec, params, false, "gs://sleep-bucket", &m, &e), 0);
	snprintf(want, sizeof want, "nightfan-manifests/%s.json", hex);
	CHECK_STR(m.object, want);
	vertex_manifest_free(&m);
	json_decref(spec);
	json_decref(params);
	unlink(path);
	free(path);
}

TEST(no_upload_when_the_run_needs_no_manifest)
{
	struct vertex_manifest m;
	struct err e;
	json_t *plain = spec_with("[\"N1\", \"N2,N3\"]", ""), *old = spec_with("[\"@0\"]", NULL);
	json_t *big = spec_with("[\"@0\"]", "/nonexistent/p.manifest.json");
	json_t *none = json_object(), *one_night = json_pack("{s:[s]}", "nights", "N0042");
	json_t *given = json_pack("{s:s}", "nights_manifest", "gs://b-1/m.json");
	CHECK_INT(vertex_manifest_prepare(plain, none, false, "gs://b-1/r", &m, &e), 0);
	CHECK(m.local_path == NULL);
	CHECK_INT(vertex_manifest_prepare(old, none, false, "gs://b-1/r", &m, &e), 0); /* no such parameter */
	CHECK(m.local_path == NULL);
	CHECK_INT(vertex_manifest_prepare(big, one_night, false, "gs://b-1/r", &m, &e), 0);
	CHECK(m.local_path == NULL);
	CHECK_INT(vertex_manifest_prepare(big, given, false, "gs://b-1/r", &m, &e), 0);
	CHECK(m.local_path == NULL);
	CHECK_INT(vertex_manifest_prepare(big, given, true, "minio://b/r", &m, &e), 0); /* KFP: gs:// */
	CHECK(m.local_path == NULL);
	json_decref(plain);
	json_decref(old);
	json_decref(big);
	json_decref(none);
	json_decref(one_night);
	json_decref(given);
}

TEST(what_the_containers_could_not_read_is_refused)
{
	struct vertex_manifest m;
	struct err e;
	json_t *big = spec_with("[\"@0\"]", "/data/p.manifest.json"), *none = json_object();
	json_t *s3 = json_pack("{s:s}", "nights_manifest", "s3://lab/m.json");
	json_t *empty = json_pack("{s:s}", "nights_manifest", "");
	CHECK_INT(vertex_manifest_prepare(big, none, true, "minio://b/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	CHECK_STR(e.message, "nights_manifest is the local file /data/p.manifest.json, which the containers of a "
			     "Kubeflow Pipelines run cannot read: upload it to Cloud Storage and pass "
			     "--param nights_manifest=gs://BUCKET/KEY");
	CHECK_INT(vertex_manifest_prepare(big, s3, false, "gs://b-1/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	CHECK_STR(e.message, "nights_manifest \"s3://lab/m.json\": Vertex AI tasks read only gs:// URIs (under /gcs/)");
	/* KFP's launcher puts only input artifacts under /s3/ and /minio/ (launcher_v2.go's
	 * downloadArtifacts), never a string parameter's URI: refused, as every scheme but gs://. */
	static const char kfp_why[] = "Kubeflow Pipelines tasks cannot read it (the launcher fetches input artifacts, "
				      "never parameters; nightfan reads only gs:// itself, through the Cloud Storage API); "
				      "upload the manifest to Cloud Storage and pass --param nights_manifest=gs://BUCKET/KEY";
	char want[512];
	CHECK_INT(vertex_manifest_prepare(big, s3, true, "minio://b/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	snprintf(want, sizeof want, "nights_manifest \"s3://lab/m.json\": %s", kfp_why);
	CHECK_STR(e.message, want);
	json_object_set_new(s3, "nights_manifest", json_string("minio://mlpipeline/m.json"));
	CHECK_INT(vertex_manifest_prepare(big, s3, true, "minio://b/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	snprintf(want, sizeof want, "nights_manifest \"minio://mlpipeline/m.json\": %s", kfp_why);
	CHECK_STR(e.message, want);
	json_object_set_new(s3, "nights_manifest", json_string("https://lab.example/m.json"));
	CHECK_INT(vertex_manifest_prepare(big, s3, true, "minio://b/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	snprintf(want, sizeof want, "nights_manifest \"https://lab.example/m.json\": %s", kfp_why);
	CHECK_STR(e.message, want);
	CHECK_INT(vertex_manifest_prepare(big, empty, false, "gs://b-1/r", &m, &e), VERTEX_MANIFEST_REFUSED);
	CHECK(strstr(e.message, "but nights_manifest is empty") != NULL);
	json_decref(big);
	json_decref(none);
	json_decref(s3);
	json_decref(empty);
}

/* A spec whose root takes input_root with this default. */
static json_t *spec_with_root(const char *input_root_default)
{
	json_t *spec = spec_with("[\"N0001\"]", "");
	json_object_set_new(json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					    "parameters"),
			    "input_root", json_pack("{s:s, s:s}", "parameterType", "STRING", "defaultValue", input_root_default));
	return spec;
}

TEST(an_input_root_the_tasks_cannot_read_is_refused)
{
	struct err e;
	json_t *spec = spec_with_root("/data/study"), *p = json_object();
	CHECK_INT(vertex_manifest_check_input_root(spec, p, true, &e), 0);  /* a path: the container's own */
	json_object_set_new(p, "input_root", json_string("gs://lab/study"));
	CHECK_INT(vertex_manifest_check_input_root(spec, p, true, &e), 0);  /* read through the API */
	CHECK_INT(vertex_manifest_check_input_root(spec, p, false, &e), 0); /* /gcs/ on Vertex AI */
	json_object_set_new(p, "input_root", json_string("minio://mlpipeline/study"));
	CHECK_INT(vertex_manifest_check_input_root(spec, p, true, &e), VERTEX_MANIFEST_REFUSED);
	CHECK_STR(e.message, "input_root \"minio://mlpipeline/study\": Kubeflow Pipelines tasks cannot read it (the "
			     "launcher fetches input artifacts, never parameters; nightfan reads only gs:// itself, "
			     "through the Cloud Storage API); pass --param input_root=gs://BUCKET/PREFIX");
	json_object_set_new(p, "input_root", json_string("s3://lab/study"));
	CHECK_INT(vertex_manifest_check_input_root(spec, p, false, &e), VERTEX_MANIFEST_REFUSED);
	CHECK_STR(e.message, "input_root \"s3://lab/study\": Vertex AI tasks read only gs:// URIs (under /gcs/)");
	json_decref(spec);
	json_object_clear(p);
	spec = spec_with_root("s3://lab/x"); /* the compiled default counts when no --param replaces it */
	CHECK_INT(vertex_manifest_check_input_root(spec, p, true, &e), VERTEX_MANIFEST_REFUSED);
	json_decref(p);
	json_decref(spec);
}

TEST(a_local_manifest_is_checked_before_anything_is_sent)
{
	struct vertex_manifest m;
	struct err e;
	char *path = write_manifest(MANIFEST_TEXT), *bad = write_manifest("{\"batches\": [[\"N 1\"]]}");
	json_t *three = spec_with("[\"@0\", \"@2\"]", path), *invalid = spec_with("[\"@0\"]", bad);
	json_t *missing = spec_with("[\"@0\"]", "/nonexistent/p.manifest.json"), *none = json_object();
	CHECK_INT(vertex_manifest_prepare(three, none, false, "gs://b-1/r", &m, &e), VERTEX_MANIFEST_BAD_INPUT);
	CHECK_STR(e.file, path);
	CHECK_STR(e.message, "@2: the manifest has only 2 batches");
	CHECK(m.local_path == NULL && m.bytes == NULL);
	CHECK_INT(vertex_manifest_prepare(invalid, none, false, "gs://b-1/r", &m, &e), VERTEX_MANIFEST_BAD_INPUT);
	CHECK_STR(e.file, bad);
	CHECK_INT(vertex_manifest_prepare(missing, none, false, "gs://b-1/r", &m, &e), VERTEX_MANIFEST_BAD_INPUT);
	CHECK_STR(e.file, "/nonexistent/p.manifest.json");
	json_decref(three);
	json_decref(invalid);
	json_decref(missing);
	json_decref(none);
	unlink(path);
	unlink(bad);
	free(path);
	free(bad);
}
