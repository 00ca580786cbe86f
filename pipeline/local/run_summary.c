/*
 * run_summary.c — the summary of a finished `nightfan run` (see run_summary.h).
 */
#include "run_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dirlist.h"
#include "executor.h"
#include "run_nights.h"
#include "specnames.h"

/* A failed night to list: its id and its folder. */
struct listed {
	const char *night; /* borrowed (the plan's string or base_names') */
	char *dir;
};

struct failed_list {
	struct listed *v;
	size_t n, cap;
	struct strlist base_names; /* the base folder's names, which `v` may point into */
};

/* ---- the tasks, and the nights without a merge -------------------------------------------- */

static void print_tasks(const struct run_sched *s)
{
	size_t done = 0;

	for (size_t i = 0; i < s->plan->n_tasks; i++)
		done += s->tasks[i].state == RUN_DONE;
	printf("%s: %zu tasks: %zu ran, %zu cached, %zu failed", s->plan->name, s->counts.total, done,
	       s->counts.cached, s->counts.failed);
	if (s->counts.skipped)
		printf(", %zu skipped", s->counts.skipped);
	putchar('\n');
}

/* Without the merge: the nights as the shard tasks left them. */
static void print_tracked_nights(const struct run_sched *s)
{
	printf("nights: %zu of %zu processed, %zu failed\n", s->counts.nights_done, s->counts.nights_total,
	       s->counts.nights_failed);
	for (size_t i = 0; i < s->counts.nights_failed; i++)
		printf("  failed night %s\n", s->failed_nights[i].night);
}

/* ---- the failed nights the merge counted -------------------------------------------------- */

static int add_listed(struct failed_list *l, const char *night, char *dir)
{
	if (!dir)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct listed *grown = realloc(l->v, cap * sizeof *grown);
		if (!grown) {
			free(dir);
			return -1;
		}
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = (struct listed){night, dir};
	return 0;
}

static bool in_run(const struct run_sched *s, const char *night)
{
	for (size_t i = 0; i < s->plan->n_tasks; i++)
		for (size_t j = 0; j < s->plan->tasks[i].n_nights; j++)
			if (strcmp(s->plan->tasks[i].nights[j], night) == 0)
				return true;
	return false;
}

/* The nights of the base folder (parameter base_nights) that this run did not process and whose
 * night.json says failed: the merge took them from there, as it takes every base night the run's
 * own folders lack (names starting with '.' skipped). */
static void add_base_failures(const struct run_sched *s, struct failed_list *l)
{
	const char *uri = json_string_value(json_object_get(s->plan->params, SPEC_PARAM_BASE_NIGHTS));
	struct err ignored;
	char *base;

	if (!uri || !uri[0] || !(base = executor_uri_to_path(uri, EXECUTOR_URI_FOLDER, &ignored)))
		return;
	if (dirlist_read(base, 0, NULL, &l->base_names, &ignored) == 0) {
		for (size_t i = 0; i < l->base_names.n; i++) {
			const char *night = l->base_names.v[i];
			char *night_dir;
			if (in_run(s, night))
				continue;
			if (asprintf(&night_dir, "%s/%s", base, night) < 0)
				break;
			if (!run_nights_failed(night_dir))
				free(night_dir);
			else if (add_listed(l, night, night_dir) < 0)
				break;
		}
	}
	free(base);
}

static int compare_listed(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->night, ((const struct listed *)b)->night);
}

/* "  failed night N0005: labels/hypnogram.csv:254: expected ...", as report.json's entry reads. */
static void print_failed_night(const struct listed *f)
{
	struct run_night_error err;
	struct err ignored;

	run_nights_error(f->dir, &err, &ignored); /* unreadable: the line without its error */
	printf("  failed night %s: %s%s", f->night, err.file ? err.file : "", err.file ? ":" : "");
	if (err.file && err.line)
		printf("%lld: ", err.line);
	else if (err.file)
		printf(" ");
	printf("%s\n", err.message ? err.message : "");
	run_night_error_free(&err);
}

/* The merge's failed nights, in night id order as the merge lists them: those the runner saw fail
 * in this run's shard tasks and, when the merge counted more (`failed`), the base folder's. */
