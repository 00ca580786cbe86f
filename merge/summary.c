/*
 * summary.c — mean, SD and the t confidence interval of the mean (see summary.h).
 *
 * The t quantile is GSL's (merge/dist.h), the one source of t, F and normal quantiles in the merge
 * (this file had its own incomplete-beta bisection before the agreement statistics brought GSL in).
 */
#include "summary.h"

#include <math.h>

#include "dist.h"

double summary_t975(double df)
{
	return dist_t_critical(0.05, df);
}

void summary_of(const double *x, size_t n, struct summary *out)
{
	struct stat_num none = {0, false};

	out->n = n;
	out->mean = stats_mean(x, n);
	out->sd = stats_sd(x, n);
	out->ci_low = out->ci_high = none;
	if (out->sd.known) {
		double half = summary_t975((double)(n - 1)) * out->sd.value / sqrt((double)n);
		out->ci_low = (struct stat_num){out->mean.value - half, true};
		out->ci_high = (struct stat_num){out->mean.value + half, true};
	}
}
