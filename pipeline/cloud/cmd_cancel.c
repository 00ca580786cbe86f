/*
 * cmd_cancel.c — `nightfan cancel JOB`: ask Vertex AI to cancel a pipeline job (`:cancel`) or a
 * Kubeflow Pipelines server to terminate a run (`:terminate`).
 *
 * Owns: the command line and its output. Cancellation is asynchronous on both services: the job
 * goes through CANCELLING; `nightfan status JOB --wait` follows it to the end.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "vertex_cli.h"

#define PROG "nightfan cancel"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan cancel JOB [--project P --region R] [--api-endpoint URL]\n"
		"       nightfan cancel RUN_ID --kfp-host URL [--kfp-user USER]\n"
		"\n"
		"Ask the service to cancel a submitted job (JOB as `nightfan submit` printed it, or its ID\n"
		"with --project and --region). Cancelling takes a while; `nightfan status JOB --wait` follows\n"
		"it to the end. --verbose traces every request on stderr. -h, --help: this text; --version: the\n"
		"version.\n");
}

int cmd_cancel(int argc, char **argv)
{
	struct cloud_opts o = {0};
	const char *job;
	int rc = cloud_parse_job_args(argc, argv, PROG, usage, &o, NULL, &job);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	struct err e;
	err_clear(&e);
	struct cloud c;
	int status = 1;
	if (cloud_open(&c, PROG, &o, job, &e) == 0) {
		if (cloud_cancel(&c, &e) == 0) {
			char name[512];
			cloud_job_name(&c, name, sizeof name);
			printf("cancelling %s\n", name);
			status = 0;
		}
		cloud_close(&c);
	}
	return status != 0 ? cli_fail(PROG, &e, status) : 0;
}
