/*
 * main.c — `nightfan-merge`: parses the command line into struct merge_options and calls
 * merge_run() (merge/merge.h); the only place that prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfp.h"
#include "merge.h"

static const char usage_text[] =
	"usage: nightfan-merge --nights DIR [--nights DIR ...] --out OUT [--dataset] [--base DIR]\n"
	"\n"
	"Reads every DIR/<night>/night.json written by nightfan-shard and writes OUT/nights.csv,\n"
	"OUT/report.json and OUT/report.html (and OUT/dataset.csv with --dataset).\n"
	"\n"
	"  --nights DIR  a folder of night outputs (repeat for several; a night twice is an error)\n"
	"  --out OUT     the output folder (created)\n"
	"  --dataset     also concatenate every night's epochs.csv into OUT/dataset.csv\n"
	"  --base DIR    an earlier run's night outputs, used for nights no --nights folder has\n"
	"  --executor-input JSON  run as a Kubeflow Pipelines task (KFP's {{$}}; JSON log lines)\n"
	"  --help        this text;  --version  the version\n";

static int usage_error(const char *what)
{
	fprintf(stderr, "nightfan-merge: error: %s\n%s", what, usage_text);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"nights", required_argument, NULL, 'n'},
		{"out", required_argument, NULL, 'o'},
		{"dataset", no_argument, NULL, 'd'},
		{"base", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct merge_options opt = {0};
	const char **dirs = calloc((size_t)argc, sizeof *dirs);
	struct err e;
	char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	int c, rc;

	/* under Kubeflow Pipelines: merge/kfp.h */
	if (argc == 3 && strcmp(argv[1], "--executor-input") == 0) {
		free(dirs);
		return merge_kfp_main(argv[2]);
	}
	if (!dirs) {
		fprintf(stderr, "nightfan-merge: error: out of memory\n");
		return 1;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': dirs[opt.n_nights_dirs++] = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 'd': opt.dataset = true; break;
		case 'b': opt.base_dir = optarg; break;
		case 'h': fputs(usage_text, stdout); free(dirs); return 0;
		case 'V': printf("nightfan-merge %s\n", NIGHTFAN_VERSION); free(dirs); return 0;
		default:
			free(dirs);
			snprintf(msg, sizeof msg, "unknown option or missing value: %s", argv[optind - 1]);
			return usage_error(msg);
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof msg, "unexpected argument \"%s\"", argv[optind]);
		free(dirs);
		return usage_error(msg);
	}
	if (opt.n_nights_dirs == 0 || !opt.out_dir) {
		free(dirs);
		return usage_error(opt.n_nights_dirs == 0 ? "--nights DIR is required" : "--out OUT is required");
	}
	opt.nights_dirs = dirs;
	err_clear(&e);
	/* outputs among the nights they are made of: a usage error, refused before anything is read */
	if (merge_check_outputs(&opt, &e) != 0) {
		fprintf(stderr, "nightfan-merge: error: %s\n", err_format(&e, msg, sizeof msg));
		free(dirs);
		return 2;
	}
	rc = merge_run(&opt, &e);
	free(dirs);
	if (rc != 0) {
		fprintf(stderr, "nightfan-merge: error: %s\n", err_format(&e, msg, sizeof msg));
		return 1;
	}
	return 0;
}
