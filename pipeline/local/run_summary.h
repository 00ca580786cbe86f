/*
 * run_summary.h — what `nightfan run` prints on standard output when its tasks are through.
 *
 * Owns the summary's lines: the tasks (ran, cached, failed, skipped); then, when the merge ran or
 * came from the cache, the nights (total, ok, failed), each failed night with its error, the
 * headline agreement (AHI, severity, staging) and where the report is — else the nights as the
 * shard tasks left them. The figures come from the merge task's ExecutorOutput (the `metrics`
 * artifact's metadata, which merge/task.c writes from the merge's summary), the failed nights from
 * what the runner tracked of the shard tasks (run_sched.h) and their night.json errors
 * (run_nights.h), the report's path from the plan; report.json is not read. Running the tasks is
 * run_sched.c.
 */
#ifndef NIGHTFAN_RUN_SUMMARY_H
#define NIGHTFAN_RUN_SUMMARY_H

#include "run_sched.h"

/* Print the summary of the finished run s. Returns how many nights came out ok, or -1 when the
 * merge did not run (or its ExecutorOutput has no night counts). */
long long run_summary_print(const struct run_sched *s);

#endif
