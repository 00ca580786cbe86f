/*
 * cli.h — the one command-line convention of every nightfan program and subcommand.
 *
 * Owns: option parsing (a wrapper around getopt_long), -h/--help and --version for everyone, and
 * the shape of a usage error:
 *
 *     nightfan compile: error: unknown option "--nigths"
 *     Try "nightfan compile --help" for the options.
 *
 * with exit status 2, and the shape of main()'s last word when a command fails (cli_fail):
 *
 *     nightfan-shard: error: labels/hypnogram.csv:17:2: expected a number of seconds ...
 *
 * The options' meaning and the help text stay with each command. This is the one module below
 * main() that prints: it prints on main()'s behalf, and only what a command line asked for (help,
 * version) or got wrong (usage errors), or the one error line main() ends with; it never exits.
 *
 *     struct cli c;
 *     cli_init(&c, "nightfan run", usage, argc, argv, "j:", options);
 *     while ((opt = cli_next(&c)) != -1) {
 *             if (opt == CLI_EXIT)
 *                     return c.status;          // 0 after --help/--version, 2 after a usage error
 *             switch (opt) { case 'j': ...; default: ... }
 *     }
 *     // operands: argv[c.optind] ... argv[argc - 1]
 *     if (!root) return cli_usage_error(&c, "--root is required");
 */
#ifndef NIGHTFAN_CLI_H
#define NIGHTFAN_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "err.h"

#define CLI_MAX_OPTIONS 48
#define CLI_EXIT (-2)         /* cli_next(): stop and return cli.status */
#define CLI_USAGE 2           /* the exit status of a usage error */

struct cli {
	const char *prog;               /* "nightfan-shard", "nightfan compile": messages, --version */
	void (*usage)(FILE *out);       /* prints the --help text */
	int argc;
	char **argv;
	int optind;                     /* after the last cli_next(): the first operand */
	int status;                     /* when cli_next() returned CLI_EXIT */
	FILE *out, *err;                /* stdout and stderr (tests point them elsewhere) */
	struct option all[CLI_MAX_OPTIONS + 3]; /* the command's options + help + version + end */
	char shorts[2 * CLI_MAX_OPTIONS + 8];
};

/* Start parsing argv (argv[0] is the program or subcommand name; getopt restarts from argv[1]).
 * shortopts are the command's short options without 'h' ("o:j:"; "" for none); longopts its long
 * options ending with a zero entry, without "help" and "version" (added here: -h, --help,
 * --version). At most CLI_MAX_OPTIONS options. */
void cli_init(struct cli *c, const char *prog, void (*usage)(FILE *out), int argc, char **argv,
	      const char *shortopts, const struct option *longopts);

/* The next option, as getopt_long returns it (its val; the value in `optarg`), or -1 when the
 * options end (c->optind is then the first operand), or CLI_EXIT: --help printed the usage on
 * stdout or --version printed "PROG VERSION" (c->status 0), or a usage error was printed — an
 * unknown option, a missing value, a value given to an option that takes none (c->status 2). */
int cli_next(struct cli *c);

/* An option's value as a whole base-10 number in [min, max], strtol's syntax (leading blanks and a
 * sign allowed, nothing after the digits). 0 with *out set, or -1 with *out untouched; the message
 * (which names the option and its range) is the caller's. */
int cli_parse_long(const char *s, long min, long max, long *out);

/* Print "PROG: error: <fmt...>" and the pointer to --help on c->err; returns CLI_USAGE (2). */
int cli_usage_error(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same for a program with no struct cli at hand (a dispatcher): PROG is also the --help
 * pointer's command. Prints on stderr; returns CLI_USAGE. */
int cli_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* main()'s (or a cmd_*() function's) last word on a failure: print "PROG: error: <err_format(e)>"
 * as one line on stderr and return `status` (1 a processing or data error, 2 a usage error found
 * after the options were parsed), so that a command ends `return cli_fail(PROG, &e, 1);`. */
int cli_fail(const char *prog, const struct err *e, int status);
/* The same with a message of the command's own: "PROG: error: <fmt...>" ("out of memory"). */
int cli_failf(const char *prog, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
