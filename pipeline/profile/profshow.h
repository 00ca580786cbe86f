/*
 * profshow.h — `nightfan profile show`: the first epochs of a night as the shard sees them after
 * mapping (the values epochs.csv would hold), as an aligned table, so a user sees the mapping is
 * right. The night is read by the shard's own code (shard_night_read(), shard/shard.h).
 */
#ifndef NIGHTFAN_PROFSHOW_H
#define NIGHTFAN_PROFSHOW_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "profile.h"

/* Print night `night` of root's first `epochs` epochs to out. 0, or -1 with e filled (the error
 * the shard would report for the night). */
int profshow_print(const struct profile *p, const char *root, const char *night, size_t epochs, FILE *out,
		   struct err *e);

#endif
