/*
 * test_staging.c — merge/staging against cases worked by hand. The reference figures of the main
 * table were computed independently in exact fractions from the 120 epoch pairs it stands for
 * (kappa from observed and chance agreement, MCC as Gorodkin's covariance of one-hot vectors),
 * not from the count formulas used here.
 */
#include "check.h"

#include <math.h>

#include "merge/staging.h"

/* rows labels, columns predictions: W N1 N2 N3 R */
static const uint64_t table[5][5] = {
	{20, 2, 1, 0, 1},
	{3, 4, 5, 0, 1},
	{1, 2, 40, 3, 2},
	{0, 0, 4, 12, 0},
	{1, 1, 2, 0, 15},
};

TEST(overall_figures)
{
	struct staging_agreement a;

	staging_agree(table, &a);
	CHECK_INT(a.n, 120);
	CHECK_DOUBLE(a.accuracy.value, 91.0 / 120, 1e-15);
	CHECK_DOUBLE(a.kappa.value, 3553.0 / 5293, 1e-14);
	CHECK_DOUBLE(a.mcc.value, 0.6724255949735414, 1e-14);
	CHECK_DOUBLE(a.balanced_accuracy.value, 2083.0 / 2964, 1e-14);
	CHECK_DOUBLE(a.f1_weighted.value, 7527923.0 / 10025400, 1e-14);
}

TEST(one_vs_rest)
{
	struct staging_agreement a;

	staging_agree(table, &a);
	/* N1: tp 4, fn 9, fp 5, tn 102 */
	CHECK_INT(a.stage[1].support, 13);
	CHECK_INT(a.stage[1].tn, 102);
	CHECK_DOUBLE(a.stage[1].sensitivity.value, 4.0 / 13, 1e-15);
	CHECK_DOUBLE(a.stage[1].specificity.value, 102.0 / 107, 1e-15);
	CHECK_DOUBLE(a.stage[1].ppv.value, 4.0 / 9, 1e-15);
	CHECK_DOUBLE(a.stage[1].npv.value, 34.0 / 37, 1e-15);
	CHECK_DOUBLE(a.stage[1].f1.value, 8.0 / 22, 1e-15);
	CHECK_DOUBLE(a.stage[1].accuracy.value, 53.0 / 60, 1e-15);
	/* N2: spec 5/6, ppv 10/13, npv 15/17 */
	CHECK_DOUBLE(a.stage[2].specificity.value, 5.0 / 6, 1e-15);
	CHECK_DOUBLE(a.stage[2].ppv.value, 10.0 / 13, 1e-15);
	CHECK_DOUBLE(a.stage[2].npv.value, 15.0 / 17, 1e-15);
	/* R: accuracy 14/15 */
	CHECK_DOUBLE(a.stage[4].accuracy.value, 14.0 / 15, 1e-15);
}

/* a (sleep/sleep) 91, b (sleep/wake) 5, c (wake/sleep) 4, d (wake/wake) 20. */
TEST(sleep_wake_with_pabak_and_prevalence)
{
	struct staging_agreement a;
	const struct staging_sleep_wake *w = &a.sleep_wake;

	staging_agree(table, &a);
	CHECK_INT(w->confusion[0][0], 91);
	CHECK_INT(w->confusion[0][1], 5);
	CHECK_INT(w->confusion[1][0], 4);
	CHECK_INT(w->confusion[1][1], 20);
	CHECK_DOUBLE(w->accuracy.value, 37.0 / 40, 1e-15);
	CHECK_DOUBLE(w->sensitivity.value, 91.0 / 96, 1e-15);
	CHECK_DOUBLE(w->specificity.value, 5.0 / 6, 1e-15);
	CHECK_DOUBLE(w->ppv.value, 91.0 / 95, 1e-15);
	CHECK_DOUBLE(w->npv.value, 4.0 / 5, 1e-15);
	CHECK_DOUBLE(w->kappa.value, 10.0 / 13, 1e-14);
	CHECK_DOUBLE(w->pabak.value, 17.0 / 20, 1e-15);
	CHECK_DOUBLE(w->prevalence_index.value, 71.0 / 120, 1e-15);
}

/* A night without N1 or N3 in the labels: those stages have no support, so sensitivity (0/0) and
 * F1 where the predictions never said them either are null, and balanced accuracy averages the
 * three stages with support. Everything predicted N2: MCC's denominator is 0. */
