/*
 * run_nights.h — the night folders of a run's shard tasks, as `nightfan run` publishes and reads them.
 *
 * Owns the nights index, <root>/nights/<night> -> ../<task id>/nights/<night>: one relative link a
 * night to its latest shard output, replaced atomically, which later runs with a shorter night list
 * merge against (their default base_nights); and what the runner reads of a night folder: whether
 * its night.json says "failed", and the error it records. Where a task's night folders are is the
 * plan's (the task's "nights" output artifact, pipeline/local/plan.h); running the tasks is
 * pipeline/local/run_sched.c, the summary that prints the errors pipeline/local/run_summary.c.
 */
#ifndef NIGHTFAN_RUN_NIGHTS_H
#define NIGHTFAN_RUN_NIGHTS_H

#include <stdbool.h>

#include "err.h"
#include "plan.h"

/* The nights index of the run folder `root`: "<root>/nights" (caller frees), NULL when out of memory. */
char *run_nights_index(const char *root);

/* The folder of night `night` in shard task t's output (caller frees); NULL when t has no "nights"
 * output artifact, or out of memory. */
char *run_nights_dir(const struct plan_task *t, const char *night);

/* Link every night of t that its output holds into the index of `root` (the run folder the plan
 * was built under; created when missing). 0, or -1 naming the link that could not be made. */
int run_nights_link(const char *root, const struct plan_task *t, struct err *e);

/* A task that failed for good left its folder empty: drop the index links of t's nights that now
 * point nowhere, so that later runs do not merge a night that is not there. */
void run_nights_unlink_dangling(const char *root, const struct plan_task *t);

/* Does <dir>/night.json say "status": "failed" (recorded by the shard)? False when it cannot be read. */
bool run_nights_failed(const char *dir);

/* The error a failed night's <dir>/night.json records, as the merge reports it (report.json's
 * "failed" entries): bytes that are not UTF-8 shown as \xNN (common/utf8.h). */
struct run_night_error {
	char *file;     /* NULL when the error names no file */
	long long line; /* 0 when unknown */
	char *message;  /* "" when none */
};

/* Fill *out (zeroed first) from <dir>/night.json. 0, or -1 when the file cannot be read or parsed
 * or lacks an "error" object. The caller releases *out with run_night_error_free() either way. */
int run_nights_error(const char *dir, struct run_night_error *out, struct err *e);

void run_night_error_free(struct run_night_error *err);

#endif
