/*
 * cmd_submit.c — `nightfan submit`: a compiled spec to Vertex AI Pipelines (or a Kubeflow
 * Pipelines server with --kfp-host), optionally waiting for it to finish.
 *
 * Owns: the command line, checking everything the API would refuse before anything is sent
 * (labels, job id, parameters typed by the spec, a gs:// pipeline root for Vertex), and the lines
 * printed. Reading the spec is pipeline/local/plan.c's (YAML or JSON); requests are pipeline/cloud/vertex.c
 * and pipeline/cloud/kfp_rest.c; polling is pipeline/cloud/vertex_cli.c; the night manifest (checked, uploaded to
 * Cloud Storage for Vertex AI) is pipeline/cloud/vertex_manifest.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "gcs.h"
#include "vertex_cli.h"
#include "vertex_manifest.h"
#include "spec_read.h"

#define PROG "nightfan submit"
#define DISPLAY_NAME_MAX 128
#define DEFAULT_EXPERIMENT "Default" /* the KFP SDK's and UI's default experiment name */
#define MAX_LIST_ARGS 256

struct submit_args {
	const char *spec_path, *pipeline_root, *service_account, *network, *job_id, *experiment, *kfp_namespace;
	struct cloud_opts cloud;
	char *params[MAX_LIST_ARGS];
	size_t n_params;
	char *labels[MAX_LIST_ARGS];
	size_t n_labels;
	bool wait;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan submit SPEC --project P --region R --pipeline-root gs://BUCKET/PATH [options]\n"
		"       nightfan submit SPEC --kfp-host URL --pipeline-root URI [options]\n"
		"\n"
		"Submit a compiled pipeline spec (YAML or JSON, from `nightfan compile`) to Vertex AI Pipelines,\n"
		"or with --kfp-host to a Kubeflow Pipelines server; print the job's name and its console link.\n"
		"\n"
		"  --project P           Google Cloud project (Vertex)\n"
		"  --region R            Vertex AI region, e.g. europe-west4\n"
		"  --pipeline-root URI   where the run's artifacts go (gs://... for Vertex)\n"
		"  --param NAME=VALUE    set a pipeline parameter (JSON for lists, numbers, booleans); repeatable\n"
		"  --service-account SA  run as this service account\n"
		"  --network N           peered VPC network (projects/NUMBER/global/networks/NAME)\n"
		"  --label KEY=VALUE     job label (lowercase letters, digits, '_', '-'); repeatable\n"
		"  --job-id ID           the job id (default: <pipeline name>-<UTC timestamp>)\n"
		"  --wait                poll until the job ends; exit 0 only if it succeeded\n"
		"  --api-endpoint URL    Vertex AI endpoint (default https://REGION-aiplatform.googleapis.com)\n"
		"  --kfp-host URL        a Kubeflow Pipelines server instead of Vertex AI\n"
		"  --kfp-user USER       send USER as kubeflow-userid (multi-user KFP; needs --kfp-namespace)\n"
		"  --kfp-namespace NS    the profile namespace the run goes to (multi-user KFP)\n"
		"  --experiment NAME     the KFP experiment, found by name in the namespace or created (default\n"
		"                        \"Default\" when --kfp-user or --kfp-namespace is given)\n"
		"  --verbose             trace every request (never its headers or tokens) on stderr\n"
		"\n"
		"A night list compiled into a local manifest file (nights_manifest) is uploaded for Vertex AI to\n"
		"gs://BUCKET/PATH/nightfan-manifests/<xxh128>.json beside the pipeline root; a Kubeflow Pipelines\n"
		"run needs --param nights_manifest=gs://BUCKET/KEY (its tasks read gs:// parameters through the\n"
		"Cloud Storage API; s3:// and minio:// parameters are never fetched, so they are refused).\n"
		"\n"
		"Credentials: GOOGLE_OAUTH_ACCESS_TOKEN, else the metadata server, else `gcloud auth\n"
		"print-access-token`; KFP: the file named by KF_PIPELINES_SA_TOKEN_PATH, else KF_PIPELINES_TOKEN.\n"
		"\n"
		"  -h, --help            this text;  --version  the version\n");
}

