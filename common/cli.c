/*
 * cli.c — getopt_long with help, version, one usage-error shape and one failure line for every
 * command; see cli.h.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef NIGHTFAN_VERSION
#define NIGHTFAN_VERSION "0.0.0"
#endif

enum { CLI_OPT_HELP = 'h', CLI_OPT_VERSION = 0x10000 };

void cli_init(struct cli *c, const char *prog, void (*usage)(FILE *out), int argc, char **argv,
	      const char *shortopts, const struct option *longopts)
{
	size_t n = 0;

	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	c->argc = argc;
	c->argv = argv;
	c->out = stdout;
	c->err = stderr;
	for (; longopts && longopts[n].name && n < CLI_MAX_OPTIONS; n++)
		c->all[n] = longopts[n];
	c->all[n++] = (struct option){"help", no_argument, NULL, CLI_OPT_HELP};
	c->all[n++] = (struct option){"version", no_argument, NULL, CLI_OPT_VERSION};
	c->all[n] = (struct option){NULL, 0, NULL, 0};
	/* ':' first: a missing value comes back as ':' rather than a message from getopt itself. */
	snprintf(c->shorts, sizeof c->shorts, ":%sh", shortopts ? shortopts : "");
	optind = 0; /* glibc: a full restart (also of its argument permutation) */
	opterr = 0;
}

static void vreport(FILE *err, const char *prog, const char *fmt, va_list ap)
{
	fprintf(err, "%s: error: ", prog);
	vfprintf(err, fmt, ap);
	fprintf(err, "\nTry \"%s --help\" for the options.\n", prog);
}

int cli_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_usage_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c->err, c->prog, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(stderr, prog, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_fail(const char *prog, const struct err *e, int status)
{
	char text[ERR_FILE_MAX + ERR_MSG_MAX + 64];

	fprintf(stderr, "%s: error: %s\n", prog, err_format(e, text, sizeof text));
	return status;
}

int cli_failf(const char *prog, int status, const char *fmt, ...)
{
	char text[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: error: %s\n", prog, text);
	return status;
}

/* The long option whose val is `val`, or NULL. */
static const struct option *by_val(const struct cli *c, int val)
{
	for (const struct option *o = c->all; o->name; o++)
		if (o->val == val && !o->flag)
			return o;
	return NULL;
}

/* The option as it was written, without any "=value". */
static void as_written(const struct cli *c, char *buf, size_t size)
{
	const char *arg = optind > 0 && optind <= c->argc ? c->argv[optind - 1] : "";
	size_t n = strcspn(arg, "=");

	snprintf(buf, size, "%.*s", (int)n, arg);
}

static int stop(struct cli *c, int status)
{
	c->status = status;
	c->optind = optind;
	return CLI_EXIT;
}

int cli_next(struct cli *c)
{
	int opt = getopt_long(c->argc, c->argv, c->shorts, c->all, NULL);
	char name[256];

	c->optind = optind;
	switch (opt) {
	case CLI_OPT_HELP:
		if (c->usage)
			c->usage(c->out);
		return stop(c, 0);
	case CLI_OPT_VERSION:
		fprintf(c->out, "%s %s\n", c->prog, NIGHTFAN_VERSION);
		return stop(c, 0);
	case ':':
		as_written(c, name, sizeof name);
		if (strncmp(name, "--", 2) != 0 && optopt)
			snprintf(name, sizeof name, "-%c", optopt);
		cli_usage_error(c, "option \"%s\" needs a value", name);
		return stop(c, CLI_USAGE);
	case '?':
		as_written(c, name, sizeof name);
		if (optopt && strncmp(name, "--", 2) == 0 && by_val(c, optopt) &&
		    strchr(c->argv[optind - 1], '=')) {
			cli_usage_error(c, "option \"%s\" takes no value", name);
		} else if (optopt && strncmp(name, "--", 2) != 0) {
			cli_usage_error(c, "unknown option \"-%c\"", optopt);
		} else {
			cli_usage_error(c, "unknown option \"%s\"", name);
		}
		return stop(c, CLI_USAGE);
	default:
		return opt;
	}
}
