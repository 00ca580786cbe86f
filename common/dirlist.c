/*
 * dirlist.c — a folder's names, dot names left out, sorted (see dirlist.h). Nothing here prints.
 */
#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>

/* Whether entry `d` of the open folder `dir` is a folder. d_type answers without a stat(2) for
 * everything but links and file systems that do not fill it in; those are stat'ed (following the
 * link), so the answer is stat(2)'s either way. */
static bool entry_is_dir(DIR *dir, const struct dirent *d)
{
	struct stat st;

	if (d->d_type == DT_DIR)
		return true;
	if (d->d_type != DT_LNK && d->d_type != DT_UNKNOWN)
		return false;
	return fstatat(dirfd(dir), d->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

int dirlist_read(const char *path, unsigned flags, const char *what, struct strlist *out, struct err *e)
{
	DIR *dir;
	struct dirent *d;
	int rc = 0;

	strlist_init(out);
	what = what ? what : "cannot list";
	if (!(dir = opendir(path)))
		return ERR_SYS(e, path, "%s", what);
	for (;;) {
		errno = 0;
		if (!(d = readdir(dir))) {
			if (errno)
				rc = ERR_SYS(e, path, "%s", what);
			break;
		}
		if (d->d_name[0] == '.' || ((flags & DIRLIST_DIRS) && !entry_is_dir(dir, d)))
			continue;
		if ((rc = strlist_push(out, d->d_name, e)) < 0)
			break;
	}
	closedir(dir);
	if (rc < 0)
		strlist_release(out);
	else
		strlist_sort(out);
	return rc;
}
