/*
 * commands.h — the subcommands of `nightfan`, one file each (pipeline/<wing>/cmd_<name>.c).
 *
 * pipeline/main.c only dispatches: it looks the first argument up in its table and calls the
 * command with argv[0] = the command's name. Each command parses its own options (common/cli.h,
 * one convention: -h/--help, --version, usage errors exit 2 with a pointer to --help),
 * prints its own errors ("nightfan <cmd>: error: ...") and returns the process exit status.
 */
#ifndef NIGHTFAN_COMMANDS_H
#define NIGHTFAN_COMMANDS_H

int cmd_synth(int argc, char **argv);    /* sample nights + profile (pipeline/synth/) */
int cmd_compile(int argc, char **argv);  /* KFP v2 pipeline spec (pipeline/spec/) */
int cmd_run(int argc, char **argv);      /* run a compiled spec on this machine (pipeline/local/) */
int cmd_compose(int argc, char **argv);  /* docker compose file from a compiled spec (pipeline/local/) */
int cmd_submit(int argc, char **argv);   /* Vertex AI / KFP server (pipeline/cloud/) */
int cmd_status(int argc, char **argv);
int cmd_cancel(int argc, char **argv);
int cmd_profile(int argc, char **argv);  /* profile init/check/show (pipeline/profile/) */

#endif
