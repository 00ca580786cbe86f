/*
 * summary.c — mean, SD and the t confidence interval of the mean (see summary.h).
 *
 * The t quantile inverts the distribution function through the regularised incomplete beta
 * function, P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2), evaluated by its continued fraction (modified
 * Lentz, as in Numerical Recipes §6.4) and solved for 0.05 by bisection: slow-ish (~2,000 beta
 * evaluations) but exact to double precision and free of tables; a report needs a few dozen.
 */
#include "summary.h"

#include <math.h>

/* Continued fraction of I_x(a, b), valid for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 500; m++) {
		double m2 = 2.0 * m, num, delta;
		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = fabs(c) < tiny ? tiny : c;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(|T| > t) for Student's t with df degrees of freedom. */
static double two_sided_p(double t, double df)
{
	return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

double summary_t975(double df)
{
	double lo = 0, hi = 1;

	while (two_sided_p(hi, df) > 0.05) /* t(1) = 12.7: a few doublings at most */
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
		double mid = (lo + hi) / 2;
		if (two_sided_p(mid, df) > 0.05)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
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
