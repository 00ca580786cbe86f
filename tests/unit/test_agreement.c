/*
 * test_agreement.c — merge/dist (GSL), merge/shapiro and merge/agreement against published values
 * (textbook t and F quantiles, scipy's and R's Shapiro–Wilk references, Shrout & Fleiss 1979 with
 * the McGraw & Wong CI published by R's psych, Bland & Altman's PEFR example) and cases worked by
 * hand in closed form.
 */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "merge/agreement.h"
#include "merge/dist.h"
#include "merge/shapiro.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- distributions ------------------------------------------------------------------------- */

/* Two-sided 95 % critical values of Student's t (any textbook table, e.g. Fisher & Yates; more
 * digits: Abramowitz & Stegun Table 26.10). */
TEST(t_critical_values_match_the_tables)
{
	CHECK_DOUBLE(dist_t_critical(0.05, 1), 12.7062047361747, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.05, 2), 4.30265272974946, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.05, 10), 2.22813885198627, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.05, 16), 2.11990529922125, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.05, 30), 2.04227245630124, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.05, 120), 1.97993040508242, 1e-9);
	CHECK_DOUBLE(dist_t_critical(0.01, 10), 3.169, 5e-4);
	CHECK(isnan(dist_t_critical(0.05, 0)));
}

/* With 2 degrees of freedom P(|T| > t) = 1 - t / sqrt(2 + t^2) exactly; with 1, 1 - 2 atan(t) / pi. */
TEST(t_two_sided_p_matches_closed_forms)
{
	double t = 2.6457513110645906; /* sqrt(7) */

	CHECK_DOUBLE(dist_t_two_sided_p(t, 2), 1 - t / sqrt(2 + t * t), 1e-13);
	CHECK_DOUBLE(dist_t_two_sided_p(-t, 2), 1 - t / sqrt(2 + t * t), 1e-13);
	CHECK_DOUBLE(dist_t_two_sided_p(1.5, 1), 1 - 2 * atan(1.5) / M_PI, 1e-13);
	CHECK_DOUBLE(dist_t_two_sided_p(2.228138852, 10), 0.05, 1e-9);
	CHECK_DOUBLE(dist_t_two_sided_p(INFINITY, 5), 0, 0);
	CHECK_DOUBLE(dist_t_two_sided_p(0, 5), 1, 1e-15);
}

/* F tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.3): F(.975; 5, 15) = 3.576, F(.95; 5, 10) = 3.326. */
TEST(f_quantiles_match_the_tables)
{
	CHECK_DOUBLE(dist_f_quantile(0.975, 5, 15), 3.576, 5e-4);
	CHECK_DOUBLE(dist_f_quantile(0.95, 5, 10), 3.326, 5e-4);
	CHECK_DOUBLE(dist_f_quantile(0.95, 1, 10), 2.22813885198627 * 2.22813885198627, 1e-8); /* F(1,v) = t(v)^2 */
	CHECK(isnan(dist_f_quantile(0.95, 0, 10)));
}

/* ---- Shapiro–Wilk -------------------------------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct shapiro sw(const double *x, size_t n)
{
	double sorted[64], work[32];

	for (size_t i = 0; i < n; i++)
		sorted[i] = x[i];
	qsort(sorted, n, sizeof *sorted, by_value);
	return shapiro_wilk(sorted, n, work);
}

/* scipy's test_morestats.py TestShapiro.test_basic (x1, x2) and the example it takes from the
 * original paper (x4: W = 0.83467, p = 0.000914). */
