/*
 * main.c — `nightfan-merge`: parses the command line into struct merge_options and calls
 * merge_run() (merge/merge.h); the only place that prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "merge.h"
#include "task.h"

static const char usage_text[] =
	"usage: nightfan-merge --nights DIR [--nights DIR ...] --out OUT [--dataset] [--base DIR] [--no-pages]\n"
	"\n"
	"Reads every DIR/<night>/night.json written by nightfan-shard and writes OUT/nights.csv,\n"
	"OUT/report.json, OUT/report.html, OUT/events_by_night.csv and a page per night,\n"
	"OUT/pages/<night>.html (and OUT/dataset.csv with --dataset).\n"
	"\n"
	"  --nights DIR  a folder of night outputs (repeat for several; a night twice is an error)\n"
	"  --out OUT     the output folder (created)\n"
	"  --dataset     also concatenate every night's epochs.csv into OUT/dataset.csv\n"
	"  --base DIR    an earlier run's night outputs, used for nights no --nights folder has\n"
	"  --input-root ROOT, --profile FILE, --spec-name NAME\n"
	"                where the nights came from, recorded in the report's provenance (with the\n"
	"                profile's XXH3-128 digest); unknown ones are null\n"
	"  --no-pages    no OUT/pages/ (an earlier merge's is removed; report.html still links there)\n"
	"  --executor-input JSON  run as a Kubeflow Pipelines task (KFP's {{$}}; JSON log lines;\n"
	"                given alone)\n"
	"  -h, --help    this text\n"
	"  --version     the version\n"
	"\n"
	"Exit status: 0 written, 1 data or output error, 2 usage error.\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"nights", required_argument, NULL, 'n'},
		{"out", required_argument, NULL, 'o'},
		{"dataset", no_argument, NULL, 'd'},
		{"base", required_argument, NULL, 'b'},
		{"input-root", required_argument, NULL, 'I'},
		{"profile", required_argument, NULL, 'p'},
		{"spec-name", required_argument, NULL, 's'},
		{"no-pages", no_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	struct merge_options opt = {.lock_out_dir = true};
	const char **dirs = calloc((size_t)argc, sizeof *dirs);
	struct err e;
	struct cli cl;
	const char *profile_path = NULL;
	char *profile = NULL;
	int c, rc;

	/* under Kubeflow Pipelines: merge/task.h */
	if (argc == 3 && strcmp(argv[1], "--executor-input") == 0) {
		free(dirs);
		return merge_task_main(argv[2]);
	}
	if (!dirs) {
		return cli_failf("nightfan-merge", 1, "out of memory");
	}
	cli_init(&cl, "nightfan-merge", usage, argc, argv, "", longopts);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: free(dirs); return cl.status;
		case 'n': dirs[opt.n_nights_dirs++] = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 'd': opt.dataset = true; break;
		case 'P': opt.no_pages = true; break;
		case 'b': opt.base_dir = optarg; break;
		case 'I': opt.input_root = optarg; break;
		case 'p': profile_path = optarg; break;
		case 's': opt.spec_name = optarg; break;
		}
	}
	rc = cl.optind < argc ? cli_usage_error(&cl, "unexpected argument \"%s\"", argv[cl.optind])
	   : opt.n_nights_dirs == 0 ? cli_usage_error(&cl, "--nights is required")
	   : !opt.out_dir ? cli_usage_error(&cl, "--out is required") : 0;
	if (rc) {
		free(dirs);
		return rc;
	}
	opt.nights_dirs = dirs;
	err_clear(&e);
	/* outputs among the nights they are made of: a usage error, refused before anything is read */
	if (merge_check_outputs(&opt, &e) != 0) {
		free(dirs);
		return cli_fail("nightfan-merge", &e, 2);
	}
	if (profile_path && !(profile = fs_read_file(profile_path, 64u << 20, &opt.profile_len, &e)))
		rc = -1;
	else
		opt.profile = profile, rc = merge_run(&opt, NULL, &e);
	free(profile);
	free(dirs);
	return rc != 0 ? cli_fail("nightfan-merge", &e, 1) : 0;
}
