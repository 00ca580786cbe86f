/*
 * fsutil.c — atomic files and folders (see fsutil.h).
 */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

int fs_mkdir_p(const char *path, struct err *e)
{
	char *copy = strdup(path);
	struct stat st;

	if (!copy)
		return ERR(e, "out of memory");
	for (char *p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
				ERR_SYS(e, copy, "cannot create folder");
				free(copy);
				return -1;
			}
			*p = saved;
			if (!saved)
				break;
		}
	}
	free(copy);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return ERR_AT(e, path, 0, 0, "not a folder");
	return 0;
}

/* "<dir of path>/.<base of path>.tmp.<pid>" */
static char *temp_name_beside(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	char *out = NULL;

	if (asprintf(&out, "%.*s.%s.tmp.%ld", dirlen, path, base, (long)getpid()) < 0)
		return NULL;
	return out;
}

int fs_atomic_open(struct fs_atomic *a, const char *path, struct err *e)
{
	memset(a, 0, sizeof *a);
	a->path = strdup(path);
	a->tmp_path = temp_name_beside(path);
	if (!a->path || !a->tmp_path) {
		fs_atomic_abort(a);
		return ERR(e, "out of memory");
	}
	a->fp = fopen(a->tmp_path, "w");
	if (!a->fp) {
		ERR_SYS(e, path, "cannot write");
		fs_atomic_abort(a);
		return -1;
	}
	setvbuf(a->fp, NULL, _IOFBF, 1 << 16);
	return 0;
}

static void atomic_free(struct fs_atomic *a)
{
	free(a->path);
	free(a->tmp_path);
	memset(a, 0, sizeof *a);
}

int fs_atomic_commit(struct fs_atomic *a, struct err *e)
{
	int failed = ferror(a->fp) || fflush(a->fp) != 0 || fsync(fileno(a->fp)) != 0;

	if (fclose(a->fp) != 0)
		failed = 1;
	a->fp = NULL;
	if (failed || rename(a->tmp_path, a->path) != 0) {
		ERR_SYS(e, a->path, "cannot write");
		unlink(a->tmp_path);
		atomic_free(a);
		return -1;
	}
	atomic_free(a);
	return 0;
}

void fs_atomic_abort(struct fs_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	if (a->tmp_path)
		unlink(a->tmp_path);
	atomic_free(a);
}

int fs_stage_dir(const char *parent, const char *name, char **staged, struct err *e)
{
	*staged = NULL;
	if (fs_mkdir_p(parent, e) != 0)
		return -1;
	if (asprintf(staged, "%s/.%s.tmp.%ld", parent, name, (long)getpid()) < 0) {
		*staged = NULL;
		return ERR(e, "out of memory");
	}
	if (fs_remove_tree(*staged, e) != 0 || mkdir(*staged, 0755) != 0) {
		ERR_SYS(e, *staged, "cannot create folder");
		free(*staged);
		*staged = NULL;
		return -1;
	}
	return 0;
}

int fs_publish_dir(const char *staged, const char *final, struct err *e)
{
	struct err ignored;

	if (rename(staged, final) == 0)
		return 0;
	if (errno == ENOTEMPTY || errno == EEXIST) {
		/* Swap in one step, so a reader never finds the night missing, then drop the old one. */
		if (renameat2(AT_FDCWD, staged, AT_FDCWD, final, RENAME_EXCHANGE) == 0)
			return fs_remove_tree(staged, e);
	}
	ERR_SYS(e, final, "cannot publish");
	fs_remove_tree(staged, &ignored);
	return -1;
}

int fs_remove_tree(const char *path, struct err *e)
{
	struct stat st;
	DIR *dir;
	struct dirent *ent;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : ERR_SYS(e, path, "cannot remove");
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? 0 : ERR_SYS(e, path, "cannot remove");
	dir = opendir(path);
	if (!dir)
		return ERR_SYS(e, path, "cannot remove");
	while (rc == 0 && (ent = readdir(dir))) {
		char *child;
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		if (asprintf(&child, "%s/%s", path, ent->d_name) < 0) {
			rc = ERR(e, "out of memory");
			break;
		}
		rc = fs_remove_tree(child, e);
		free(child);
	}
	closedir(dir);
	if (rc == 0 && rmdir(path) != 0)
		rc = ERR_SYS(e, path, "cannot remove");
	return rc;
}

