/*
 * test_cli.c — common/cli.c: options, operands, restarts, the usage-error text and the failure
 * line (cli_fail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"

static const struct option opts[] = {
	{"root", required_argument, NULL, 'r'},
	{"wait", no_argument, NULL, 'w'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fputs("usage: t\n", out);
}

/* Parse argv with the table above; the printed output and errors into out/err. */
static int parse(int argc, char **argv, char *out, size_t out_size, char *err, size_t err_size,
		 const char **root, int *wait, int *first_operand)
{
	struct cli c;
	int opt, status = -1;

	cli_init(&c, "nightfan t", usage, argc, argv, "r:", opts);
	c.out = fmemopen(out, out_size, "w");
	c.err = fmemopen(err, err_size, "w");
	while ((opt = cli_next(&c)) != -1 && status < 0) {
		if (opt == CLI_EXIT)
			status = c.status;
		else if (opt == 'r')
			*root = optarg;
		else if (opt == 'w')
			*wait = 1;
	}
	*first_operand = c.optind;
	fclose(c.out);
	fclose(c.err);
	return status;
}

TEST(options_and_operands_in_any_order)
{
	char *argv[] = {"t", "spec.yaml", "--root", "dir", "--wait", "extra", NULL};
	char out[256] = "", err[256] = "";
	const char *root = NULL;
	int wait = 0, first;

	CHECK_INT(parse(6, argv, out, sizeof out, err, sizeof err, &root, &wait, &first), -1);
	CHECK_STR(root, "dir");
	CHECK_INT(wait, 1);
	/* getopt_long moves the operands to the end, in their order */
	CHECK_STR(argv[first], "spec.yaml");
	CHECK_STR(argv[first + 1], "extra");
	CHECK_STR(err, "");
}

TEST(a_second_parse_starts_over)
{
	char *a1[] = {"t", "-r", "one", NULL}, *a2[] = {"t", "--root=two", NULL};
	char out[256] = "", err[256] = "";
	const char *root = NULL;
	int wait = 0, first;

	CHECK_INT(parse(3, a1, out, sizeof out, err, sizeof err, &root, &wait, &first), -1);
	CHECK_STR(root, "one");
	CHECK_INT(parse(2, a2, out, sizeof out, err, sizeof err, &root, &wait, &first), -1);
	CHECK_STR(root, "two");
}

TEST(help_and_version)
{
	char *a1[] = {"t", "--wait", "-h", NULL}, *a2[] = {"t", "--version", NULL};
	char out[256] = "", err[256] = "";
	const char *root = NULL;
	int wait = 0, first;

	CHECK_INT(parse(3, a1, out, sizeof out, err, sizeof err, &root, &wait, &first), 0);
	CHECK_STR(out, "usage: t\n");
	CHECK_INT(parse(2, a2, out, sizeof out, err, sizeof err, &root, &wait, &first), 0);
	CHECK_STR(out, "nightfan t " NIGHTFAN_VERSION "\n");
	CHECK_STR(err, "");
}

TEST(usage_errors)
{
	static const struct {
		char *arg;
		const char *want;
	} cases[] = {
		{"--bogus", "nightfan t: error: unknown option \"--bogus\"\n"},
		{"--bogus=1", "nightfan t: error: unknown option \"--bogus\"\n"},
		{"-q", "nightfan t: error: unknown option \"-q\"\n"},
		{"--wait=yes", "nightfan t: error: option \"--wait\" takes no value\n"},
		{"--root", "nightfan t: error: option \"--root\" needs a value\n"},
		{"-r", "nightfan t: error: option \"-r\" needs a value\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[] = {"t", cases[i].arg, NULL};
		char out[256] = "", err[512] = "", want[512];
		const char *root = NULL;
		int wait = 0, first;

		CHECK_INT(parse(2, argv, out, sizeof out, err, sizeof err, &root, &wait, &first), 2);
		snprintf(want, sizeof want, "%sTry \"nightfan t --help\" for the options.\n", cases[i].want);
		CHECK_STR(err, want);
		CHECK_STR(out, "");
	}
}

/* What `print` writes on stderr (fd 2 pointed at a temporary file meanwhile), and its return. */
static int capture_stderr(int (*print)(void), char *out, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	size_t n;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = print();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, size - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return rc;
}

static int fail_at_a_line(void)
{
	struct err e = {0};

	ERR_AT(&e, "labels/hypnogram.csv", 17, 2, "expected a number of seconds for \"Start [s]\", got \"abc\"");
	return cli_fail("nightfan-shard", &e, 1);
}

static int fail_without_a_file(void)
{
	struct err e = {0};

	ERR(&e, "--out %s lies inside --nights %s", "a/b", "a");
	return cli_fail("nightfan-merge", &e, 2);
}

static int fail_in_words(void)
{
	return cli_failf("nightfan run", 1, "no night came out ok: every night failed (listed %s)", "above");
}

TEST(cli_parse_long_reads_a_whole_number_in_range)
{
	long v = -7;

	CHECK_INT(cli_parse_long("4096", 1, 4096, &v), 0);
	CHECK_INT(v, 4096);
	CHECK_INT(cli_parse_long("0", 0, 10, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(cli_parse_long(" +12", 0, 100, &v), 0); /* strtol's syntax: a blank and a sign */
	CHECK_INT(v, 12);
	v = -7;
	CHECK_INT(cli_parse_long("4097", 1, 4096, &v), -1); /* above max */
	CHECK_INT(cli_parse_long("0", 1, 4096, &v), -1);    /* below min */
	CHECK_INT(cli_parse_long("", 1, 10, &v), -1);
	CHECK_INT(cli_parse_long("+", 1, 10, &v), -1);
	CHECK_INT(cli_parse_long("3x", 1, 10, &v), -1);
	CHECK_INT(cli_parse_long("3 ", 1, 10, &v), -1);
	CHECK_INT(cli_parse_long("2.5", 1, 10, &v), -1);
	CHECK_INT(cli_parse_long("99999999999999999999", 1, 10, &v), -1); /* ERANGE */
	CHECK_INT(v, -7); /* untouched by every refusal */
}

TEST(cli_fail_prints_the_one_error_line)
{
	char got[512];

	CHECK_INT(capture_stderr(fail_at_a_line, got, sizeof got), 1);
	CHECK_STR(got, "nightfan-shard: error: labels/hypnogram.csv:17:2: expected a number of seconds for "
		       "\"Start [s]\", got \"abc\"\n");
	CHECK_INT(capture_stderr(fail_without_a_file, got, sizeof got), 2);
	CHECK_STR(got, "nightfan-merge: error: --out a/b lies inside --nights a\n");
	CHECK_INT(capture_stderr(fail_in_words, got, sizeof got), 1);
	CHECK_STR(got, "nightfan run: error: no night came out ok: every night failed (listed above)\n");
}
