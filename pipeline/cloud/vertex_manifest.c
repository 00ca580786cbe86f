/*
 * vertex_manifest.c — the night manifest of a submission: check it, upload it for Vertex AI; see
 * vertex_manifest.h.
 */
#include "vertex_manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "fsutil.h"
#include "spec.h"
#include "specnames.h"

static const json_t *param_default(const json_t *spec, const char *name)
{
	const json_t *defs = json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					     "parameters");
	return json_object_get(json_object_get(defs, name), "defaultValue");
}

static bool has_param(const json_t *spec, const char *name)
{
	return json_object_get(json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					       "parameters"), name) != NULL;
}

/* The value the run gets: the --param, else the spec's default (NULL when neither). */
static const json_t *effective(const json_t *spec, const json_t *params, const char *name)
{
	const json_t *v = json_object_get(params, name);
	return v ? v : param_default(spec, name);
}

/* Whether any loop item is a manifest batch reference "@K". */
static bool loop_uses_manifest(const json_t *nights)
{
	size_t i;
	const json_t *item;
	json_array_foreach(nights, i, item) {
		const char *s = json_string_value(item);
		if (s && s[0] == '@')
			return true;
	}
	return false;
}

/* "gs://...", "s3://...": a scheme before the first '/'. Anything else is a local path. */
static bool is_uri(const char *s)
{
	const char *sep = strstr(s, "://");
	return sep && strcspn(s, "/") > (size_t)(sep - s);
}

/* Why a KFP task cannot read a parameter's URI that is not gs://: the launcher places input
 * artifacts under /gcs/, /minio/, /s3/, never string parameters; the shard reads gs:// itself,
 * through the Cloud Storage API (shard/task.c). */
#define KFP_WHY "Kubeflow Pipelines tasks cannot read it (the launcher fetches input artifacts, never " \
		"parameters; nightfan reads only gs:// itself, through the Cloud Storage API)"

/* Every "@K" of the loop resolves in the manifest, with valid night ids (as the shard will check). */
static int check_batches(const char *path, const char *bytes, size_t len, const json_t *nights, struct err *e)
{
	json_error_t je;
	json_t *manifest = json_loadb(bytes, len, 0, &je);
	if (!json_is_object(manifest)) {
		json_decref(manifest);
		return ERR_AT(e, path, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
			      "expected a nightfan night manifest (JSON object with \"batches\")");
	}
	size_t i;
	const json_t *item;
	int rc = 0;
	json_array_foreach(nights, i, item) {
		const char *s = json_string_value(item);
		char **ids = NULL;
		if (!s || s[0] != '@')
			continue;
		if (spec_manifest_batch(manifest, s, &ids, e) < 0) {
			struct err inner = *e;
			rc = ERR_AT(e, path, 0, 0, "%s", inner.message);
			break;
		}
		spec_free_nights(ids);
	}
	json_decref(manifest);
	return rc;
}

