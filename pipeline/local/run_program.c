/*
 * run_program.c — which executable a task's command runs (see run_program.h).
 */
#include "run_program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* <dir>/<command> when it is executable (caller frees), else NULL. */
static char *executable_in(const char *dir, const char *command)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, command) < 0)
		return NULL;
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *run_program_resolve(const char *command)
{
	char self[4096], *slash, *path;
	const char *bindir = getenv("NIGHTFAN_BINDIR");
	ssize_t n;

	if (strchr(command, '/'))
		return strdup(command);
	if (bindir && *bindir && (path = executable_in(bindir, command)))
		return path;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			if ((path = executable_in(self, command)))
				return path;
		}
	}
	const char *env_path = getenv("PATH");
	char *copy = strdup(env_path ? env_path : "/usr/bin:/bin"), *save = NULL;
	path = NULL;
	for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !path; dir = strtok_r(NULL, ":", &save))
		path = executable_in(dir, command);
	free(copy);
	return path;
}
