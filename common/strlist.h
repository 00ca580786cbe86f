/*
 * strlist.h — a growable list of strings, each an owned copy, in the manner of git's strvec.
 *
 * Owns: pushing copies onto the end of one array that grows as needed (doubling), kept
 * NULL-terminated so it can serve as an argv-style `char **`; sorting it in strcmp() order, finding a
 * string in it, and freeing it. What the strings mean is the callers' business; bytes are
 * common/strbuf.h, a folder's names common/fsutil.h (fs_list_dir).
 *
 *     struct strlist ids = STRLIST_INIT;
 *     if (strlist_push(&ids, "N0002", e) < 0 || strlist_push(&ids, "N0001", e) < 0)
 *             goto fail;                       // ids is still valid: release it
 *     strlist_sort(&ids);                      // ids.v: "N0001", "N0002", NULL
 *     strlist_release(&ids);
 *
 * Memory: the list owns its array and every string in it; strlist_release() frees them all. A zeroed
 * struct strlist (STRLIST_INIT, `= {0}`) is an empty list, and releasing it is a no-op.
 * Failure: a push returns -1 with "out of memory" in *e (e may be NULL) and leaves the list holding
 * the same strings as before the call (its array may have grown); the caller still releases it.
 */
#ifndef NIGHTFAN_STRLIST_H
#define NIGHTFAN_STRLIST_H

#include <stddef.h>

#include "err.h"

struct strlist {
	char **v;     /* n owned strings then NULL; NULL itself until the first push */
	size_t n;     /* strings held */
	size_t alloc; /* slots allocated at v (the terminating NULL's included); 0 while v is NULL */
};

#define STRLIST_INIT {0}

/* An empty list (the same as STRLIST_INIT); nothing is allocated. */
void strlist_init(struct strlist *l);

/* Append a malloc'ed copy of s. 0, or -1 with the list unchanged. */
int strlist_push(struct strlist *l, const char *s, struct err *e);
/* Append a copy of the first `len` bytes of s (or of s up to its NUL, when that comes first),
 * NUL-terminated. 0, or -1 with the list unchanged. */
int strlist_pushn(struct strlist *l, const char *s, size_t len, struct err *e);

/* Sort the strings in strcmp() order (bytewise, so the same everywhere). Never fails. */
void strlist_sort(struct strlist *l);

/* The index of the first string equal to s (strcmp), or -1 when there is none. Linear. */
long strlist_find(const struct strlist *l, const char *s);

/* Take the array away: the caller owns it and its strings from now on and frees them with
 * strlist_free_array(v, n) (or free() each and then the array). Returns l->v (NULL-terminated), or
 * NULL when the list was never pushed to; *n (when not NULL) is the count. The list is left empty
 * (as after strlist_init). */
char **strlist_detach(struct strlist *l, size_t *n);
/* Free a detached array of n strings (and the array). Safe on NULL. */
void strlist_free_array(char **v, size_t n);

/* Free every string and the array, leave the list empty (as after strlist_init). Safe on a zeroed
 * list. */
void strlist_release(struct strlist *l);

#endif