TEST(shapiro_matches_scipy_references)
{
	static const double x1[] = {0.11, 7.87, 4.61, 10.14, 7.95, 3.14, 0.46, 4.43, 0.21, 4.75,
				    0.71, 1.52, 3.24, 0.93, 0.42, 4.97, 9.53, 4.55, 0.47, 6.66};
	static const double x2[] = {1.36, 1.14, 2.92, 2.55, 1.46, 1.06, 5.27, -1.11, 3.48, 1.10,
				    0.88, -0.51, 1.46, 0.52, 6.20, 1.69, 0.08, 3.67, 2.81, 3.49};
	static const double x4[] = {0.139, 0.157, 0.175, 0.256, 0.344, 0.413, 0.503, 0.577, 0.614,
				    0.655, 0.954, 1.392, 1.557, 1.648, 1.690, 1.994, 2.174, 2.206,
				    3.245, 3.510, 3.571, 4.354, 4.980, 6.084, 8.351};
	struct shapiro r;

	r = sw(x1, N_OF(x1));
	CHECK(r.w.known && r.p.known);
	CHECK_DOUBLE(r.w.value, 0.90047299861907959, 1e-6);
	CHECK_DOUBLE(r.p.value, 0.042089745402336121, 1e-6);
	r = sw(x2, N_OF(x2));
	CHECK_DOUBLE(r.w.value, 0.9590270, 1e-6);
	CHECK_DOUBLE(r.p.value, 0.52460, 1e-3);
	r = sw(x4, N_OF(x4));
	CHECK_DOUBLE(r.w.value, 0.83467, 1e-5);
	CHECK_DOUBLE(r.p.value, 0.000914, 1e-5);
}

/* n = 3 takes the exact p: R's shapiro.test, as quoted in scipy's test_length_3_gh18322 and
 * test_gh14462. */
TEST(shapiro_n3_matches_r)
{
	static const double a[] = {-0.7746653110021126, -0.4344432067942129, 1.8157053280290931};
	static const double b[] = {0.0, 3.39996924e-08, -6.35166875e-09};
	struct shapiro r = sw(a, 3);

	CHECK_DOUBLE(r.w.value, 0.84658770645509, 1e-12);
	CHECK_DOUBLE(r.p.value, 0.2313666489882, 0.2313666489882 * 1e-6);
	r = sw(b, 3);
	CHECK_DOUBLE(r.w.value, 0.86468431705371, 1e-5 * 0.86468431705371);
	CHECK_DOUBLE(r.p.value, 0.2805581751566, 1e-5 * 0.2805581751566);
}

TEST(shapiro_unknown_without_spread_or_values)
{
	static const double same[] = {2, 2, 2, 2};
	struct shapiro r = sw(same, 4);

	CHECK(!r.w.known && !r.p.known);
	r = sw(same, 2);
	CHECK(!r.w.known && !r.p.known);
}

/* ---- ICC(2,1) confidence interval ------------------------------------------------------------ */

/* Shrout & Fleiss (1979) Table 2; ICC(2,1) = 0.29. R's psych::ICC (McGraw & Wong 1996 case 2A,
 * as pingouin) prints the 95 % CI 0.019 to 0.76; more digits from an independent pure-Python
 * computation (its own F quantiles by bisection on the incomplete beta): 0.0187865134, 0.7610843696. */
TEST(icc_ci_matches_shrout_fleiss_and_psych)
{
	static const double j1[] = {9, 6, 8, 7, 10, 6}, j2[] = {2, 1, 4, 1, 5, 2};
	static const double j3[] = {5, 3, 6, 2, 6, 4}, j4[] = {8, 2, 8, 6, 9, 7};
	const double *raters[] = {j1, j2, j3, j4};
	struct agreement_ci ci = agreement_icc_ci(raters, 4, 6);

	CHECK(ci.low.known && ci.high.known);
	CHECK_DOUBLE(ci.low.value, 0.019, 5e-4);
	CHECK_DOUBLE(ci.high.value, 0.76, 5e-3);
	CHECK_DOUBLE(ci.low.value, 0.018786513374712054, 1e-8);
	CHECK_DOUBLE(ci.high.value, 0.7610843696489527, 1e-8);
	ci = agreement_icc_ci(raters, 4, 2); /* n < 3 */
	CHECK(!ci.low.known && !ci.high.known);
}

/* ---- regression ---------------------------------------------------------------------------- */

/* x 1 2 3 4, y 1 3 2 5: slope 5.5/5 = 1.1, intercept 0, residuals -0.1 0.8 -1.3 0.6, SSE 2.7,
 * s^2 = 1.35, SE(slope) = sqrt(0.27), SE(intercept) = sqrt(1.35 (1/4 + 6.25/5)) = sqrt(2.025);
 * df 2, so p = 1 - t / sqrt(2 + t^2) with t = 1.1 / sqrt(0.27). */