/* head (real, absolute) followed by one path component, as a folder walk would follow it. */
static char *join_component(char *head, const char *tail, struct err *e)
{
	char *out = NULL, *real, *slash;

	if (!tail[0] || strcmp(tail, ".") == 0)
		return head;
	if (strcmp(tail, "..") == 0) {
		slash = strrchr(head, '/');
		if (slash)
			slash[slash == head ? 1 : 0] = '\0'; /* "/a" -> "/", "/a/b" -> "/a", "/" stays */
		return head;
	}
	if (asprintf(&out, "%s%s%s", head, strcmp(head, "/") == 0 ? "" : "/", tail) < 0)
		out = NULL;
	free(head);
	if (!out) {
		ERR(e, "out of memory");
		return NULL;
	}
	/* "missing/../link": once past the "..", the walk is back among things that exist */
	if ((real = realpath(out, NULL))) {
		free(out);
		return real;
	}
	return out;
}

char *fs_join(const char *dir, const char *name, struct err *e)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		ERR(e, "out of memory");
		return NULL;
	}
	return path;
}

char *fs_resolve(const char *path, struct err *e)
{
	char *real, *copy, *slash, *head;
	const char *head_path, *tail;
	size_t n;

	if (!path[0])
		path = ".";
	if ((real = realpath(path, NULL)))
		return real;
	if (errno == ENOMEM || !(copy = strdup(path))) {
		ERR(e, "out of memory");
		return NULL;
	}
	/* Split off the last component and resolve what comes before it. */
	n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	slash = strrchr(copy, '/');
	if (!slash) {
		if (strcmp(copy, ".") == 0) { /* realpath(".") failed: the working folder is gone */
			ERR_SYS(e, ".", "cannot resolve");
			free(copy);
			return NULL;
		}
		head_path = ".";
		tail = copy;
	} else if (slash == copy) {
		head_path = "/";
		tail = copy + 1;
	} else {
		*slash = '\0';
		head_path = copy;
		tail = slash + 1;
	}
	head = fs_resolve(head_path, e);
	real = head ? join_component(head, tail, e) : NULL;
	free(copy);
	return real;
}

int fs_relate(const char *a, const char *b, enum fs_relation *rel, struct err *e)
{
	char *ra = fs_resolve(a, e), *rb = ra ? fs_resolve(b, e) : NULL;
	size_t la, lb;

	if (!rb) {
		free(ra);
		return -1;
	}
	la = strlen(ra);
	lb = strlen(rb);
	if (strcmp(ra, rb) == 0)
		*rel = FS_SAME;
	else if (la > lb && strncmp(ra, rb, lb) == 0 && (ra[lb] == '/' || lb == 1))
		*rel = FS_INSIDE;
	else if (lb > la && strncmp(ra, rb, la) == 0 && (rb[la] == '/' || la == 1))
		*rel = FS_CONTAINS;
	else
		*rel = FS_APART;
	free(ra);
	free(rb);
	return 0;
}

const char *fs_relation_words(enum fs_relation rel)
{
	switch (rel) {
	case FS_SAME: return "is";
	case FS_INSIDE: return "lies inside";
	case FS_CONTAINS: return "contains";
	default: return "is apart from";
	}
}

int fs_lock_dir(const char *dir, bool wait, struct err *e)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/.lock", dir) < 0)
		return ERR(e, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(path);
	if (fd < 0)
		return ERR_SYS(e, dir, "cannot lock");
	while (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0) {
		int saved = errno;
		if (saved == EINTR)
			continue;
		close(fd);
		if (saved == EWOULDBLOCK)
			return FS_LOCK_BUSY;
		errno = saved;
		return ERR_SYS(e, dir, "cannot lock");
	}
	return fd;
}

char *fs_read_fd(int fd, const char *path, size_t max_bytes, size_t *len, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;

	for (;;) {
		/* at least 4 KiB of room a read (8 KiB the first, then doubling) */
		if (strbuf_grow(&sb, 4096, e) < 0)
			goto fail;
		ssize_t got = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ERR_SYS(e, path, "cannot read");
			goto fail;
		}
		strbuf_setlen(&sb, sb.len + (size_t)got);
		if (sb.len > max_bytes) {
			ERR_AT(e, path, 0, 0, "file is larger than %zu bytes", max_bytes);
			goto fail;
		}
		if (got == 0)
			break;
	}
	return strbuf_detach(&sb, len);
fail:
	strbuf_release(&sb);
	return NULL;
}

char *fs_read_file(const char *path, size_t max_bytes, size_t *len, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0) {
		ERR_SYS(e, path, "cannot read");
		return NULL;
	}
	text = fs_read_fd(fd, path, max_bytes, len, e);
	close(fd);
	return text;
}
