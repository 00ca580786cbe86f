/*
 * run_nights.c — the nights index and what the runner reads of a night folder (see run_nights.h).
 */
#include "run_nights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fsutil.h"
#include "specnames.h"
#include "utf8.h"

#define INDEX_NAME "nights"
#define NIGHT_JSON_MAX_BYTES (16u << 20)

char *run_nights_index(const char *root)
{
	char *index;

	return asprintf(&index, "%s/" INDEX_NAME, root) < 0 ? NULL : index;
}

char *run_nights_dir(const struct plan_task *t, const char *night)
{
	const char *nights = plan_output_uri(t, SPEC_ARTIFACT_NIGHTS);
	char *dir;

	if (!nights || asprintf(&dir, "%s/%s", nights, night) < 0)
		return NULL;
	return dir;
}

/* The link's target, relative to the index (which sits in `root`): "../<task id>/nights/<night>"
 * for a night folder under root, else the folder's own path. */
static char *link_target(const char *root, const char *night_dir)
{
	size_t n = strlen(root);
	char *target;

	if (strncmp(night_dir, root, n) == 0 && night_dir[n] == '/')
		return asprintf(&target, "../%s", night_dir + n + 1) < 0 ? NULL : target;
	return strdup(night_dir);
}

/* <index>/<night> -> target, replaced atomically through a temporary link beside it. */
static int link_night(const char *index, const char *night, const char *target, struct err *e)
{
	char *tmp, *link_path;
	int rc = 0;

	if (asprintf(&tmp, "%s/.%s.link.%d", index, night, (int)getpid()) < 0)
		return ERR(e, "out of memory");
	if (asprintf(&link_path, "%s/%s", index, night) < 0) {
		free(tmp);
		return ERR(e, "out of memory");
	}
	unlink(tmp);
	if (symlink(target, tmp) != 0 || rename(tmp, link_path) != 0) {
		rc = ERR_SYS(e, link_path, "cannot link");
		unlink(tmp);
	}
	free(tmp);
	free(link_path);
	return rc;
}

int run_nights_link(const char *root, const struct plan_task *t, struct err *e)
{
	char *index = run_nights_index(root);
	int rc = 0;

	if (!index)
		return ERR(e, "out of memory");
	if (fs_mkdir_p(index, e) < 0) {
		free(index);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < t->n_nights; i++) {
		char *night_dir = run_nights_dir(t, t->nights[i]), *target = NULL;
		if (!night_dir) {
			rc = ERR(e, "out of memory");
		} else if (access(night_dir, F_OK) == 0) {
			if (!(target = link_target(root, night_dir)))
				rc = ERR(e, "out of memory");
			else
				rc = link_night(index, t->nights[i], target, e);
		}
		free(target);
		free(night_dir);
	}
	free(index);
	return rc;
}

void run_nights_unlink_dangling(const char *root, const struct plan_task *t)
{
	for (size_t i = 0; i < t->n_nights; i++) {
		char *link_path;
		struct stat st;
		if (asprintf(&link_path, "%s/" INDEX_NAME "/%s", root, t->nights[i]) < 0)
			return;
		if (lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode) && stat(link_path, &st) != 0)
			unlink(link_path);
		free(link_path);
	}
}

bool run_nights_failed(const char *dir)
{
	char *path, head[512];
	const char *at;
	bool failed = false;
	size_t n;
	FILE *fp;

	if (asprintf(&path, "%s/night.json", dir) < 0)
		return false;
	if ((fp = fopen(path, "r"))) {
		n = fread(head, 1, sizeof head - 1, fp);
		head[n] = '\0';
		fclose(fp);
		if ((at = strstr(head, "\"status\""))) {
			at += strlen("\"status\"");
			at += strspn(at, " \t\r\n:");
			failed = strncmp(at, "\"failed\"", 8) == 0;
		}
	}
	free(path);
	return failed;
}

/* The n bytes of text with every byte that is not part of a UTF-8 character written as the JSON
 * text \\xNN, which jansson reads back as the four characters \xNN: what the merge makes of them
 * in report.json (a night.json with such bytes is hand-made; the shard writes none). Caller frees. */
static char *escape_non_utf8(const char *text, size_t n, size_t *out_len)
{
	char *out = malloc(n * 5 + 1), *w = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(text + i, n - i);
		if (len == 0) {
			w += sprintf(w, "\\\\x%02x", (unsigned char)text[i]);
			i++;
			continue;
		}
		memcpy(w, text + i, len);
		w += len;
		i += len;
	}
	*w = '\0';
	*out_len = (size_t)(w - out);
	return out;
}

int run_nights_error(const char *dir, struct run_night_error *out, struct err *e)
{
	char *path, *text = NULL, *clean = NULL;
	json_t *night = NULL;
	json_error_t jerr;
	size_t len;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (asprintf(&path, "%s/night.json", dir) < 0)
		return ERR(e, "out of memory");
	if (!(text = fs_read_file(path, NIGHT_JSON_MAX_BYTES, &len, e)))
		goto out;
	if (!utf8_valid(text, len)) {
		if (!(clean = escape_non_utf8(text, len, &len))) {
			ERR(e, "out of memory");
			goto out;
		}
	}
	if (!(night = json_loadb(clean ? clean : text, len, JSON_ALLOW_NUL, &jerr))) {
		ERR_AT(e, path, jerr.line, jerr.column, "%s", jerr.text);
		goto out;
	}
	const json_t *error = json_object_get(night, "error");
	if (!json_is_object(error)) {
		ERR_AT(e, path, 0, 0, "a failed night needs an \"error\" object");
		goto out;
	}
	const json_t *file = json_object_get(error, "file");
	out->file = json_is_string(file) ? strdup(json_string_value(file)) : NULL;
	out->line = json_integer_value(json_object_get(error, "line"));
	out->message = strdup(json_string_value(json_object_get(error, "message")) ?: "");
	rc = out->message && (out->file || !json_is_string(file)) ? 0 : ERR(e, "out of memory");
out:
	json_decref(night);
	free(clean);
	free(text);
	free(path);
	return rc;
}

void run_night_error_free(struct run_night_error *err)
{
	free(err->file);
	free(err->message);
	memset(err, 0, sizeof *err);
}
