/*
 * nights.c — discovering the nights of a run and reading their night.json (see nights.h).
 *
 * Every check here fails loudly with the folder or file named: a report that silently covers fewer
 * nights than the run produced is the one outcome a clinician cannot detect.
 */
#include "nights.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirlist.h"
#include "fsutil.h"
#include "utf8.h"

/* night.json is a few KB; anything near this is not one. */
#define NIGHT_JSON_MAX_BYTES (16u << 20)

/* ---- discovery ---------------------------------------------------------------------------- */

static int append_record(struct night_list *list, size_t *cap, const char *dir, const char *id,
			 bool from_base, struct err *e)
{
	struct night_record *r;

	if (list->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct night_record *grown = realloc(list->v, ncap * sizeof *grown);
		if (!grown)
			return ERR(e, "out of memory");
		list->v = grown;
		*cap = ncap;
	}
	r = &list->v[list->n];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	r->from_base = from_base;
	if (asprintf(&r->dir, "%s/%s", dir, id) < 0) {
		r->dir = NULL;
		return ERR(e, "out of memory");
	}
	list->n++;
	return 0;
}

/* Append every night folder of `dir` (not yet read). Plain files are not nights and are passed
 * over (a README, a marker file); a folder whose name is not a night id is an error, since it can
 * only be a night the run cannot name or something the user did not mean to merge. */
static int add_folder(struct night_list *list, size_t *cap, const char *dir, bool from_base,
		      struct err *e)
{
	struct strlist names;
	int rc = 0;

	/* sorted, so that errors come out in a stable order */
	if (dirlist_read(dir, DIRLIST_DIRS, "cannot open the folder of nights", &names, e) != 0)
		return -1;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		if (nightid_check(names.v[i], e) != 0)
			rc = err_prefix(e, "%s: a folder of nights holds only night folders", dir);
		else
			rc = append_record(list, cap, dir, names.v[i], from_base, e);
	}
	strlist_release(&names);
	return rc;
}

static int compare_records(const void *a, const void *b)
{
	return strcmp(((const struct night_record *)a)->id, ((const struct night_record *)b)->id);
}

static void sort_records(struct night_list *list)
{
	if (list->n > 1)
		qsort(list->v, list->n, sizeof *list->v, compare_records);
}

/* After sorting: the same night under two --nights folders is an error naming both. */
static int refuse_duplicates(const struct night_list *list, struct err *e)
{
	for (size_t i = 1; i < list->n; i++)
		if (strcmp(list->v[i - 1].id, list->v[i].id) == 0)
			return ERR(e, "night %s is found twice: %s and %s", list->v[i].id,
				   list->v[i - 1].dir, list->v[i].dir);
	return 0;
}

static bool has_night(const struct night_list *list, size_t n_sorted, const char *id)
{
	struct night_record key;

	if (n_sorted == 0)
		return false;
	snprintf(key.id, sizeof key.id, "%s", id);
	return bsearch(&key, list->v, n_sorted, sizeof *list->v, compare_records) != NULL;
}

/* Add base_dir's nights that the --nights folders lack (the first n_main records, sorted). */
static int add_base(struct night_list *list, size_t *cap, const char *base_dir, struct err *e)
{
	size_t n_main = list->n, w;

	if (add_folder(list, cap, base_dir, true, e) != 0)
		return -1;
	/* Keep a base night only when no --nights folder has it; compact in place. */
	w = n_main;
	for (size_t i = n_main; i < list->n; i++) {
		if (has_night(list, n_main, list->v[i].id)) {
			night_record_free(&list->v[i]);
			continue;
		}
		list->v[w++] = list->v[i];
	}
	list->n = w;
	list->n_from_base = w - n_main;
	return 0;
}

static int discover(const char *const *dirs, size_t n_dirs, const char *base_dir,
		    struct night_list *list, struct err *e)
{
	size_t cap = 0;

