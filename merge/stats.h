/*
 * stats.h — the agreement statistics of SPEC §3 on plain arrays and count tables: Bland–Altman,
 * MAE/RMSE, Pearson r, ICC(2,1), Cohen's kappa (unweighted and linearly weighted), diagnostic
 * accuracy, per-class F1.
 *
 * Owns only the arithmetic: no I/O, no JSON, no night records (merge/report.c gathers the pairs and
 * tables). Nothing here can fail. A value that cannot be computed (too few pairs, zero variance, an
 * empty denominator) comes back as `known = false` — never NaN or infinity.
 */
#ifndef NIGHTFAN_MERGE_STATS_H
#define NIGHTFAN_MERGE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A number that may be missing (written as null). */
struct stat_num {
	double value;   /* meaningful only when known */
	bool known;
};

/* Agreement of paired measurements (labels = reference, predictions = method under test). */
struct stat_agreement {
	size_t n;                       /* number of pairs */
	struct stat_num label_mean, pred_mean;
	struct stat_num bias;           /* mean(pred - label); n >= 1 */
	struct stat_num sd_diff;        /* sample SD (n - 1) of pred - label; n >= 2 */
	struct stat_num loa_low, loa_high; /* bias -/+ 1.96 sd_diff; n >= 2 */
	struct stat_num mae, rmse;      /* n >= 1 */
	struct stat_num pearson_r;      /* n >= 2 and neither side constant */
	struct stat_num icc;            /* ICC(2,1) of the n x 2 table; see stats_icc_2_1 */
};

/* Fill *out from n pairs label[i], pred[i] (n may be 0: every value unknown). */
void stats_agreement(const double *label, const double *pred, size_t n, struct stat_agreement *out);

/* Mean of n values (unknown when n == 0). */
struct stat_num stats_mean(const double *x, size_t n);

/* Sample standard deviation (n - 1), corrected two-pass; unknown when n < 2. */
struct stat_num stats_sd(const double *x, size_t n);

/* Pearson correlation of n pairs; unknown when n < 2 or either side is constant. */
struct stat_num stats_pearson(const double *x, const double *y, size_t n);

#define STATS_ICC_MAX_RATERS 16
#define STATS_KAPPA_MAX_CLASSES 16

/* ICC(2,1) (Shrout & Fleiss 1979: two-way random effects, absolute agreement, single measure) of
 * n targets each rated by k raters: raters[j][i] is rater j's rating of target i. Unknown when
 * n < 2, k < 2, k > STATS_ICC_MAX_RATERS, every value is the same, or its denominator vanishes
 * (e.g. n = 2 with the raters' ratings swapped). */
struct stat_num stats_icc_2_1(const double *const *raters, size_t k, size_t n);

/* Mean squares of the two-way ANOVA of an n x k table (raters[j][i] as above): between targets
 * (bms, df n - 1), between raters (jms, df k - 1), residual (ems, df (n - 1)(k - 1)), and the total
 * sum of squares. false (nothing written) when n < 2, k < 2 or k > STATS_ICC_MAX_RATERS. */
struct stat_anova {
	double bms, jms, ems, ss_total;
};
bool stats_two_way_anova(const double *const *raters, size_t k, size_t n, struct stat_anova *out);

/* Cohen's kappa of a k x k table of counts (rows: reference, columns: rater; row-major).
 * linear_weights: agreement weight 1 - |i - j| / (k - 1) (Cohen 1968); else only the diagonal
 * agrees. k <= STATS_KAPPA_MAX_CLASSES. Unknown when the table is empty or chance agreement is already perfect (pe = 1). */
struct stat_num stats_kappa(const uint64_t *table, size_t k, bool linear_weights);

/* Proportion of the k x k table on its diagonal; unknown when the table is empty. */
struct stat_num stats_accuracy(const uint64_t *table, size_t k);

/* F1 of class c in the k x k table: 2 TP / (2 TP + FP + FN); unknown when that is 0 / 0. */
struct stat_num stats_f1(const uint64_t *table, size_t k, size_t c);

/* num / den, unknown when den == 0. */
struct stat_num stats_ratio(uint64_t num, uint64_t den);

/* A 2 x 2 diagnostic table with labels as the reference. */
struct stat_diagnostic {
	uint64_t tp, fp, fn, tn;
	struct stat_num sensitivity, specificity, ppv, npv;
};

/* Fill the four proportions from tp/fp/fn/tn already set in *d. */
void stats_diagnostic(struct stat_diagnostic *d);

#endif
