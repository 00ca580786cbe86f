/*
 * test_stats.c — merge/stats against published values and small cases worked by hand.
 */
#include "check.h"

#include <math.h>

#include "merge/stats.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Shrout & Fleiss (1979), Psychological Bulletin 86(2):420-428, Table 2: six targets rated by four
 * judges. The paper's Table 4 gives ICC(2,1) = .29; exactly 184/635 (BMS = 11.24, JMS = 32.49,
 * EMS = 1.02 as in its Table 3). */
static const double judge1[] = {9, 6, 8, 7, 10, 6};
static const double judge2[] = {2, 1, 4, 1, 5, 2};
static const double judge3[] = {5, 3, 6, 2, 6, 4};
static const double judge4[] = {8, 2, 8, 6, 9, 7};

TEST(icc_2_1_matches_shrout_fleiss_table_2)
{
	const double *raters[] = {judge1, judge2, judge3, judge4};
	struct stat_num icc = stats_icc_2_1(raters, 4, 6);

	CHECK(icc.known);
	CHECK_DOUBLE(icc.value, 184.0 / 635.0, 1e-14);
	CHECK_DOUBLE(round(icc.value * 100) / 100, 0.29, 0);
}

TEST(icc_2_1_unknown_for_degenerate_tables)
{
	const double same[] = {4, 4, 4};
	const double a[] = {1, 2}, b[] = {2, 1};

	CHECK(!stats_icc_2_1((const double *const[]){same, same}, 2, 3).known);
	CHECK(!stats_icc_2_1((const double *const[]){judge1, judge2}, 2, 1).known);
	CHECK(!stats_icc_2_1((const double *const[]){judge1}, 1, 6).known);
	/* two targets, ratings swapped: no spread between targets or raters, 0/0 */
	CHECK(!stats_icc_2_1((const double *const[]){a, b}, 2, 2).known);
}

/* Bland–Altman by hand: labels 10 20 30 40, predictions 12 19 33 44.
 * d = 2 -1 3 4: bias 2, deviations 0 -3 1 2 (SS 14), sd = sqrt(14/3), LoA 2 -/+ 1.96 sd;
 * MAE 10/4; RMSE sqrt(30/4); r = 550 / sqrt(500 * 614); ICC(2,1) = 440/449 (BMS 369, JMS 8,
 * EMS 7/3, by the Shrout & Fleiss formula). */
TEST(agreement_bland_altman_hand_case)
{
	const double label[] = {10, 20, 30, 40}, pred[] = {12, 19, 33, 44};
	struct stat_agreement a;

	stats_agreement(label, pred, 4, &a);
	CHECK_INT(a.n, 4);
	CHECK_DOUBLE(a.label_mean.value, 25, 0);
	CHECK_DOUBLE(a.pred_mean.value, 27, 0);
	CHECK_DOUBLE(a.bias.value, 2, 0);
	CHECK_DOUBLE(a.sd_diff.value, sqrt(14.0 / 3), 1e-15);
	CHECK_DOUBLE(a.loa_low.value, 2 - 1.96 * sqrt(14.0 / 3), 1e-14);
	CHECK_DOUBLE(a.loa_high.value, 2 + 1.96 * sqrt(14.0 / 3), 1e-14);
	CHECK_DOUBLE(a.mae.value, 2.5, 0);
	CHECK_DOUBLE(a.rmse.value, sqrt(7.5), 1e-15);
	CHECK_DOUBLE(a.pearson_r.value, 550 / sqrt(500.0 * 614), 1e-15);
	CHECK_DOUBLE(a.icc.value, 440.0 / 449, 1e-14);
	CHECK(a.sd_diff.known && a.loa_low.known && a.pearson_r.known && a.icc.known);
}

