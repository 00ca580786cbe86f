/*
 * task.c — nightfan-shard's KFP task (see task.h), run in the scaffold of common/task.h.
 *
 * The loop item ("batch") is one night id, several joined by ',', or "@K": batch K of the manifest
 * whose URI is the nights_manifest parameter ({"batches": [[ids], ...]}, pipeline/spec/spec.h).
 * nights_manifest and input_root are string parameters, which a KFP launcher never fetches (it
 * places only input artifacts under /gcs/, /minio/, /s3/): a gs:// one is read through /gcs/ when
 * the bucket is mounted there (Vertex AI's Cloud Storage FUSE), else through the Cloud Storage
 * API; an s3:// or minio:// one only when a volume puts it under /s3/ or /minio/, and otherwise
 * the error says why (nightfan submit refuses them before a run starts). The profile arrives as
 * JSON text and is parsed once for the whole batch. Each night is written straight into the
 * output artifact (shard.h: in_place), not staged and renamed: a Cloud Storage FUSE mount (/gcs/,
 * where Vertex AI puts output artifacts) may refuse a folder rename, and KFP hands an artifact on
 * only after the task succeeded, so no reader sees a night being written.
 */
#include "task.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "fsutil.h"
#include "gcs.h"
#include "log.h"
#include "nightid.h"
#include "profile.h"
#include "shard.h"
#include "specnames.h"
#include "strbuf.h"
#include "strlist.h"
#include "common/task.h" /* the scaffold; "task.h" is this file's own header */

#define MANIFEST_MAX_BYTES (64u << 20)

/* The night ids of the batch, each checked (nightid_check) as it is added. */
static int batch_add(struct strlist *b, const char *id, size_t len, struct err *e)
{
	if (strlist_pushn(b, id, len, e) < 0)
		return -1;
	return nightid_check(b->v[b->n - 1], e);
}

