/*
 * main.c — nightfan-shard's command line: options into struct shard_options, then shard_run().
 *
 * Exit status: 0 the night was written (ok, or failed under --on-error=record); 1 a data or
 * processing error (nothing written); 2 a usage error (bad option, invalid night id, an output
 * night folder that is, contains or lies inside the input night folder).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "kfp.h"
#include "nightid.h"
#include "shard.h"

#define PROGRAM "nightfan-shard"
#define EXIT_DATA 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: " PROGRAM " --input ROOT --night ID --profile FILE --out DIR [--on-error=fail|record]\n"
	"\n"
	"Reads one night, ROOT/ID/..., as the mapping profile FILE describes it and writes\n"
	"DIR/ID/night.json and DIR/ID/epochs.csv (SPEC section 2), atomically.\n"
	"\n"
	"  --input ROOT          folder holding the night folders (a local folder or /gcs/BUCKET/PREFIX)\n"
	"  --night ID            night id: [A-Za-z0-9][A-Za-z0-9._-]{0,127}\n"
	"  --profile FILE        mapping profile (JSON)\n"
	"  --out DIR             output folder (created if needed)\n"
	"  --on-error=POLICY     fail (default): a bad night exits 1 and writes nothing;\n"
	"                        record: a bad night is written as status \"failed\" and exits 0\n"
	"  --executor-input JSON run as a Kubeflow Pipelines task (KFP's {{$}}; JSON log lines)\n"
	"  --help                this text\n"
	"  --version             the version\n"
	"\n"
	"Exit status: 0 written, 1 data or processing error, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, PROGRAM ": error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see --help)\n");
	return EXIT_USAGE;
}

static int print_error(const struct err *e, int status)
{
	char text[ERR_FILE_MAX + ERR_MSG_MAX + 64];

	fprintf(stderr, PROGRAM ": error: %s\n", err_format(e, text, sizeof(text)));
	return status;
}

enum { OPT_INPUT = 'i', OPT_NIGHT = 'n', OPT_PROFILE = 'p', OPT_OUT = 'o', OPT_ON_ERROR = 'e',
       OPT_HELP = 'h', OPT_VERSION = 'V' };

static const struct option long_options[] = {
	{"input", required_argument, NULL, OPT_INPUT},
	{"night", required_argument, NULL, OPT_NIGHT},
	{"profile", required_argument, NULL, OPT_PROFILE},
	{"out", required_argument, NULL, OPT_OUT},
	{"on-error", required_argument, NULL, OPT_ON_ERROR},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* Fill *o from argv. Returns -1 to go on, else the exit status (help, version, usage error). */
static int parse_options(int argc, char **argv, struct shard_options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_INPUT: o->input = optarg; break;
		case OPT_NIGHT: o->night = optarg; break;
		case OPT_PROFILE: o->profile = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case OPT_ON_ERROR:
			if (strcmp(optarg, "fail") == 0)
				o->on_error = SHARD_ON_ERROR_FAIL;
			else if (strcmp(optarg, "record") == 0)
				o->on_error = SHARD_ON_ERROR_RECORD;
			else
				return usage_error("--on-error: expected fail or record, got \"%s\"", optarg);
			break;
		case OPT_HELP: fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf(PROGRAM " %s\n", NIGHTFAN_VERSION); return 0;
		default:
			if (optopt)
				return usage_error("%s: the option needs a value", argv[optind - 1]);
			return usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument \"%s\"", argv[optind]);
	return -1;
}

static int check_required(const struct shard_options *o)
{
	const char *missing = !o->input ? "--input" : !o->night ? "--night" : !o->profile ? "--profile"
			    : !o->out ? "--out" : NULL;

	return missing ? usage_error("missing %s", missing) : -1;
}

int main(int argc, char **argv)
{
	struct shard_options o = {.on_error = SHARD_ON_ERROR_FAIL};
	struct err e;
	int status;

	/* under Kubeflow Pipelines: shard/kfp.h */
	if (argc == 3 && strcmp(argv[1], "--executor-input") == 0)
		return shard_kfp_main(argv[2]);
	if ((status = parse_options(argc, argv, &o)) >= 0 || (status = check_required(&o)) >= 0)
		return status;
	/* the night id is checked before any path is built from it */
	if (nightid_check(o.night, &e) < 0)
		return print_error(&e, EXIT_USAGE);
	/* an output that would replace the recordings is refused before anything is read */
	if (shard_check_output(&o, &e) < 0)
		return print_error(&e, EXIT_USAGE);
	if (shard_run(&o, &e) < 0)
		return print_error(&e, EXIT_DATA);
	return 0;
}
