/*
 * agreement.h — Bland–Altman analysis to the field's standard (SPEC §3 "Agreement to the field's
 * standard"; Menghini et al. 2021, YASA's SleepStatsAgreement): confidence intervals of the bias
 * and of the limits of agreement (Bland & Altman 1999), the proportional-bias and
 * heteroscedasticity regressions, the one-sample t-test and Shapiro–Wilk test of the differences,
 * the four assumption flags and the method they pick, and the 95 % CI of ICC(2,1) (McGraw & Wong
 * 1996, case 2A).
 *
 * Owns this arithmetic only; the plain Bland–Altman figures (bias, SD, limits, ICC) are
 * merge/stats.h, the distributions merge/dist.h, Shapiro–Wilk merge/shapiro.h. Nothing here can
 * fail or allocate: the caller hands in scratch space. Unknown values are `known = false`.
 */
#ifndef NIGHTFAN_MERGE_AGREEMENT_H
#define NIGHTFAN_MERGE_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "stats.h"

#define AGREEMENT_ALPHA 0.05
#define AGREEMENT_Z 1.96

/* A confidence interval; both ends known or neither. */
struct agreement_ci {
	struct stat_num low, high;
};

/* Least squares of y on x with t-based CIs (df n - 2) and the two-sided p of slope = 0. */
struct agreement_regression {
	bool known;                     /* false: n < 3 or x constant */
	double intercept, slope;
	struct agreement_ci intercept_ci, slope_ci;
	struct stat_num p;              /* unknown when the fit is exact and the slope is 0 */
	/* for the confidence band of the line: n, mean and spread of x, residual variance */
	size_t n;
	double x_mean, sxx, resid_var;
};

/* A flag that may be unknown. */
enum agreement_flag { AGREEMENT_FLAG_NULL = -1, AGREEMENT_FLAG_FALSE = 0, AGREEMENT_FLAG_TRUE = 1 };

enum agreement_method { AGREEMENT_PARAM, AGREEMENT_REGR };

struct agreement_ext {
	/* false when n < 3 or every difference is 0: then everything below but icc_ci is unknown */
	bool known;
	struct agreement_ci bias_ci, loa_low_ci, loa_high_ci;
	struct agreement_regression bias_regr; /* d on the label value (proportional bias) */
	struct agreement_regression loa_regr;  /* |residuals of bias_regr| on the label value */
	struct stat_num t_p, shapiro_w, shapiro_p;
	enum agreement_flag unbiased, normal, constant_bias, homoscedastic;
	enum agreement_method bias_method, loa_method;
	struct agreement_ci icc_ci;     /* unknown when n < 3, ICC unknown, or no residual variance */
};

/* Doubles of scratch agreement_extend needs for n pairs. */
#define AGREEMENT_WORK(n) (3 * (n) + 1)

/* Fill *out for the n pairs label[i], pred[i] whose plain figures are *a (from stats_agreement
 * over the same pairs). `work` holds AGREEMENT_WORK(n) doubles. */
void agreement_extend(const double *label, const double *pred, size_t n, const struct stat_agreement *a,
		      double *work, struct agreement_ext *out);

/* Least squares of y on x (see struct agreement_regression); residuals (may be NULL) receives the
 * n residuals y - fit. */
struct agreement_regression agreement_regress(const double *x, const double *y, size_t n, double *residuals);

/* Half width of the 95 % confidence band of a known regression line at x:
 * t(n - 2) sqrt(s^2 (1/n + (x - mean x)^2 / Sxx)). */
double agreement_regression_band(const struct agreement_regression *r, double x);

/* 95 % CI of ICC(2,1) for n targets rated by k raters (raters[j][i], as stats_icc_2_1), after
 * McGraw & Wong (1996) case 2A, as pingouin's intraclass_corr computes it. */
struct agreement_ci agreement_icc_ci(const double *const *raters, size_t k, size_t n);

/* Regression-based limits at label value x: bias_regr(x) -/+ 1.96 sqrt(pi/2) loa_regr(x). The
 * caller checks that both regressions are known. */
double agreement_regr_bias_at(const struct agreement_ext *ext, double x);
double agreement_regr_loa_half_width_at(const struct agreement_ext *ext, double x);

#endif