static void print_failed_nights(const struct run_sched *s, long long failed)
{
	struct failed_list l = {0};

	for (size_t i = 0; i < s->counts.nights_failed; i++)
		if (add_listed(&l, s->failed_nights[i].night,
			       run_nights_dir(s->failed_nights[i].task, s->failed_nights[i].night)) < 0)
			break;
	if (failed > (long long)l.n)
		add_base_failures(s, &l);
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, compare_listed);
	for (size_t i = 0; i < l.n; i++) {
		print_failed_night(&l.v[i]);
		free(l.v[i].dir);
	}
	strlist_release(&l.base_names);
	free(l.v);
}

/* ---- the merge's figures ------------------------------------------------------------------ */

/* The metadata of the ExecutorOutput's `metrics` artifact. */
static const json_t *metrics_of(const json_t *ex_out)
{
	const json_t *arts = json_object_get(json_object_get(json_object_get(ex_out, "artifacts"),
							     SPEC_ARTIFACT_METRICS), "artifacts");

	return json_object_get(json_array_get(arts, 0), "metadata");
}

static double number(const json_t *metrics, const char *name, bool *ok)
{
	const json_t *v = json_object_get(metrics, name);

	*ok = *ok && json_is_number(v);
	return json_number_value(v);
}

/* One line each of headline agreement figures (nothing for those the metrics lack). */
static void print_headline(const json_t *metrics)
{
	bool ok = true;
	double icc = number(metrics, SPEC_METRIC_AHI_ICC, &ok);
	double bias = number(metrics, SPEC_METRIC_AHI_BIAS, &ok);
	double low = number(metrics, SPEC_METRIC_AHI_LOA_LOW, &ok);
	double high = number(metrics, SPEC_METRIC_AHI_LOA_HIGH, &ok);
	if (ok)
		printf("AHI agreement: ICC %.3f, bias %+.2f events/h, limits of agreement %.2f to %.2f\n", icc,
		       bias, low, high);
	ok = true;
	double kappa = number(metrics, SPEC_METRIC_SEVERITY_KAPPA, &ok);
	double accuracy = number(metrics, SPEC_METRIC_SEVERITY_ACCURACY, &ok);
	if (ok)
		printf("severity: accuracy %.3f, kappa %.3f\n", accuracy, kappa);
	ok = true;
	kappa = number(metrics, SPEC_METRIC_STAGING_KAPPA, &ok);
	accuracy = number(metrics, SPEC_METRIC_STAGING_ACCURACY, &ok);
	if (ok)
		printf("sleep staging: accuracy %.3f, kappa %.3f\n", accuracy, kappa);
}

/* The merge: the last root task (the loop's tasks belong to a group). */
static const struct plan_task *merge_of(const struct run_sched *s, enum run_state *state)
{
	const struct plan_task *merge = NULL;

	for (size_t i = 0; i < s->plan->n_tasks; i++)
		if (!s->plan->tasks[i].group) {
			merge = &s->plan->tasks[i];
			*state = s->tasks[i].state;
		}
	return merge;
}

long long run_summary_print(const struct run_sched *s)
{
	enum run_state state = RUN_WAITING;
	const struct plan_task *merge = merge_of(s, &state);
	long long ok_nights = -1;

	print_tasks(s);
	if (!merge || (state != RUN_DONE && state != RUN_CACHED)) {
		print_tracked_nights(s);
		return -1;
	}
	json_t *ex_out = json_load_file(merge->executor_output, 0, NULL);
	const json_t *metrics = metrics_of(ex_out);
	bool counted = true;
	long long total = (long long)number(metrics, SPEC_METRIC_NIGHTS_TOTAL, &counted);
	long long ok = (long long)number(metrics, SPEC_METRIC_NIGHTS_OK, &counted);
	long long failed = (long long)number(metrics, SPEC_METRIC_NIGHTS_FAILED, &counted);
	if (counted) {
		ok_nights = ok;
		printf("nights: %lld (%lld ok, %lld failed)\n", total, ok, failed);
		print_failed_nights(s, failed);
	}
	print_headline(metrics);
	const char *dataset = plan_output_uri(merge, SPEC_ARTIFACT_DATASET);
	if (dataset)
		printf("report: %s/report.html\n", dataset);
	json_decref(ex_out);
	return ok_nights;
}
