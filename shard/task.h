/*
 * task.h — nightfan-shard under Kubeflow Pipelines: `nightfan-shard --executor-input JSON`.
 *
 * Owns the mapping from the ExecutorInput of the shard task (common/specnames.h names its
 * parameters: batch, input_root, profile, on_error, nights_manifest; its output artifact: nights)
 * to shard_run() calls, one per night of the task's batch, and the nights artifact's metadata.
 * Scoring is shard.h; the scaffold around it (ExecutorInput in, ExecutorOutput out, URIs, log
 * lines) is common/task.h.
 */
#ifndef NIGHTFAN_SHARD_TASK_H
#define NIGHTFAN_SHARD_TASK_H

/* Run the task described by the ExecutorInput text `json`. Prints its own log lines (one JSON
 * object a line) and returns the exit status: 0 every night written (failed nights recorded under
 * on_error=record), 1 otherwise. */
int shard_task_main(const char *json);

#endif