	for (size_t i = 0; i < n_dirs; i++)
		if (add_folder(list, &cap, dirs[i], false, e) != 0)
			return -1;
	sort_records(list);
	if (refuse_duplicates(list, e) != 0)
		return -1;
	if (base_dir && add_base(list, &cap, base_dir, e) != 0)
		return -1;
	sort_records(list);
	if (list->n == 0)
		return ERR_AT(e, dirs[0], 0, 0, "no night folders found%s",
			      n_dirs > 1 || base_dir ? " (nor under the other folders given)" : "");
	return 0;
}

int night_list_load(const char *const *dirs, size_t n_dirs, const char *base_dir, night_epochs_fn epochs_fn,
		    void *ctx, night_page_fn page_fn, void *page_ctx, struct night_list *list, struct err *e)
{
	bool want = epochs_fn || page_fn;

	memset(list, 0, sizeof *list);
	if (discover(dirs, n_dirs, base_dir, list, e) != 0)
		goto fail;
	for (size_t i = 0; i < list->n; i++) {
		int epochs_fd = -1, events_fd = -1, rc = 0;
		if (night_read(&list->v[i], want ? &epochs_fd : NULL, want ? &events_fd : NULL, epochs_fn != NULL,
			       e) != 0)
			goto fail;
		list->n_failed += list->v[i].failed;
		if (page_fn && !list->v[i].failed)
			rc = page_fn(page_ctx, &list->v[i], epochs_fd, events_fd, e);
		if (events_fd >= 0)
			close(events_fd);
		if (rc != 0) {
			if (epochs_fd >= 0)
				close(epochs_fd);
			goto fail;
		}
		if (epochs_fd >= 0 && !epochs_fn)
			close(epochs_fd);
		else if (epochs_fd >= 0 && epochs_fn(ctx, &list->v[i], epochs_fd, e) != 0)
			goto fail;
	}
	return 0;
fail:
	night_list_free(list);
	return -1;
}

/* ---- night.json --------------------------------------------------------------------------- */

