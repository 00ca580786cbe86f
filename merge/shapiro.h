/*
 * shapiro.h — the Shapiro–Wilk test of normality, as Royston's algorithm AS R94 (Applied
 * Statistics 44(4), 1995, 547-551) computes it: approximate coefficients for any n from 3 to
 * 5000, W, and its p-value from Royston's normalising transformations. This is the algorithm
 * behind scipy.stats.shapiro and R's shapiro.test (without censoring), so the results match theirs.
 *
 * Owns only the test; the normal quantiles and tail come from merge/dist.h (GSL).
 */
#ifndef NIGHTFAN_MERGE_SHAPIRO_H
#define NIGHTFAN_MERGE_SHAPIRO_H

#include <stddef.h>

#include "stats.h"

struct shapiro {
	struct stat_num w, p;
};

/* Shapiro–Wilk W and p of the n values in `sorted` (ascending order, the caller sorts); `work`
 * holds at least n / 2 doubles of scratch. Both unknown when n < 3 or every value is the same (no
 * spread to test). Above 5000 values the approximation is used beyond its validated range, as
 * scipy does. */
struct shapiro shapiro_wilk(const double *sorted, size_t n, double *work);

#endif