TEST(regression_hand_case)
{
	static const double x[] = {1, 2, 3, 4}, y[] = {1, 3, 2, 5};
	double resid[4], t = 1.1 / sqrt(0.27), t2 = 4.30265272974946;
	struct agreement_regression r = agreement_regress(x, y, 4, resid);

	CHECK(r.known);
	CHECK_DOUBLE(r.slope, 1.1, 1e-14);
	CHECK_DOUBLE(r.intercept, 0, 1e-14);
	CHECK_DOUBLE(resid[2], -1.3, 1e-14);
	CHECK_DOUBLE(r.slope_ci.low.value, 1.1 - t2 * sqrt(0.27), 1e-9);
	CHECK_DOUBLE(r.slope_ci.high.value, 1.1 + t2 * sqrt(0.27), 1e-9);
	CHECK_DOUBLE(r.intercept_ci.high.value, t2 * sqrt(2.025), 1e-9);
	CHECK_DOUBLE(r.p.value, 1 - t / sqrt(2 + t * t), 1e-12);
	/* the band at the mean of x is the intercept's CI shifted there: t2 sqrt(1.35 / 4) */
	CHECK_DOUBLE(agreement_regression_band(&r, 2.5), t2 * sqrt(1.35 / 4), 1e-9);
	CHECK_DOUBLE(agreement_regression_band(&r, 0), t2 * sqrt(2.025), 1e-9);
	r = agreement_regress(x, y, 2, NULL);
	CHECK(!r.known);
	static const double flat[] = {3, 3, 3, 3};
	r = agreement_regress(flat, y, 4, NULL);
	CHECK(!r.known);
}

/* ---- the whole analysis -------------------------------------------------------------------- */

static void analyse(const double *label, const double *pred, size_t n, struct stat_agreement *a,
		    struct agreement_ext *x)
{
	double work[AGREEMENT_WORK(32)];

	stats_agreement(label, pred, n, a);
	agreement_extend(label, pred, n, a, work, x);
}

/* Bland & Altman (Lancet 1986; Stat Methods Med Res 1999) PEFR example, the first reading of each
 * meter for 17 people: mean difference (mini - Wright) 2.1, SD 38.8; bias CI "-2.1 +/- 2.12 x 9.4
 * = -22.0 to 17.8" (Wright - mini, so 17.8 ... 22.0 here, sign flipped); SE of a limit
 * sqrt(3 s^2 / n) = 16.3, so each limit's CI is the limit +/- 2.12 x 16.3. */
TEST(bland_altman_pefr_example)
{
	static const double wright[] = {494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267,
					478, 178, 423, 427};
	static const double mini[] = {512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260,
				      477, 259, 350, 451};
	struct stat_agreement a;
	struct agreement_ext x;

	analyse(wright, mini, 17, &a, &x);
	CHECK(x.known);
	CHECK_DOUBLE(a.bias.value, 2.1, 0.05);
	CHECK_DOUBLE(a.sd_diff.value, 38.8, 0.05);
	CHECK_DOUBLE(x.bias_ci.low.value, -17.8, 0.05);
	CHECK_DOUBLE(x.bias_ci.high.value, 22.0, 0.05);
	CHECK_DOUBLE(x.loa_low_ci.high.value - a.loa_low.value, 2.12 * 16.3, 0.1);
	CHECK_DOUBLE(a.loa_high.value - x.loa_high_ci.low.value, 2.12 * 16.3, 0.1);
	/* exactly: t(16) sd sqrt(3/17) */
	CHECK_DOUBLE(x.loa_high_ci.high.value - a.loa_high.value,
		     2.11990529922125 * a.sd_diff.value * sqrt(3.0 / 17), 1e-9);
	CHECK_INT(x.unbiased, AGREEMENT_FLAG_TRUE);
	CHECK_INT(x.bias_method, AGREEMENT_PARAM);
}

/* d = 1 2 4 on three nights: mean 7/3, SD sqrt(7/3), t = sqrt(7) with 2 df, so
 * p = 1 - sqrt(7)/3 (closed form above). */
