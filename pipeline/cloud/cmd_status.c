/*
 * cmd_status.c — `nightfan status JOB`: a submitted job's state and per-task progress, once or
 * (--wait) until it ends.
 *
 * Owns: the command line and the lines printed. Fetching and reading the job is
 * pipeline/cloud/vertex_cli.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "vertex_cli.h"

#define PROG "nightfan status"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan status JOB [--project P --region R] [--wait] [--api-endpoint URL]\n"
		"       nightfan status RUN_ID --kfp-host URL [--kfp-user USER] [--wait]\n"
		"\n"
		"Show a submitted job's state and how many of each task are done. JOB is the name\n"
		"projects/P/locations/R/pipelineJobs/ID that `nightfan submit` printed, or the ID with\n"
		"--project and --region. --wait polls until the job ends and exits 0 only if it succeeded.\n"
		"--verbose traces every request on stderr. -h, --help: this text; --version: the version.\n");
}

static void print_progress(const struct cloud *c, const struct job_progress *p)
{
	char name[512], link[1024];
	cloud_job_name(c, name, sizeof name);
	cloud_link(c, link, sizeof link);
	printf("%s: %s\nstate: %s\n", c->kind == JOB_KFP ? "run" : "job", name, p->state);
	for (size_t i = 0; i < p->n_tasks; i++) {
		const struct task_count *t = &p->tasks[i];
		printf("task %s: %d/%d done, %d running, %d failed\n", t->name, t->done, task_count_total(t), t->running, t->failed);
	}
	if (p->error[0])
		printf("error: %s\n", p->error);
	printf("console: %s\n", link);
}

int cmd_status(int argc, char **argv)
{
	struct cloud_opts o = {0};
	bool wait = false;
	const char *job;
	int rc = cloud_parse_job_args(argc, argv, PROG, usage, &o, &wait, &job);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	struct err e;
	err_clear(&e);
	struct cloud c;
	struct job_progress p;
	int status = 1;
	if (cloud_open(&c, PROG, &o, job, &e) == 0) {
		if (wait ? cloud_wait(&c, stdout, &p, &e) == 0 : cloud_progress(&c, &p, &e) == 0) {
			if (!wait)
				print_progress(&c, &p);
			status = wait ? (cloud_verdict(&c, &p) == 0 ? 0 : 3) : 0;
		}
		cloud_close(&c);
	}
	if (status == 1)
		cli_fail(PROG, &e, 1);
	return status == 3 ? 1 : status;
}
