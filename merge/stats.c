/*
 * stats.c — agreement statistics (see stats.h).
 *
 * Numerics: means are refined by a second pass (mean += sum(x - mean) / n) and every sum of squares
 * is taken over deviations from that mean (the corrected two-pass algorithm of Chan, Golub & LeVeque
 * 1983), so nights with large, close values (TIB in minutes, say) lose no digits. "Constant" is
 * decided exactly (min == max), not by comparing a rounded variance with zero. Kappa works on
 * integer counts (linear weights scaled by k - 1 to stay integral), so it is exact up to 2^53.
 */
#include "stats.h"

#include <math.h>

static struct stat_num known(double v)
{
	return (struct stat_num){.value = v, .known = isfinite(v)};
}

static const struct stat_num unknown = {0, false};

struct stat_num stats_mean(const double *x, size_t n)
{
	double sum = 0, correction = 0, mean;

	if (n == 0)
		return unknown;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		correction += x[i] - mean;
	return known(mean + correction / (double)n);
}

/* Sum of squared deviations from `mean`. */
static double sum_squares(const double *x, size_t n, double mean)
{
	double ss = 0, d;

	for (size_t i = 0; i < n; i++) {
		d = x[i] - mean;
		ss += d * d;
	}
	return ss;
}

static bool is_constant(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return false;
	return true;
}

struct stat_num stats_sd(const double *x, size_t n)
{
	if (n < 2)
		return unknown;
	if (is_constant(x, n))
		return known(0);
	return known(sqrt(sum_squares(x, n, stats_mean(x, n).value) / (double)(n - 1)));
}

struct stat_num stats_pearson(const double *x, const double *y, size_t n)
{
	double mx, my, sxx, syy, sxy = 0, r;

	if (n < 2 || is_constant(x, n) || is_constant(y, n))
		return unknown;
	mx = stats_mean(x, n).value;
	my = stats_mean(y, n).value;
	sxx = sum_squares(x, n, mx);
	syy = sum_squares(y, n, my);
	for (size_t i = 0; i < n; i++)
		sxy += (x[i] - mx) * (y[i] - my);
	if (!(sxx > 0 && syy > 0))
		return unknown;
	r = sxy / sqrt(sxx * syy);
	return known(r > 1 ? 1 : r < -1 ? -1 : r);
}

/* Mean of target i's k ratings. */
static double target_mean(const double *const *raters, size_t k, size_t i)
{
	double sum = 0;

	for (size_t j = 0; j < k; j++)
		sum += raters[j][i];
	return sum / (double)k;
}

static bool table_is_constant(const double *const *raters, size_t k, size_t n)
{
	for (size_t j = 0; j < k; j++)
		for (size_t i = 0; i < n; i++)
			if (raters[j][i] != raters[0][0])
				return false;
	return true;
}

bool stats_two_way_anova(const double *const *raters, size_t k, size_t n, struct stat_anova *out)
{
	double col_mean[STATS_ICC_MAX_RATERS];
	double grand = 0, ss_rows = 0, ss_cols = 0, ss_err = 0, ss_total = 0;

	if (n < 2 || k < 2 || k > STATS_ICC_MAX_RATERS)
		return false;
	for (size_t j = 0; j < k; j++) {
		col_mean[j] = stats_mean(raters[j], n).value;
		grand += col_mean[j];
	}
	grand /= (double)k;
	for (size_t j = 0; j < k; j++)
		ss_cols += (col_mean[j] - grand) * (col_mean[j] - grand);
	ss_cols *= (double)n;
	for (size_t i = 0; i < n; i++) {
		double rm = target_mean(raters, k, i);
		ss_rows += (rm - grand) * (rm - grand);
		for (size_t j = 0; j < k; j++) {
			double v = raters[j][i];
			double resid = v - rm - col_mean[j] + grand;
			ss_err += resid * resid;
			ss_total += (v - grand) * (v - grand);
		}
	}
	ss_rows *= (double)k;
	out->bms = ss_rows / (double)(n - 1);
	out->jms = ss_cols / (double)(k - 1);
	out->ems = ss_err / (double)((n - 1) * (k - 1));
	out->ss_total = ss_total;
	return true;
}

/*
 * Shrout & Fleiss (1979), case 2, single rater:
 *   ICC(2,1) = (BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)
 * with BMS the between-targets, JMS the between-raters and EMS the residual mean square.
 */
struct stat_num stats_icc_2_1(const double *const *raters, size_t k, size_t n)
{
	struct stat_anova a;
	double den;

	if (!stats_two_way_anova(raters, k, n, &a) || table_is_constant(raters, k, n))
		return unknown;
	den = a.bms + (double)(k - 1) * a.ems + (double)k * (a.jms - a.ems) / (double)n;
	/* For n >= 2 the denominator is a sum of non-negative terms that vanishes only when the table
	 * has neither between-target nor between-rater spread; anything at rounding level relative to
	 * the total spread counts as vanished. */
	if (!(den > 1e-12 * a.ss_total / (double)(n * k - 1)))
		return unknown;
	return known((a.bms - a.ems) / den);
}

