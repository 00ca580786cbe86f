/*
 * main.c — `nightfan`, the pipeline tool: dispatches to the subcommands in commands.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"synth", cmd_synth, "generate sample nights and their mapping profile"},
	{"compile", cmd_compile, "write a Kubeflow Pipelines v2 spec that fans out over nights"},
	{"run", cmd_run, "run a compiled spec on this machine"},
	{"compose", cmd_compose, "write a docker compose file that runs a compiled spec"},
	{"submit", cmd_submit, "submit a compiled spec to Vertex AI Pipelines or a KFP server"},
	{"status", cmd_status, "show a submitted job's state"},
	{"cancel", cmd_cancel, "cancel a submitted job"},
	{"profile", cmd_profile, "draft, check and preview a mapping profile for your exports"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: nightfan COMMAND [OPTIONS]   (nightfan COMMAND --help for its options)\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n  -h, --help  this text\n  --version   the version\n"
		"\nExit status: 0 success, 1 a data, processing or service error, 2 a usage error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_error("nightfan", "expected a command (synth, compile, run, ...)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("nightfan %s\n", NIGHTFAN_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cli_error("nightfan", "unknown option \"%s\"", argv[1]);
	return cli_error("nightfan", "unknown command \"%s\"", argv[1]);
}
