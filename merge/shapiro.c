/*
 * shapiro.c — Shapiro–Wilk W and p-value, a port of Royston's Algorithm AS R94 (Appl. Statist.
 * 44(4), 1995) for uncensored samples, as scipy.stats.shapiro and R's shapiro.test run it
 * (see shapiro.h). The constants below are Royston's published polynomial coefficients.
 *
 * Outline (Royston 1992, 1995):
 *   m_i = Phi^-1((i - 3/8) / (n + 1/4)), the approximate expected normal order statistics;
 *   the two most extreme coefficients come from polynomials in u = 1/sqrt(n) (c1, c2), the others
 *   are m_i rescaled so that the coefficients' squares sum to 1;
 *   W is the squared correlation of the sorted data with the coefficients (computed as 1 - W
 *   to keep digits when W is close to 1);
 *   n = 3: exact p = 6/pi (asin(sqrt(W)) - asin(sqrt(3/4)));
 *   4 <= n <= 11: -log(gamma - log(1 - W)) is normal with mean c3(n), log sd c4(n);
 *   n >= 12: log(1 - W) is normal with mean c5(log n), log sd c6(log n).
 */
#include "shapiro.h"

#include <math.h>
#include <stdbool.h>

#include "dist.h"

/* Royston's coefficients, lowest power first. */
static const double c1[6] = {0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056};
static const double c2[6] = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
static const double c3[4] = {0.544, -0.39978, 0.025054, -6.714e-4};
static const double c4[4] = {1.3822, -0.77857, 0.062767, -0.0020322};
static const double c5[4] = {-1.5861, -0.31082, -0.083751, 0.0038915};
static const double c6[3] = {-0.4803, -0.082676, 0.0030302};
static const double g[2] = {-2.273, 0.459};

/* c[0] + c[1] x + ... + c[len - 1] x^(len - 1), by Horner's rule. */
static double poly(const double *c, int len, double x)
{
	double v = 0;

	for (int i = len - 1; i >= 0; i--)
		v = v * x + c[i];
	return v;
}

/* The coefficient of the (0-based) i-th smallest value: -a[i] in the lower half, +a[n-1-i] in the
 * upper half, 0 for the middle value of an odd n. `a` holds the n/2 positive half-coefficients,
 * a[0] the most extreme. */
static double coefficient(const double *a, size_t n, size_t i)
{
	size_t j = n - 1 - i;

	if (i == j)
		return 0;
	return i < j ? -a[i] : a[j];
}

/* Fill a[0 .. n/2) (n >= 3). Returns false when a normal quantile cannot be computed. */
static bool half_coefficients(size_t n, double *a)
{
	size_t half = n / 2;
	double an = (double)n, summ2 = 0, ssumm2, rsn, a1, a2, fac;
	size_t first_scaled;

	if (n == 3) {
		a[0] = sqrt(0.5);
		return true;
	}
	for (size_t i = 0; i < half; i++) {
		a[i] = dist_normal_quantile(((double)(i + 1) - 0.375) / (an + 0.25)); /* negative */
		if (isnan(a[i]))
			return false;
		summ2 += a[i] * a[i];
	}
	summ2 *= 2;
	ssumm2 = sqrt(summ2);
	rsn = 1 / sqrt(an);
	a1 = poly(c1, 6, rsn) - a[0] / ssumm2;
	if (n > 5) {
		a2 = -a[1] / ssumm2 + poly(c2, 6, rsn);
		fac = sqrt((summ2 - 2 * a[0] * a[0] - 2 * a[1] * a[1]) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
		a[1] = a2;
		first_scaled = 2;
	} else {
		fac = sqrt((summ2 - 2 * a[0] * a[0]) / (1 - 2 * a1 * a1));
		first_scaled = 1;
	}
	a[0] = a1;
	for (size_t i = first_scaled; i < half; i++)
		a[i] = -a[i] / fac;
	return true;
}

/* 1 - W: one minus the squared correlation of the data (scaled by their range) with the
 * coefficients, as (sqrt(ssa ssx) - sax)(sqrt(ssa ssx) + sax) / (ssa ssx). */
static double one_minus_w(const double *x, size_t n, const double *a)
{
	double range = x[n - 1] - x[0], mean_a = 0, mean_x = 0, ssa = 0, ssx = 0, sax = 0, root;

	for (size_t i = 0; i < n; i++) {
		mean_a += coefficient(a, n, i);
		mean_x += x[i] / range;
	}
	mean_a /= (double)n;
	mean_x /= (double)n;
	for (size_t i = 0; i < n; i++) {
		double da = coefficient(a, n, i) - mean_a, dx = x[i] / range - mean_x;
		ssa += da * da;
		ssx += dx * dx;
		sax += da * dx;
	}
	root = sqrt(ssa * ssx);
	return (root - sax) * (root + sax) / (ssa * ssx);
}

static double p_value(double w, double w1, size_t n)
{
	double an = (double)n, y = log(w1), m, s;

	if (n == 3) {
		double p = 6 / M_PI * (asin(sqrt(w)) - asin(sqrt(0.75)));
		return p < 0 ? 0 : p;
	}
	if (n <= 11) {
		double gamma = poly(g, 2, an);
		if (y >= gamma)
			return 1e-99; /* beyond the transformation's range: as AS R94, a vanishing p */
		y = -log(gamma - y);
		m = poly(c3, 4, an);
		s = exp(poly(c4, 4, an));
	} else {
		double ln = log(an);
		m = poly(c5, 4, ln);
		s = exp(poly(c6, 3, ln));
	}
	return dist_normal_upper(y, m, s);
}

struct shapiro shapiro_wilk(const double *sorted, size_t n, double *work)
{
	struct shapiro r = {{0, false}, {0, false}};
	double w1, p;

	if (n < 3 || !(sorted[n - 1] > sorted[0]) || !half_coefficients(n, work))
		return r;
	w1 = one_minus_w(sorted, n, work);
	p = p_value(1 - w1, w1, n);
	r.w = (struct stat_num){1 - w1, isfinite(w1)};
	r.p = (struct stat_num){p, isfinite(p)};
	return r;
}