TEST(t_test_hand_case)
{
	static const double label[] = {10, 20, 30}, pred[] = {11, 22, 34};
	struct stat_agreement a;
	struct agreement_ext x;

	analyse(label, pred, 3, &a, &x);
	CHECK(x.known);
	CHECK_DOUBLE(x.t_p.value, 1 - sqrt(7) / 3, 1e-12);
	CHECK_INT(x.unbiased, AGREEMENT_FLAG_TRUE);
}

/* d grows with the label: x 1..5, d 0.1 2 3.9 6.1 8 (fractions by hand): slope 1.99, intercept
 * -1.95, residuals 0.06 -0.03 -0.12 0.09 0; |residuals| on x: slope -0.006, intercept 0.078.
 * t of the slope = 66.33 on 3 df: p = 1 - (2/pi)(th + sin th cos th), th = atan(t / sqrt 3). */
TEST(proportional_bias_picks_regression_bias)
{
	static const double label[] = {1, 2, 3, 4, 5}, pred[] = {1.1, 4, 6.9, 10.1, 13};
	struct stat_agreement a;
	struct agreement_ext x;
	double t, th;

	analyse(label, pred, 5, &a, &x);
	CHECK(x.known && x.bias_regr.known && x.loa_regr.known);
	CHECK_DOUBLE(x.bias_regr.slope, 1.99, 1e-12);
	CHECK_DOUBLE(x.bias_regr.intercept, -1.95, 1e-12);
	t = 1.99 / sqrt(0.027 / 3 / 10);
	th = atan(t / sqrt(3));
	CHECK_DOUBLE(x.bias_regr.p.value, 1 - 2 / M_PI * (th + sin(th) * cos(th)), 1e-12);
	CHECK_DOUBLE(x.loa_regr.slope, -0.006, 1e-12);
	CHECK_DOUBLE(x.loa_regr.intercept, 0.078, 1e-12);
	CHECK_INT(x.constant_bias, AGREEMENT_FLAG_FALSE);
	CHECK_INT(x.bias_method, AGREEMENT_REGR);
	CHECK_DOUBLE(agreement_regr_bias_at(&x, 2), -1.95 + 2 * 1.99, 1e-12);
	CHECK_DOUBLE(agreement_regr_loa_half_width_at(&x, 2), 1.96 * sqrt(M_PI / 2) * (0.078 - 0.012), 1e-12);
}

TEST(edge_rules_follow_the_spec)
{
	static const double label[] = {5, 6, 7, 8}, same[] = {5, 6, 7, 8}, flat[] = {4, 4, 4, 4};
	static const double flat_pred[] = {5, 3, 6, 4};
	struct stat_agreement a;
	struct agreement_ext x;

	/* every d is 0: nothing (the ICC's CI has no residual variance to work from either) */
	analyse(label, same, 4, &a, &x);
	CHECK(!x.known);
	CHECK(!x.icc_ci.low.known);
	CHECK_INT(x.normal, AGREEMENT_FLAG_NULL);
	/* n < 3 */
	analyse(label, flat_pred, 2, &a, &x);
	CHECK(!x.known);
	/* constant labels: no regression, both flags null, both methods param */
	analyse(flat, flat_pred, 4, &a, &x);
	CHECK(x.known);
	CHECK(!x.bias_regr.known);
	CHECK_INT(x.constant_bias, AGREEMENT_FLAG_NULL);
	CHECK_INT(x.homoscedastic, AGREEMENT_FLAG_NULL);
	CHECK_INT(x.bias_method, AGREEMENT_PARAM);
	CHECK_INT(x.loa_method, AGREEMENT_PARAM);
	CHECK(x.shapiro_p.known && x.t_p.known);
	/* one constant offset: an infinite t (p 0), no Shapiro–Wilk */
	static const double shifted[] = {6, 7, 8, 9};
	analyse(label, shifted, 4, &a, &x);
	CHECK(x.known);
	CHECK_DOUBLE(x.t_p.value, 0, 0);
	CHECK_INT(x.unbiased, AGREEMENT_FLAG_FALSE);
	CHECK(!x.shapiro_p.known);
	CHECK_INT(x.normal, AGREEMENT_FLAG_NULL);
	CHECK_DOUBLE(x.bias_ci.low.value, 1, 0);
}
