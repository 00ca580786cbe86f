/*
 * main.c — nightfan-shard's command line: options into struct shard_options, the profile loaded,
 * then shard_run().
 *
 * Exit status: 0 the night was written (ok, or failed under --on-error=record); 1 a data or
 * processing error (nothing written); 2 a usage error (bad option, invalid night id, an output
 * night folder that is, contains or lies inside the input night folder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "nightid.h"
#include "profile.h"
#include "shard.h"
#include "task.h"

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
	"  --executor-input JSON run as a Kubeflow Pipelines task (KFP's {{$}}; JSON log lines;\n"
	"                        given alone)\n"
	"  -h, --help            this text\n"
	"  --version             the version\n"
	"\n"
	"Exit status: 0 written, 1 data or processing error, 2 usage error.\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

enum { OPT_INPUT = 'i', OPT_NIGHT = 'n', OPT_PROFILE = 'p', OPT_OUT = 'o', OPT_ON_ERROR = 'e' };

static const struct option long_options[] = {
	{"input", required_argument, NULL, OPT_INPUT},
	{"night", required_argument, NULL, OPT_NIGHT},
	{"profile", required_argument, NULL, OPT_PROFILE},
	{"out", required_argument, NULL, OPT_OUT},
	{"on-error", required_argument, NULL, OPT_ON_ERROR},
	{NULL, 0, NULL, 0},
};

/* Fill *o from argv. Returns -1 to go on, else the exit status (help, version, usage error). */
static int parse_options(struct cli *c, struct shard_options *o, const char **profile)
{
	int opt;

	while ((opt = cli_next(c)) != -1) {
		switch (opt) {
		case CLI_EXIT: return c->status;
		case OPT_INPUT: o->input = optarg; break;
		case OPT_NIGHT: o->night = optarg; break;
		case OPT_PROFILE: *profile = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case OPT_ON_ERROR:
			if (strcmp(optarg, "fail") == 0)
				o->on_error = SHARD_ON_ERROR_FAIL;
			else if (strcmp(optarg, "record") == 0)
				o->on_error = SHARD_ON_ERROR_RECORD;
			else
				return cli_usage_error(c, "--on-error: expected fail or record, got \"%s\"", optarg);
			break;
		}
	}
	if (c->optind < c->argc)
		return cli_usage_error(c, "unexpected argument \"%s\"", c->argv[c->optind]);
	return -1;
}

static int check_required(const struct cli *c, const struct shard_options *o, const char *profile)
{
	const char *missing = !o->input ? "--input" : !o->night ? "--night" : !profile ? "--profile"
			    : !o->out ? "--out" : NULL;

	return missing ? cli_usage_error(c, "%s is required", missing) : -1;
}

int main(int argc, char **argv)
{
	struct shard_options o = {.on_error = SHARD_ON_ERROR_FAIL};
	const char *profile_path = NULL;
	struct profile *profile;
	struct err e;
	struct cli c;
	int status;

	/* under Kubeflow Pipelines: shard/task.h */
	if (argc == 3 && strcmp(argv[1], "--executor-input") == 0)
		return shard_task_main(argv[2]);
	cli_init(&c, PROGRAM, usage, argc, argv, "", long_options);
	if ((status = parse_options(&c, &o, &profile_path)) >= 0 || (status = check_required(&c, &o, profile_path)) >= 0)
		return status;
	/* the night id is checked before any path is built from it */
	if (nightid_check(o.night, &e) < 0)
		return cli_usage_error(&c, "--night: %s", e.message);
	/* an output that would replace the recordings is refused before anything is read */
	if (shard_check_output(&o, &e) < 0)
		return cli_fail(PROGRAM, &e, EXIT_USAGE);
	if (!(profile = profile_load(profile_path, &e)))
		return cli_fail(PROGRAM, &e, EXIT_DATA);
	o.profile = profile;
	status = shard_run(&o, &e) < 0 ? cli_fail(PROGRAM, &e, EXIT_DATA) : 0;
	profile_free(profile);
	return status;
}
