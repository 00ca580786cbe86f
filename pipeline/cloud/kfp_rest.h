/*
 * kfp_rest.h — a Kubeflow Pipelines server's REST API (v2beta1 runs): create a run with the spec
 * inline, get it, terminate it.
 *
 * Owns: the URLs and bodies (jansson), finding or creating an experiment by name (multi-user
 * servers refuse a run without one), the bearer token (the file named by
 * KF_PIPELINES_SA_TOKEN_PATH, else $KF_PIPELINES_TOKEN, else the in-cluster default
 * /var/run/secrets/kubeflow/pipelines/token when it exists, else none), the optional
 * kubeflow-userid header. The run id is chosen by the server, so a create is not retried once it
 * may have reached the server (only a refused connection is).
 * Not here: HTTP and retries (common/http.c), progress (pipeline/cloud/vertex_progress.h).
 */
#ifndef NIGHTFAN_KFP_H
#define NIGHTFAN_KFP_H

#include <stdbool.h>
#include <jansson.h>

#include "err.h"
#include "http.h"

struct kfp {
	struct http_client *http;
	char *host;         /* "http://host:port", no '/' at the end */
	char *auth_header;  /* "Authorization: Bearer ..." or NULL (wiped on close) */
	char *user_header;  /* "kubeflow-userid: ..." or NULL */
};

/* user: the multi-user namespace owner sent as kubeflow-userid (NULL: none). 0 or -1 (an
 * unreadable token file, a host that is not http:// or https://). */
int kfp_open(struct kfp *k, const char *host, const char *user, struct err *e);
void kfp_close(struct kfp *k);

struct kfp_create {
	const char *display_name;
	const char *experiment_id;  /* NULL: the server's default experiment (single-user mode only) */
	const json_t *pipeline_spec;
	const json_t *parameters;   /* {name: typed value}; may be NULL */
	const char *pipeline_root;
	const char *service_account; /* may be NULL */
};

/* The request body (new reference), exposed for tests. */
json_t *kfp_create_body(const struct kfp_create *c);

/* Run ids are the server's (UUIDs): letters, digits and '-'. 0 or -1. */
int kfp_check_run_id(const char *id, struct err *e);

/* POST /apis/v2beta1/runs. *run gets the Run (new reference). 0 or -1. */
int kfp_create_run(struct kfp *k, const struct kfp_create *c, json_t **run, struct err *e);
/* GET /apis/v2beta1/runs/ID. */
int kfp_get_run(struct kfp *k, const char *run_id, json_t **run, struct err *e);
/* POST /apis/v2beta1/runs/ID:terminate. */
int kfp_terminate_run(struct kfp *k, const char *run_id, struct err *e);

/* The id of the experiment whose display_name is `name` (in `namespace`, NULL: none given), found
 * with ListExperiments (GET /apis/v2beta1/experiments?filter=...&namespace=...) or else created
 * (POST /apis/v2beta1/experiments; a 409 because someone created it meanwhile: theirs is taken).
 * *experiment_id is malloc'ed (caller frees); *created tells which. An archived experiment is
 * refused. 0 or -1. */
int kfp_experiment(struct kfp *k, const char *name, const char *namespace, char **experiment_id, bool *created,
		   struct err *e);

/* "<host>/#/runs/details/<id>" */
void kfp_run_link(const struct kfp *k, const char *run_id, char *buf, size_t size);

#endif
