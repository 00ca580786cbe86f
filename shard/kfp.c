/*
 * kfp.c — nightfan-shard's KFP executor mode (see kfp.h).
 *
 * The loop item ("batch") is one night id, several joined by ',', or "@K": batch K of the manifest
 * whose URI is the nights_manifest parameter ({"batches": [[ids], ...]}, pipeline/spec/spec.h).
 * nights_manifest and input_root are string parameters, which a KFP launcher never fetches (it
 * places only input artifacts under /gcs/, /minio/, /s3/): a gs:// one is read through /gcs/ when
 * the bucket is mounted there (Vertex AI's Cloud Storage FUSE), else through the Cloud Storage
 * API; an s3:// or minio:// one only when a volume puts it under /s3/ or /minio/, and otherwise
 * the error says why (nightfan submit refuses them before a run starts). The
 * profile arrives as JSON text and is written to a private temporary folder for shard_run(), which
 * also writes the nights there first: shard_run() publishes a night by renaming a folder, which a
 * Cloud Storage FUSE mount (/gcs/, where Vertex AI puts output artifacts) may refuse, so the
 * finished nights are then copied file by file into the output artifact. KFP only hands an
 * artifact on after the task succeeded, so the copy needs no atomicity of its own.
 */
#include "kfp.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executor.h"
#include "fsutil.h"
#include "gcs.h"
#include "log.h"
#include "nightid.h"
#include "shard.h"

#define MANIFEST_MAX_BYTES (64u << 20)
#define COPY_CHUNK (1u << 16)

struct batch {
	char **ids;
	size_t n;
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->ids[i]);
	free(b->ids);
}

static int batch_add(struct batch *b, const char *id, size_t len, struct err *e)
{
	char **grown = realloc(b->ids, (b->n + 1) * sizeof *grown);

	if (!grown)
		return ERR(e, "out of memory");
	b->ids = grown;
	if (!(b->ids[b->n] = strndup(id, len)))
		return ERR(e, "out of memory");
	b->n++;
	return nightid_check(b->ids[b->n - 1], e);
}

static int batch_from_list(const char *item, struct batch *b, struct err *e)
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

