/*
 * plan.h — a compiled KFP v2 pipeline spec (as `nightfan compile` writes it) turned into the list of
 * container tasks one run executes: the for-loop expanded into one task per loop item, every
 * placeholder substituted, the ExecutorInput (`{{$}}`) built the way the KFP driver builds it.
 *
 * Owns: root parameter defaults and `--param` overrides (typed by pipeline/spec/spec_read.h), the
 * loop expansion, artifact URIs under a pipeline root, task dependencies, retry/caching/parallelism
 * settings, and each task's paths (its folder, its output artifacts' URIs, its ExecutorOutput file).
 * Reading the spec file is pipeline/spec/spec_read.h. Running tasks is pipeline/local/run_sched.c
 * (for `nightfan run`); docker compose files are pipeline/local/cmd_compose.c; both only read a
 * plan.
 *
 * Supported spec shape (what KFP's SDK emits for one ParallelFor fanned into a consumer): root DAG
 * tasks that are either container tasks or for-loop tasks (parameterIterator over a LIST input)
 * whose DAG holds container tasks; inputs from componentInputParameter, runtimeValue.constant,
 * taskOutputArtifact (a loop's collected list, or one task's artifact). Anything else is refused
 * with an error naming the task and field.
 *
 * Layout under the pipeline root (URIs are plain paths when the root is a local folder, as KFP's
 * local runner does; a gs:// root gives gs:// URIs, which executors read under /gcs/):
 *   <root>/<task id>/<output name>          each output artifact (a file or a folder)
 *   <root>/<task id>/executor_output.json   the ExecutorOutput the executor writes
 * Task ids: a loop body task is "<task name>-<first night of its item>" ("shard-N0001"), unique
 * because a night appears in one item only; a root task keeps its name ("merge").
 */
#ifndef NIGHTFAN_PLAN_H
#define NIGHTFAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "err.h"

struct plan_retry {
	int max_retries;             /* retryPolicy.maxRetryCount; 0 = no retry */
	double backoff_seconds;      /* backoffDuration ("0s" -> 0) */
	double backoff_factor;       /* backoffFactor (2 when absent, as the proto says) */
	double backoff_max_seconds;  /* backoffMaxDuration (3600 when absent) */
};

struct plan_env {
	char *name;
	char *value;
};

struct plan_output {
	char *name;            /* the output artifact's name ("nights", "dataset") */
	char *uri;             /* <root>/<task id>/<name> (URI form) */
};

struct plan_task {
	char *id;              /* "shard-N0001", "merge": unique, [A-Za-z0-9._-], usable as a folder
	                          or docker service name */
	char *name;            /* the spec's task name ("shard", "merge") */
	char *group;           /* the loop task it belongs to ("for-loop-1"), NULL for root tasks */
	char *image;           /* container image */
	char **argv;           /* command then args, placeholders substituted; NULL-terminated */
	size_t argc;
	struct plan_env *env;  /* container env, in spec order */
	size_t n_env;
	size_t *deps;          /* indices (into plan.tasks) of tasks that must succeed first */
	size_t n_deps;
	struct plan_retry retry;
	bool cache_enabled;    /* cachingOptions.enableCache */
	int parallelism_limit; /* the group's iteratorPolicy.parallelismLimit; 0 = unlimited */

	char *executor_input;  /* the ExecutorInput JSON ({{$}}), compact, keys sorted */
	char *output_dir;      /* <root>/<task id> (URI form) */
	char *executor_output; /* outputs.outputFile (URI form) */
	struct plan_output *outputs; /* the output artifacts, in the ExecutorInput's order */
	size_t n_outputs;

	/* What the task's result depends on, for a cache key (the runner adds content digests):
	 * cache_inputs: canonical JSON {"image","command","args" (unsubstituted), "parameters",
	 * "artifacts": {input name: [producer task ids]}}. nights: the night ids a shard task
	 * processes (NULL-terminated; empty for other tasks). input_paths: local files or folders the
	 * task reads whose contents matter (a shard's <input root>/<night> folders, the manifest;
	 * the merge's base_nights folder when set), NULL-terminated. */
	char *cache_inputs;
	char **nights;
	size_t n_nights;
	char **input_paths;
	size_t n_input_paths;
};

struct plan {
	char *name;                 /* pipelineInfo.name */
	json_t *params;             /* resolved root parameters (defaults + overrides), owned */
	struct plan_task *tasks;    /* topological order: every task comes after its deps */
	size_t n_tasks;
};

/* One `--param name=value`. The value is JSON for LIST, STRUCT, NUMBER_* and BOOLEAN parameters
 * (`nights=["N0042"]`, `n=3`), raw text for STRING ones. */
struct plan_param {
	const char *name;
	const char *value;
};

/* Expand `spec` into a plan: root parameters are the spec's defaults overridden by `params`
 * (n_params of them; an unknown name, a value of the wrong type, a missing required parameter
 * and invalid night ids are errors); artifacts are placed under `pipeline_root` (a local folder
 * or a gs:// / minio:// / s3:// URI, no trailing slash needed). `spec` is only read. Returns a
 * plan the caller frees with plan_free(), or NULL. */
struct plan *plan_build(const json_t *spec, const struct plan_param *params, size_t n_params,
			const char *pipeline_root, struct err *e);

/* The spec's root parameters as plan_build resolves them (the defaults overridden by `params`,
 * each typed), without expanding any task: an object of name to value the caller json_decref()s,
 * or NULL with the error plan_build would give for them. */
json_t *plan_params(const json_t *spec, const struct plan_param *params, size_t n_params, struct err *e);

/* Split "name=value" (as typed after --param) in place (the '=' becomes a NUL) into *p, which
 * points into `arg`. -1 without '=' or with an empty name. */
int plan_param_parse(char *arg, struct plan_param *p, struct err *e);

/* Refuse a pipeline root (`root`, a local folder as the user gave it, which need not exist yet)
 * that is, lies inside or contains the plan's input root (parameter input_root; a gs:// root as
 * its /gcs/ path), compared by real path (common/fsutil.h fs_relate): a task's fresh start removes
 * its folder under the root, the shards publish whole night folders, and the next listing of the
 * input root would take the run's folders for nights. 0 (also without an input_root), or -1
 * naming both. */
int plan_check_root_apart(const struct plan *p, const char *root, struct err *e);

/* The task with this id, or NULL. */
const struct plan_task *plan_find(const struct plan *p, const char *id);

/* The URI of task t's output artifact `name` (borrowed from t), or NULL when it has none. */
const char *plan_output_uri(const struct plan_task *t, const char *name);

void plan_free(struct plan *p);

#endif
