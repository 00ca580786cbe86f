/*
 * agreement.c — Bland–Altman analysis to the field's standard (see agreement.h).
 *
 * Sums of squares are taken over deviations from means (as merge/stats.c), so large, close values
 * (TIB in minutes) keep their digits. Critical values and p-values come from GSL (merge/dist.h).
 */
#include "agreement.h"

#include <math.h>
#include <stdlib.h>

#include "dist.h"
#include "shapiro.h"

static const struct stat_num unknown = {0, false};

static struct stat_num known(double v)
{
	return (struct stat_num){.value = v, .known = isfinite(v)};
}

static struct agreement_ci ci_around(double centre, double half_width)
{
	struct agreement_ci ci = {known(centre - half_width), known(centre + half_width)};

	if (!ci.low.known || !ci.high.known)
		ci.low = ci.high = unknown;
	return ci;
}

static const struct agreement_ci no_ci = {{0, false}, {0, false}};

static enum agreement_flag flag_from_p(struct stat_num p)
{
	if (!p.known)
		return AGREEMENT_FLAG_NULL;
	return p.value >= AGREEMENT_ALPHA ? AGREEMENT_FLAG_TRUE : AGREEMENT_FLAG_FALSE;
}

static bool all_equal(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return false;
	return true;
}

struct agreement_regression agreement_regress(const double *x, const double *y, size_t n, double *residuals)
{
	struct agreement_regression r = {.known = false};
	double mx, my, sxx = 0, sxy = 0, sse = 0, s2, se_slope, se_intercept, t;

	if (n < 3 || all_equal(x, n))
		return r;
	mx = stats_mean(x, n).value;
	my = stats_mean(y, n).value;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	r.slope = sxy / sxx;
	r.intercept = my - r.slope * mx;
	for (size_t i = 0; i < n; i++) {
		double e = y[i] - (r.intercept + r.slope * x[i]);
		if (residuals)
			residuals[i] = e;
		sse += e * e;
	}
	s2 = sse / (double)(n - 2);
	r.n = n;
	r.x_mean = mx;
	r.sxx = sxx;
	r.resid_var = s2;
	se_slope = sqrt(s2 / sxx);
	se_intercept = sqrt(s2 * (1 / (double)n + mx * mx / sxx));
	t = dist_t_critical(AGREEMENT_ALPHA, (double)(n - 2));
	r.known = true;
	r.slope_ci = ci_around(r.slope, t * se_slope);
	r.intercept_ci = ci_around(r.intercept, t * se_intercept);
	/* An exact fit (no residual) with a non-zero slope is infinitely significant; with a zero
	 * slope there is no evidence either way and p stays unknown. */
	if (se_slope > 0)
		r.p = known(dist_t_two_sided_p(r.slope / se_slope, (double)(n - 2)));
	else
		r.p = r.slope != 0 ? known(0) : unknown;
	return r;
}

double agreement_regression_band(const struct agreement_regression *r, double x)
{
	double t = dist_t_critical(AGREEMENT_ALPHA, (double)(r->n - 2));

	return t * sqrt(r->resid_var * (1 / (double)r->n + (x - r->x_mean) * (x - r->x_mean) / r->sxx));
}

/*
 * McGraw & Wong (1996), case 2A (two-way random, absolute agreement, single measure), as
 * pingouin's intraclass_corr writes it:
 *   Fj = JMS / EMS;  v = (k-1)(n-1) (k ICC Fj + n (1 + (k-1) ICC) - k ICC)^2
 *                       / ((n-1) k^2 ICC^2 Fj^2 + (n (1 + (k-1) ICC) - k ICC)^2)
 *   Fu = F(1 - alpha/2; n-1, v),  Fl = F(1 - alpha/2; v, n-1)
 *   low  = n (BMS - Fu EMS) / (Fu (k JMS + (k n - k - n) EMS) + n BMS)
 *   high = n (Fl BMS - EMS) / (k JMS + (k n - k - n) EMS + n Fl BMS)
 * Without residual variance (EMS = 0) Fj is infinite and the interval undefined.
 */
struct agreement_ci agreement_icc_ci(const double *const *raters, size_t k, size_t n)
{
	struct stat_num icc = stats_icc_2_1(raters, k, n);
	struct stat_anova a;
	double dk = (double)k, dn = (double)n, fj, core, v, fu, fl, rest;
	struct agreement_ci ci;

