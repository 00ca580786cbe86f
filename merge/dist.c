/*
 * dist.c — Student's t, F and normal distributions through GSL (see dist.h).
 */
#include "dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>

/* GSL's default error handler aborts the process; here a failure becomes NaN at the caller. */
static void quiet(void)
{
	gsl_set_error_handler_off();
}

double dist_t_critical(double alpha, double df)
{
	quiet();
	if (!(df > 0) || !(alpha > 0 && alpha < 1))
		return NAN;
	return gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
}

double dist_t_two_sided_p(double t, double df)
{
	quiet();
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

double dist_f_quantile(double p, double d1, double d2)
{
	quiet();
	if (!(d1 > 0 && d2 > 0) || !(p > 0 && p < 1))
		return NAN;
	return gsl_cdf_fdist_Pinv(p, d1, d2);
}

double dist_normal_quantile(double p)
{
	quiet();
	if (!(p > 0 && p < 1))
		return NAN;
	return gsl_cdf_ugaussian_Pinv(p);
}

double dist_normal_upper(double x, double mean, double sd)
{
	quiet();
	if (!(sd > 0))
		return NAN;
	return gsl_cdf_ugaussian_Q((x - mean) / sd);
}
