/*
 * cmd_profile.c — `nightfan profile init|check|show`: from a folder of exports to a working
 * mapping profile (docs/PROFILES.md). Options here; the work in pipeline/profile/draft.c (init),
 * pipeline/profile/profcheck.c (check) and pipeline/profile/profshow.c (show), which read through the shard's own
 * code. Errors: "nightfan profile <sub>: error: ..." on stderr, exit 1 (2 for a usage error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "draft.h"
#include "fsutil.h"
#include "nightdirs.h"
#include "profcheck.h"
#include "profile.h"
#include "profshow.h"

#define EXIT_DATA 1
#define DEFAULT_SHOW_EPOCHS 20
#define MAX_SHOW_EPOCHS 100000

static void usage(FILE *out)
{
	fputs("usage: nightfan profile init ROOT [--night ID] [-o FILE]\n"
	      "       nightfan profile check PROFILE --input ROOT [--nights A,B,... | --sample N]\n"
	      "       nightfan profile show PROFILE --input ROOT --night ID [--epochs N]\n"
	      "\n"
	      "From a folder of exports to a working mapping profile (docs/PROFILES.md).\n"
	      "  init    drafts a profile from one night's files (the first night of ROOT without --night);\n"
	      "          what it could not decide is written \"TODO\" and listed under \"_todo\"\n"
	      "  check   reads the nights as the shard would, writes nothing, and reports every problem\n"
	      "          grouped; exit 0 only when every night would pass\n"
	      "  show    prints a night's first epochs as the shard sees them after mapping\n"
	      "\n"
	      "  nightfan profile SUBCOMMAND --help for its options.\n"
	      "  -h, --help  this text;  --version  the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a data error (check: a night would fail), 2 a usage error.\n", out);
}

static void usage_init(FILE *out)
{
	fputs("usage: nightfan profile init ROOT [--night ID] [-o FILE]\n"
	      "\n"
	      "Looks at one night's files under ROOT and writes a draft mapping profile: each CSV's\n"
	      "dialect, which column is which field, every raw stage, event and position value with a\n"
	      "proposed canonical one. What it could not decide is written \"TODO\" and listed under\n"
	      "\"_todo\"; the shard refuses the profile until \"_todo\" is removed.\n"
	      "\n"
	      "  --night ID      the night to look at (default: the first, in name order)\n"
	      "  -o, --out FILE  write the draft to FILE (default: stdout)\n"
	      "  -h, --help      this text;  --version  the version\n", out);
}

static void usage_check(FILE *out)
{
	fputs("usage: nightfan profile check PROFILE --input ROOT [--nights A,B,... | --sample N]\n"
	      "\n"
	      "Reads every night of ROOT (or the named ones, or N of them spread over the sorted list) as\n"
	      "nightfan-shard would with PROFILE, writes nothing, and reports every problem grouped: raw\n"
	      "values with no mapping, files missing, nights whose times disagree, other errors.\n"
	      "\n"
	      "  --input ROOT       folder holding the night folders\n"
	      "  --nights A,B,...   only these nights\n"
	      "  --sample N         N nights spread over the sorted list (the same ones every run)\n"
	      "  -h, --help         this text;  --version  the version\n"
	      "\n"
	      "Exit status: 0 every night would pass, 1 one would not, 2 a usage error.\n", out);
}

static void usage_show(FILE *out)
{
	fputs("usage: nightfan profile show PROFILE --input ROOT --night ID [--epochs N]\n"
	      "\n"
	      "Prints the night's first epochs as nightfan-shard sees them after mapping: onset, stages,\n"
	      "position, motion and events (the values epochs.csv would hold).\n"
	      "\n"
	      "  --input ROOT   folder holding the night folders\n"
	      "  --night ID     the night\n"
	      "  --epochs N     how many epochs (default 20)\n"
	      "  -h, --help     this text;  --version  the version\n", out);
}

/* A count as cli_parse_long reads it, but starting with its first digit (no '+', no blank). */
static int parse_count(const char *s, long min, long max, long *out)
{
	return *s == '+' || *s == ' ' ? -1 : cli_parse_long(s, min, max, out);
}