TEST(agreement_one_pair_has_no_spread_statistics)
{
	const double label[] = {7.5}, pred[] = {9};
	struct stat_agreement a;

	stats_agreement(label, pred, 1, &a);
	CHECK_INT(a.n, 1);
	CHECK_DOUBLE(a.bias.value, 1.5, 0);
	CHECK_DOUBLE(a.mae.value, 1.5, 0);
	CHECK_DOUBLE(a.rmse.value, 1.5, 0);
	CHECK(a.label_mean.known && a.pred_mean.known && a.bias.known);
	CHECK(!a.sd_diff.known && !a.loa_low.known && !a.loa_high.known);
	CHECK(!a.pearson_r.known && !a.icc.known);
}

TEST(agreement_all_identical_values)
{
	const double same[] = {42, 42, 42, 42, 42};
	struct stat_agreement a;

	stats_agreement(same, same, 5, &a);
	CHECK_DOUBLE(a.bias.value, 0, 0);
	CHECK_DOUBLE(a.sd_diff.value, 0, 0);
	CHECK_DOUBLE(a.loa_low.value, 0, 0);
	CHECK_DOUBLE(a.loa_high.value, 0, 0);
	CHECK_DOUBLE(a.mae.value, 0, 0);
	CHECK(a.sd_diff.known && a.loa_high.known);
	CHECK(!a.pearson_r.known);
	CHECK(!a.icc.known);
}

TEST(agreement_of_nothing_is_unknown)
{
	struct stat_agreement a;

	stats_agreement(NULL, NULL, 0, &a);
	CHECK_INT(a.n, 0);
	CHECK(!a.label_mean.known && !a.bias.known && !a.mae.known && !a.rmse.known);
}

/* Constant labels but varying predictions: r has no meaning, the rest does. */
TEST(agreement_constant_side_has_no_correlation)
{
	const double label[] = {0, 0, 0}, pred[] = {1, 2, 3};
	struct stat_agreement a;

	stats_agreement(label, pred, 3, &a);
	CHECK(!a.pearson_r.known);
	CHECK(a.icc.known);
	CHECK_DOUBLE(a.bias.value, 2, 0);
	CHECK_DOUBLE(a.sd_diff.value, 1, 1e-15);
}

/* Large, close values (minutes since an epoch far away) must not lose their spread. */
TEST(agreement_keeps_digits_with_large_offsets)
{
	const double label[] = {1e9 + 10, 1e9 + 20, 1e9 + 30, 1e9 + 40};
	const double pred[] = {1e9 + 12, 1e9 + 19, 1e9 + 33, 1e9 + 44};
	struct stat_agreement a;

	stats_agreement(label, pred, 4, &a);
	CHECK_DOUBLE(a.bias.value, 2, 1e-6);
	CHECK_DOUBLE(a.sd_diff.value, sqrt(14.0 / 3), 1e-6);
	CHECK_DOUBLE(a.pearson_r.value, 550 / sqrt(500.0 * 614), 1e-9);
	CHECK_DOUBLE(a.icc.value, 440.0 / 449, 1e-9);
}

/* Anscombe (1973), "Graphs in statistical analysis", Am. Stat. 27(1): data set I, r = 0.816. */
TEST(pearson_matches_anscombe_set_1)
{
	const double x[] = {10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
	const double y[] = {8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68};
	struct stat_num r = stats_pearson(x, y, N_OF(x));

	CHECK(r.known);
	CHECK_DOUBLE(r.value, 0.81642051634484, 1e-12);
}

TEST(mean_and_sd)
{
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};

	CHECK_DOUBLE(stats_mean(x, 8).value, 5, 0);
	CHECK_DOUBLE(stats_sd(x, 8).value, sqrt(32.0 / 7), 1e-15);
	CHECK(!stats_sd(x, 1).known);
	CHECK(!stats_mean(x, 0).known);
}

/* Wikipedia, "Cohen's kappa", worked example: 50 applications, both yes 20, A yes B no 5,
 * A no B yes 10, both no 15: po = 0.7, pe = 0.5, kappa = 0.4. With two classes the linear
 * weights are the identity weights, so the weighted kappa is 0.4 as well. */
