/* cmd_cancel.c — PLACEHOLDER while the command is being written this session; replaced by its owner. */
#include <stdio.h>
#include "commands.h"

int cmd_cancel(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "nightfan cancel: error: not built yet\n");
	return 2;
}
