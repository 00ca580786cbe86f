/*
 * report.h — the run's evaluation (SPEC §3 report.json, before it is written): night counts,
 * agreement per numeric score key, severity confusion and kappas, diagnosis at AHI 5/15/30, and
 * pooled sleep staging.
 *
 * Owns which nights and values enter each statistic (the arithmetic is merge/stats.h; writing is
 * merge/report_json.h and merge/report_html.h):
 *   - failed nights enter only the counts and the failure list;
 *   - a key's agreement uses the ok nights where both labels and predictions are non-null
 *     (positional as 0/1); severity is not a numeric key and has its own block;
 *   - severity and diagnosis use the ok nights where both severities are non-null; diagnosis at
 *     AHI >= 5, 15, 30 is severity >= mild, moderate, severe (the same thresholds, labels as the
 *     reference);
 *   - staging pools the staging_confusion of every ok night that has one, keeping only epochs both
 *     scored W, N1, N2, N3 or R (labels "?" = artefact, predictions "?" = no predicted epoch);
 *     the same nights' own tables give the per-night figures and their summaries (never epochs).
 */
#ifndef NIGHTFAN_MERGE_REPORT_H
#define NIGHTFAN_MERGE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "provenance.h"
#include "agreement.h"
#include "err.h"
#include "event_report.h"
#include "nights.h"
#include "staging.h"
#include "stats.h"

#define REPORT_STAGES 5                 /* W N1 N2 N3 R */
#define REPORT_THRESHOLDS 3

extern const int report_ahi_thresholds[REPORT_THRESHOLDS]; /* 5 15 30 */

struct report {
	size_t total, ok, failed, from_base;
	struct stat_agreement agreement[SCORE_KEY_COUNT]; /* every key but SK_SEVERITY */
	struct agreement_ext agreement_ext[SCORE_KEY_COUNT]; /* CIs, regressions, tests (v1.1) */

	uint64_t severity[SEVERITY_COUNT][SEVERITY_COUNT]; /* rows labels, columns predictions */
	uint64_t severity_n;
	struct stat_num severity_accuracy, severity_kappa, severity_kappa_linear;
	struct stat_diagnostic diagnosis[REPORT_THRESHOLDS];
	uint64_t diagnosis_n;

	uint64_t staging[REPORT_STAGES][REPORT_STAGES];
	uint64_t staging_n;             /* epochs in the 5 x 5 table */
	uint64_t staging_excluded;      /* epochs with "?" on either side */
	size_t staging_nights;          /* nights that contributed */
	struct stat_num staging_accuracy, staging_kappa, staging_f1[REPORT_STAGES];

	struct event_report events;     /* merge/event_report.h */
	struct staging_agreement staging_pooled;   /* every epoch-by-epoch figure of the pooled table */
	struct staging_by_night staging_by_night; /* the same figures night by night, summarised */
	struct provenance provenance;   /* merge/provenance.h: set by merge_run(), not computed */
};

/* Compute the whole report from the nights. 0, or -1 (out of memory). */
int report_compute(const struct night_list *nights, struct report *out, struct err *e);

/* The pairs of key k (numeric or positional): for each ok night with both values known, in night
 * order, label[i], pred[i] and (when which != NULL) which[i] = index of the night in nights->v.
 * Arrays hold nights->n entries. Returns the number of pairs. */
size_t report_pairs(const struct night_list *nights, enum score_key k, double *label, double *pred,
		    size_t *which);

/* Whether night r enters the staging agreement (ok, with a predictions hypnogram), and its 5 x 5
 * table of the epochs both sides scored W, N1, N2, N3 or R. */
bool report_night_has_staging(const struct night_record *r);
void report_night_staging_table(const struct night_record *r, uint64_t table[REPORT_STAGES][REPORT_STAGES]);

#endif
