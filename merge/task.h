/*
 * task.h — nightfan-merge under Kubeflow Pipelines: `nightfan-merge --executor-input JSON`.
 *
 * Owns the mapping from the merge task's ExecutorInput (common/specnames.h: input artifact list
 * `nights`, parameter base_nights; output artifacts report, dataset, metrics, staging_confusion,
 * severity_confusion) to merge_run(), and the ExecutorOutput metadata KFP's UI and Vertex AI's
 * console render: system.Metrics as a flat {name: number} object, system.ClassificationMetrics as
 * {"confusionMatrix": {"annotationSpecs": [{"displayName"}], "rows": [{"row": [...]}]}}.
 * The dataset artifact also holds nights/<night>/{night.json,epochs.csv,events.csv} for every merged night,
 * so that a later run can pass this folder's URI + "/nights" as base_nights, and pages/<night>.html
 * (the night pages, linked from dataset/report.html as "pages/<night>.html"). The report artifact
 * is report.html with its night links going to "dataset/pages/<night>.html": the two artifacts
 * are siblings in the task's output folder (KFP's local runner, Vertex AI's pipeline root).
 * The metadata comes from merge_run()'s summary (merge.h), the same figures report.json holds.
 * The scaffold around it (ExecutorInput in, ExecutorOutput out, URIs, the folder copy, log lines)
 * is common/task.h.
 */
#ifndef NIGHTFAN_MERGE_TASK_H
#define NIGHTFAN_MERGE_TASK_H

/* Run the task described by the ExecutorInput text `json`; log lines are JSON. Returns the exit
 * status (0 or 1). */
int merge_task_main(const char *json);

#endif
