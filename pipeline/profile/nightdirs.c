/*
 * nightdirs.c — the nights of a local input root (see nightdirs.h).
 */
#include "nightdirs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirlist.h"
#include "nightid.h"

static bool is_dir(const char *root, const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int nightdirs_list(const char *root, struct strlist *ids, struct err *e)
{
	size_t kept = 0;

	if (dirlist_read(root, DIRLIST_DIRS, "cannot list the input root", ids, e) < 0)
		return -1;
	/* the folders whose names are night ids, in their (sorted) order */
	for (size_t i = 0; i < ids->n; i++) {
		if (nightid_valid(ids->v[i]))
			ids->v[kept++] = ids->v[i];
		else
			free(ids->v[i]);
	}
	ids->n = kept;
	if (ids->v)
		ids->v[kept] = NULL;
	return 0;
}

int nightdirs_check(const char *root, const char *night, struct err *e)
{
	if (nightid_check(night, e) < 0)
		return -1;
	if (!is_dir(root, night))
		return ERR(e, "unknown night \"%s\": %s/%s is not a folder", night, root, night);
	return 0;
}