	if (n < 3 || !icc.known || !stats_two_way_anova(raters, k, n, &a) || !(a.ems > 0))
		return no_ci;
	fj = a.jms / a.ems;
	core = dn * (1 + (dk - 1) * icc.value) - dk * icc.value;
	v = (dk - 1) * (dn - 1) * pow(dk * icc.value * fj + core, 2) /
	    ((dn - 1) * dk * dk * icc.value * icc.value * fj * fj + core * core);
	fu = dist_f_quantile(1 - AGREEMENT_ALPHA / 2, dn - 1, v);
	fl = dist_f_quantile(1 - AGREEMENT_ALPHA / 2, v, dn - 1);
	rest = dk * a.jms + (dk * dn - dk - dn) * a.ems;
	ci.low = known(dn * (a.bms - fu * a.ems) / (fu * rest + dn * a.bms));
	ci.high = known(dn * (fl * a.bms - a.ems) / (rest + dn * fl * a.bms));
	if (!ci.low.known || !ci.high.known)
		return no_ci;
	return ci;
}

static int compare_doubles(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* The t-test and Shapiro–Wilk of d = pred - label (work: 2n doubles). */
static void tests(const double *label, const double *pred, size_t n, const struct stat_agreement *a,
		  double *work, struct agreement_ext *out)
{
	double *sorted = work, sd = a->sd_diff.value;
	struct shapiro sw;

	if (sd > 0)
		out->t_p = known(dist_t_two_sided_p(a->bias.value / (sd / sqrt((double)n)), (double)(n - 1)));
	else
		out->t_p = known(0); /* every d the same and not 0: an infinite t */
	for (size_t i = 0; i < n; i++)
		sorted[i] = pred[i] - label[i];
	qsort(sorted, n, sizeof *sorted, compare_doubles);
	sw = shapiro_wilk(sorted, n, work + n);
	out->shapiro_w = sw.w;
	out->shapiro_p = sw.p;
}

/* The two regressions (work: 2n doubles: d, then residuals). */
static void regressions(const double *label, const double *pred, size_t n, double *work,
			struct agreement_ext *out)
{
	double *d = work, *resid = work + n;

	for (size_t i = 0; i < n; i++)
		d[i] = pred[i] - label[i];
	out->bias_regr = agreement_regress(label, d, n, resid);
	if (!out->bias_regr.known)
		return;
	for (size_t i = 0; i < n; i++)
		resid[i] = fabs(resid[i]);
	out->loa_regr = agreement_regress(label, resid, n, NULL);
}

void agreement_extend(const double *label, const double *pred, size_t n, const struct stat_agreement *a,
		      double *work, struct agreement_ext *out)
{
	double t, sd;

	*out = (struct agreement_ext){.known = false, .unbiased = AGREEMENT_FLAG_NULL,
				      .normal = AGREEMENT_FLAG_NULL, .constant_bias = AGREEMENT_FLAG_NULL,
				      .homoscedastic = AGREEMENT_FLAG_NULL};
	out->icc_ci = agreement_icc_ci((const double *const[]){label, pred}, 2, n);
	if (n < 3 || !a->sd_diff.known || (a->sd_diff.value == 0 && a->bias.value == 0))
		return;
	out->known = true;
	sd = a->sd_diff.value;
	t = dist_t_critical(AGREEMENT_ALPHA, (double)(n - 1));
	out->bias_ci = ci_around(a->bias.value, t * sd / sqrt((double)n));
	out->loa_low_ci = ci_around(a->loa_low.value, t * sd * sqrt(3 / (double)n));
	out->loa_high_ci = ci_around(a->loa_high.value, t * sd * sqrt(3 / (double)n));
	tests(label, pred, n, a, work, out);
	regressions(label, pred, n, work, out);
	out->unbiased = flag_from_p(out->t_p);
	out->normal = flag_from_p(out->shapiro_p);
	if (out->bias_regr.known) {
		out->constant_bias = flag_from_p(out->bias_regr.p);
		out->homoscedastic = out->loa_regr.known ? flag_from_p(out->loa_regr.p) : AGREEMENT_FLAG_NULL;
	}
	out->bias_method = out->constant_bias == AGREEMENT_FLAG_FALSE ? AGREEMENT_REGR : AGREEMENT_PARAM;
	out->loa_method = out->homoscedastic == AGREEMENT_FLAG_FALSE ? AGREEMENT_REGR : AGREEMENT_PARAM;
}

double agreement_regr_bias_at(const struct agreement_ext *ext, double x)
{
	return ext->bias_regr.intercept + ext->bias_regr.slope * x;
}

double agreement_regr_loa_half_width_at(const struct agreement_ext *ext, double x)
{
	return AGREEMENT_Z * sqrt(M_PI / 2) * (ext->loa_regr.intercept + ext->loa_regr.slope * x);
}