/* Whether the bucket of `path` (/gcs/B/..., /s3/B/..., /minio/B/...) is a folder here: a mount. */
static bool bucket_mounted(const char *path)
{
	const char *top = path + 1, *bucket = top + strcspn(top, "/");
	char dir[1024];
	struct stat st;
	if (*bucket != '/')
		return false;
	bucket++;
	snprintf(dir, sizeof dir, "/%.*s/%.*s", (int)(bucket - top - 1), top, (int)strcspn(bucket, "/"), bucket);
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The local path of a parameter's URI; for s3:// and minio:// only when a volume mounts the bucket
 * where a launcher would put an input artifact, else why that cannot work. */
static char *mounted_path(const char *uri, enum executor_uri_kind kind, struct err *e)
{
	char *path = executor_uri_to_path(uri, kind, e);
	bool object_store = strncmp(uri, "s3://", 5) == 0 || strncmp(uri, "minio://", 8) == 0;
	if (!path || !object_store || bucket_mounted(path))
		return path;
	ERR(e, "\"%s\": a Kubeflow Pipelines launcher fetches input artifacts, never parameters, and no volume "
	       "mounts the bucket here; pass a gs:// URI (read through the Cloud Storage API)", uri);
	free(path);
	return NULL;
}

struct grow {
	char *buf;
	size_t len;
	const char *uri;
	struct err *e;
};

static int grow_sink(const char *data, size_t len, void *ctx)
{
	struct grow *g = ctx;
	if (g->len + len > MANIFEST_MAX_BYTES)
		return ERR(g->e, "%s: a manifest of more than %u MiB", g->uri, MANIFEST_MAX_BYTES >> 20);
	char *more = realloc(g->buf, g->len + len + 1);
	if (!more)
		return ERR(g->e, "out of memory");
	memcpy(more + g->len, data, len);
	g->buf = more;
	g->len += len;
	g->buf[g->len] = '\0';
	return 0;
}

/* gs://bucket/object through the Cloud Storage API (credentials as every gs:// read). */
static char *read_gcs_object(const char *uri, struct err *e)
{
	char *bucket, *object;
	struct grow g = {.uri = uri, .e = e};
	if (gcs_parse_uri(uri, &bucket, &object, e) < 0)
		return NULL;
	struct gcs *client = gcs_open(NULL, e);
	int rc = client ? gcs_read_object(client, bucket, object, grow_sink, &g, e, e) : -1;
	gcs_close(client);
	free(bucket);
	free(object);
	if (rc == 0 && !g.buf && !(g.buf = strdup("")))
		rc = ERR(e, "out of memory");
	if (rc != 0) {
		free(g.buf);
		return NULL;
	}
	return g.buf;
}

/* The manifest's text; *shown is what messages call it (malloc'ed): its local path, or the URI. */
static char *read_manifest(const char *uri, char **shown, struct err *e)
{
	char *path = NULL, *text = NULL;
	*shown = NULL;
	if (gcs_is_uri(uri)) {
		if (!(path = executor_uri_to_path(uri, EXECUTOR_URI_OBJECT, e))) {
			err_prefix(e, "nights_manifest");
			return NULL;
		}
		if (!bucket_mounted(path)) {
			free(path);
			if (!(*shown = strdup(uri))) {
				ERR(e, "out of memory");
				return NULL;
			}
			return read_gcs_object(uri, e);
		}
	} else if (!(path = mounted_path(uri, EXECUTOR_URI_OBJECT, e))) {
		err_prefix(e, "nights_manifest");
		return NULL;
	}
	*shown = path;
	text = fs_read_file(path, MANIFEST_MAX_BYTES, NULL, e);
	return text;
}

static int batch_from_manifest(const char *item, const char *manifest_uri, struct batch *b, struct err *e)
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

/* A private temporary folder holding profile.json; *dir and *file are malloc'ed. */
static int write_profile(const char *text, char **dir, char **file, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	struct fs_atomic a;

	if (asprintf(dir, "%s/nightfan-shard-XXXXXX", tmp && tmp[0] ? tmp : "/tmp") < 0)
		return ERR(e, "out of memory");
	if (!mkdtemp(*dir)) {
		ERR_SYS(e, *dir, "cannot create a temporary folder");
		free(*dir);
		*dir = NULL;
		return -1;
	}
	if (asprintf(file, "%s/profile.json", *dir) < 0)
		return ERR(e, "out of memory");
	if (fs_atomic_open(&a, *file, e) < 0)
		return -1;
	fputs(text, a.fp);
	return fs_atomic_commit(&a, e);
}

/* Plain open/write/close: no rename, no link (both can fail on /gcs/). */
static int copy_file(const char *from, const char *to, struct err *e)
{
	char buf[COPY_CHUNK];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t got = 0;

	if (in < 0)
		return ERR_SYS(e, from, "cannot read");
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		close(in);
		return ERR_SYS(e, to, "cannot write");
	}
	while ((got = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)got) != got) {
			got = -1;
			break;
		}
	close(in);
	if (close(out) != 0 || got < 0)
		return ERR_SYS(e, to, "cannot write");
	return 0;
}

/* Every file of <from>/<night>/ into <to>/<night>/. */
static int copy_night(const char *from, const char *to, const char *night, struct err *e)
{
	char *src_dir, *dst_dir;
	DIR *dir;
	struct dirent *d;
	int rc = 0;

	if (asprintf(&src_dir, "%s/%s", from, night) < 0)
		return ERR(e, "out of memory");
	if (asprintf(&dst_dir, "%s/%s", to, night) < 0) {
		free(src_dir);
		return ERR(e, "out of memory");
	}
	if (fs_mkdir_p(dst_dir, e) < 0 || !(dir = opendir(src_dir))) {
		rc = e->message[0] ? -1 : ERR_SYS(e, src_dir, "cannot list");
		free(src_dir);
		free(dst_dir);
		return rc;
	}
	while (rc == 0 && (d = readdir(dir))) {
		char *src, *dst;
		if (d->d_name[0] == '.')
			continue;
		if (asprintf(&src, "%s/%s", src_dir, d->d_name) < 0)
			return ERR(e, "out of memory");
		if (asprintf(&dst, "%s/%s", dst_dir, d->d_name) >= 0) {
			rc = copy_file(src, dst, e);
			free(dst);
		} else {
			rc = ERR(e, "out of memory");
		}
		free(src);
	}
	closedir(dir);
	free(src_dir);
	free(dst_dir);
	return rc;
}