TEST(kappa_two_by_two_worked_example)
{
	const uint64_t t[] = {20, 5, 10, 15};

	CHECK_DOUBLE(stats_kappa(t, 2, false).value, 0.4, 1e-15);
	CHECK_DOUBLE(stats_kappa(t, 2, true).value, 0.4, 1e-15);
	CHECK_DOUBLE(stats_accuracy(t, 2).value, 0.7, 1e-15);
}

/* Kavanagh et al. (2009), BMC Cancer 9:1, Table 2: two pathologists scoring 18 cases 1+/2+/3+,
 * rows [7 1 0] [0 8 0] [0 0 2]; published kappa 0.906 (exactly (18*17 - 132) / (324 - 132) =
 * 174/192). Linear weights (1, 1/2, 0) worked by hand on the same table: po_w = 17.5/18,
 * margins rows 8 8 2, columns 7 9 2, pe_w = (8*11.5 + 8*13.5 + 2*6.5) / 324 = 213/324,
 * kappa_w = (315 - 213) / (324 - 213) = 102/111. */
TEST(kappa_three_class_published_and_linear)
{
	const uint64_t t[] = {7, 1, 0, 0, 8, 0, 0, 0, 2};
	struct stat_num k = stats_kappa(t, 3, false);

	CHECK(k.known);
	CHECK_DOUBLE(k.value, 174.0 / 192, 1e-15);
	CHECK_DOUBLE(round(k.value * 1000) / 1000, 0.906, 0);
	CHECK_DOUBLE(stats_kappa(t, 3, true).value, 102.0 / 111, 1e-15);
}

/* Disagreement far off the diagonal costs more with linear weights. */
TEST(kappa_linear_weights_penalise_distance)
{
	const uint64_t near[] = {5, 5, 0, 0, 5, 0, 0, 0, 5}, far[] = {5, 0, 5, 0, 5, 0, 0, 0, 5};

	CHECK_DOUBLE(stats_kappa(near, 3, false).value, stats_kappa(far, 3, false).value, 1e-15);
	CHECK(stats_kappa(near, 3, true).value > stats_kappa(far, 3, true).value);
}

TEST(kappa_degenerate_tables)
{
	const uint64_t empty[16] = {0}, one_class[] = {9, 0, 0, 0};
	const uint64_t perfect[] = {3, 0, 0, 4};

	CHECK(!stats_kappa(empty, 4, false).known);
	CHECK(!stats_accuracy(empty, 4).known);
	CHECK(!stats_kappa(one_class, 2, false).known); /* pe = 1 */
	CHECK(!stats_kappa(one_class, 2, true).known);
	CHECK_DOUBLE(stats_kappa(perfect, 2, false).value, 1, 0);
	CHECK_DOUBLE(stats_accuracy(one_class, 2).value, 1, 0);
}

/* F1 by hand: class 0 has TP 7, FP 0 (column 0 off-diagonal), FN 1: 14/15. */
TEST(f1_per_class)
{
	const uint64_t t[] = {7, 1, 0, 0, 8, 0, 0, 0, 2};
	const uint64_t absent[] = {5, 0, 0, 0};

	CHECK_DOUBLE(stats_f1(t, 3, 0).value, 14.0 / 15, 1e-15);
	CHECK_DOUBLE(stats_f1(t, 3, 1).value, 16.0 / 17, 1e-15);
	CHECK_DOUBLE(stats_f1(t, 3, 2).value, 1, 0);
	CHECK(!stats_f1(absent, 2, 1).known);
}

TEST(diagnostic_proportions)
{
	struct stat_diagnostic d = {.tp = 39, .fp = 3, .fn = 0, .tn = 17};

	stats_diagnostic(&d);
	CHECK_DOUBLE(d.sensitivity.value, 1, 0);
	CHECK_DOUBLE(d.specificity.value, 17.0 / 20, 1e-15);
	CHECK_DOUBLE(d.ppv.value, 39.0 / 42, 1e-15);
	CHECK_DOUBLE(d.npv.value, 1, 0);

	struct stat_diagnostic none = {.tn = 5};
	stats_diagnostic(&none);
	CHECK(!none.sensitivity.known && !none.ppv.known);
	CHECK_DOUBLE(none.specificity.value, 1, 0);
}
