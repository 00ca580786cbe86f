/*
 * task.h — the in-container task scaffold: what `nightfan-shard --executor-input JSON` and
 * `nightfan-merge --executor-input JSON` share under Kubeflow Pipelines.
 *
 * Owns the run of one task — the ExecutorInput parsed (common/executor.h), log lines as JSON
 * (common/log.h), the task's own work called, the ExecutorOutput written once that work succeeded,
 * the error logged otherwise — and the pieces both tasks need around that work: a parameter's URI
 * as a local path (the one rule, executor_uri_to_path, and whether a volume mounts the bucket), an
 * output artifact's folder made, and the one folder copy. What each task reads and writes is
 * shard/task.c and merge/task.c; the parameter and artifact names are common/specnames.h.
 *
 * Errors follow err.h; messages name the parameter (`input_root: expected a bucket after gs:// in
 * URI "gs://"`). Strings handed out are owned by the executor handle unless said otherwise.
 */
#ifndef NIGHTFAN_TASK_H
#define NIGHTFAN_TASK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "executor.h"
#include "nightid.h"

/* The task's own work: read ex's inputs, write the output artifacts, set the ExecutorOutput's
 * metadata (executor_set_*). 0, or -1 with e filled; on -1 it may copy the id of the night the
 * error is about into night (NIGHTID_MAX + 1 bytes, "" on entry) for the log line's "night". */
typedef int task_fn(struct executor *ex, char night[NIGHTID_MAX + 1], struct err *e);

/* Run one task: log_init(program, JSON lines), parse the ExecutorInput text `json`, call run, then
 * write the ExecutorOutput (executor_write_output). A failure at any step is logged as one
 * ERROR line (with the night run named, if any). Returns the exit status: 0, or 1. */
int task_main(const char *program, const char *json, task_fn *run);

/* A string parameter the task may be given or not (a spec compiled before it existed): its value,
 * or NULL when absent, null or not a string. Owned by ex. */
const char *task_param_optional(const struct executor *ex, const char *name);

/* The local path of `uri`, the value of the parameter `param`, by the one rule
 * (executor_uri_to_path): gs:// -> /gcs/, minio:// -> /minio/, s3:// -> /s3/, a path unchanged.
 * malloc'ed, the caller frees; NULL with e prefixed with `param` ("base_nights: ..."). */
char *task_param_path(const char *param, const char *uri, enum executor_uri_kind kind, struct err *e);

/* As task_param_path, for a parameter the task reads itself: a launcher fetches input artifacts,
 * never parameters, so an s3:// or minio:// URI is refused unless a volume mounts its bucket where
 * a launcher would put an artifact (`nights_manifest: "s3://b/m.json": a Kubeflow Pipelines
 * launcher fetches input artifacts, never parameters, and no volume mounts the bucket here; pass a
 * gs:// URI (read through the Cloud Storage API)`). A gs:// URI is mapped whether mounted or not:
 * the caller reads an unmounted one through the Cloud Storage API. */
char *task_param_mounted_path(const char *param, const char *uri, enum executor_uri_kind kind,
			      struct err *e);

/* The output artifact `name`, its folder (->path) made with its parents. Owned by ex. NULL with e
 * (undeclared artifact, a folder that cannot be made). */
const struct executor_artifact *task_output_folder(struct executor *ex, const char *name, struct err *e);

/* Copy the file `from` to `to` (replacing it): by a hard link when both lie on one file system,
 * else byte by byte through a plain open/write/close — no rename and no temporary name, which a
 * Cloud Storage FUSE mount (/gcs/) may refuse or make slow. Only for a destination no reader sees
 * before the task succeeded (an output artifact), and a source never rewritten in place (a
 * shard's or merge's output: each writes new files). 0, or -1 naming the file. */
int task_copy_file(const char *from, const char *to, struct err *e);

/* Copy every regular file of the folder `from` whose name does not start with '.' into the folder
 * `to` (made with its parents) by task_copy_file. Subfolders are not copied. 0, or -1 naming the
 * folder or file; files copied before the error stay. */
int task_copy_folder(const char *from, const char *to, struct err *e);

#endif
