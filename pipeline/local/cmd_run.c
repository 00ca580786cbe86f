/*
 * cmd_run.c — `nightfan run`: a compiled spec executed on this machine, each container command run
 * as a local process from the build (the binaries beside `nightfan`).
 *
 * Owns the command: its options, the run folder (--root: resolved, kept apart from the input root,
 * locked against a second run), the default base_nights (the run folder's nights index), and the
 * exit status. The spec's expansion into tasks is pipeline/local/plan.c; running them (scheduling,
 * processes, retries, the cache, stop signals) pipeline/local/run_sched.c, with the nights index
 * in run_nights.c, the progress lines in run_progress.c and the programs in run_program.c; the
 * summary on stdout pipeline/local/run_summary.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "fsutil.h"
#include "plan.h"
#include "run_nights.h"
#include "run_sched.h"
#include "run_summary.h"
#include "spec_read.h"
#include "specnames.h"

#define PROG "nightfan run"
#define MAX_PARAMS 64

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan run PIPELINE.yaml --root DIR [--param NAME=VALUE ...] [--jobs N]\n"
		"\n"
		"Runs a compiled pipeline on this machine: one process per task, outputs under DIR.\n"
		"  --root DIR          the run folder (the pipeline root); rerunning with the same DIR reuses\n"
		"                      every task whose inputs did not change\n"
		"  --param NAME=VALUE  override a pipeline parameter (JSON for lists: nights='[\"N0042\"]')\n"
		"  --jobs N            at most N tasks at once (default: the number of CPUs)\n"
		"A run with fewer nights re-merges them with the other nights already under DIR.\n"
		"Programs are taken from $NIGHTFAN_BINDIR when set, else from beside nightfan, else PATH.\n"
		"  -h, --help          this text;  --version  the version\n");
}

/* ---- setup -------------------------------------------------------------------------------- */

struct run_args {
	const char *spec, *root;
	struct plan_param params[MAX_PARAMS];
	size_t n_params;
	int jobs;
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'}, {"param", required_argument, NULL, 'p'},
		{"jobs", required_argument, NULL, 'j'}, {0, 0, 0, 0},
	};
	struct cli cl;
	struct err e = {0};
	char msg[ERR_MSG_MAX + 64];
	long v;
	int c;

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	a->jobs = cpus > 0 ? (int)cpus : 1;
	cli_init(&cl, PROG, usage, argc, argv, "j:", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT:
			return cl.status == 0 ? 1 : cl.status;
		case 'r':
			a->root = optarg;
			break;
		case 'p':
			if (a->n_params == MAX_PARAMS || plan_param_parse(optarg, &a->params[a->n_params], &e) < 0) {
				return cli_usage_error(&cl, "%s", a->n_params == MAX_PARAMS ? "too many --param"
							   : err_format(&e, msg, sizeof msg));
			}
			a->n_params++;
			break;
		case 'j':
			if (cli_parse_long(optarg, 1, 4096, &v) < 0) {
				return cli_usage_error(&cl, "--jobs: expected a number from 1 to 4096, got \"%s\"",
						       optarg);
			}
			a->jobs = (int)v;
			break;
		}
	}
	if (!a->root)
		return cli_usage_error(&cl, "--root is required");
	if (cl.optind != argc - 1)
		return cli_usage_error(&cl, "expected one pipeline spec file");
	a->spec = argv[cl.optind];
	return 0;
}

static bool has_param(const struct run_args *a, const char *name)
{
	for (size_t i = 0; i < a->n_params; i++)
		if (strcmp(a->params[i].name, name) == 0)
			return true;
	return false;
}

/* Unless given, base_nights is the nights index of this root (created empty on the first run, so
 * that a rerun with the same inputs finds the merge in the cache; run() creates it). */
static int default_base_nights(struct run_args *a, const char *root, const json_t *spec, char **owned,
			       struct err *e)
{
	const json_t *defs = json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					     "parameters");

	*owned = NULL;
	if (!json_object_get(defs, SPEC_PARAM_BASE_NIGHTS) || has_param(a, SPEC_PARAM_BASE_NIGHTS))
		return 0;
	if (a->n_params == MAX_PARAMS)
		return ERR(e, "too many --param");
	if (!(*owned = run_nights_index(root)))
		return ERR(e, "out of memory");
	a->params[a->n_params].name = SPEC_PARAM_BASE_NIGHTS;
	a->params[a->n_params].value = *owned;
	a->n_params++;
	return 0;
}

static int lock_root(const char *root, struct err *e)
{
	int fd = fs_lock_dir(root, false, e);

	if (fd == FS_LOCK_BUSY)
		return ERR(e, "%s: another nightfan run is using this folder", root);
	return fd; /* held until exit */
}

/* 0 or 1 (some task failed or was skipped, or no night came out ok) after a run; -1 on an error;
 * -2 when the run folder overlaps the input root (a usage error). */
static int run(struct run_args *a, struct err *e)
{
	struct run_sched sched = {0};
	struct plan *plan = NULL;
	char *root = NULL, *base = NULL;
	json_t *spec = NULL;
	int rc = -1;

	/* Nothing is written before the run folder is known to keep apart from the input root. */
	if (!(root = fs_resolve(a->root, e)))
		return -1;
	if (!(spec = spec_read_file(a->spec, e)) || default_base_nights(a, root, spec, &base, e) < 0)
		goto out;
	if (!(plan = plan_build(spec, a->params, a->n_params, root, e)))
		goto out;
	if (plan_check_root_apart(plan, a->root, e) < 0) {
		rc = -2; /* a usage error: exit 2 */
		goto out;
	}
	if (fs_mkdir_p(root, e) < 0 || lock_root(root, e) < 0 || (base && fs_mkdir_p(base, e) < 0))
		goto out;
	if (run_sched_init(&sched, plan, root, a->jobs, e) < 0 || run_sched_all(&sched, isatty(2), e) < 0)
		goto out;
	long long ok_nights = run_summary_print(&sched);
	rc = sched.counts.failed || sched.counts.skipped ? 1 : 0;
	if (ok_nights == 0) /* every task may be green (on_error=record), but nothing came out */
		rc = cli_failf(PROG, 1, "no night came out ok: every night failed (listed above)");
out:
	if (rc == -1)
		run_sched_stop(&sched);
	run_sched_free(&sched);
	plan_free(plan);
	json_decref(spec);
	free(base);
	free(root);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {0};
	struct err e = {0};
	int rc = parse_args(argc, argv, &a);

	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	rc = run(&a, &e);
	return rc < 0 ? cli_fail(PROG, &e, rc == -2 ? 2 : 1) : rc;
}
