/*
 * nightdirs.c — the nights of a local input root (see nightdirs.h).
 */
#include "nightdirs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nightid.h"

static bool is_dir(const char *root, const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nightdirs_list(const char *root, char ***ids, size_t *n, struct err *e)
{
	DIR *dir = opendir(root);
	struct dirent *d;
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (!dir)
		return ERR_SYS(e, root, "cannot list the input root");
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || !nightid_valid(d->d_name) || !is_dir(root, d->d_name))
			continue;
		if (*n == cap) {
			char **p = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof(*p));
			if (!p)
				goto oom;
			*ids = p;
		}
		if (!((*ids)[*n] = strdup(d->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(dir);
	if (*n > 1)
		qsort(*ids, *n, sizeof(**ids), compare_ids);
	return 0;
oom:
	closedir(dir);
	nightdirs_free(*ids, *n);
	*ids = NULL;
	*n = 0;
	return ERR(e, "out of memory");
}

void nightdirs_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int nightdirs_check(const char *root, const char *night, struct err *e)
{
	if (nightid_check(night, e) < 0)
		return -1;
	if (!is_dir(root, night))
		return ERR(e, "unknown night \"%s\": %s/%s is not a folder", night, root, night);
	return 0;
}