TEST(stages_without_support_and_degenerate_mcc)
{
	static const uint64_t t[5][5] = {
		{3, 0, 1, 0, 0},
		{0, 0, 0, 0, 0},
		{0, 1, 5, 0, 0},
		{0, 0, 0, 0, 0},
		{0, 0, 2, 0, 2},
	};
	static const uint64_t all_n2[5][5] = {{0, 0, 4, 0, 0}, {0}, {0, 0, 6, 0, 0}, {0}, {0}};
	struct staging_agreement a;

	staging_agree(t, &a);
	CHECK(!a.stage[1].sensitivity.known);
	CHECK_DOUBLE(a.stage[1].f1.value, 0, 0); /* fp 1: 0 / 1 */
	CHECK(!a.stage[3].sensitivity.known && !a.stage[3].f1.known && !a.stage[3].ppv.known);
	CHECK_DOUBLE(a.balanced_accuracy.value, (3.0 / 4 + 5.0 / 6 + 2.0 / 4) / 3, 1e-15);
	/* F1: W 6/7 (support 4), N2 10/14 (6), R 4/6 (4) */
	CHECK_DOUBLE(a.f1_weighted.value, (4 * 6.0 / 7 + 6 * 10.0 / 14 + 4 * 4.0 / 6) / 14, 1e-15);
	staging_agree(all_n2, &a);
	CHECK(!a.mcc.known);
	CHECK_DOUBLE(a.kappa.value, 0, 1e-15);
	staging_agree((const uint64_t[5][5]){{0}}, &a);
	CHECK(!a.accuracy.known && !a.balanced_accuracy.known && !a.f1_weighted.known && !a.mcc.known);
}

/* 0.5 0.7 0.9 (and an unknown, skipped): mean 0.7, SD 0.2, CI 0.7 -/+ t(2) 0.2 / sqrt(3). */
TEST(summary_over_nights)
{
	struct staging_summary s = {0};

	staging_summary_add(&s, (struct stat_num){0.5, true});
	staging_summary_add(&s, (struct stat_num){0, false});
	staging_summary_add(&s, (struct stat_num){0.7, true});
	staging_summary_add(&s, (struct stat_num){0.9, true});
	staging_summary_finish(&s);
	CHECK_INT(s.n, 3);
	CHECK_DOUBLE(s.mean.value, 0.7, 1e-15);
	CHECK_DOUBLE(s.sd.value, 0.2, 1e-15);
	CHECK_DOUBLE(s.ci_low.value, 0.7 - 4.30265272974946 * 0.2 / sqrt(3), 1e-12);
	CHECK_DOUBLE(s.ci_high.value, 0.7 + 4.30265272974946 * 0.2 / sqrt(3), 1e-12);
	struct staging_summary one = {0};
	staging_summary_add(&one, (struct stat_num){0.4, true});
	staging_summary_finish(&one);
	CHECK(one.mean.known && !one.sd.known && !one.ci_low.known);
}

/* The error matrix: each night's row proportions, averaged over the nights with that row. */
TEST(error_matrix_over_nights)
{
	static const uint64_t n1[5][5] = {{3, 1, 0, 0, 0}, {0}, {0, 0, 2, 0, 0}, {0}, {0}};
	static const uint64_t n2[5][5] = {{1, 0, 1, 0, 0}, {0, 1, 0, 0, 0}, {0}, {0}, {0}};
	struct staging_by_night b = {0};
	struct staging_agreement a;

	staging_agree(n1, &a);
	staging_by_night_add(&b, &a, n1);
	staging_agree(n2, &a);
	staging_by_night_add(&b, &a, n2);
	staging_by_night_finish(&b);
	CHECK_DOUBLE(b.proportion[0][0].mean.value, (0.75 + 0.5) / 2, 1e-15);
	CHECK_DOUBLE(b.proportion[0][0].sd.value, sqrt(2) * 0.125, 1e-15);
	CHECK_INT(b.proportion[2][2].n, 1);
	CHECK_DOUBLE(b.proportion[2][2].mean.value, 1, 0);
	CHECK_INT(b.proportion[3][3].n, 0);
	CHECK(!b.proportion[3][3].mean.known);
	CHECK_INT(b.accuracy.n, 2);
	CHECK_DOUBLE(b.accuracy.mean.value, (5.0 / 6 + 2.0 / 3) / 2, 1e-15);
}
