/*
 * fsutil.h — writing outputs so that nothing half-written is ever seen.
 *
 * Owns: creating folders, files written under a temporary name and renamed into place, and night
 * folders staged beside their final name and swapped in atomically (renameat2 RENAME_EXCHANGE), so
 * that a reader — or a SIGKILL at any instant — sees the complete old folder or the complete new one;
 * and where a path leads (fs_resolve, fs_relate), so that an output is never written over an input.
 * What goes into the files is the callers' business.
 */
#ifndef NIGHTFAN_FSUTIL_H
#define NIGHTFAN_FSUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include "err.h"

/* mkdir -p with mode 0755. 0, or -1 naming the path that could not be made. */
int fs_mkdir_p(const char *path, struct err *e);

/* A file being written to `<dir>/.<name>.tmp.<pid>` until fs_atomic_commit renames it to `path`. */
struct fs_atomic {
	FILE *fp;          /* write here (fully buffered) */
	char *path;        /* final name (owned) */
	char *tmp_path;    /* temporary name (owned) */
};

/* Open a temporary file beside `path`. 0, or -1 (nothing created). */
int fs_atomic_open(struct fs_atomic *a, const char *path, struct err *e);
/* Flush, fsync, close and rename into place; frees a's strings. On any failure (a full disk shows
 * here) the temporary file is removed and -1 names `path`. Either way *a is finished. */
int fs_atomic_commit(struct fs_atomic *a, struct err *e);
/* Close and remove the temporary file, free a's strings. Safe on a zeroed or finished *a. */
void fs_atomic_abort(struct fs_atomic *a);

/* Make an empty staging folder `<parent>/.<name>.tmp.<pid>`: `parent` is created if needed (with
 * its own parents), and a folder left at that path by an earlier process with the same pid is
 * removed first. 0 with *staged a malloc'ed path the caller frees (after fs_publish_dir, or after
 * fs_remove_tree to give up); -1 with *staged NULL and nothing to free (a `parent` created on the
 * way is left). The name starts with '.' so readers of `parent` (the merge) skip it. */
int fs_stage_dir(const char *parent, const char *name, char **staged, struct err *e);
/* Put the staged folder at `final`: a plain rename when nothing is there, else an atomic exchange
 * followed by removal of the old folder. 0, or -1 with the staged folder removed. */
int fs_publish_dir(const char *staged, const char *final, struct err *e);
/* rm -rf path (a missing path is fine). 0 or -1. */
int fs_remove_tree(const char *path, struct err *e);

/* The absolute real path that `path` names, or would name once fs_mkdir_p made it: realpath(3)
 * of its longest leading part that exists (symbolic links, ".", ".." and repeated slashes
 * resolved), the rest appended with "." and ".." applied as fs_mkdir_p would meet them. "" is
 * ".". malloc'ed, the caller frees; NULL only when out of memory or the working folder is gone. */
char *fs_resolve(const char *path, struct err *e);

/* "dir/name" as a malloc'ed string the caller frees; NULL with "out of memory" in *e. */
char *fs_join(const char *dir, const char *name, struct err *e);

/* Where one location lies relative to another. */
enum fs_relation {
	FS_APART,       /* neither holds the other */
	FS_SAME,        /* the same folder */
	FS_INSIDE,      /* a lies inside b */
	FS_CONTAINS,    /* a contains b */
};
/* How path a relates to path b, both fs_resolve'd (so `x/.`, `x/`, a symbolic link to x and a
 * not yet created x/new are compared by what they name). 0, or -1 as fs_resolve. */
int fs_relate(const char *a, const char *b, enum fs_relation *rel, struct err *e);
/* "is", "lies inside", "contains" (FS_APART: "is apart from"), for messages. */
const char *fs_relation_words(enum fs_relation rel);

/* Lock folder `dir` for this process alone: an exclusive flock(2) on <dir>/.lock (created if
 * needed), held until the returned descriptor is closed or the process ends. wait: block until
 * the holder lets go; else FS_LOCK_BUSY at once (e untouched). The descriptor, or -1 naming dir. */
#define FS_LOCK_BUSY (-2)
int fs_lock_dir(const char *dir, bool wait, struct err *e);

/* Read a whole (small) file into a NUL-terminated malloc'ed buffer; *len gets its length (may be
 * NULL). refuses files over max_bytes with a clear error. NULL on failure. */
char *fs_read_file(const char *path, size_t max_bytes, size_t *len, struct err *e);
/* The same from an open file descriptor (read to its end, not closed); `path` names it in
 * messages. */
char *fs_read_fd(int fd, const char *path, size_t max_bytes, size_t *len, struct err *e);

#endif