/* "<prefix>/nightfan-manifests/<xxh128 of the bytes>.json" ("nightfan-manifests/..." at the root). */
static char *object_name(const char *prefix, const char *bytes, size_t len)
{
	XXH128_canonical_t canon;
	XXH128_canonicalFromHash(&canon, XXH3_128bits(bytes, len));
	char hex[33];
	for (size_t i = 0; i < sizeof canon.digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", canon.digest[i]);
	char *name;
	if (asprintf(&name, "%s%s" VERTEX_MANIFEST_FOLDER "/%s.json", prefix, *prefix ? "/" : "", hex) < 0)
		return NULL;
	return name;
}

/* Read and check the local manifest, and name its object under the pipeline root. */
static int take_local(const char *path, const json_t *nights, const char *pipeline_root, struct vertex_manifest *m,
		      struct err *e)
{
	char *prefix = NULL;
	if (!(m->bytes = fs_read_file(path, VERTEX_MANIFEST_MAX_BYTES, &m->len, e)))
		return VERTEX_MANIFEST_BAD_INPUT;
	if (check_batches(path, m->bytes, m->len, nights, e) != 0)
		return VERTEX_MANIFEST_BAD_INPUT;
	if (gcs_parse_uri(pipeline_root, &m->bucket, &prefix, e) != 0)
		return VERTEX_MANIFEST_REFUSED;
	m->object = object_name(prefix, m->bytes, m->len);
	m->local_path = strdup(path);
	free(prefix);
	if (!m->object || !m->local_path) {
		ERR(e, "out of memory");
		return VERTEX_MANIFEST_BAD_INPUT;
	}
	return 0;
}

int vertex_manifest_prepare(const json_t *spec, const json_t *params, bool kfp, const char *pipeline_root,
			    struct vertex_manifest *m, struct err *e)
{
	memset(m, 0, sizeof *m);
	const json_t *nights = effective(spec, params, SPEC_PARAM_NIGHTS);
	if (!has_param(spec, SPEC_PARAM_NIGHTS_MANIFEST) || !loop_uses_manifest(nights))
		return 0;
	const char *uri = json_string_value(effective(spec, params, SPEC_PARAM_NIGHTS_MANIFEST));
	if (!uri || !uri[0]) {
		ERR(e, "the nights list names manifest batches (@0, @1, ...) but nights_manifest is empty; "
		       "pass --param nights_manifest=URI");
		return VERTEX_MANIFEST_REFUSED;
	}
	if (is_uri(uri)) {
		if (gcs_is_uri(uri))
			return 0;
		if (kfp)
			ERR(e, "nights_manifest \"%s\": " KFP_WHY "; upload the manifest to Cloud Storage and pass "
			       "--param nights_manifest=gs://BUCKET/KEY", uri);
		else
			ERR(e, "nights_manifest \"%s\": Vertex AI tasks read only gs:// URIs (under /gcs/)", uri);
		return VERTEX_MANIFEST_REFUSED;
	}
	if (kfp) {
		ERR(e, "nights_manifest is the local file %s, which the containers of a Kubeflow Pipelines run cannot "
		       "read: upload it to Cloud Storage and pass --param nights_manifest=gs://BUCKET/KEY",
		    uri);
		return VERTEX_MANIFEST_REFUSED;
	}
	int rc = take_local(uri, nights, pipeline_root, m, e);
	if (rc != 0)
		vertex_manifest_free(m);
	return rc;
}

int vertex_manifest_check_input_root(const json_t *spec, const json_t *params, bool kfp, struct err *e)
{
	const char *root = json_string_value(effective(spec, params, SPEC_PARAM_INPUT_ROOT));
	if (!root || !is_uri(root) || gcs_is_uri(root))
		return 0;
	if (kfp)
		ERR(e, "input_root \"%s\": " KFP_WHY "; pass --param input_root=gs://BUCKET/PREFIX", root);
	else
		ERR(e, "input_root \"%s\": Vertex AI tasks read only gs:// URIs (under /gcs/)", root);
	return VERTEX_MANIFEST_REFUSED;
}

int vertex_manifest_upload(const struct vertex_manifest *m, struct gcs *g, json_t *params, char **uri,
			   bool *existed, struct err *e)
{
	*uri = NULL;
	if (gcs_create_object(g, m->bucket, m->object, "application/json", m->bytes, m->len, existed, e) != 0)
		return err_prefix(e, "uploading the nights manifest %s", m->local_path);
	if (asprintf(uri, "gs://%s/%s", m->bucket, m->object) < 0) {
		*uri = NULL;
		return ERR(e, "out of memory");
	}
	if (json_object_set_new(params, SPEC_PARAM_NIGHTS_MANIFEST, json_string(*uri)) != 0) {
		free(*uri);
		*uri = NULL;
		return ERR(e, "out of memory");
	}
	return 0;
}

void vertex_manifest_free(struct vertex_manifest *m)
{
	free(m->local_path);
	free(m->bytes);
	free(m->bucket);
	free(m->object);
	memset(m, 0, sizeof *m);
}
