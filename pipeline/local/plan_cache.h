/*
 * plan_cache.h — the local runner's per-task cache: a key over everything a task's result depends
 * on, and the record a finished task leaves beside its outputs.
 *
 * Owns: the key (XXH3-128 of the task's cache_inputs from plan.h, its dependencies' keys, the
 * executable's bytes, and the bytes of every file under its input_paths — names starting with '.'
 * skipped, symbolic links followed) and `<output_dir>/.nightfan-task.json` ({"key","status"}).
 * Running tasks and deciding when to look keys up is pipeline/local/run_sched.c.
 */
#ifndef NIGHTFAN_PLAN_CACHE_H
#define NIGHTFAN_PLAN_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "plan.h"

#define PLAN_KEY_HEX 33 /* 32 lowercase hex digits + NUL */

/* The key of task t. dep_keys[i] is the key of t->deps[i]; `program` the executable that will
 * run (its bytes count; NULL: not counted). Returns 0 when every input path was read; 1 when one
 * is missing here (a gs:// root without a /gcs/ mount, or a night that is not there) — the key is
 * then filled but cannot vouch for the contents, so the caller must not take the task from the
 * cache; -1 when a file cannot be read. */
int plan_cache_key(const struct plan_task *t, const char *const *dep_keys, const char *program,
		   char key[PLAN_KEY_HEX], struct err *e);

/* True when <dir>/.nightfan-task.json records a successful run with this key. */
bool plan_cache_hit(const char *dir, const char *key);

/* Record a successful run (atomically). 0 or -1. */
int plan_cache_record(const char *dir, const char *key, struct err *e);

/* Forget the record (before rerunning a task in place). */
void plan_cache_forget(const char *dir);

#endif
