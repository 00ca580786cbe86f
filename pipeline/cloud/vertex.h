/*
 * vertex.h — Vertex AI Pipelines REST (v1): create, get and cancel a pipeline job, and the API's
 * rules for job ids and labels.
 *
 * Owns: the request URLs and bodies (built with jansson), the job-name forms users type, the
 * console link, the create-retry rule (the POST carries a pipelineJobId, so a retry can never make
 * a second job; a 409 ALREADY_EXISTS after a retried create means the first attempt had landed; a
 * 409 ABORTED is a concurrency conflict and the create is sent again, 3 times in all), refreshing a
 * refused token once.
 * Not here: HTTP and retries (common/http.c), tokens (common/gauth.c), reading the spec
 * (pipeline/local/plan.h), reading a job's progress (pipeline/cloud/vertex_progress.h).
 */
#ifndef NIGHTFAN_VERTEX_H
#define NIGHTFAN_VERTEX_H

#include <stdbool.h>
#include <jansson.h>

#include "err.h"
#include "gauth.h"
#include "http.h"

#define VERTEX_MAX_LABELS 64

/* Job id rule (the API's and the Vertex SDK's): a lowercase letter, then lowercase letters,
 * digits and '-', under 128 characters. 0, or -1 saying what is wrong. */
int vertex_check_job_id(const char *id, struct err *e);

/* Label rule: keys and values at most 64 characters (Unicode code points) of lowercase letters,
 * digits, '_' and '-' (non-ASCII letters allowed); keys start with a letter and are not empty;
 * the reserved key vertex-ai-pipelines-run-billing-id is refused (the service overwrites it).
 * 0, or -1 naming the label. */
int vertex_check_label(const char *key, const char *value, struct err *e);

/* A job id for a pipeline name, as the SDK makes one: the name lowercased with every character
 * outside [a-z0-9-] turned into '-', then "-YYYYMMDDhhmmss" (UTC of `now`); the name part is cut so
 * the id stays under 128 characters and starts with a letter ("job-" is prepended otherwise).
 * Writes into buf (at least 128 bytes). */
void vertex_make_job_id(const char *pipeline_name, time_t now, char *buf, size_t size);

struct vertex_job_ref {
	char project[256];
	char region[64];
	char id[160];
};

/* Accept "projects/P/locations/R/pipelineJobs/ID", or a bare ID with project and region given
 * (either may be NULL when the full name is used). 0 or -1. */
int vertex_parse_job(const char *job, const char *project, const char *region, struct vertex_job_ref *ref,
		     struct err *e);

/* "https://console.cloud.google.com/vertex-ai/locations/R/pipelines/runs/ID?project=P" */
void vertex_console_link(const struct vertex_job_ref *ref, char *buf, size_t size);

struct vertex {
	struct http_client *http;
	char *base;          /* "https://REGION-aiplatform.googleapis.com" or --api-endpoint, no '/' at the end */
	struct gauth auth;
};

/* api_endpoint NULL: the regional endpoint. 0 or -1. */
int vertex_open(struct vertex *v, const char *region, const char *api_endpoint, struct err *e);
void vertex_close(struct vertex *v);

struct vertex_create {
	const char *project, *region, *job_id, *display_name;
	const json_t *pipeline_spec;      /* the compiled spec, sent as a JSON object */
	const json_t *parameter_values;   /* {name: typed value}; may be NULL */
	const char *gcs_output_directory; /* the pipeline root */
	const char *service_account;      /* NULL: the project's default */
	const char *network;              /* NULL: none */
	const json_t *labels;             /* {key: value}; may be NULL */
};

/* The request body (new reference), exposed for tests. NULL when out of memory. */
json_t *vertex_create_body(const struct vertex_create *c);

/* POST .../pipelineJobs?pipelineJobId=ID. On success *job is the PipelineJob the API returned
 * (new reference). 0 or -1. */
int vertex_create_job(struct vertex *v, const struct vertex_create *c, json_t **job, struct err *e);

/* GET .../pipelineJobs/ID. 0 or -1. */
int vertex_get_job(struct vertex *v, const struct vertex_job_ref *ref, json_t **job, struct err *e);

/* POST .../pipelineJobs/ID:cancel. 0 or -1. */
int vertex_cancel_job(struct vertex *v, const struct vertex_job_ref *ref, struct err *e);

#endif