/* 1-based line and column of byte `at` in text. */
static void locate(const char *text, const char *at, long *line, long *column)
{
	*line = 1;
	*column = 1;
	for (const char *p = text; p < at && *p; p++) {
		if (*p == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

static const char *json_kind(const cJSON *v)
{
	if (!v)
		return "nothing";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* A non-negative integer that a double holds exactly. */
static bool is_count(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0 &&
	       floor(v->valuedouble) == v->valuedouble;
}

/* A night.json string quoted in a message: printable (common/utf8.h), cut between characters. */
static const char *quoted(const char *s, char *buf, size_t size)
{
	return utf8_shown(buf, size, s, strlen(s), UTF8_ESC_CONTROL);
}

static int check_header(const cJSON *root, const char *path, const char *id, struct err *e)
{
	char shown[104];

	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
	const cJSON *night = cJSON_GetObjectItemCaseSensitive(root, "night");

	if (!cJSON_IsString(schema))
		return ERR_AT(e, path, 0, 0, "expected \"schema\": \"%s\", got %s", NIGHT_SCHEMA,
			      json_kind(schema));
	if (strcmp(schema->valuestring, NIGHT_SCHEMA) != 0)
		return ERR_AT(e, path, 0, 0, "expected \"schema\": \"%s\", got \"%s\"", NIGHT_SCHEMA,
			      quoted(schema->valuestring, shown, sizeof shown));
	if (!cJSON_IsString(night))
		return ERR_AT(e, path, 0, 0, "expected \"night\" to be the night id, got %s",
			      json_kind(night));
	if (strcmp(night->valuestring, id) != 0)
		return ERR_AT(e, path, 0, 0, "\"night\" is \"%s\" but the folder is %s",
			      quoted(night->valuestring, shown, sizeof shown), id);
	return 0;
}

/* "line"/"column" of a failed night's error: a positive integer or null (-1). */
static int read_position(const cJSON *error, const char *key, long *out, const char *path,
			 struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(error, key);

	*out = -1;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!is_count(v))
		return ERR_AT(e, path, 0, 0, "expected \"error\".\"%s\" to be a line number or null, got %s",
			      key, json_kind(v));
	*out = (long)v->valuedouble;
	return 0;
}

static int read_failure(const cJSON *root, struct night_record *r, const char *path, struct err *e)
{
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *file, *message;

	if (!cJSON_IsObject(error))
		return ERR_AT(e, path, 0, 0, "a failed night needs an \"error\" object, got %s",
			      json_kind(error));
	file = cJSON_GetObjectItemCaseSensitive(error, "file");
	message = cJSON_GetObjectItemCaseSensitive(error, "message");
	if (!cJSON_IsString(message))
		return ERR_AT(e, path, 0, 0, "expected \"error\".\"message\" to be a string, got %s",
			      json_kind(message));
	if (file && !cJSON_IsNull(file) && !cJSON_IsString(file))
		return ERR_AT(e, path, 0, 0, "expected \"error\".\"file\" to be a string or null, got %s",
			      json_kind(file));
	if (read_position(error, "line", &r->error_line, path, e) != 0 ||
	    read_position(error, "column", &r->error_column, path, e) != 0)
		return -1;
	r->error_message = strdup(message->valuestring);
	r->error_file = cJSON_IsString(file) ? strdup(file->valuestring) : NULL;
	if (!r->error_message || (cJSON_IsString(file) && !r->error_file))
		return ERR(e, "out of memory");
	return 0;
}

static int severity_class(const char *name)
{
	for (int c = 0; c < SEVERITY_COUNT; c++)
		if (strcmp(name, scorekey_severity_names[c]) == 0)
			return c;
	return -1;
}

/* One score value: checks its JSON type against the key's kind. */
static int read_score(const cJSON *v, enum score_key k, const char *source, struct night_score *out,
		      const char *path, struct err *e)
{
	const char *name = scorekey_name(k);
	char shown[64];
	int c;

	*out = (struct night_score){0, false};
	if (!v)
		return ERR_AT(e, path, 0, 0, "\"scores\".\"%s\" lacks the key \"%s\"", source, name);
	if (cJSON_IsNull(v))
		return 0;
	switch (scorekey_kind(k)) {
	case SCORE_NUMBER:
		if (!cJSON_IsNumber(v))
			break;
		if (!isfinite(v->valuedouble)) /* 1e999 parses as infinity */
			return ERR_AT(e, path, 0, 0, "expected \"scores\".\"%s\".\"%s\" to be a finite number",
				      source, name);
		*out = (struct night_score){v->valuedouble, true};
		return 0;
	case SCORE_BOOL:
		if (!cJSON_IsBool(v))
			break;
		*out = (struct night_score){cJSON_IsTrue(v) ? 1 : 0, true};
		return 0;
	case SCORE_STRING:
		if (!cJSON_IsString(v))
			break;
		if ((c = severity_class(v->valuestring)) < 0)
			return ERR_AT(e, path, 0, 0, "expected \"scores\".\"%s\".\"%s\" to be normal, mild, "
				      "moderate, severe or null, got \"%s\"", source, name,
				      quoted(v->valuestring, shown, sizeof shown));
		*out = (struct night_score){c, true};
		return 0;
	}
	return ERR_AT(e, path, 0, 0, "expected \"scores\".\"%s\".\"%s\" to be %s or null, got %s", source,
		      name, scorekey_kind(k) == SCORE_NUMBER ? "a number" :
		      scorekey_kind(k) == SCORE_BOOL ? "true, false" : "a string", json_kind(v));
}

static int read_scores(const cJSON *root, struct night_record *r, const char *path, struct err *e)
{
	const cJSON *scores = cJSON_GetObjectItemCaseSensitive(root, "scores");

	if (!cJSON_IsObject(scores))
		return ERR_AT(e, path, 0, 0, "expected \"scores\" to be an object, got %s", json_kind(scores));
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const char *source = canon_source_name(s);
		const cJSON *set = cJSON_GetObjectItemCaseSensitive(scores, source);
		if (!cJSON_IsObject(set))
			return ERR_AT(e, path, 0, 0, "expected \"scores\".\"%s\" to be an object, got %s",
				      source, json_kind(set));
		for (int k = 0; k < SCORE_KEY_COUNT; k++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(set, scorekey_name(k));
			if (read_score(v, k, source, &r->scores[s][k], path, e) != 0)
				return -1;
		}
	}
	return 0;
}

static int read_staging(const cJSON *root, struct night_record *r, const char *path, struct err *e)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "staging_confusion");
	const cJSON *row, *cell;
	int i = 0, j;

	if (!m)
		return ERR_AT(e, path, 0, 0, "lacks the key \"staging_confusion\"");
	if (cJSON_IsNull(m))
		return 0;
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) != STAGE_COUNT)
		goto bad;
	cJSON_ArrayForEach(row, m) {
		if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != STAGE_COUNT)
			goto bad;
		j = 0;
		cJSON_ArrayForEach(cell, row) {
			if (!is_count(cell))
				goto bad;
			r->staging[i][j++] = (uint64_t)cell->valuedouble;
		}
		i++;
	}
	r->has_staging = true;
	return 0;
