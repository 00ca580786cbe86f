/*
 * vertex_progress.h — a submitted job's state and per-task progress, read from what the service
 * returns: a Vertex PipelineJob (state PIPELINE_STATE_*, jobDetail.taskDetails[].taskName/state)
 * or a Kubeflow Pipelines v2beta1 Run (run.proto's RuntimeState as the JSON gateway writes it:
 * SUCCEEDED, FAILED, ... with no prefix; run_details.task_details[].display_name/state).
 *
 * Owns: which states are terminal, how many runs of each loop task to expect (the loop's item
 * count, from the job's own spec and parameters, so "shard 12/60" is right before every task
 * exists), what counts as done (SUCCEEDED, or SKIPPED: a cached task; a KFP run that ends SKIPPED
 * succeeded too), which task details are plumbing rather than work (the root DAG, for-loop DAGs and
 * iterations, drivers, KFP's inner Argo "executor" tasks), and the one-line summary `status` and
 * `submit --wait` print.
 * Not here: fetching jobs (pipeline/cloud/vertex.c, pipeline/cloud/kfp_rest.c).
 */
#ifndef NIGHTFAN_VERTEX_PROGRESS_H
#define NIGHTFAN_VERTEX_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "err.h"

#define PROGRESS_MAX_NAMES 32

enum job_kind { JOB_VERTEX, JOB_KFP };

struct task_count {
	char name[128];  /* the task's name in the spec ("shard", "merge") */
	int total, done, running, failed;  /* task details seen so far, by state */
	int expected;    /* runs the spec promises (a loop's item count), 0 when unknown */
};

struct job_progress {
	char state[64];          /* as the service spells it ("PIPELINE_STATE_RUNNING", KFP "RUNNING") */
	bool terminal;           /* the job will not change any more */
	bool succeeded;          /* PIPELINE_STATE_SUCCEEDED; KFP SUCCEEDED or SKIPPED */
	struct task_count tasks[PROGRESS_MAX_NAMES]; /* in order of first appearance */
	size_t n_tasks;
	char error[512];         /* the job's error.message, "" when none */
};

/* The larger of the tasks seen and the tasks expected. */
int task_count_total(const struct task_count *t);

/* Read a job. -1 when it has no "state" string. */
int job_progress_read(const json_t *job, enum job_kind kind, struct job_progress *p, struct err *e);

/* "PIPELINE_STATE_RUNNING; shard 2/3 done (1 running, 0 failed); merge 0/1 done" into buf; the
 * total is the larger of the tasks seen and the tasks expected. */
char *job_progress_format(const struct job_progress *p, char *buf, size_t size);

#endif
