/*
 * task.c — the in-container task scaffold (see task.h): one run of a KFP task, parameter URIs as
 * local paths, output folders, the one folder copy.
 */
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirlist.h"
#include "fsutil.h"
#include "log.h"
#include "strlist.h"

#define COPY_CHUNK (1u << 16)

int task_main(const char *program, const char *json, task_fn *run)
{
	char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64], night[NIGHTID_MAX + 1] = "";
	struct err e = {0};
	struct executor *ex;
	int rc;

	log_init(program, true);
	if (!(ex = executor_parse(json, &e))) {
		log_error(NULL, "%s", err_format(&e, msg, sizeof msg));
		return 1;
	}
	rc = run(ex, night, &e);
	if (rc == 0)
		rc = executor_write_output(ex, &e);
	if (rc < 0)
		log_error(night[0] ? night : NULL, "%s", err_format(&e, msg, sizeof msg));
	executor_free(ex);
	return rc < 0 ? 1 : 0;
}

const char *task_param_optional(const struct executor *ex, const char *name)
{
	struct err ignored;

	return executor_has_param(ex, name) ? executor_param_string(ex, name, &ignored) : NULL;
}

char *task_param_path(const char *param, const char *uri, enum executor_uri_kind kind, struct err *e)
{
	char *path = executor_uri_to_path(uri, kind, e);

	if (!path)
		err_prefix(e, "%s", param);
	return path;
}

char *task_param_mounted_path(const char *param, const char *uri, enum executor_uri_kind kind,
			      struct err *e)
{
	char *path = task_param_path(param, uri, kind, e);
	bool object_store = strncmp(uri, "s3://", 5) == 0 || strncmp(uri, "minio://", 8) == 0;

	if (!path || !object_store || executor_path_mounted(path))
		return path;
	ERR(e, "\"%s\": a Kubeflow Pipelines launcher fetches input artifacts, never parameters, and no volume "
	       "mounts the bucket here; pass a gs:// URI (read through the Cloud Storage API)", uri);
	free(path);
	err_prefix(e, "%s", param);
	return NULL;
}

const struct executor_artifact *task_output_folder(struct executor *ex, const char *name, struct err *e)
{
	const struct executor_artifact *a = executor_output_artifact(ex, name, e);

	return a && fs_mkdir_p(a->path, e) == 0 ? a : NULL;
}

/* ---- the folder copy ---- */

/* from -> to by plain open/write/close (no rename, no temporary name). */
static int copy_bytes(const char *from, const char *to, struct err *e)
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

int task_copy_file(const char *from, const char *to, struct err *e)
{
	if (unlink(to) != 0 && errno != ENOENT)
		return ERR_SYS(e, to, "cannot replace");
	if (linkat(AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	return copy_bytes(from, to, e);
}

/* Whether `path` is a regular file (following a symbolic link). */
static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int task_copy_folder(const char *from, const char *to, struct err *e)
{
	struct strlist names;
	int rc;

	if (fs_mkdir_p(to, e) < 0)
		return -1;
	rc = dirlist_read(from, 0, NULL, &names, e);
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *src = fs_join(from, names.v[i], e);
		char *dst = src ? fs_join(to, names.v[i], e) : NULL;
		rc = !dst ? -1 : is_file(src) ? task_copy_file(src, dst, e) : 0;
		free(src);
		free(dst);
	}
	strlist_release(&names);
	return rc;
}
