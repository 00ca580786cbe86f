/*
 * dist.h — the probability distributions the agreement statistics need: Student's t, Fisher's F and
 * the standard normal, through GSL (libgsl, `gsl_cdf_*`), which is well kept and tested.
 *
 * Owns only the calls into GSL and the error-handler policy: GSL's default handler abort()s on a
 * domain error, so every function here turns it off first and reports an impossible result as
 * NaN instead (callers turn NaN into an unknown value). Nothing here allocates or prints.
 */
#ifndef NIGHTFAN_MERGE_DIST_H
#define NIGHTFAN_MERGE_DIST_H

/* The two-sided (1 - alpha) critical value of Student's t with df degrees of freedom (df > 0, may be
 * fractional): t such that P(|T| <= t) = 1 - alpha. NaN when df <= 0. */
double dist_t_critical(double alpha, double df);

/* Two-sided p-value of a t statistic: P(|T| >= |t|). An infinite t gives 0; NaN t or df <= 0 gives NaN. */
double dist_t_two_sided_p(double t, double df);

/* The p-quantile of F(d1, d2) (d1, d2 > 0, may be fractional). NaN outside the domain. */
double dist_f_quantile(double p, double d1, double d2);

/* The p-quantile of the standard normal. NaN for p outside (0, 1). */
double dist_normal_quantile(double p);

/* Upper tail of the normal N(mean, sd^2): P(X > x) (sd > 0). */
double dist_normal_upper(double x, double mean, double sd);

#endif
