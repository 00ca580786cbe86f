/*
 * specnames.h — the names of the pipeline spec's parameters, artifacts and tasks, defined once.
 *
 * Owns only the names: the compiler writes them into the spec (pipeline/spec/spec.c), the local
 * runner and the cloud commands look parameters up by them (pipeline/local/plan.c,
 * pipeline/cloud/vertex_manifest.c), and the in-container tasks read their ExecutorInput by them
 * (shard/task.c, merge/task.c). It lives in common/ because shard/ and merge/ never include
 * pipeline/. What each one means and which task takes it: pipeline/spec/spec.h. A name here is part
 * of every compiled spec: renaming one breaks specs compiled before.
 */
#ifndef NIGHTFAN_SPECNAMES_H
#define NIGHTFAN_SPECNAMES_H

/* Root parameters (and the tasks' input parameters of the same name). */
#define SPEC_PARAM_INPUT_ROOT "input_root"           /* the nights' root folder or URI */
#define SPEC_PARAM_PROFILE "profile"                 /* the profile's JSON text */
#define SPEC_PARAM_ON_ERROR "on_error"               /* "record" or "fail" */
#define SPEC_PARAM_NIGHTS "nights"                   /* LIST of loop items */
#define SPEC_PARAM_NIGHTS_MANIFEST "nights_manifest" /* URI of the batches' manifest, or "" */
#define SPEC_PARAM_BASE_NIGHTS "base_nights"         /* an earlier run's night folders, or "" */
/* Task-only input parameters. */
#define SPEC_PARAM_BATCH "batch"                     /* shard: the loop item */
#define SPEC_PARAM_PIPELINE_NAME "pipeline_name"     /* merge: the spec's name, for provenance */

/* Artifacts: the shard's output and the merge's input list; the merge's outputs. */
#define SPEC_ARTIFACT_NIGHTS "nights"
#define SPEC_ARTIFACT_REPORT "report"
#define SPEC_ARTIFACT_DATASET "dataset"
#define SPEC_ARTIFACT_METRICS "metrics"
#define SPEC_ARTIFACT_STAGING_CONFUSION "staging_confusion"
#define SPEC_ARTIFACT_SEVERITY_CONFUSION "severity_confusion"

/* Tasks (taskInfo.name; components are "comp-" NAME, executors "exec-" NAME). */
#define SPEC_TASK_SHARD "shard"
#define SPEC_TASK_MERGE "merge"

#endif
