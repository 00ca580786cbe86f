/*
 * specnames.h — the names of the pipeline spec's parameters, artifacts and tasks, defined once.
 *
 * Owns only the names: the compiler writes them into the spec (pipeline/spec/spec.c), the local
 * runner and the cloud commands look parameters up by them (pipeline/local/plan.c,
 * pipeline/cloud/vertex_manifest.c), and the in-container tasks read their ExecutorInput by them
 * (shard/task.c, merge/task.c); also the merge's metrics keys that `nightfan run` reads back. It lives in common/ because shard/ and merge/ never include
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

/* Keys of the merge's metrics artifact (its system.Metrics metadata) that another program reads:
 * `nightfan run` prints its summary from them (pipeline/local/run_summary.c); merge/task.c writes
 * them. The headline figures are "<score key>_<icc|bias|mae>" for AHI, RDI, TST, ... (composed in
 * merge/task.c); the two AHI ones the summary prints are spelled out here. */
#define SPEC_METRIC_NIGHTS_TOTAL "nights_total"
#define SPEC_METRIC_NIGHTS_OK "nights_ok"
#define SPEC_METRIC_NIGHTS_FAILED "nights_failed"
#define SPEC_METRIC_AHI_ICC "AHI_icc"
#define SPEC_METRIC_AHI_BIAS "AHI_bias"
#define SPEC_METRIC_AHI_LOA_LOW "AHI_loa_low"
#define SPEC_METRIC_AHI_LOA_HIGH "AHI_loa_high"
#define SPEC_METRIC_SEVERITY_ACCURACY "severity_accuracy"
#define SPEC_METRIC_SEVERITY_KAPPA "severity_kappa"
#define SPEC_METRIC_STAGING_ACCURACY "staging_accuracy"
#define SPEC_METRIC_STAGING_KAPPA "staging_kappa"

/* Tasks (taskInfo.name; components are "comp-" NAME, executors "exec-" NAME). */
#define SPEC_TASK_SHARD "shard"
#define SPEC_TASK_MERGE "merge"

#endif