static int push(char **list, size_t *n, char *arg, const char *opt)
{
	if (*n == MAX_LIST_ARGS) {
		cli_error(PROG, "at most %d %s options", MAX_LIST_ARGS, opt);
		return -1;
	}
	list[(*n)++] = arg;
	return 0;
}

/* 0 to go on, else the exit status (2 for a usage error, 0 after --help). */
static int parse_args(int argc, char **argv, struct submit_args *a)
{
	enum { O_PROJECT = 256, O_REGION, O_ROOT, O_PARAM, O_SA, O_NETWORK, O_LABEL, O_JOB_ID, O_WAIT,
	       O_ENDPOINT, O_KFP, O_KFP_USER, O_VERBOSE, O_EXPERIMENT, O_KFP_NS };
	static const struct option options[] = {
		{"project", required_argument, NULL, O_PROJECT}, {"region", required_argument, NULL, O_REGION},
		{"pipeline-root", required_argument, NULL, O_ROOT}, {"param", required_argument, NULL, O_PARAM},
		{"service-account", required_argument, NULL, O_SA}, {"network", required_argument, NULL, O_NETWORK},
		{"label", required_argument, NULL, O_LABEL}, {"job-id", required_argument, NULL, O_JOB_ID},
		{"wait", no_argument, NULL, O_WAIT}, {"api-endpoint", required_argument, NULL, O_ENDPOINT},
		{"kfp-host", required_argument, NULL, O_KFP}, {"kfp-user", required_argument, NULL, O_KFP_USER},
		{"verbose", no_argument, NULL, O_VERBOSE},
		{"experiment", required_argument, NULL, O_EXPERIMENT}, {"kfp-namespace", required_argument, NULL, O_KFP_NS},
		{NULL, 0, NULL, 0}};
	struct cli cl;
	int c;
	cli_init(&cl, PROG, usage, argc, argv, "", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: return cl.status == 0 ? -1 : cl.status;
		case O_PROJECT: a->cloud.project = optarg; break;
		case O_REGION: a->cloud.region = optarg; break;
		case O_ROOT: a->pipeline_root = optarg; break;
		case O_PARAM: if (push(a->params, &a->n_params, optarg, "--param")) return 2; break;
		case O_SA: a->service_account = optarg; break;
		case O_NETWORK: a->network = optarg; break;
		case O_LABEL: if (push(a->labels, &a->n_labels, optarg, "--label")) return 2; break;
		case O_JOB_ID: a->job_id = optarg; break;
		case O_WAIT: a->wait = true; break;
		case O_ENDPOINT: a->cloud.api_endpoint = optarg; break;
		case O_KFP: a->cloud.kfp_host = optarg; break;
		case O_KFP_USER: a->cloud.kfp_user = optarg; break;
		case O_VERBOSE: a->cloud.verbose = true; break;
		case O_EXPERIMENT: a->experiment = optarg; break;
		case O_KFP_NS: a->kfp_namespace = optarg; break;
		}
	}
	if (cl.optind != argc - 1)
		return cli_usage_error(&cl, "expected one SPEC file");
	a->spec_path = argv[cl.optind];
	return 0;
}

/* Options that make no sense for the chosen service are refused rather than ignored. */
static int check_args(const struct submit_args *a)
{
	const char *missing = !a->pipeline_root ? "--pipeline-root" : NULL;
	if (a->cloud.kfp_host) {
		const char *wrong = a->n_labels ? "--label" : a->network ? "--network" : a->job_id ? "--job-id"
			: a->cloud.api_endpoint ? "--api-endpoint" : NULL;
		if (wrong)
			return cli_error(PROG, "%s is for Vertex AI; a Kubeflow Pipelines run has no such field", wrong);
		if (a->cloud.kfp_user && !a->kfp_namespace)
			return cli_error(PROG, "--kfp-user: a multi-user Kubeflow Pipelines server needs "
				"--kfp-namespace NS, the profile namespace the run goes to");
		if ((a->experiment && !*a->experiment) || (a->kfp_namespace && !*a->kfp_namespace))
			return cli_error(PROG, "%s: expected a name", a->experiment && !*a->experiment
				? "--experiment" : "--kfp-namespace");
	} else {
		missing = !a->cloud.project ? "--project" : !a->cloud.region ? "--region" : missing;
		const char *kfp_only = a->cloud.kfp_user ? "--kfp-user" : a->experiment ? "--experiment"
			: a->kfp_namespace ? "--kfp-namespace" : NULL;
		if (kfp_only)
			return cli_error(PROG, "%s needs --kfp-host", kfp_only);
	}
	if (missing)
		return cli_error(PROG, "%s is required", missing);
	if (!a->cloud.kfp_host && !gcs_is_uri(a->pipeline_root))
		return cli_error(PROG, "--pipeline-root: Vertex AI needs a gs:// URI, got \"%s\"", a->pipeline_root);
	if (gcs_is_uri(a->pipeline_root)) {
		char *bucket, *prefix;
		struct err e;
		if (gcs_parse_uri(a->pipeline_root, &bucket, &prefix, &e) != 0)
			return cli_error(PROG, "--pipeline-root: %s", e.message);
		free(bucket);
		free(prefix);
	}
	return 0;
}

