/*
 * staging.h — epoch-by-epoch agreement of sleep stages (SPEC §3 "Agreement to the field's
 * standard"; Menghini et al. 2021, YASA's EpochByEpochAgreement): from a 5 x 5 table of epoch
 * counts (rows labels, columns predictions, W N1 N2 N3 R), the overall accuracy, balanced accuracy,
 * Cohen's kappa, multiclass MCC and support-weighted F1, the one-vs-rest figures of every stage,
 * the sleep/wake collapse (with PABAK and the prevalence index), and summaries of a figure over
 * nights (mean, SD, t-based CI).
 *
 * Owns this arithmetic only: which nights and epochs enter is merge/report.c, writing is
 * merge/report_json.c, merge/staging_csv.c and merge/report_html.c. Nothing here can fail.
 */
#ifndef NIGHTFAN_MERGE_STAGING_H
#define NIGHTFAN_MERGE_STAGING_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define STAGING_STAGES 5                /* W N1 N2 N3 R */

extern const char *const staging_stage_names[STAGING_STAGES];

/* One stage against the rest. */
struct staging_stage {
	uint64_t tp, fn, fp, tn, support;
	struct stat_num sensitivity, specificity, ppv, npv, f1, accuracy;
};

/* Sleep (N1 N2 N3 R) against wake (W); confusion[0] = labels sleep, [1] = labels wake, columns
 * predictions sleep, wake. Sensitivity is of sleep, specificity of wake, ppv of sleep, npv of wake. */
struct staging_sleep_wake {
	uint64_t confusion[2][2], n;
	struct stat_num accuracy, sensitivity, specificity, ppv, npv, kappa, pabak, prevalence_index;
};

struct staging_agreement {
	uint64_t n;                     /* epochs in the table */
	struct stat_num accuracy, balanced_accuracy, kappa, mcc, f1_weighted;
	struct staging_stage stage[STAGING_STAGES];
	struct staging_sleep_wake sleep_wake;
};

/* Every figure of the 5 x 5 table (row-major). */
void staging_agree(const uint64_t table[STAGING_STAGES][STAGING_STAGES], struct staging_agreement *out);

/* Summary of one figure over nights: the nights where it is known. Add values with
 * staging_summary_add (unknown values are skipped), then staging_summary_finish. */
struct staging_summary {
	size_t n;
	double mean_acc, m2_acc;        /* running sums (Welford) */
	struct stat_num mean, sd, ci_low, ci_high; /* after finish: mean n >= 1; sd and CI n >= 2 */
};

void staging_summary_add(struct staging_summary *s, struct stat_num v);
void staging_summary_finish(struct staging_summary *s);

/* Per-night summaries: staging figures and the sleep/wake block. */
struct staging_stage_summary {
	struct staging_summary sensitivity, specificity, ppv, npv, f1, accuracy;
};

struct staging_by_night {
	struct staging_summary accuracy, balanced_accuracy, kappa, mcc, f1_weighted;
	struct staging_stage_summary stage[STAGING_STAGES];
	struct staging_summary sw_accuracy, sw_sensitivity, sw_specificity, sw_ppv, sw_npv, sw_kappa,
		sw_pabak, sw_prevalence_index;
	/* Menghini's error matrix: each night's row proportions (the rows with epochs), summarised */
	struct staging_summary proportion[STAGING_STAGES][STAGING_STAGES];
};

/* Add one night's figures (and its table, for the error matrix); finish when every night is in. */
void staging_by_night_add(struct staging_by_night *b, const struct staging_agreement *night,
			  const uint64_t table[STAGING_STAGES][STAGING_STAGES]);
void staging_by_night_finish(struct staging_by_night *b);

#endif
