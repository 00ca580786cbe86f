/*
 * vertex_cli.c — the service, job lookup, polling and output shared by the cloud commands; see
 * vertex_cli.h.
 */
#include "vertex_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "spec_read.h"

#define POLL_FIRST_S 5.0
#define POLL_GROWTH 1.5
#define POLL_MAX_S 60.0
#define WAIT_LIMIT_S (7 * 24 * 3600.0)

static void trace_stderr(const char *line, void *ctx)
{
	fprintf(stderr, "%s: %s\n", (const char *)ctx, line);
}

int cloud_open(struct cloud *c, const char *prog, const struct cloud_opts *o, const char *job, struct err *e)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	if (o->verbose) /* every client, the metadata server's included */
		http_set_default_trace(trace_stderr, (void *)prog);
	if (o->kfp_host) {
		c->kind = JOB_KFP;
		if (job && kfp_check_run_id(job, e) != 0)
			return -1;
		if (job)
			snprintf(c->run_id, sizeof c->run_id, "%s", job);
		if (kfp_open(&c->kfp, o->kfp_host, o->kfp_user, e) != 0)
			return -1;
	} else {
		c->kind = JOB_VERTEX;
		if (job && vertex_parse_job(job, o->project, o->region, &c->ref, e) != 0)
			return -1;
		const char *region = job ? c->ref.region : o->region;
		if (vertex_open(&c->vertex, region, o->api_endpoint, e) != 0)
			return -1;
	}
	return 0;
}

void cloud_close(struct cloud *c)
{
	if (c->kind == JOB_KFP)
		kfp_close(&c->kfp);
	else
		vertex_close(&c->vertex);
}

void cloud_set_vertex_job(struct cloud *c, const struct vertex_job_ref *ref)
{
	c->ref = *ref;
}

void cloud_set_kfp_run(struct cloud *c, const char *run_id)
{
	snprintf(c->run_id, sizeof c->run_id, "%s", run_id);
}

void cloud_link(const struct cloud *c, char *buf, size_t size)
{
	if (c->kind == JOB_KFP)
		kfp_run_link(&c->kfp, c->run_id, buf, size);
	else
		vertex_console_link(&c->ref, buf, size);
}

void cloud_job_name(const struct cloud *c, char *buf, size_t size)
{
	if (c->kind == JOB_KFP)
		snprintf(buf, size, "%s", c->run_id);
	else
		snprintf(buf, size, "projects/%s/locations/%s/pipelineJobs/%s", c->ref.project, c->ref.region, c->ref.id);
}

int cloud_progress(struct cloud *c, struct job_progress *p, struct err *e)
{
	json_t *job = NULL;
	int rc = c->kind == JOB_KFP ? kfp_get_run(&c->kfp, c->run_id, &job, e)
				    : vertex_get_job(&c->vertex, &c->ref, &job, e);
	if (rc == 0)
		rc = job_progress_read(job, c->kind, p, e);
	json_decref(job);
	return rc;
}

int cloud_cancel(struct cloud *c, struct err *e)
{
	return c->kind == JOB_KFP ? kfp_terminate_run(&c->kfp, c->run_id, e) : vertex_cancel_job(&c->vertex, &c->ref, e);
}