static int batch_from_list(const char *item, struct strlist *b, struct err *e)
{
	for (const char *p = item;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (batch_add(b, p, len, e) < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* A manifest read through the Cloud Storage API, bounded. */
struct manifest_sink {
	struct strbuf text;
	const char *uri;
	struct err *e;
};

static int manifest_chunk(const char *data, size_t len, void *ctx)
{
	struct manifest_sink *m = ctx;

	if (m->text.len + len > MANIFEST_MAX_BYTES)
		return ERR(m->e, "%s: a manifest of more than %u MiB", m->uri, MANIFEST_MAX_BYTES >> 20);
	return strbuf_add(&m->text, data, len, m->e);
}

/* gs://bucket/object through the Cloud Storage API (credentials as every gs:// read). */
static char *read_gcs_object(const char *uri, struct err *e)
{
	char *bucket, *object;
	struct manifest_sink m = {STRBUF_INIT, uri, e};
	if (gcs_parse_uri(uri, &bucket, &object, e) < 0)
		return NULL;
	struct gcs *client = gcs_open(NULL, e);
	int rc = client ? gcs_read_object(client, bucket, object, manifest_chunk, &m, e, e) : -1;
	gcs_close(client);
	free(bucket);
	free(object);
	char *text = rc == 0 ? strbuf_detach(&m.text, NULL) : NULL;
	if (rc == 0 && !text)
		ERR(e, "out of memory");
	strbuf_release(&m.text);
	return text;
}

/* The manifest's text; *shown is what messages call it (malloc'ed): its local path, or the URI. */
static char *read_manifest(const char *uri, char **shown, struct err *e)
{
	char *path;

	*shown = NULL;
	if (!(path = task_param_mounted_path(SPEC_PARAM_NIGHTS_MANIFEST, uri, EXECUTOR_URI_OBJECT, e)))
		return NULL;
	if (gcs_is_uri(uri) && !executor_path_mounted(path)) {
		free(path);
		if (!(*shown = strdup(uri))) {
			ERR(e, "out of memory");
			return NULL;
		}
		return read_gcs_object(uri, e);
	}
	*shown = path;
	return fs_read_file(path, MANIFEST_MAX_BYTES, NULL, e);
}

static int batch_from_manifest(const char *item, const char *manifest_uri, struct strlist *b, struct err *e)
{
	char *end, *shown = NULL;
	unsigned long index = strtoul(item + 1, &end, 10);
	char *text;
	cJSON *manifest, *list, *id;
	int rc = 0;

	if (end == item + 1 || *end)
		return ERR(e, "batch: expected a night id, ids joined by ',' or @K, got \"%s\"", item);
	if (!manifest_uri || !manifest_uri[0])
		return ERR(e, "batch %s refers to the manifest, but nights_manifest is empty", item);
	err_clear(e);
	text = read_manifest(manifest_uri, &shown, e);
	manifest = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!manifest) {
		if (text)
			ERR_AT(e, shown, 0, 0, "expected a nightfan manifest (JSON)");
		free(shown);
		return -1;
	}
	list = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(manifest, "batches"), (int)index);
	if (!cJSON_IsArray(list))
		rc = ERR_AT(e, shown, 0, 0, "the manifest has no batch %lu", index);
	cJSON_ArrayForEach(id, list) {
		if (rc == 0 && !cJSON_IsString(id))
			rc = ERR_AT(e, shown, 0, 0, "batch %lu holds a value that is not a night id", index);
		if (rc == 0)
			rc = batch_add(b, id->valuestring, strlen(id->valuestring), e);
	}
	cJSON_Delete(manifest);
	free(shown);
	return rc;
}

/* input_root as the shard reads it: gs:// as is (the shard reads /gcs/ when mounted, else the
 * Cloud Storage API), once the one URI rule has taken it; anything else as its local path. */
static char *input_path(const char *uri, struct err *e)
{
	char *path = task_param_mounted_path(SPEC_PARAM_INPUT_ROOT, uri, EXECUTOR_URI_FOLDER, e);

	if (path && gcs_is_uri(uri)) {
		free(path);
		if (!(path = strdup(uri)))
			ERR(e, "out of memory");
	}
	return path;
}

/* The profile parameter, parsed once for every night of the batch; messages name it "profile". */
static struct profile *batch_profile(struct executor *ex, struct err *e)
{
	const char *text = executor_param_string(ex, SPEC_PARAM_PROFILE, e);
	size_t len = text ? strlen(text) : 0;

	if (!text)
		return NULL;
	if (len > PROFILE_MAX_BYTES) {
		ERR_AT(e, SPEC_PARAM_PROFILE, 0, 0, "file is larger than %d bytes", PROFILE_MAX_BYTES);
		return NULL;
	}
	return profile_parse(text, len, SPEC_PARAM_PROFILE, e);
}

/* Every night of the batch into the nights artifact; on a night's failure *failed names it (for
 * the log line's "night"). */
static int shard_batch(struct executor *ex, const struct strlist *b, const char **failed, struct err *e)
{
	const char *root = executor_param_string(ex, SPEC_PARAM_INPUT_ROOT, e);
	const char *on_error = root ? executor_param_string(ex, SPEC_PARAM_ON_ERROR, e) : NULL;
	const struct executor_artifact *out = on_error ? executor_output_artifact(ex, SPEC_ARTIFACT_NIGHTS, e) : NULL;
	struct shard_options o = {.on_error = SHARD_ON_ERROR_RECORD, .in_place = true};
	char *input, msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	struct profile *profile = NULL;
	struct err recorded;
	int rc = 0;

	if (!out)
		return -1;
	if (strcmp(on_error, "fail") == 0)
		o.on_error = SHARD_ON_ERROR_FAIL;
	else if (strcmp(on_error, "record") != 0)
		return ERR(e, "%s: expected \"record\" or \"fail\", got \"%s\"", SPEC_PARAM_ON_ERROR, on_error);
	if (!(input = input_path(root, e)))
		return -1;
	o.input = input;
	/* the nights go into the artifact: refuse one that would write over its own input */
	o.out = out->path;
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		o.night = b->v[i];
		if ((rc = shard_check_output(&o, e)) < 0)
			*failed = b->v[i];
	}
	if (rc == 0 && (!task_output_folder(ex, SPEC_ARTIFACT_NIGHTS, e) || !(o.profile = profile = batch_profile(ex, e))))
		rc = -1;
	o.recorded = &recorded;
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		o.night = b->v[i];
		if (shard_run(&o, e) < 0) {
			*failed = b->v[i];
			rc = -1;
			break;
		}
		if (recorded.message[0]) /* Cloud Logging shows it as a warning, filterable by night */
			log_warn(b->v[i], "recorded as failed: %s", err_format(&recorded, msg, sizeof msg));
		else
			log_info(b->v[i], "written to %s/%s", out->path, b->v[i]);
	}
	profile_free(profile);
	free(input);
	return rc;
}

static int set_nights_metadata(struct executor *ex, const struct strlist *b, struct err *e)
{
	cJSON *meta = cJSON_CreateObject(), *ids = cJSON_CreateArray();

	for (size_t i = 0; ids && i < b->n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(b->v[i]));
	if (!meta || !ids || !cJSON_AddItemToObject(meta, "nights", ids) ||
	    !cJSON_AddNumberToObject(meta, "count", (double)b->n)) {
		cJSON_Delete(meta);
		return ERR(e, "out of memory");
	}
	return executor_set_artifact_metadata(ex, SPEC_ARTIFACT_NIGHTS, meta, e);
}

static int run_task(struct executor *ex, char night[NIGHTID_MAX + 1], struct err *e)
{
	const char *failed = NULL;
	const char *item = executor_param_string(ex, SPEC_PARAM_BATCH, e);
	const char *manifest = NULL;
	struct strlist b = STRLIST_INIT;
	int rc;

	if (!item || !executor_param_string(ex, SPEC_PARAM_PROFILE, e))
		return -1;
	if (executor_has_param(ex, SPEC_PARAM_NIGHTS_MANIFEST) &&
	    !(manifest = executor_param_string(ex, SPEC_PARAM_NIGHTS_MANIFEST, e)))
		return -1;
	rc = item[0] == '@' ? batch_from_manifest(item, manifest, &b, e) : batch_from_list(item, &b, e);
	if (rc == 0)
		rc = shard_batch(ex, &b, &failed, e);
	if (failed)
		snprintf(night, NIGHTID_MAX + 1, "%s", failed);
	if (rc == 0)
		rc = set_nights_metadata(ex, &b, e);
	strlist_release(&b);
	return rc;
}

int shard_task_main(const char *json)
{
	return task_main("nightfan-shard", json, run_task);
}
