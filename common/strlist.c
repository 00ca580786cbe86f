/*
 * strlist.c — the growable list of strings (see strlist.h). Nothing here prints.
 */
#include "strlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first array holds this many slots; it doubles from there. */
#define STRLIST_MIN_ALLOC 16

void strlist_init(struct strlist *l)
{
	memset(l, 0, sizeof *l);
}

/* Room for one more string and the NULL after it. 0 or -1 (list unchanged). */
static int make_room(struct strlist *l, struct err *e)
{
	size_t cap;
	char **grown;

	if (l->n + 2 <= l->alloc)
		return 0;
	cap = l->alloc ? l->alloc : STRLIST_MIN_ALLOC;
	while (cap < l->n + 2)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof *grown || !(grown = realloc(l->v, cap * sizeof *grown)))
		return ERR(e, "out of memory");
	grown[l->n] = NULL;
	l->v = grown;
	l->alloc = cap;
	return 0;
}

int strlist_pushn(struct strlist *l, const char *s, size_t len, struct err *e)
{
	char *copy;

	if (make_room(l, e) < 0)
		return -1;
	if (!(copy = strndup(s, len)))
		return ERR(e, "out of memory");
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return 0;
}

int strlist_push(struct strlist *l, const char *s, struct err *e)
{
	return strlist_pushn(l, s, strlen(s), e);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, compare_strings);
}

long strlist_find(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (long)i;
	return -1;
}

char **strlist_detach(struct strlist *l, size_t *n)
{
	char **v = l->v;

	if (n)
		*n = l->n;
	strlist_init(l);
	return v;
}

void strlist_free_array(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void strlist_release(struct strlist *l)
{
	strlist_free_array(l->v, l->n);
	strlist_init(l);
}
