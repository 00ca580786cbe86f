/*
 * dirlist.h — the one way nightfan lists a folder: its names, dot names left out, sorted.
 *
 * Owns: reading a folder's entries into a struct strlist (common/strlist.h), skipping every name that
 * starts with '.' ("." and "..", hidden files, and the staging folders `.<name>.tmp.<pid>` of
 * common/fsutil.h), optionally only the entries that are folders, sorted in strcmp() order so that
 * whatever a caller does with them (and the errors it meets) comes out in a stable order. What the
 * names mean is the callers' business; removing a tree (which must see dot names) is fs_remove_tree.
 */
#ifndef NIGHTFAN_DIRLIST_H
#define NIGHTFAN_DIRLIST_H

#include "err.h"
#include "strlist.h"

/* Only the entries that are folders, following symbolic links as stat(2) does (a link to a folder
 * counts; an entry stat(2) cannot read does not). */
#define DIRLIST_DIRS 1u

/*
 * The names in folder `path` that do not start with '.', sorted, into *out (flags: 0 for every
 * entry, DIRLIST_DIRS for folders only). *out is initialised first: pass a list that holds nothing.
 * 0, or -1 with *out left empty (so strlist_release() is right after either) and *e saying
 *   PATH: WHAT: No such file or directory
 * when the folder cannot be opened or read (`what` words it for the caller, e.g. "cannot list the
 * input root"; NULL: "cannot list"), or "out of memory".
 */
int dirlist_read(const char *path, unsigned flags, const char *what, struct strlist *out, struct err *e);

#endif