static void poll_sleep(double nominal)
{
	struct http_policy policy;
	http_policy_default(&policy);
	double s = nominal * policy.sleep_scale;
	if (!(s > 0))
		return;
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int cloud_wait(struct cloud *c, FILE *out, struct job_progress *p, struct err *e)
{
	char last[2048] = "", line[2048];
	double waited = 0, interval = POLL_FIRST_S;
	for (;;) {
		if (cloud_progress(c, p, e) != 0)
			return -1;
		job_progress_format(p, line, sizeof line);
		if (strcmp(line, last) != 0) {
			fprintf(out, "%s\n", line);
			fflush(out);
			snprintf(last, sizeof last, "%s", line);
		}
		if (p->terminal)
			return 0;
		if (waited >= WAIT_LIMIT_S) {
			char name[512];
			cloud_job_name(c, name, sizeof name);
			return ERR(e, "job %s is still %s after %g days; stopped waiting", name, p->state,
				   WAIT_LIMIT_S / 86400);
		}
		poll_sleep(interval);
		waited += interval;
		interval = fmin(interval * POLL_GROWTH, POLL_MAX_S);
	}
}

int cloud_verdict(const struct cloud *c, const struct job_progress *p)
{
	if (p->succeeded)
		return 0;
	char name[512];
	cloud_job_name(c, name, sizeof name);
	return cli_failf(c->prog, 1, "job %s ended in %s%s%s", name, p->state, p->error[0] ? ": " : "", p->error);
}

/* ---- command lines ---- */

int cloud_parse_job_args(int argc, char **argv, const char *prog, void (*usage_fn)(FILE *), struct cloud_opts *o,
			 bool *wait, const char **job)
{
	enum { O_PROJECT = 256, O_REGION, O_ENDPOINT, O_KFP, O_KFP_USER, O_VERBOSE, O_WAIT };
	static const struct option all[] = {
		{"project", required_argument, NULL, O_PROJECT}, {"region", required_argument, NULL, O_REGION},
		{"api-endpoint", required_argument, NULL, O_ENDPOINT}, {"kfp-host", required_argument, NULL, O_KFP},
		{"kfp-user", required_argument, NULL, O_KFP_USER}, {"verbose", no_argument, NULL, O_VERBOSE},
		{"wait", no_argument, NULL, O_WAIT}, {NULL, 0, NULL, 0}};
	struct option options[sizeof all / sizeof all[0]];
	memcpy(options, all, sizeof all);
	if (!wait) /* cancel takes no --wait */
		options[6] = (struct option){NULL, 0, NULL, 0};
	struct cli cl;
	int c;
	cli_init(&cl, prog, usage_fn, argc, argv, "", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: return cl.status == 0 ? -1 : cl.status;
		case O_PROJECT: o->project = optarg; break;
		case O_REGION: o->region = optarg; break;
		case O_ENDPOINT: o->api_endpoint = optarg; break;
		case O_KFP: o->kfp_host = optarg; break;
		case O_KFP_USER: o->kfp_user = optarg; break;
		case O_VERBOSE: o->verbose = true; break;
		case O_WAIT: *wait = true; break;
		}
	}
	if (cl.optind != argc - 1)
		return cli_usage_error(&cl, "expected one JOB");
	*job = argv[cl.optind];
	return 0;
}

/* ---- parameters and labels ---- */

json_t *cloud_typed_params(const json_t *spec, char *const *args, size_t n, struct err *e)
{
	json_t *out = json_object();
	for (size_t i = 0; out && i < n; i++) {
		const char *eq = strchr(args[i], '=');
		if (!eq || eq == args[i]) {
			ERR(e, "--param \"%s\": expected name=value", args[i]);
			goto fail;
		}
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(eq - args[i]), args[i]);
		if (json_object_get(out, name)) {
			ERR(e, "--param %s: given twice", name);
			goto fail;
		}
		json_t *v = spec_param_value(spec, name, eq + 1, e);
		if (!v || json_object_set_new(out, name, v) != 0)
			goto fail;
	}
	if (!out)
		ERR(e, "out of memory");
	return out;
fail:
	json_decref(out);
	return NULL;
}

json_t *cloud_labels(char *const *args, size_t n, struct err *e)
{
	if (n > VERTEX_MAX_LABELS) {
		ERR(e, "at most %d labels, got %zu", VERTEX_MAX_LABELS, n);
		return NULL;
	}
	json_t *out = json_object();
	for (size_t i = 0; out && i < n; i++) {
		const char *eq = strchr(args[i], '=');
		if (!eq) {
			ERR(e, "--label \"%s\": expected key=value", args[i]);
			goto fail;
		}
		char key[512];
		snprintf(key, sizeof key, "%.*s", (int)(eq - args[i]), args[i]);
		if (vertex_check_label(key, eq + 1, e) != 0)
			goto fail;
		if (json_object_get(out, key)) {
			ERR(e, "--label %s: given twice", key);
			goto fail;
		}
		if (json_object_set_new(out, key, json_string(eq + 1)) != 0)
			goto fail;
	}
	if (!out)
		ERR(e, "out of memory");
	return out;
fail:
	json_decref(out);
	return NULL;
}
