/*
 * run_progress.h — how far a `nightfan run` has come, on standard error.
 *
 * Owns the counts the runner keeps (tasks and nights: done, failed, cached) and their two shapes on
 * stderr: on a terminal one bar redrawn in place (with the rate and an ETA), a failed task's error
 * printed above it; elsewhere one plain line a finished task ("nightfan run: [3/6 tasks, 3/5
 * nights, 0 failed] shard-N0003 done") and one a retry. Deciding what happened is
 * pipeline/local/run_sched.c; the summary at the end (stdout) pipeline/local/run_summary.c.
 */
#ifndef NIGHTFAN_RUN_PROGRESS_H
#define NIGHTFAN_RUN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct run_counts {
	size_t total, finished, failed, skipped, cached; /* tasks */
	size_t nights_total, nights_done, nights_failed; /* the shard tasks' nights */
};

struct run_progress {
	bool tty;          /* stderr is a terminal: the bar */
	double started;    /* CLOCK_MONOTONIC seconds */
	double last_draw;
	int last_len;      /* of the bar last drawn, to blank what a shorter one leaves */
};

/* Start the clock (and draw the bar on a terminal). */
void run_progress_start(struct run_progress *p, bool tty, const struct run_counts *c);

/* Task `task` finished as `what` ("done", "cached", "failed", "skipped (...)"); `detail` is a
 * failed task's last log line ("" when its log has none), NULL for every other outcome. */
void run_progress_event(struct run_progress *p, const struct run_counts *c, const char *task,
			const char *what, const char *detail);

/* Task `task` failed its attempt `attempt` of `attempts` and will be retried (a line off a terminal). */
void run_progress_retry(const struct run_progress *p, const char *task, int attempt, int attempts);

/* While tasks run: redraw the bar (rate, ETA) when a quarter of a second has passed. */
void run_progress_tick(struct run_progress *p, const struct run_counts *c);

/* The run ended (the bar drawn a last time and left on its line) or was stopped (the bar left). */
void run_progress_end(struct run_progress *p, const struct run_counts *c);
void run_progress_stopped(const struct run_progress *p);

#endif