/* Code points in a UTF-8 string (continuation bytes are not counted). */
static long utf8_chars(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

struct submission {
	json_t *spec, *params, *labels;
	struct vertex_manifest manifest;
	const char *display_name;
	char job_id[160];
};

static void submission_free(struct submission *s)
{
	json_decref(s->spec);
	json_decref(s->params);
	json_decref(s->labels);
	vertex_manifest_free(&s->manifest);
}

/* Read and check everything before the first request. 0, 1 (e filled) or 2 (a bad option, e
 * filled). */
static int prepare(const struct submit_args *a, struct submission *s, struct err *e)
{
	if (!(s->labels = cloud_labels(a->labels, a->n_labels, e)))
		return 2;
	if (a->job_id && vertex_check_job_id(a->job_id, e) != 0)
		return 2;
	if (!(s->spec = spec_read_file(a->spec_path, e)))
		return 1;
	s->display_name = json_string_value(json_object_get(json_object_get(s->spec, "pipelineInfo"), "name"));
	if (!s->display_name || !json_object_get(s->spec, "root")) {
		ERR_AT(e, a->spec_path, 0, 0, "expected a compiled pipeline spec with pipelineInfo.name and root");
		return 1;
	}
	/* Vertex's PipelineJob.displayName: "up to 128 characters long and can consist of any UTF-8
	 * characters" (REST reference). compile keeps to it; a spec edited by hand or made elsewhere may
	 * not, and the API would refuse it only after the manifest upload. */
	if (!a->cloud.kfp_host && utf8_chars(s->display_name) > DISPLAY_NAME_MAX) {
		ERR_AT(e, a->spec_path, 0, 0, "pipelineInfo.name is %ld characters; Vertex AI takes a displayName of at most %d",
		       utf8_chars(s->display_name), DISPLAY_NAME_MAX);
		return 1;
	}
	if (!(s->params = cloud_typed_params(s->spec, a->params, a->n_params, e)))
		return 2;
	if (vertex_manifest_check_input_root(s->spec, s->params, a->cloud.kfp_host != NULL, e) != 0)
		return 2;
	int rc = vertex_manifest_prepare(s->spec, s->params, a->cloud.kfp_host != NULL, a->pipeline_root, &s->manifest, e);
	if (rc != 0)
		return rc == VERTEX_MANIFEST_REFUSED ? 2 : 1;
	if (a->job_id)
		snprintf(s->job_id, sizeof s->job_id, "%s", a->job_id);
	else
		vertex_make_job_id(s->display_name, time(NULL), s->job_id, sizeof s->job_id);
	return 0;
}

/* Vertex AI: a local night manifest goes to Cloud Storage first, and the run reads it from there. */
static int upload_manifest(struct submission *s, struct err *e)
{
	if (!s->manifest.local_path)
		return 0;
	struct gcs *g = gcs_open(NULL, e);
	if (!g)
		return -1;
	char *uri = NULL;
	bool existed = false;
	int rc = vertex_manifest_upload(&s->manifest, g, s->params, &uri, &existed, e);
	gcs_close(g);
	if (rc == 0)
		printf("manifest: %s (%s %s)\n", uri, existed ? "already there, same bytes as" : "uploaded from",
		       s->manifest.local_path);
	fflush(stdout);
	free(uri);
	return rc;
}

static int create_vertex(struct cloud *c, const struct submit_args *a, struct submission *s, struct err *e)
{
	struct vertex_job_ref ref;
	if (vertex_parse_job(s->job_id, a->cloud.project, a->cloud.region, &ref, e) != 0)
		return -1;
	struct vertex_create req = {.project = ref.project, .region = ref.region, .job_id = s->job_id,
		.display_name = s->display_name, .pipeline_spec = s->spec, .parameter_values = s->params,
		.gcs_output_directory = a->pipeline_root, .service_account = a->service_account,
		.network = a->network, .labels = s->labels};
	json_t *job = NULL;
	if (upload_manifest(s, e) != 0)
		return -1;
	if (vertex_create_job(&c->vertex, &req, &job, e) != 0)
		return -1;
	json_decref(job);
	cloud_set_vertex_job(c, &ref);
	return 0;
}

/* The experiment the run goes into: --experiment, else "Default" on a multi-user server (which
 * refuses a run without one), else none (a single-user server uses its default experiment). */
static int kfp_pick_experiment(struct cloud *c, const struct submit_args *a, char **experiment_id, struct err *e)
{
	*experiment_id = NULL;
	const char *name = a->experiment ? a->experiment
		: (a->cloud.kfp_user || a->kfp_namespace) ? DEFAULT_EXPERIMENT : NULL;
	if (!name)
		return 0;
	bool created;
	if (kfp_experiment(&c->kfp, name, a->kfp_namespace, experiment_id, &created, e) != 0)
		return -1;
	printf("experiment: %s (%s, %s%s%s)\n", name, *experiment_id, created ? "created" : "found",
	       a->kfp_namespace ? " in namespace " : "", a->kfp_namespace ? a->kfp_namespace : "");
	fflush(stdout);
	return 0;
}

static int create_kfp(struct cloud *c, const struct submit_args *a, const struct submission *s, struct err *e)
{
	char *experiment_id;
	if (kfp_pick_experiment(c, a, &experiment_id, e) != 0)
		return -1;
	struct kfp_create req = {.display_name = s->display_name, .experiment_id = experiment_id,
		.pipeline_spec = s->spec, .parameters = s->params, .pipeline_root = a->pipeline_root,
		.service_account = a->service_account};
	json_t *run = NULL;
	int created = kfp_create_run(&c->kfp, &req, &run, e);
	free(experiment_id);
	if (created != 0)
		return -1;
	const char *id = json_string_value(json_object_get(run, "run_id"));
	int rc = id && kfp_check_run_id(id, e) == 0 ? 0 : -1;
	if (!id)
		ERR(e, "POST %s/apis/v2beta1/runs: the answer has no run_id", c->kfp.host);
	if (rc == 0)
		cloud_set_kfp_run(c, id);
	json_decref(run);
	return rc;
}

static int submit(const struct submit_args *a, struct err *e)
{
	struct submission s = {0};
	struct cloud c;
	bool opened = false;
	int status = prepare(a, &s, e);
	if (status != 0)
		goto done;
	status = 1;
	if (cloud_open(&c, PROG, &a->cloud, NULL, e) != 0)
		goto done;
	opened = true;
	if ((a->cloud.kfp_host ? create_kfp(&c, a, &s, e) : create_vertex(&c, a, &s, e)) != 0)
		goto done;
	char name[512], link[1024];
	cloud_job_name(&c, name, sizeof name);
	cloud_link(&c, link, sizeof link);
	printf("%s: %s\nconsole: %s\n", a->cloud.kfp_host ? "run" : "job", name, link);
	fflush(stdout);
	if (!a->wait) {
		status = 0;
		goto done;
	}
	struct job_progress p;
	if (cloud_wait(&c, stdout, &p, e) == 0)
		status = cloud_verdict(&c, &p) == 0 ? 0 : 3;
done:
	if (opened)
		cloud_close(&c);
	submission_free(&s);
	return status;
}

int cmd_submit(int argc, char **argv)
{
	struct submit_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc == -1)
		return 0;
	if (rc != 0 || (rc = check_args(&a)) != 0)
		return rc;
	struct err e;
	err_clear(&e);
	int status = submit(&a, &e);
	if (status == 1 || status == 2) {
		char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
		if (status == 2) /* a bad option value: the usage-error shape */
			return cli_error(PROG, "%s", err_format(&e, msg, sizeof msg));
		cli_fail(PROG, &e, 1);
	}
	return status == 3 ? 1 : status;
}
