/*
 * run_progress.c — the run's progress on standard error (see run_progress.h).
 */
#include "run_progress.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define PROG "nightfan run"
#define REDRAW_SECONDS 0.25

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void format_eta(double seconds, char *buf, size_t size)
{
	long s = (long)(seconds + 0.5);

	if (!isfinite(seconds) || seconds < 0)
		snprintf(buf, size, "--:--");
	else if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

static void draw_bar(struct run_progress *p, const struct run_counts *c)
{
	double elapsed = now_seconds() - p->started;
	size_t done = c->finished;
	size_t ran = done - c->cached;
	double rate = elapsed > 0 && ran > 0 ? (double)ran / elapsed : 0;
	char eta[32], line[256];
	int width = 30, filled = c->total ? (int)(width * done / c->total) : width;

	format_eta(rate > 0 ? (double)(c->total - done) / rate : NAN, eta, sizeof eta);
	int n = snprintf(line, sizeof line, "\r[%.*s%*s] %zu/%zu tasks  %zu failed  %zu/%zu nights  %zu failed  "
			 "%.1f/s  ETA %s", filled, "##############################", width - filled, "", done, c->total,
			 c->failed + c->skipped, c->nights_done, c->nights_total, c->nights_failed, rate, eta);
	fputs(line, stderr);
	p->last_draw = now_seconds();
	if (n < p->last_len)
		fprintf(stderr, "%*s", p->last_len - n, "");
	p->last_len = n;
	fflush(stderr);
}

void run_progress_start(struct run_progress *p, bool tty, const struct run_counts *c)
{
	p->tty = tty;
	p->started = now_seconds();
	if (p->tty)
		draw_bar(p, c);
}

void run_progress_event(struct run_progress *p, const struct run_counts *c, const char *task,
			const char *what, const char *detail)
{
	if (p->tty) {
		if (detail)
			fprintf(stderr, "\r%*s\r" PROG ": %s failed: %s\n", p->last_len, "", task, detail);
		draw_bar(p, c);
		return;
	}
	if (!detail)
		detail = "";
	fprintf(stderr, PROG ": [%zu/%zu tasks, %zu/%zu nights, %zu failed] %s %s%s%s\n", c->finished, c->total,
		c->nights_done, c->nights_total, c->nights_failed, task, what, detail[0] ? ": " : "", detail);
}

void run_progress_retry(const struct run_progress *p, const char *task, int attempt, int attempts)
{
	if (!p->tty)
		fprintf(stderr, PROG ": %s failed (attempt %d of %d), retrying\n", task, attempt, attempts);
}

void run_progress_tick(struct run_progress *p, const struct run_counts *c)
{
	if (p->tty && now_seconds() - p->last_draw >= REDRAW_SECONDS)
		draw_bar(p, c);
}

void run_progress_end(struct run_progress *p, const struct run_counts *c)
{
	if (p->tty) {
		draw_bar(p, c);
		fputc('\n', stderr);
	}
}

void run_progress_stopped(const struct run_progress *p)
{
	if (p->tty)
		fputc('\n', stderr);
}
