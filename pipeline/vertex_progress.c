/*
 * vertex_progress.c — job state and per-task counts from Vertex or KFP answers; see vertex_progress.h.
 */
#include "vertex_progress.h"

#include <stdio.h>
#include <string.h>

static const char *after_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(s, prefix, n) == 0 ? s + n : s;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Task details that are the service's plumbing, not work a user would count. */
static bool is_plumbing(const char *name, bool is_root)
{
	return is_root || !*name || starts_with(name, "for-loop-") || starts_with(name, "iteration-") ||
	       starts_with(name, "condition-") || starts_with(name, "exit-handler-") || strcmp(name, "root") == 0 ||
	       ends_with(name, "-driver");
}

static struct task_count *slot(struct job_progress *p, const char *name)
{
	for (size_t i = 0; i < p->n_tasks; i++)
		if (strcmp(p->tasks[i].name, name) == 0)
			return &p->tasks[i];
	if (p->n_tasks == PROGRESS_MAX_NAMES)
		return NULL;
	struct task_count *t = &p->tasks[p->n_tasks++];
	snprintf(t->name, sizeof t->name, "%s", name);
	return t;
}

static void count_task(struct job_progress *p, const char *name, const char *state)
{
	struct task_count *t = slot(p, name);
	if (!t)
		return;
	state = after_prefix(state, "RUNTIME_STATE_");
	t->total++;
	if (strcmp(state, "SUCCEEDED") == 0 || strcmp(state, "SKIPPED") == 0)
		t->done++;
	else if (strcmp(state, "RUNNING") == 0)
		t->running++;
	else if (strcmp(state, "FAILED") == 0)
		t->failed++;
}

static bool is_terminal(const char *state)
{
	static const char *const terminal[] = {"PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED",
		"PIPELINE_STATE_CANCELLED", "RUNTIME_STATE_SUCCEEDED", "RUNTIME_STATE_FAILED",
		"RUNTIME_STATE_CANCELED", "RUNTIME_STATE_SKIPPED"};
	for (size_t i = 0; i < sizeof terminal / sizeof terminal[0]; i++)
		if (strcmp(state, terminal[i]) == 0)
			return true;
	return false;
}

int job_progress_read(const json_t *job, enum job_kind kind, struct job_progress *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	const char *state = json_string_value(json_object_get(job, "state"));
	if (!state)
		return ERR(e, "the %s answer has no \"state\"", kind == JOB_VERTEX ? "pipeline job" : "run");
	snprintf(p->state, sizeof p->state, "%s", state);
	p->terminal = is_terminal(state);
	p->succeeded = strcmp(state, "PIPELINE_STATE_SUCCEEDED") == 0 || strcmp(state, "RUNTIME_STATE_SUCCEEDED") == 0;
	const char *msg = json_string_value(json_object_get(json_object_get(job, "error"), "message"));
	if (msg)
		snprintf(p->error, sizeof p->error, "%s", msg);
	const json_t *details = kind == JOB_VERTEX
		? json_object_get(json_object_get(job, "jobDetail"), "taskDetails")
		: json_object_get(json_object_get(job, "run_details"), "task_details");
	size_t i;
	const json_t *task;
	json_array_foreach(details, i, task)
	{
		const char *name = json_string_value(json_object_get(task, kind == JOB_VERTEX ? "taskName" : "display_name"));
		const char *tstate = json_string_value(json_object_get(task, "state"));
		const json_t *parent = json_object_get(task, kind == JOB_VERTEX ? "parentTaskId" : "parent_task_id");
		bool is_root = kind == JOB_VERTEX && !parent;
		if (name && tstate && !is_plumbing(name, is_root))
			count_task(p, name, tstate);
	}
	return 0;
}

char *job_progress_format(const struct job_progress *p, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "%s", p->state);
	for (size_t i = 0; i < p->n_tasks && len < size; i++) {
		const struct task_count *t = &p->tasks[i];
		len += (size_t)snprintf(buf + len, size - len, "; %s %d/%d done", t->name, t->done, t->total);
		if (len < size && (t->running || t->failed))
			len += (size_t)snprintf(buf + len, size - len, " (%d running, %d failed)", t->running, t->failed);
	}
	return buf;
}
