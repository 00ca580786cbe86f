/*
 * spec.h — the KFP v2 pipeline spec nightfan compiles: one ParallelFor over the night list whose
 * body is the shard container, collected into the merge container.
 *
 * Owns: the spec's shape and names (root parameters, components, executors, artifact types), the
 * batching rule and the manifest fallback for long night lists, and the "# PIPELINE DEFINITION"
 * header. Reading options and files is pipeline/spec/cmd_compile.c; YAML is pipeline/spec/yamlio.c; reading
 * a spec back and expanding it is pipeline/local/plan.c.
 *
 * The names below are spelled once, in common/specnames.h (SPEC_PARAM_*, SPEC_ARTIFACT_*,
 * SPEC_TASK_*), which the tasks in shard/ and merge/ read their ExecutorInput by; what they mean:
 *   root parameters  input_root, profile (the profile's JSON text), on_error ("record"|"fail"),
 *                    nights (LIST of loop items), nights_manifest (URI or ""), base_nights (URI or "")
 *   loop item        one night id "N0001", a batch "N0001,N0002,…", or "@K" = batch K (0-based)
 *                    of the manifest at nights_manifest
 *   shard            inputs batch, input_root, profile, on_error, nights_manifest;
 *                    output artifact `nights` (system.Dataset): a folder of <night>/night.json +
 *                    epochs.csv
 *   merge            inputs `nights` (list of the shard artifacts), base_nights; outputs report
 *                    (system.HTML), dataset (system.Dataset: a folder with nights.csv,
 *                    report.json, report.html, dataset.csv and nights/<night>/… for later runs'
 *                    base_nights), metrics (system.Metrics), staging_confusion and
 *                    severity_confusion (system.ClassificationMetrics)
 */
#ifndef NIGHTFAN_SPEC_H
#define NIGHTFAN_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "err.h"

#define SPEC_MAX_TASKS 100           /* Vertex AI collects at most 100 artifacts into one input */
#define SPEC_MAX_PARAM_CHARS 10000   /* KFP's cap on one input parameter's serialized value */
#define SPEC_MANIFEST_SCHEMA "nightfan.manifest/1"

struct spec_options {
	const char *name;          /* pipelineInfo.name ([a-z0-9-]); NULL = "nightfan" */
	const char *image;         /* container image of both executors */
	const char *input_root;    /* default of input_root; NULL = required at run time */
	const char *profile_json;  /* default of profile: the profile's JSON text (compact) */
	char *const *nights;       /* night ids, already validated, no duplicates */
	size_t n_nights;
	int parallelism;           /* iteratorPolicy.parallelismLimit; 0 = unlimited (omitted) */
	int nights_per_task;       /* 0 = 1 up to 100 nights, else the fewest that give <= 100 tasks */
	const char *cpu;           /* shard resourceCpuLimit ("1", "500m"); NULL = none */
	const char *memory;        /* shard resourceMemoryLimit ("2Gi"); NULL = none */
	int retries;               /* shard retryPolicy.maxRetryCount; 0 = no retryPolicy */
	bool cache;                /* cachingOptions.enableCache on both tasks */
	const char *manifest_uri;  /* where the manifest is read from, when one is needed */
};

struct spec_result {
	json_t *spec;              /* the pipeline spec (owned) */
	json_t *manifest;          /* the manifest to write at manifest_uri, or NULL when the list fits */
	int nights_per_task;       /* the batch size used */
	size_t n_tasks;            /* loop items */
};

/* Build the spec. Errors: bad cpu/memory strings, a batch size that would give more than 100
 * tasks, no nights, a manifest needed but no manifest_uri. On success fill *r (free with
 * spec_result_free) and return 0; else -1. */
int spec_build(const struct spec_options *o, struct spec_result *r, struct err *e);
void spec_result_free(struct spec_result *r);

/* The SDK's comment block ("# PIPELINE DEFINITION\n# Name: …\n# Inputs:\n#    nights: list …").
 * malloc'ed; NULL when out of memory. */
char *spec_header(const json_t *spec);

/* The night ids of one loop item: "N0001" or "N0001,N0002" (a manifest item "@K" is resolved by
 * spec_manifest_batch). Fills a malloc'ed NULL-terminated array of malloc'ed ids; each is checked
 * with nightid_check. Returns the count, or -1. */
long spec_item_nights(const char *item, char ***out, struct err *e);

/* Batch K of a manifest (the parsed JSON {"schema", "nights_per_task", "batches": [[ids]]}) as in
 * spec_item_nights. `item` is "@K". -1 when K is out of range or the manifest is malformed. */
long spec_manifest_batch(const json_t *manifest, const char *item, char ***out, struct err *e);

void spec_free_nights(char **nights);

#endif
