/*
 * vertex_progress.c — job state and per-task counts from Vertex or KFP answers; see vertex_progress.h.
 */
#include "vertex_progress.h"

#include <stdio.h>
#include <string.h>

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Task details that are the service's plumbing, not work a user would count. "executor" is the
 * inner task KFP's Argo compiler puts in every container task (the DAG template
 * system-container-executor runs one task named "executor", backend/src/v2/compiler/argocompiler/
 * container.go): it is the same work as its parent, and SKIPPED when the parent was cached. */
static bool is_plumbing(const char *name, bool is_root)
{
	return is_root || !*name || starts_with(name, "for-loop-") || starts_with(name, "iteration-") ||
	       starts_with(name, "condition-") || starts_with(name, "exit-handler-") || strcmp(name, "root") == 0 ||
	       strcmp(name, "executor") == 0 || ends_with(name, "-driver");
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
	t->total++;
	if (strcmp(state, "SUCCEEDED") == 0 || strcmp(state, "SKIPPED") == 0)
		t->done++;
	else if (strcmp(state, "RUNNING") == 0)
		t->running++;
	else if (strcmp(state, "FAILED") == 0)
		t->failed++;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Vertex: PipelineState (PIPELINE_STATE_*). KFP v2beta1: run.proto's RuntimeState, which the API
 * server's JSON gateway writes by its value names, unprefixed (PENDING, RUNNING, SUCCEEDED, SKIPPED,
 * FAILED, CANCELING, CANCELED, PAUSED; only the zero value is RUNTIME_STATE_UNSPECIFIED). PAUSED
 * can be resumed, so it is not an end. */
static const char *const vertex_terminal[] = {"PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED",
	"PIPELINE_STATE_CANCELLED", NULL};
static const char *const vertex_success[] = {"PIPELINE_STATE_SUCCEEDED", NULL};
static const char *const kfp_terminal[] = {"SUCCEEDED", "SKIPPED", "FAILED", "CANCELED", NULL};
static const char *const kfp_success[] = {"SUCCEEDED", "SKIPPED", NULL};

/* The value of root parameter `name`: the job's own, else the spec's default. */
static const json_t *root_value(const json_t *spec, const json_t *values, const char *name)
{
	const json_t *v = json_object_get(values, name);
	if (v)
		return v;
	const json_t *defs = json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"), "parameters");
	return json_object_get(json_object_get(defs, name), "defaultValue");
}

/* How many items a root-level loop task iterates over; -1 when it cannot be told. */
static long loop_items(const json_t *spec, const json_t *values, const json_t *task)
{
	const json_t *items = json_object_get(json_object_get(task, "parameterIterator"), "items");
	const char *raw = json_string_value(json_object_get(items, "raw"));
	long n = -1;
	if (raw) {
		json_t *list = json_loads(raw, 0, NULL);
		n = json_is_array(list) ? (long)json_array_size(list) : -1;
		json_decref(list);
		return n;
	}
	const char *input = json_string_value(json_object_get(items, "inputParameter"));
	const json_t *param = json_object_get(json_object_get(json_object_get(task, "inputs"), "parameters"), input ? input : "");
	const char *root_name = json_string_value(json_object_get(param, "componentInputParameter"));
	const json_t *value = root_name ? root_value(spec, values, root_name) : NULL;
	return json_is_array(value) ? (long)json_array_size(value) : -1;
}

/* Every task inside a root-level loop is expected to run once per loop item. */
static void expect_loop_tasks(const json_t *job, enum job_kind kind, struct job_progress *p)
{
	const json_t *spec = json_object_get(job, kind == JOB_VERTEX ? "pipelineSpec" : "pipeline_spec");
	const json_t *values = kind == JOB_VERTEX
		? json_object_get(json_object_get(job, "runtimeConfig"), "parameterValues")
		: json_object_get(json_object_get(job, "runtime_config"), "parameters");
	const json_t *tasks = json_object_get(json_object_get(json_object_get(spec, "root"), "dag"), "tasks");
	const char *key, *inner_key;
	const json_t *task, *inner;
	json_object_foreach((json_t *)tasks, key, task)
	{
		long n = json_object_get(task, "parameterIterator") ? loop_items(spec, values, task) : -1;
		const char *comp = json_string_value(json_object_get(json_object_get(task, "componentRef"), "name"));
		if (n < 0 || !comp)
			continue;
		const json_t *body = json_object_get(json_object_get(json_object_get(json_object_get(spec, "components"),
			comp), "dag"), "tasks");
		json_object_foreach((json_t *)body, inner_key, inner)
		{
			const char *name = json_string_value(json_object_get(json_object_get(inner, "taskInfo"), "name"));
			struct task_count *t = is_plumbing(name ? name : inner_key, false) ? NULL : slot(p, name ? name : inner_key);
			if (t)
				t->expected = (int)n;
		}
	}
}

int job_progress_read(const json_t *job, enum job_kind kind, struct job_progress *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	const char *state = json_string_value(json_object_get(job, "state"));
	if (!state)
		return ERR(e, "the %s answer has no \"state\"", kind == JOB_VERTEX ? "pipeline job" : "run");
	snprintf(p->state, sizeof p->state, "%s", state);
	p->terminal = one_of(state, kind == JOB_VERTEX ? vertex_terminal : kfp_terminal);
	p->succeeded = one_of(state, kind == JOB_VERTEX ? vertex_success : kfp_success);
	const char *msg = json_string_value(json_object_get(json_object_get(job, "error"), "message"));
	if (msg)
		snprintf(p->error, sizeof p->error, "%s", msg);
	expect_loop_tasks(job, kind, p);
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

int task_count_total(const struct task_count *t)
{
	return t->total > t->expected ? t->total : t->expected;
}

char *job_progress_format(const struct job_progress *p, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "%s", p->state);
	for (size_t i = 0; i < p->n_tasks && len < size; i++) {
		const struct task_count *t = &p->tasks[i];
		len += (size_t)snprintf(buf + len, size - len, "; %s %d/%d done", t->name, t->done, task_count_total(t));
		if (len < size && (t->running || t->failed))
			len += (size_t)snprintf(buf + len, size - len, " (%d running, %d failed)", t->running, t->failed);
	}
	return buf;
}