/* Bland–Altman and error summaries need the differences; the caller's arrays stay untouched. */
void stats_agreement(const double *label, const double *pred, size_t n, struct stat_agreement *out)
{
	double sum_d = 0, sum_abs = 0, sum_sq = 0, mean_d, ss_d = 0, corr = 0;
	bool diffs_constant = true;

	*out = (struct stat_agreement){.n = n};
	if (n == 0)
		return;
	out->label_mean = stats_mean(label, n);
	out->pred_mean = stats_mean(pred, n);
	for (size_t i = 0; i < n; i++) {
		double d = pred[i] - label[i];
		sum_d += d;
		sum_abs += fabs(d);
		sum_sq += d * d;
		if (d != pred[0] - label[0])
			diffs_constant = false;
	}
	mean_d = sum_d / (double)n;
	for (size_t i = 0; i < n; i++) {
		double dev = (pred[i] - label[i]) - mean_d;
		corr += dev;
		ss_d += dev * dev;
	}
	mean_d += corr / (double)n;
	out->bias = known(mean_d);
	out->mae = known(sum_abs / (double)n);
	out->rmse = known(sqrt(sum_sq / (double)n));
	if (n < 2)
		return;
	out->sd_diff = known(diffs_constant ? 0 : sqrt(ss_d / (double)(n - 1)));
	out->loa_low = known(mean_d - 1.96 * out->sd_diff.value);
	out->loa_high = known(mean_d + 1.96 * out->sd_diff.value);
	out->pearson_r = stats_pearson(label, pred, n);
	out->icc = stats_icc_2_1((const double *const[]){label, pred}, 2, n);
}

/* Integer agreement weight of cell (i, j): 1 on the diagonal (unweighted), or (k - 1) - |i - j|. */
static double agreement_weight(size_t i, size_t j, size_t k, bool linear_weights)
{
	size_t distance = i > j ? i - j : j - i;

	if (!linear_weights || k < 2)
		return distance == 0;
	return (double)(k - 1 - distance);
}

/*
 * Cohen (1960, 1968): kappa = (po - pe) / (1 - pe) with po = sum w_ij p_ij and
 * pe = sum w_ij p_i. p_.j. Multiplied through by N^2 (and, for linear weights, by k - 1 so that the
 * weights (k - 1) - |i - j| are integers) every term is an integer: no rounding until the division.
 */
struct stat_num stats_kappa(const uint64_t *table, size_t k, bool linear_weights)
{
	uint64_t row[STATS_KAPPA_MAX_CLASSES] = {0}, col[STATS_KAPPA_MAX_CLASSES] = {0};
	double total = 0, observed = 0, chance = 0, scale;

	if (k < 1 || k > STATS_KAPPA_MAX_CLASSES)
		return unknown;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			row[i] += table[i * k + j];
			col[j] += table[i * k + j];
		}
	}
	for (size_t i = 0; i < k; i++)
		total += (double)row[i];
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			double w = agreement_weight(i, j, k, linear_weights);
			observed += w * (double)table[i * k + j];
			chance += w * (double)row[i] * (double)col[j];
		}
	}
	scale = linear_weights && k > 1 ? (double)(k - 1) : 1;
	if (total == 0 || total * total * scale == chance)
		return unknown;
	return known((total * observed - chance) / (total * total * scale - chance));
}

struct stat_num stats_accuracy(const uint64_t *table, size_t k)
{
	uint64_t diagonal = 0, total = 0;

	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			total += table[i * k + j];
	for (size_t i = 0; i < k; i++)
		diagonal += table[i * k + i];
	return stats_ratio(diagonal, total);
}

struct stat_num stats_f1(const uint64_t *table, size_t k, size_t c)
{
	uint64_t tp = table[c * k + c], fp = 0, fn = 0;

	for (size_t i = 0; i < k; i++) {
		if (i == c)
			continue;
		fp += table[i * k + c]; /* reference said i, rater said c */
		fn += table[c * k + i]; /* reference said c, rater said i */
	}
	return stats_ratio(2 * tp, 2 * tp + fp + fn);
}

struct stat_num stats_ratio(uint64_t num, uint64_t den)
{
	return den ? known((double)num / (double)den) : unknown;
}

void stats_diagnostic(struct stat_diagnostic *d)
{
	d->sensitivity = stats_ratio(d->tp, d->tp + d->fn);
	d->specificity = stats_ratio(d->tn, d->tn + d->fp);
	d->ppv = stats_ratio(d->tp, d->tp + d->fp);
	d->npv = stats_ratio(d->tn, d->tn + d->fn);
}
