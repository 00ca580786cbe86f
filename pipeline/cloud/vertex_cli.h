/*
 * vertex_cli.h — what `nightfan submit`, `status` and `cancel` share: the service a command talks
 * to (Vertex AI, or a Kubeflow Pipelines server with --kfp-host), the common options, job lookup,
 * cancel, `--wait` polling and the lines they print.
 *
 * This is command-level code: it prints (progress to stdout, --verbose traces to stderr). Below it,
 * pipeline/cloud/vertex.c, pipeline/cloud/kfp_rest.c and common/http.c never print.
 */
#ifndef NIGHTFAN_VERTEX_CLI_H
#define NIGHTFAN_VERTEX_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "err.h"
#include "kfp_rest.h"
#include "vertex.h"
#include "vertex_progress.h"

/* Options every cloud command takes. */
struct cloud_opts {
	const char *project, *region, *api_endpoint, *kfp_host, *kfp_user;
	bool verbose;
};

struct cloud {
	enum job_kind kind;
	const char *prog;          /* "nightfan status", for trace lines */
	struct vertex vertex;
	struct kfp kfp;
	struct vertex_job_ref ref; /* Vertex: the job */
	char run_id[160];          /* KFP: the run */
};

/* The command line of `status` and `cancel`: the cloud options, one JOB, and --wait when `wait`
 * is non-NULL. 0 to go on, -1 after --help (printed), else the exit status (2, message printed). */
int cloud_parse_job_args(int argc, char **argv, const char *prog, void (*usage_fn)(FILE *), struct cloud_opts *o,
			 bool *wait, const char **job);

/* Connect to the service the options name, about `job` (a Vertex job name or id — its region
 * then picks the endpoint — or a KFP run id; NULL for a job still to be created, when Vertex
 * needs o->region). 0 or -1. */
int cloud_open(struct cloud *c, const char *prog, const struct cloud_opts *o, const char *job, struct err *e);
void cloud_close(struct cloud *c);

/* Point c at a job just created. */
void cloud_set_vertex_job(struct cloud *c, const struct vertex_job_ref *ref);
void cloud_set_kfp_run(struct cloud *c, const char *run_id);

/* The job's console link (Vertex) or UI link (KFP). */
void cloud_link(const struct cloud *c, char *buf, size_t size);
/* The job's full name ("projects/.../pipelineJobs/ID") or run id. */
void cloud_job_name(const struct cloud *c, char *buf, size_t size);

/* Fetch the job and read its progress. 0 or -1. */
int cloud_progress(struct cloud *c, struct job_progress *p, struct err *e);
/* Cancel (Vertex) or terminate (KFP) the job. 0 or -1. */
int cloud_cancel(struct cloud *c, struct err *e);

/* Poll with backoff (5 s, growing by half up to 60 s; the waits scale with
 * NIGHTFAN_HTTP_SLEEP_SCALE) until the job ends, printing a line to `out` whenever the progress
 * changes. *p gets the final progress. -1 on a failed request, or when the job has not ended
 * after 7 days. */
int cloud_wait(struct cloud *c, FILE *out, struct job_progress *p, struct err *e);

/* Print the final verdict for a finished job: 0 when it succeeded; else an error line on stderr
 * ("PROG: error: job NAME ended in PIPELINE_STATE_FAILED: <its error>") and 1. */
int cloud_verdict(const struct cloud *c, const struct job_progress *p);

/* The spec's root parameters typed by their inputDefinitions: `name=value` arguments become
 * {name: value} with value parsed as JSON for NUMBER_*, BOOLEAN, LIST and STRUCT parameters and
 * kept as text for STRING ones. An unknown name, a value of the wrong type or a repeated name is
 * an error. New reference or NULL. */
json_t *cloud_typed_params(const json_t *spec, char *const *args, size_t n, struct err *e);

/* Labels from `key=value` arguments, each checked with vertex_check_label; at most
 * VERTEX_MAX_LABELS, no key twice. New reference or NULL. */
json_t *cloud_labels(char *const *args, size_t n, struct err *e);

#endif
