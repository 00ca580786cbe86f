/*
 * fuzz_agreement.c — libFuzzer target for the merge's agreement arithmetic (merge/stats.c,
 * merge/agreement.c, merge/shapiro.c, merge/staging.c, merge/dist.c through GSL): any pairs of
 * values and any staging table must give only finite known values, within their ranges (p-values
 * and proportions in [0, 1], correlations and kappas at most 1, each CI around its estimate), and
 * never let GSL abort.
 *
 * Input: byte 0 picks how values are read (0: raw doubles, else small integers, which make ties,
 * constant sides and exact fits likely); the next 50 bytes are a 5 x 5 staging table (counts
 * 0..255 scaled by the byte before them); the rest are label/prediction pairs.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "staging.h"
#include "stats.h"

#define MAX_PAIRS 2048
#define SLACK 1e-9

static void in_range(struct stat_num v, double lo, double hi)
{
	if (v.known && (!isfinite(v.value) || v.value < lo - SLACK || v.value > hi + SLACK))
		abort();
}

static void around(struct agreement_ci ci, struct stat_num centre)
{
	if (ci.low.known != ci.high.known)
		abort();
	if (ci.low.known && centre.known &&
	    !(ci.low.value <= centre.value + SLACK * (1 + fabs(centre.value)) &&
	      centre.value <= ci.high.value + SLACK * (1 + fabs(centre.value))))
		abort();
}

static double value_at(const uint8_t *p, int raw)
{
	double v;

	if (!raw)
		return (double)(int8_t)p[0];
	memcpy(&v, p, sizeof v);
	return isfinite(v) && fabs(v) < 1e12 ? v : 0;
}

static void check_agreement(const uint8_t *data, size_t size, int raw)
{
	static double label[MAX_PAIRS], pred[MAX_PAIRS], work[AGREEMENT_WORK(MAX_PAIRS)];
	size_t width = raw ? 8 : 1, n = 0;
	struct stat_agreement a;
	struct agreement_ext x;

	for (size_t i = 0; i + 2 * width <= size && n < MAX_PAIRS; i += 2 * width, n++) {
		label[n] = value_at(data + i, raw);
		pred[n] = value_at(data + i + width, raw);
	}
	stats_agreement(label, pred, n, &a);
	agreement_extend(label, pred, n, &a, work, &x);
	in_range(a.pearson_r, -1, 1);
	in_range(a.icc, -INFINITY, 1);
	in_range(x.t_p, 0, 1);
	in_range(x.shapiro_w, 0, 1);
	in_range(x.shapiro_p, 0, 1);
	in_range(x.bias_regr.p, 0, 1);
	in_range(x.loa_regr.p, 0, 1);
	in_range(x.icc_ci.low, -INFINITY, 1);
	in_range(x.icc_ci.high, -INFINITY, 1);
	around(x.bias_ci, a.bias);
	around(x.loa_low_ci, a.loa_low);
	around(x.loa_high_ci, a.loa_high);
	if (x.bias_regr.known) {
		around(x.bias_regr.slope_ci, (struct stat_num){x.bias_regr.slope, true});
		around(x.bias_regr.intercept_ci, (struct stat_num){x.bias_regr.intercept, true});
	}
}

static void check_staging(const uint8_t *data)
{
	uint64_t table[STAGING_STAGES][STAGING_STAGES];
	struct staging_agreement s;

	for (int i = 0; i < STAGING_STAGES; i++)
		for (int j = 0; j < STAGING_STAGES; j++)
			table[i][j] = (uint64_t)data[2 * (i * STAGING_STAGES + j)] * (1 + data[2 * (i * STAGING_STAGES + j) + 1]);
	staging_agree(table, &s);
	in_range(s.accuracy, 0, 1);
	in_range(s.balanced_accuracy, 0, 1);
	in_range(s.f1_weighted, 0, 1);
	in_range(s.kappa, -INFINITY, 1);
	in_range(s.mcc, -1, 1);
	in_range(s.sleep_wake.kappa, -INFINITY, 1);
	in_range(s.sleep_wake.pabak, -1, 1);
	in_range(s.sleep_wake.prevalence_index, 0, 1);
	for (int k = 0; k < STAGING_STAGES; k++) {
		in_range(s.stage[k].sensitivity, 0, 1);
		in_range(s.stage[k].specificity, 0, 1);
		in_range(s.stage[k].f1, 0, 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 51)
		return 0;
	check_staging(data + 1);
	check_agreement(data + 51, size - 51, data[0] == 0);
	return 0;
}
