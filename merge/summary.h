/*
 * summary.h — a value summarised over nights (SPEC §3 "summary"): mean, sample SD (n - 1) and the
 * 95 % confidence interval of the mean, mean ± t(n - 1) · SD / √n, with Student's t two-sided
 * critical value.
 *
 * Owns only this arithmetic (and the t quantile it needs); which nights enter is the caller's.
 * Nothing here can fail; what cannot be computed is `known = false`.
 */
#ifndef NIGHTFAN_MERGE_SUMMARY_H
#define NIGHTFAN_MERGE_SUMMARY_H

#include <stddef.h>

#include "stats.h"

struct summary {
	struct stat_num mean;           /* n >= 1 */
	struct stat_num sd;             /* n >= 2 */
	struct stat_num ci_low, ci_high; /* n >= 2 */
	size_t n;
};

/* Summarise x[0..n). */
void summary_of(const double *x, size_t n, struct summary *out);

/* The two-sided 95 % critical value of Student's t with df degrees of freedom (df >= 1), i.e. the
 * 0.975 quantile, to ~1e-12 relative. */
double summary_t975(double df);

#endif
