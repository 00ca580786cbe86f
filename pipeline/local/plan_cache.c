/*
 * plan_cache.c — cache keys and records for locally run tasks (see plan_cache.h).
 */
#include "plan_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <jansson.h>

#include "dirlist.h"
#include "fsutil.h"

#define RECORD_NAME ".nightfan-task.json"
#define READ_CHUNK (1u << 16)

static void feed_text(XXH3_state_t *st, const char *label, const char *text)
{
	XXH3_128bits_update(st, label, strlen(label) + 1);
	XXH3_128bits_update(st, text, strlen(text) + 1);
}

static int feed_file(XXH3_state_t *st, const char *path, struct err *e)
{
	char buf[READ_CHUNK];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return ERR_SYS(e, path, "cannot read");
	while ((got = read(fd, buf, sizeof buf)) > 0)
		XXH3_128bits_update(st, buf, (size_t)got);
	close(fd);
	return got < 0 ? ERR_SYS(e, path, "cannot read") : 0;
}

/* Names (relative to the walk's start), kinds and bytes of everything under `path`. 1 when `path`
 * does not exist. */
static int feed_tree(XXH3_state_t *st, const char *path, const char *rel, int depth, struct err *e)
{
	struct stat sb;
	struct strlist names;
	int rc = 0;

	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return ERR_SYS(e, path, "cannot read");
		feed_text(st, "absent", rel);
		return depth == 0 ? 1 : 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		feed_text(st, "file", rel);
		return feed_file(st, path, e);
	}
	if (depth > 32)
		return ERR(e, "%s: folders nested deeper than 32 levels", path);
	feed_text(st, "dir", rel);
	/* sorted, dot names left out (the task record among them) */
	if (dirlist_read(path, 0, NULL, &names, e) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *child, *child_rel;
		if (asprintf(&child, "%s/%s", path, names.v[i]) < 0) {
			rc = ERR(e, "out of memory");
			break;
		}
		if (asprintf(&child_rel, "%s/%s", rel, names.v[i]) < 0) {
			free(child);
			rc = ERR(e, "out of memory");
			break;
		}
		rc = feed_tree(st, child, child_rel, depth + 1, e);
		free(child);
		free(child_rel);
	}
	strlist_release(&names);
	return rc;
}

int plan_cache_key(const struct plan_task *t, const char *const *dep_keys, const char *program,
		   char key[PLAN_KEY_HEX], struct err *e)
{
	XXH3_state_t *st = XXH3_createState();
	XXH128_canonical_t canon;
	int rc = 0, missing = 0;

	if (!st)
		return ERR(e, "out of memory");
	XXH3_128bits_reset(st);
	feed_text(st, "task", t->cache_inputs);
	for (size_t i = 0; i < t->n_deps; i++)
		feed_text(st, "dep", dep_keys[i]);
	if (program) {
		feed_text(st, "program", "");
		rc = feed_file(st, program, e);
	}
	for (size_t i = 0; rc == 0 && i < t->n_input_paths; i++) {
		feed_text(st, "input", t->input_paths[i]);
		rc = feed_tree(st, t->input_paths[i], "", 0, e);
		if (rc == 1) {
			missing = 1;
			rc = 0;
		}
	}
	XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(st));
	XXH3_freeState(st);
	for (size_t i = 0; i < sizeof canon.digest; i++)
		sprintf(key + 2 * i, "%02x", canon.digest[i]);
	return rc < 0 ? -1 : missing;
}

static char *record_path(const char *dir)
{
	char *path;
	return asprintf(&path, "%s/" RECORD_NAME, dir) < 0 ? NULL : path;
}

bool plan_cache_hit(const char *dir, const char *key)
{
	char *path = record_path(dir);
	json_t *rec = path ? json_load_file(path, 0, NULL) : NULL;
	const char *got = json_string_value(json_object_get(rec, "key"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	bool hit = got && status && strcmp(got, key) == 0 && strcmp(status, "ok") == 0;

	json_decref(rec);
	free(path);
	return hit;
}

int plan_cache_record(const char *dir, const char *key, struct err *e)
{
	char *path = record_path(dir);
	struct fs_atomic a;
	int rc;

	if (!path)
		return ERR(e, "out of memory");
	rc = fs_atomic_open(&a, path, e);
	if (rc == 0) {
		fprintf(a.fp, "{\"key\": \"%s\", \"status\": \"ok\"}\n", key);
		rc = fs_atomic_commit(&a, e);
	}
	free(path);
	return rc;
}

void plan_cache_forget(const char *dir)
{
	char *path = record_path(dir);

	if (path)
		unlink(path);
	free(path);
}
