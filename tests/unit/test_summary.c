/*
 * test_summary.c — merge/summary: Student's t critical values against the published table
 * (two-sided 95 %, e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2: t(1) 12.706, t(2) 4.303, t(10) 2.228,
 * t(30) 2.042, t(100) 1.984), the closed forms for df = 1 (Cauchy: t = tan(π (1 − p) / 2) =
 * tan(0.475 π) = 12.7062...) and df = 2 (t = √(2 / (p (2 − p)) − 2) = 4.3027... with two-sided
 * p = 0.05), and a summary worked by hand.
 */
#include "check.h"

#include <math.h>

#include "merge/summary.h"

TEST(t_quantile_matches_closed_forms)
{
	CHECK_DOUBLE(summary_t975(1), tan(M_PI * 0.475), 1e-9);
	CHECK_DOUBLE(summary_t975(2), sqrt(2 / (0.05 * 1.95) - 2), 1e-10);
}

TEST(t_quantile_matches_the_published_table)
{
	CHECK_DOUBLE(summary_t975(10), 2.228, 5e-4);
	CHECK_DOUBLE(summary_t975(30), 2.042, 5e-4);
	CHECK_DOUBLE(summary_t975(100), 1.984, 5e-4);
	CHECK_DOUBLE(summary_t975(1e7), 1.959964, 1e-5);
}

TEST(summary_worked_by_hand)
{
	/* 0.8 and 0.75: mean 0.775, SD 0.05 / √2, half-width t(1) · SD / √2 = 0.025 · t(1) */
	double x[] = {0.8, 0.75};
	struct summary s;

	summary_of(x, 2, &s);
	CHECK_INT(s.n, 2);
	CHECK_DOUBLE(s.mean.value, 0.775, 1e-15);
	CHECK_DOUBLE(s.sd.value, 0.05 / sqrt(2), 1e-15);
	CHECK_DOUBLE(s.ci_low.value, 0.775 - 0.025 * tan(M_PI * 0.475), 1e-9);
	CHECK_DOUBLE(s.ci_high.value, 0.775 + 0.025 * tan(M_PI * 0.475), 1e-9);
	summary_of(x, 1, &s);
	CHECK(s.mean.known && !s.sd.known && !s.ci_low.known && !s.ci_high.known);
	summary_of(x, 0, &s);
	CHECK(!s.mean.known && s.n == 0);
}
