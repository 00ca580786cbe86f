/*
 * report.c — which nights enter which statistic, and the statistics themselves (see report.h).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

const int report_ahi_thresholds[REPORT_THRESHOLDS] = {5, 15, 30};

_Static_assert(REPORT_STAGES == STAGING_STAGES, "report and staging count the same stages");

size_t report_pairs(const struct night_list *nights, enum score_key k, double *label, double *pred,
		    size_t *which)
{
	size_t n = 0;

	for (size_t i = 0; i < nights->n; i++) {
		const struct night_record *r = &nights->v[i];
		const struct night_score *l = &r->scores[SOURCE_LABELS][k];
		const struct night_score *p = &r->scores[SOURCE_PREDICTIONS][k];
		if (r->failed || !l->known || !p->known)
			continue;
		label[n] = l->value;
		pred[n] = p->value;
		if (which)
			which[n] = i;
		n++;
	}
	return n;
}

static int compute_agreement(const struct night_list *nights, struct report *out, struct err *e)
{
	size_t cap = nights->n ? nights->n : 1;
	double *label = malloc(cap * sizeof *label), *pred = malloc(cap * sizeof *pred);
	double *work = malloc(AGREEMENT_WORK(cap) * sizeof *work);

	if (!label || !pred || !work) {
		free(label);
		free(pred);
		free(work);
		return ERR(e, "out of memory");
	}
	for (int k = 0; k < SCORE_KEY_COUNT; k++) {
		if (k == SK_SEVERITY)
			continue;
		size_t n = report_pairs(nights, k, label, pred, NULL);
		stats_agreement(label, pred, n, &out->agreement[k]);
		agreement_extend(label, pred, n, &out->agreement[k], work, &out->agreement_ext[k]);
	}
	free(label);
	free(pred);
	free(work);
	return 0;
}

/* Diagnosis at threshold index t (AHI >= 5, 15, 30) is severity class >= t + 1. */
static void compute_diagnosis(struct report *out)
{
	for (int t = 0; t < REPORT_THRESHOLDS; t++) {
		struct stat_diagnostic *d = &out->diagnosis[t];
		*d = (struct stat_diagnostic){0};
		for (int l = 0; l < SEVERITY_COUNT; l++) {
			for (int p = 0; p < SEVERITY_COUNT; p++) {
				uint64_t c = out->severity[l][p];
				bool label_pos = l > t, pred_pos = p > t;
				if (label_pos && pred_pos)
					d->tp += c;
				else if (pred_pos)
					d->fp += c;
				else if (label_pos)
					d->fn += c;
				else
					d->tn += c;
			}
		}
		stats_diagnostic(d);
	}
	out->diagnosis_n = out->severity_n;
}

static void compute_severity(const struct night_list *nights, struct report *out)
{
	for (size_t i = 0; i < nights->n; i++) {
		const struct night_record *r = &nights->v[i];
		const struct night_score *l = &r->scores[SOURCE_LABELS][SK_SEVERITY];
		const struct night_score *p = &r->scores[SOURCE_PREDICTIONS][SK_SEVERITY];
		if (r->failed || !l->known || !p->known)
			continue;
		out->severity[(int)l->value][(int)p->value]++;
		out->severity_n++;
	}
	out->severity_accuracy = stats_accuracy(&out->severity[0][0], SEVERITY_COUNT);
	out->severity_kappa = stats_kappa(&out->severity[0][0], SEVERITY_COUNT, false);
	out->severity_kappa_linear = stats_kappa(&out->severity[0][0], SEVERITY_COUNT, true);
	compute_diagnosis(out);
}

static void add_staging(const struct night_record *r, struct report *out)
{
	for (int l = 0; l < STAGE_COUNT; l++) {
		for (int p = 0; p < STAGE_COUNT; p++) {
			uint64_t c = r->staging[l][p];
			if (l < REPORT_STAGES && p < REPORT_STAGES) {
				out->staging[l][p] += c;
				out->staging_n += c;
			} else {
				out->staging_excluded += c;
			}
		}
	}
	out->staging_nights++;
}

bool report_night_has_staging(const struct night_record *r)
{
	return !r->failed && r->has_staging;
}

void report_night_staging_table(const struct night_record *r, uint64_t table[REPORT_STAGES][REPORT_STAGES])
{
	for (int l = 0; l < REPORT_STAGES; l++)
		for (int p = 0; p < REPORT_STAGES; p++)
			table[l][p] = r->staging[l][p];
}

/* Each night's own figures, into the summaries over nights. */
static void add_staging_night(const struct night_record *r, struct report *out)
{
	uint64_t table[REPORT_STAGES][REPORT_STAGES];
	struct staging_agreement a;

	report_night_staging_table(r, table);
	staging_agree(table, &a);
	staging_by_night_add(&out->staging_by_night, &a, table);
}

static void compute_staging(const struct night_list *nights, struct report *out)
{
	for (size_t i = 0; i < nights->n; i++) {
		if (report_night_has_staging(&nights->v[i])) {
			add_staging(&nights->v[i], out);
			add_staging_night(&nights->v[i], out);
		}
	}
	staging_agree(out->staging, &out->staging_pooled);
	staging_by_night_finish(&out->staging_by_night);
	out->staging_accuracy = stats_accuracy(&out->staging[0][0], REPORT_STAGES);
	out->staging_kappa = stats_kappa(&out->staging[0][0], REPORT_STAGES, false);
	for (int s = 0; s < REPORT_STAGES; s++)
		out->staging_f1[s] = stats_f1(&out->staging[0][0], REPORT_STAGES, (size_t)s);
}

int report_compute(const struct night_list *nights, struct report *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->total = nights->n;
	out->failed = nights->n_failed;
	out->ok = nights->n - nights->n_failed;
	out->from_base = nights->n_from_base;
	if (compute_agreement(nights, out, e) != 0)
		return -1;
	compute_severity(nights, out);
	compute_staging(nights, out);
	return event_report_compute(nights, &out->events, e);
}