enum { OPT_NIGHT = 'n', OPT_OUT = 'o', OPT_INPUT = 'i', OPT_NIGHTS = 'N', OPT_SAMPLE = 's', OPT_EPOCHS = 'e' };

/* ---- init ---- */

static int write_draft(const char *path, const char *text, struct err *e)
{
	struct fs_atomic a;

	if (fs_atomic_open(&a, path, e) < 0)
		return -1;
	fputs(text, a.fp);
	return fs_atomic_commit(&a, e);
}

static int profile_init(int argc, char **argv)
{
	static const struct option options[] = {
		{"night", required_argument, NULL, OPT_NIGHT},
		{"out", required_argument, NULL, OPT_OUT},
		{NULL, 0, NULL, 0},
	};
	const char *prog = "nightfan profile init", *night = NULL, *out = NULL, *root;
	struct cli c;
	struct err e;
	json_t *draft;
	char *text;
	int opt, rc = 0;

	cli_init(&c, prog, usage_init, argc, argv, "o:", options);
	while ((opt = cli_next(&c)) != -1) {
		switch (opt) {
		case CLI_EXIT: return c.status;
		case OPT_NIGHT: night = optarg; break;
		case OPT_OUT: out = optarg; break;
		}
	}
	if (c.optind >= argc)
		return cli_usage_error(&c, "expected the input root");
	if (c.optind + 1 < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[c.optind + 1]);
	root = argv[c.optind];
	if (night && nightdirs_check(root, night, &e) < 0)
		return cli_usage_error(&c, "--night: %s", e.message);
	if (!(draft = draft_profile(root, night, &e)))
		return cli_fail(prog, &e, EXIT_DATA);
	text = draft_text(draft);
	json_decref(draft);
	if (!text) {
		ERR(&e, "out of memory");
		return cli_fail(prog, &e, EXIT_DATA);
	}
	if (out)
		rc = write_draft(out, text, &e) < 0 ? cli_fail(prog, &e, EXIT_DATA) : 0;
	else
		fputs(text, stdout);
	free(text);
	return rc;
}

/* ---- check ---- */

/* "A,B,C" into ids (each checked: a night id whose folder exists). */
static int split_nights(const char *root, const char *list, struct strlist *ids, struct err *e)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (!copy)
		return ERR(e, "out of memory");
	for (char *id = strtok_r(copy, ",", &save); id && rc == 0; id = strtok_r(NULL, ",", &save))
		rc = nightdirs_check(root, id, e) < 0 || strlist_push(ids, id, e) < 0 ? -1 : 0;
	free(copy);
	if (rc == 0 && ids->n == 0)
		return ERR(e, "--nights: expected night ids separated by commas");
	return rc;
}

/* Keep the nights profcheck_sample() picks, in its order. */
static int sample_nights(struct strlist *ids, long sample, struct err *e)
{
	size_t *pick = malloc((ids->n ? ids->n : 1) * sizeof(*pick)), count;
	struct strlist kept = STRLIST_INIT;
	int rc = 0;

	if (!pick)
		return ERR(e, "out of memory");
	count = profcheck_sample(ids->n, (size_t)sample, pick);
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = strlist_push(&kept, ids->v[pick[i]], e);
	free(pick);
	strlist_release(ids);
	*ids = kept; /* on failure what was kept, released by the caller */
	return rc;
}