bad:
	return ERR_AT(e, path, 0, 0, "expected \"staging_confusion\" to be 6 rows of 6 epoch counts "
		      "(W N1 N2 N3 R ?) or null");
}

static int read_ok_night(const cJSON *root, struct night_record *r, const char *path, struct err *e)
{
	const cJSON *epochs = cJSON_GetObjectItemCaseSensitive(root, "epochs");

	if (!is_count(epochs))
		return ERR_AT(e, path, 0, 0, "expected \"epochs\" to be a count of epochs, got %s",
			      json_kind(epochs));
	r->epochs = (long)epochs->valuedouble;
	if (read_scores(root, r, path, e) != 0 || read_staging(root, r, path, e) != 0)
		return -1;
	return night_events_read(root, &r->events, path, e);
}

static int read_night(const cJSON *root, const char *path, const char *id, struct night_record *r,
		      struct err *e)
{
	const cJSON *status;

	if (!cJSON_IsObject(root))
		return ERR_AT(e, path, 0, 0, "expected a JSON object, got %s", json_kind(root));
	if (check_header(root, path, id, e) != 0)
		return -1;
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (cJSON_IsString(status) && strcmp(status->valuestring, "failed") == 0) {
		r->failed = true;
		return read_failure(root, r, path, e);
	}
	if (!cJSON_IsString(status) || strcmp(status->valuestring, "ok") != 0)
		return ERR_AT(e, path, 0, 0, "expected \"status\" to be \"ok\" or \"failed\", got %s",
			      json_kind(status));
	return read_ok_night(root, r, path, e);
}

int night_parse(const char *text, const char *path, const char *id, struct night_record *r,
		struct err *e)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, true);
	int rc;

	if (!root) {
		long line, column;
		locate(text, end ? end : text, &line, &column);
		return ERR_AT(e, path, line, column, "not valid JSON");
	}
	rc = read_night(root, path, id, r, e);
	cJSON_Delete(root);
	return rc;
}

/* Has the folder held as dirfd been swapped away from `dir` (or removed) since it was opened? */
static bool folder_replaced(int dirfd, const char *dir)
{
	struct stat held, now;

	if (fstat(dirfd, &held) != 0)
		return false;
	if (held.st_nlink == 0)
		return true;
	return stat(dir, &now) != 0 || now.st_ino != held.st_ino || now.st_dev != held.st_dev;
}

/* One try of night_open: 0, 1 when the folder was swapped away meanwhile, or -1 (errno set). */
static int open_once(const char *dir, bool want_epochs, struct night_files *f)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), saved;

	f->json = f->epochs = f->events = -1;
	f->epochs_errno = f->events_errno = 0;
	if (dirfd < 0)
		return -1;
	f->json = openat(dirfd, "night.json", O_RDONLY | O_CLOEXEC);
	saved = errno;
	if (f->json >= 0 && want_epochs) {
		f->epochs = openat(dirfd, "epochs.csv", O_RDONLY | O_CLOEXEC);
		f->epochs_errno = f->epochs < 0 ? errno : 0;
		f->events = openat(dirfd, "events.csv", O_RDONLY | O_CLOEXEC);
		f->events_errno = f->events < 0 ? errno : 0;
	}
	/* A file missing from a folder that is no longer the night's: the publisher emptied it. */
	if (((f->json < 0 ? saved : 0) == ENOENT || f->epochs_errno == ENOENT || f->events_errno == ENOENT) &&
	    folder_replaced(dirfd, dir)) {
		if (f->json >= 0)
			close(f->json);
		if (f->epochs >= 0)
			close(f->epochs);
		if (f->events >= 0)
			close(f->events);
		f->json = f->epochs = f->events = -1;
		close(dirfd);
		return 1;
	}
	close(dirfd);
	errno = saved;
	return f->json < 0 ? -1 : 0;
}

