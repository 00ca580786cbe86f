/*
 * run_sched.h — a plan's tasks run as local processes: the heart of `nightfan run`.
 *
 * Owns scheduling (dependencies, --jobs, the loop's parallelismLimit), each task's process (its own
 * process group, its log <task dir>/task.log, a fresh output folder), retries with the spec's
 * backoff, the per-task cache (looked up and recorded through pipeline/local/plan_cache.h), what
 * the runner tracks of the shard tasks' nights (done, failed, which), and stopping: a SIGINT,
 * SIGTERM or SIGHUP reaches every task's process group. Every path is the plan's (a task's folder,
 * its output artifacts: pipeline/local/plan.h). Below it: the programs (run_program.h), the nights
 * index (run_nights.h), the progress lines (run_progress.h). Above it: the summary
 * (run_summary.h) and the command (cmd_run.c).
 */
#ifndef NIGHTFAN_RUN_SCHED_H
#define NIGHTFAN_RUN_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "plan.h"
#include "plan_cache.h"
#include "run_progress.h"

enum run_state { RUN_WAITING, RUN_RUNNING, RUN_BACKOFF, RUN_DONE, RUN_CACHED, RUN_FAILED, RUN_SKIPPED };

struct run_task {
	enum run_state state;
	pid_t pid;
	int attempts;
	double retry_at;
	char key[PLAN_KEY_HEX];
	bool cacheable; /* caching on and every input's bytes were read */
	char *program;  /* resolved executable */
	char *log;      /* <task dir>/task.log */
};

/* A night the runner saw fail: its task failed or was skipped, or its night.json says so. */
struct run_failed_night {
	const char *night;              /* the plan's string */
	const struct plan_task *task;   /* the shard task that had it */
};

struct run_sched {
	const struct plan *plan;  /* borrowed */
	const char *root;         /* the run folder the plan was built under (borrowed) */
	int jobs;
	struct run_task *tasks;   /* one per plan task, same order */
	struct run_counts counts;
	struct run_progress progress;
	size_t running;
	struct run_failed_night *failed_nights; /* counts.nights_failed of them, in completion order */
};

/* Ready `s` to run `plan` (borrowed, as `root`: both must outlive s) with at most `jobs` tasks at
 * once: every task's program found (run_program.h), its log path set. 0, or -1 (a program not
 * found names the task). The caller releases s with run_sched_free() either way. */
int run_sched_init(struct run_sched *s, const struct plan *plan, const char *root, int jobs, struct err *e);

/* Run every task to its end (done, cached, failed or skipped), progress on stderr (a bar when `tty`).
 * 0 when the run went through (tasks may have failed: see s->counts); -1 on an error of the runner
 * itself or when a stop signal came ("interrupted (SIGINT): ..."): then call run_sched_stop(). */
int run_sched_all(struct run_sched *s, bool tty, struct err *e);

/* After run_sched_all() returned -1: send the stop signal that came (SIGTERM when none did) to
 * every running task's process group, reap them, and wait until nothing of their groups is left
 * (SIGKILL after 10 seconds). Their folders have no cache record, so a rerun redoes them. */
void run_sched_stop(struct run_sched *s);

void run_sched_free(struct run_sched *s);

#endif