static int profile_check(int argc, char **argv)
{
	static const struct option options[] = {
		{"input", required_argument, NULL, OPT_INPUT},
		{"nights", required_argument, NULL, OPT_NIGHTS},
		{"sample", required_argument, NULL, OPT_SAMPLE},
		{NULL, 0, NULL, 0},
	};
	const char *prog = "nightfan profile check", *root = NULL, *nights = NULL, *path;
	long sample = 0;
	struct cli c;
	struct err e;
	struct profile *p;
	struct strlist ids = STRLIST_INIT;
	bool pass = false;
	int opt, rc;

	cli_init(&c, prog, usage_check, argc, argv, "", options);
	while ((opt = cli_next(&c)) != -1) {
		switch (opt) {
		case CLI_EXIT: return c.status;
		case OPT_INPUT: root = optarg; break;
		case OPT_NIGHTS: nights = optarg; break;
		case OPT_SAMPLE:
			if (parse_count(optarg, 1, 1000000000, &sample) < 0)
				return cli_usage_error(&c, "--sample: expected a whole number of nights from 1, got \"%s\"",
						       optarg);
			break;
		}
	}
	if (c.optind >= argc)
		return cli_usage_error(&c, "expected the profile");
	if (c.optind + 1 < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[c.optind + 1]);
	if (!root)
		return cli_usage_error(&c, "--input is required");
	if (nights && sample)
		return cli_usage_error(&c, "--nights and --sample exclude each other");
	path = argv[c.optind];
	if (nights && split_nights(root, nights, &ids, &e) < 0) {
		strlist_release(&ids);
		return cli_usage_error(&c, "--nights: %s", e.message);
	}
	if (!(p = profile_load(path, &e)))
		rc = cli_fail(prog, &e, EXIT_DATA);
	else if (!nights && (nightdirs_list(root, &ids, &e) < 0 || (sample && sample_nights(&ids, sample, &e) < 0)))
		rc = cli_fail(prog, &e, EXIT_DATA);
	else if (ids.n == 0)
		rc = (ERR(&e, "%s: no night folder in it", root), cli_fail(prog, &e, EXIT_DATA));
	else if (profcheck_run(p, root, ids.v, ids.n, stdout, &pass, &e) < 0)
		rc = cli_fail(prog, &e, EXIT_DATA);
	else
		rc = pass ? 0 : EXIT_DATA;
	strlist_release(&ids);
	profile_free(p);
	return rc;
}

/* ---- show ---- */

static int profile_show(int argc, char **argv)
{
	static const struct option options[] = {
		{"input", required_argument, NULL, OPT_INPUT},
		{"night", required_argument, NULL, OPT_NIGHT},
		{"epochs", required_argument, NULL, OPT_EPOCHS},
		{NULL, 0, NULL, 0},
	};
	const char *prog = "nightfan profile show", *root = NULL, *night = NULL;
	long epochs = DEFAULT_SHOW_EPOCHS;
	struct cli c;
	struct err e;
	struct profile *p;
	int opt, rc = 0;

	cli_init(&c, prog, usage_show, argc, argv, "", options);
	while ((opt = cli_next(&c)) != -1) {
		switch (opt) {
		case CLI_EXIT: return c.status;
		case OPT_INPUT: root = optarg; break;
		case OPT_NIGHT: night = optarg; break;
		case OPT_EPOCHS:
			if (parse_count(optarg, 1, MAX_SHOW_EPOCHS, &epochs) < 0)
				return cli_usage_error(&c, "--epochs: expected a whole number from 1 to %d, got \"%s\"",
						       MAX_SHOW_EPOCHS, optarg);
			break;
		}
	}
	if (c.optind >= argc)
		return cli_usage_error(&c, "expected the profile");
	if (c.optind + 1 < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[c.optind + 1]);
	if (!root)
		return cli_usage_error(&c, "--input is required");
	if (!night)
		return cli_usage_error(&c, "--night is required");
	if (nightdirs_check(root, night, &e) < 0)
		return cli_usage_error(&c, "--night: %s", e.message);
	if (!(p = profile_load(argv[c.optind], &e)))
		return cli_fail(prog, &e, EXIT_DATA);
	if (profshow_print(p, root, night, (size_t)epochs, stdout, &e) < 0)
		rc = cli_fail(prog, &e, EXIT_DATA);
	profile_free(p);
	return rc;
}

int cmd_profile(int argc, char **argv)
{
	if (argc < 2)
		return cli_error("nightfan profile", "expected a subcommand: init, check or show");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("nightfan profile %s\n", NIGHTFAN_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "init") == 0)
		return profile_init(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return profile_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return profile_show(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cli_error("nightfan profile", "unknown option \"%s\"", argv[1]);
	return cli_error("nightfan profile", "unknown subcommand \"%s\" (init, check or show)", argv[1]);
}