/* On a night's failure *failed names it (for the log line's "night"). */
static int shard_batch(struct executor *ex, const struct batch *b, const char *tmp_dir, const char *profile_file,
		       const char **failed, struct err *e)
{
	const char *input_root = executor_param_string(ex, "input_root", e);
	const char *on_error = input_root ? executor_param_string(ex, "on_error", e) : NULL;
	const struct executor_artifact *out = on_error ? executor_output_artifact(ex, "nights", e) : NULL;
	struct shard_options o = {.profile = profile_file, .on_error = SHARD_ON_ERROR_RECORD};
	char *input = NULL, *staging = NULL, msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	struct err recorded;
	int rc = 0;

	if (!out)
		return -1;
	if (asprintf(&staging, "%s/out", tmp_dir) < 0)
		return ERR(e, "out of memory");
	if (strcmp(on_error, "fail") == 0)
		o.on_error = SHARD_ON_ERROR_FAIL;
	else if (strcmp(on_error, "record") != 0)
		return ERR(e, "on_error: expected \"record\" or \"fail\", got \"%s\"", on_error);
	/* gs:// goes to the shard as is (it reads /gcs/ when mounted, else the Cloud Storage API),
	 * once the one URI rule has taken it. */
	input = mounted_path(input_root, EXECUTOR_URI_FOLDER, e);
	if (input && strncmp(input_root, "gs://", 5) == 0) {
		free(input);
		input = strdup(input_root);
		if (!input)
			ERR(e, "out of memory");
	}
	if (!input) {
		free(staging);
		return err_prefix(e, "input_root");
	}
	o.input = input;
	/* the nights end up in the artifact: refuse one that would write over its own input */
	o.out = out->path;
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		o.night = b->ids[i];
		if ((rc = shard_check_output(&o, e)) < 0)
			*failed = b->ids[i];
	}
	o.out = staging;
	if (rc == 0 && fs_mkdir_p(out->path, e) < 0)
		rc = -1;
	o.recorded = &recorded;
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		o.night = b->ids[i];
		if (shard_run(&o, e) < 0 || copy_night(staging, out->path, b->ids[i], e) < 0) {
			*failed = b->ids[i];
			rc = -1;
			break;
		}
		if (recorded.message[0]) /* Cloud Logging shows it as a warning, filterable by night */
			log_warn(b->ids[i], "recorded as failed: %s", err_format(&recorded, msg, sizeof msg));
		else
			log_info(b->ids[i], "written to %s/%s", out->path, b->ids[i]);
	}
	free(input);
	free(staging);
	return rc;
}

static int set_nights_metadata(struct executor *ex, const struct batch *b, struct err *e)
{
	cJSON *meta = cJSON_CreateObject(), *ids = cJSON_CreateArray();

	for (size_t i = 0; ids && i < b->n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(b->ids[i]));
	if (!meta || !ids || !cJSON_AddItemToObject(meta, "nights", ids) ||
	    !cJSON_AddNumberToObject(meta, "count", (double)b->n)) {
		cJSON_Delete(meta);
		return ERR(e, "out of memory");
	}
	return executor_set_artifact_metadata(ex, "nights", meta, e);
}

static int run_task(struct executor *ex, char *failed_night, size_t size, struct err *e)
{
	const char *failed = NULL;
	const char *item = executor_param_string(ex, "batch", e);
	const char *profile = item ? executor_param_string(ex, "profile", e) : NULL;
	const char *manifest = NULL;
	struct batch b = {0};
	char *dir = NULL, *file = NULL;
	int rc;

	if (!profile)
		return -1;
	if (executor_has_param(ex, "nights_manifest") && !(manifest = executor_param_string(ex, "nights_manifest", e)))
		return -1;
	rc = item[0] == '@' ? batch_from_manifest(item, manifest, &b, e) : batch_from_list(item, &b, e);
	if (rc == 0)
		rc = write_profile(profile, &dir, &file, e);
	if (rc == 0)
		rc = shard_batch(ex, &b, dir, file, &failed, e);
	if (failed)
		snprintf(failed_night, size, "%s", failed);
	if (rc == 0)
		rc = set_nights_metadata(ex, &b, e);
	if (rc == 0)
		rc = executor_write_output(ex, e);
	if (dir)
		fs_remove_tree(dir, &(struct err){0});
	free(file);
	free(dir);
	batch_free(&b);
	return rc;
}

int shard_kfp_main(const char *json)
{
	struct err e = {0};
	char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	struct executor *ex;
	int rc;

	log_init("nightfan-shard", true);
	if (!(ex = executor_parse(json, &e))) {
		log_error(NULL, "%s", err_format(&e, msg, sizeof msg));
		return 1;
	}
	char night[NIGHTID_MAX + 1] = "";
	rc = run_task(ex, night, sizeof night, &e);
	if (rc < 0)
		log_error(night[0] ? night : NULL, "%s", err_format(&e, msg, sizeof msg));
	executor_free(ex);
	return rc < 0 ? 1 : 0;
}
