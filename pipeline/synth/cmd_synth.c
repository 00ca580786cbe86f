/*
 * cmd_synth.c — `nightfan synth`: options, then synth_run() (pipeline/synth/synth.c), then one line per
 * broken night and a summary on stdout. Errors: "nightfan synth: error: ..." on stderr, exit 1
 * (2 for a bad option).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "synth.h"

#define PROG "nightfan synth"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan synth --nights N --out DIR [--seed S] [--messy] [--broken K]\n"
		"                      [--position-hz F] [--first-id I]\n"
		"\n"
		"Writes N sample nights DIR/N0001 ... (labels and predictions, SPEC section 1) and\n"
		"DIR/profile.json. The same seed gives the same bytes on every machine.\n"
		"\n"
		"  --nights N        how many nights (1-100000)\n"
		"  --out DIR         output folder (created; nights with the same ids are replaced)\n"
		"  --seed S          random seed, 0-18446744073709551615 (default 1)\n"
		"  --messy           vendor mess in the labels files: BOM, CRLF, quoted fields with commas,\n"
		"                    quotes and line breaks, extra and reordered columns, unmapped values\n"
		"                    (the profile then says \"on_unknown_value\": \"unscored\")\n"
		"  --broken K        the last K nights each carry one bad input nightfan-shard must refuse;\n"
		"                    where each one is goes to stdout\n"
		"  --position-hz F   position sample rate (default 4; 0 < F <= 64)\n"
		"  --first-id I      number of the first night (default 1: N0001)\n"
		"  -h, --help        this text;  --version  the version\n");
}


static int parse_seed(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int parse_hz(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 64))
		return -1;
	*out = v;
	return 0;
}

static void print_defect(const char *night, const struct synth_defect *d, void *ctx)
{
	(void)ctx;
	if (d->line > 0)
		printf("broken %s %s:%ld: %s\n", night, synth_file_name(d->file), d->line, d->what);
	else
		printf("broken %s %s: %s\n", night, synth_file_name(d->file), d->what);
}

#define usage_error(...) cli_usage_error(&cl, __VA_ARGS__)

/* Parse argv into *o. 0, 1 for --help/--version (printed), or 2 for a usage error (printed). */
static int parse_options(int argc, char **argv, struct synth_options *o)
{
	static const struct option longopts[] = {
		{"nights", required_argument, NULL, 'n'}, {"out", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'}, {"messy", no_argument, NULL, 'm'},
		{"broken", required_argument, NULL, 'b'}, {"position-hz", required_argument, NULL, 'z'},
		{"first-id", required_argument, NULL, 'i'}, {NULL, 0, NULL, 0},
	};
	struct cli cl;
	int c;

	*o = (struct synth_options){.nights = 0, .seed = 1, .position_hz = 4, .first_id = 1};
	cli_init(&cl, PROG, usage, argc, argv, "", longopts);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: return cl.status == 0 ? 1 : cl.status;
		case 'n':
			if (cli_parse_long(optarg, 1, 100000, &o->nights))
				return usage_error("--nights wants a whole number from 1 to 100000, got \"%s\"", optarg);
			break;
		case 'o': o->out = optarg; break;
		case 's':
			if (parse_seed(optarg, &o->seed))
				return usage_error("--seed wants a whole number from 0 to 18446744073709551615, got \"%s\"", optarg);
			break;
		case 'm': o->messy = 1; break;
		case 'b':
			if (cli_parse_long(optarg, 0, 100000, &o->broken))
				return usage_error("--broken wants a whole number from 0 to 100000, got \"%s\"", optarg);
			break;
		case 'z':
			if (parse_hz(optarg, &o->position_hz))
				return usage_error("--position-hz wants a rate above 0 and at most 64 (Hz), got \"%s\"", optarg);
			break;
		case 'i':
			if (cli_parse_long(optarg, 0, 999999999, &o->first_id))
				return usage_error("--first-id wants a whole number from 0 to 999999999, got \"%s\"", optarg);
			break;
		}
	}
	if (cl.optind < argc)
		return usage_error("unexpected argument \"%s\"", argv[cl.optind]);
	if (!o->nights)
		return usage_error("%s", "--nights is required");
	if (!o->out || !*o->out)
		return usage_error("%s", "--out is required");
	if (o->broken > o->nights)
		return usage_error("%s", "--broken cannot exceed --nights");
	return 0;
}

int cmd_synth(int argc, char **argv)
{
	struct synth_options o;
	struct err e;
	char first[24], last[24];
	int rc = parse_options(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	err_clear(&e);
	if (synth_run(&o, print_defect, NULL, &e) != 0) {
		fflush(stdout);
		return cli_fail(PROG, &e, 1);
	}
	synth_night_id(o.first_id, first, sizeof first);
	synth_night_id(o.first_id + o.nights - 1, last, sizeof last);
	printf("wrote %ld night%s (%s..%s, %ld broken) and profile.json to %s\n", o.nights,
	       o.nights == 1 ? "" : "s", first, last, o.broken, o.out);
	return 0;
}
