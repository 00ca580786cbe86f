/* cmd_submit.c — PLACEHOLDER while the command is being written this session; replaced by its owner. */
#include <stdio.h>
#include "commands.h"

int cmd_submit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "nightfan submit: error: not built yet\n");
	return 2;
}