int night_open(const char *dir, bool want_epochs, struct night_files *f, struct err *e)
{
	char *path;
	int rc = 1;

	for (int i = 0; i < NIGHT_OPEN_TRIES && rc == 1; i++)
		rc = open_once(dir, want_epochs, f);
	if (rc == 0)
		return 0;
	if (asprintf(&path, "%s/night.json", dir) < 0)
		return ERR(e, "out of memory");
	if (rc < 0)
		ERR_SYS(e, path, "cannot read");
	else
		ERR_AT(e, path, 0, 0, "the night was republished %d times while it was read", NIGHT_OPEN_TRIES);
	free(path);
	return -1;
}

/* Hand one of an ok night's files (opened with its night.json) to the caller: -1 for a failed
 * night's, or for a file the folder does not hold when it may be missing; otherwise an error. */
static int take_file(struct night_record *r, int *fd, int *errno_of, const char *name, bool needed, int *out,
		     struct err *e)
{
	char *path;

	*out = -1;
	if (r->failed || *fd >= 0 || (*errno_of == ENOENT && !needed)) {
		if (!r->failed)
			*out = *fd;
		else if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return 0;
	}
	if (asprintf(&path, "%s/%s", r->dir, name) < 0)
		return ERR(e, "out of memory");
	errno = *errno_of;
	ERR_SYS(e, path, "cannot read");
	free(path);
	return -1;
}

int night_read(struct night_record *r, int *epochs_fd, int *events_fd, bool need_epochs, struct err *e)
{
	struct night_files f;
	char *path = NULL, *text;
	int rc;

	if (epochs_fd)
		*epochs_fd = *events_fd = -1;
	if (night_open(r->dir, epochs_fd != NULL, &f, e) != 0)
		return -1;
	if (asprintf(&path, "%s/night.json", r->dir) < 0) {
		path = NULL;
		rc = ERR(e, "out of memory");
		goto done;
	}
	if (!(text = fs_read_fd(f.json, path, NIGHT_JSON_MAX_BYTES, NULL, e))) {
		rc = -1;
		goto done;
	}
	rc = night_parse(text, path, r->id, r, e);
	free(text);
	if (rc == 0 && epochs_fd)
		rc = take_file(r, &f.epochs, &f.epochs_errno, "epochs.csv", need_epochs, epochs_fd, e);
	if (rc == 0 && epochs_fd)
		rc = take_file(r, &f.events, &f.events_errno, "events.csv", false, events_fd, e);
	if (rc != 0 && epochs_fd && *epochs_fd >= 0) {
		close(*epochs_fd);
		*epochs_fd = -1;
	}
done:
	close(f.json);
	if (f.epochs >= 0)
		close(f.epochs);
	if (f.events >= 0)
		close(f.events);
	free(path);
	return rc;
}

void night_staging(const struct night_record *r, struct stat_num *accuracy, struct stat_num *kappa)
{
	uint64_t t[5 * 5];

	*accuracy = *kappa = (struct stat_num){0, false};
	if (r->failed || !r->has_staging)
		return;
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 5; j++)
			t[i * 5 + j] = r->staging[i][j];
	*accuracy = stats_accuracy(t, 5);
	*kappa = stats_kappa(t, 5, false);
}

void night_record_free(struct night_record *r)
{
	free(r->dir);
	free(r->error_file);
	free(r->error_message);
	r->dir = r->error_file = r->error_message = NULL;
}

void night_list_free(struct night_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		night_record_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof *list);
}
