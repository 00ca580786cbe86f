/*
 * report_json.c — writing report.json with cJSON (see report_json.h).
 *
 * Numbers go in as raw JSON text from numfmt_double, so that every nightfan output spells a
 * number the same way. Allocation failures are collected in one flag (`ok`) rather than checked
 * at each of the ~700 insertions; the tree is printed only when nothing failed. Text read from a
 * night.json (a failed night's error) goes in through text(), which shows bytes that are not UTF-8
 * as \xNN (common/utf8.h): report.json is always valid UTF-8, whatever a night.json held.
 */
#include "report_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "numfmt.h"
#include "utf8.h"

/* A JSON string of outside text; NULL when out of memory. */
static cJSON *text(const char *s)
{
	char *t = utf8_escape_dup(s, 0);
	cJSON *v = t ? cJSON_CreateString(t) : NULL;

	free(t);
	return v;
}

static cJSON *number(double v)
{
	char buf[NUMFMT_MAX];

	numfmt_double(v, buf);
	return cJSON_CreateRaw(buf);
}

static cJSON *maybe(struct stat_num v)
{
	return v.known ? number(v.value) : cJSON_CreateNull();
}

static void put(cJSON *obj, const char *key, cJSON *item, bool *ok)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		*ok = false;
	}
}

static void push(cJSON *arr, cJSON *item, bool *ok)
{
	if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		*ok = false;
	}
}

static cJSON *nights_block(const struct report *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "total", number((double)r->total), ok);
	put(o, "ok", number((double)r->ok), ok);
	put(o, "failed", number((double)r->failed), ok);
	put(o, "from_base", number((double)r->from_base), ok);
	return o;
}

static cJSON *position_or_null(long v)
{
	return v >= 0 ? number((double)v) : cJSON_CreateNull();
}

static cJSON *failure(const struct night_record *n, bool *ok)
{
	cJSON *o = cJSON_CreateObject(), *err = cJSON_CreateObject();

	put(o, "night", cJSON_CreateString(n->id), ok);
	put(err, "file", n->error_file ? text(n->error_file) : cJSON_CreateNull(), ok);
	put(err, "line", position_or_null(n->error_line), ok);
	put(err, "column", position_or_null(n->error_column), ok);
	put(err, "message", text(n->error_message), ok);
	put(o, "error", err, ok);
	return o;
}

static cJSON *failed_block(const struct night_list *nights, bool *ok)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < nights->n; i++)
		if (nights->v[i].failed)
			push(a, failure(&nights->v[i], ok), ok);
	return a;
}

/* ---- v1.1: agreement to the field's standard (SPEC §3) ------------------------------------ */

static cJSON *matrix(const uint64_t *t, int k, bool *ok);

static cJSON *ci_or_null(struct agreement_ci ci, bool *ok)
{
	cJSON *a;

	if (!ci.low.known || !ci.high.known)
		return cJSON_CreateNull();
	a = cJSON_CreateArray();
	push(a, number(ci.low.value), ok);
	push(a, number(ci.high.value), ok);
	return a;
}

static cJSON *regression(const struct agreement_regression *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "intercept", number(r->intercept), ok);
	put(o, "slope", number(r->slope), ok);
	put(o, "intercept_ci", ci_or_null(r->intercept_ci, ok), ok);
	put(o, "slope_ci", ci_or_null(r->slope_ci, ok), ok);
	put(o, "p", maybe(r->p), ok);
	return o;
}

static cJSON *flag(enum agreement_flag f)
{
	return f == AGREEMENT_FLAG_NULL ? cJSON_CreateNull() : cJSON_CreateBool(f == AGREEMENT_FLAG_TRUE);
}

static cJSON *method_name(enum agreement_method m)
{
	return cJSON_CreateString(m == AGREEMENT_REGR ? "regr" : "param");
}

/* The v1.1 keys of one score: null throughout (but icc_ci) when n < 3 or every difference is 0. */
static void agreement_standard(cJSON *o, const struct agreement_ext *x, bool *ok)
{
	cJSON *reg, *tests, *flags, *method;

	if (!x->known) {
		static const char *const keys[] = {"bias_ci", "loa_low_ci", "loa_high_ci", "regression", "tests",
						   "assumptions", "method"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			put(o, keys[i], cJSON_CreateNull(), ok);
		put(o, "icc_ci", ci_or_null(x->icc_ci, ok), ok);
		return;
	}
	put(o, "bias_ci", ci_or_null(x->bias_ci, ok), ok);
	put(o, "loa_low_ci", ci_or_null(x->loa_low_ci, ok), ok);
	put(o, "loa_high_ci", ci_or_null(x->loa_high_ci, ok), ok);
	if (x->bias_regr.known && x->loa_regr.known) {
		reg = cJSON_CreateObject();
		put(reg, "bias", regression(&x->bias_regr, ok), ok);
		put(reg, "loa", regression(&x->loa_regr, ok), ok);
	} else {
		reg = cJSON_CreateNull();
	}
	put(o, "regression", reg, ok);
	tests = cJSON_CreateObject();
	put(tests, "t_p", maybe(x->t_p), ok);
	put(tests, "shapiro_w", maybe(x->shapiro_w), ok);
	put(tests, "shapiro_p", maybe(x->shapiro_p), ok);
	put(o, "tests", tests, ok);
	flags = cJSON_CreateObject();
	put(flags, "unbiased", flag(x->unbiased), ok);
	put(flags, "normal", flag(x->normal), ok);
	put(flags, "constant_bias", flag(x->constant_bias), ok);
	put(flags, "homoscedastic", flag(x->homoscedastic), ok);
	put(o, "assumptions", flags, ok);
	method = cJSON_CreateObject();
	put(method, "bias", method_name(x->bias_method), ok);
	put(method, "loa", method_name(x->loa_method), ok);
	put(o, "method", method, ok);
	put(o, "icc_ci", ci_or_null(x->icc_ci, ok), ok);
}

static cJSON *summary(const struct staging_summary *s, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "mean", maybe(s->mean), ok);
	put(o, "sd", maybe(s->sd), ok);
	put(o, "ci_low", maybe(s->ci_low), ok);
	put(o, "ci_high", maybe(s->ci_high), ok);
	put(o, "n", number((double)s->n), ok);
	return o;
}

static cJSON *stage_figures(const struct staging_stage *st, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "support", number((double)st->support), ok);
	put(o, "sensitivity", maybe(st->sensitivity), ok);
	put(o, "specificity", maybe(st->specificity), ok);
	put(o, "ppv", maybe(st->ppv), ok);
	put(o, "npv", maybe(st->npv), ok);
	put(o, "f1", maybe(st->f1), ok);
	put(o, "accuracy", maybe(st->accuracy), ok);
	return o;
}

static cJSON *stage_summaries(const struct staging_stage_summary *st, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "sensitivity", summary(&st->sensitivity, ok), ok);
	put(o, "specificity", summary(&st->specificity, ok), ok);
	put(o, "ppv", summary(&st->ppv, ok), ok);
	put(o, "npv", summary(&st->npv, ok), ok);
	put(o, "f1", summary(&st->f1, ok), ok);
	put(o, "accuracy", summary(&st->accuracy, ok), ok);
	return o;
}

/* Menghini's error matrix: each night's row proportions, mean and SD over the nights with epochs in
 * that row (`nights`). */
static cJSON *error_matrix(const struct staging_by_night *b, bool *ok)
{
	cJSON *o = cJSON_CreateObject(), *mean = cJSON_CreateArray(), *sd = cJSON_CreateArray();
	cJSON *n = cJSON_CreateArray();

	for (int i = 0; i < STAGING_STAGES; i++) {
		cJSON *mrow = cJSON_CreateArray(), *srow = cJSON_CreateArray();
		for (int j = 0; j < STAGING_STAGES; j++) {
			push(mrow, maybe(b->proportion[i][j].mean), ok);
			push(srow, maybe(b->proportion[i][j].sd), ok);
		}
		push(mean, mrow, ok);
		push(sd, srow, ok);
		push(n, number((double)b->proportion[i][0].n), ok);
	}
	put(o, "mean", mean, ok);
	put(o, "sd", sd, ok);
	put(o, "nights", n, ok);
	return o;
}

static cJSON *staging_by_night_block(const struct staging_by_night *b, bool *ok)
{
	cJSON *o = cJSON_CreateObject(), *stages = cJSON_CreateObject();

	put(o, "accuracy", summary(&b->accuracy, ok), ok);
	put(o, "balanced_accuracy", summary(&b->balanced_accuracy, ok), ok);
	put(o, "kappa", summary(&b->kappa, ok), ok);
	put(o, "mcc", summary(&b->mcc, ok), ok);
	put(o, "f1_weighted", summary(&b->f1_weighted, ok), ok);
	for (int s = 0; s < STAGING_STAGES; s++)
		put(stages, staging_stage_names[s], stage_summaries(&b->stage[s], ok), ok);
	put(o, "stages", stages, ok);
	put(o, "error_matrix", error_matrix(b, ok), ok);
	return o;
}

/* The v1.1 keys of the staging block. */
static void staging_standard(cJSON *o, const struct report *r, bool *ok)
{
	const struct staging_agreement *a = &r->staging_pooled;
	cJSON *stages = cJSON_CreateObject();

	put(o, "balanced_accuracy", maybe(a->balanced_accuracy), ok);
	put(o, "mcc", maybe(a->mcc), ok);
	put(o, "f1_weighted", maybe(a->f1_weighted), ok);
	for (int s = 0; s < STAGING_STAGES; s++)
		put(stages, staging_stage_names[s], stage_figures(&a->stage[s], ok), ok);
	put(o, "stages", stages, ok);
	put(o, "by_night", staging_by_night_block(&r->staging_by_night, ok), ok);
}

static cJSON *sleep_wake_block(const struct report *r, bool *ok)
{
	const struct staging_sleep_wake *w = &r->staging_pooled.sleep_wake;
	const struct staging_by_night *b = &r->staging_by_night;
	cJSON *o = cJSON_CreateObject(), *bn = cJSON_CreateObject();

	put(o, "confusion", matrix(&w->confusion[0][0], 2, ok), ok);
	put(o, "n", number((double)w->n), ok);
	put(o, "accuracy", maybe(w->accuracy), ok);
	put(o, "sensitivity", maybe(w->sensitivity), ok);
	put(o, "specificity", maybe(w->specificity), ok);
	put(o, "ppv", maybe(w->ppv), ok);
	put(o, "npv", maybe(w->npv), ok);
	put(o, "kappa", maybe(w->kappa), ok);
	put(o, "pabak", maybe(w->pabak), ok);
	put(o, "prevalence_index", maybe(w->prevalence_index), ok);
	put(bn, "accuracy", summary(&b->sw_accuracy, ok), ok);
	put(bn, "sensitivity", summary(&b->sw_sensitivity, ok), ok);
	put(bn, "specificity", summary(&b->sw_specificity, ok), ok);
	put(bn, "ppv", summary(&b->sw_ppv, ok), ok);
	put(bn, "npv", summary(&b->sw_npv, ok), ok);
	put(bn, "kappa", summary(&b->sw_kappa, ok), ok);
	put(bn, "pabak", summary(&b->sw_pabak, ok), ok);
	put(bn, "prevalence_index", summary(&b->sw_prevalence_index, ok), ok);
	put(o, "by_night", bn, ok);
	return o;
}

/* ---- end of v1.1 agreement --------------------------------------------------------------- */

static cJSON *agreement(const struct stat_agreement *a, const struct agreement_ext *x, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "n", number((double)a->n), ok);
	put(o, "label_mean", maybe(a->label_mean), ok);
	put(o, "pred_mean", maybe(a->pred_mean), ok);
	put(o, "bias", maybe(a->bias), ok);
	put(o, "sd_diff", maybe(a->sd_diff), ok);
	put(o, "loa_low", maybe(a->loa_low), ok);
	put(o, "loa_high", maybe(a->loa_high), ok);
	put(o, "mae", maybe(a->mae), ok);
	put(o, "rmse", maybe(a->rmse), ok);
	put(o, "pearson_r", maybe(a->pearson_r), ok);
	put(o, "icc", maybe(a->icc), ok);
	agreement_standard(o, x, ok);
	return o;
}

static cJSON *scores_block(const struct report *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		if (k != SK_SEVERITY)
			put(o, scorekey_name(k), agreement(&r->agreement[k], &r->agreement_ext[k], ok), ok);
	return o;
}

static cJSON *names(const char *const *v, int n, bool *ok)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; i < n; i++)
		push(a, cJSON_CreateString(v[i]), ok);
	return a;
}

/* A k x k table of counts, row-major. */
static cJSON *matrix(const uint64_t *t, int k, bool *ok)
{
	cJSON *rows = cJSON_CreateArray();

	for (int i = 0; i < k; i++) {
		cJSON *row = cJSON_CreateArray();
		for (int j = 0; j < k; j++)
			push(row, number((double)t[i * k + j]), ok);
		push(rows, row, ok);
	}
	return rows;
}

static cJSON *severity_block(const struct report *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "labels", names(scorekey_severity_names, SEVERITY_COUNT, ok), ok);
	put(o, "confusion", matrix(&r->severity[0][0], SEVERITY_COUNT, ok), ok);
	put(o, "n", number((double)r->severity_n), ok);
	put(o, "accuracy", maybe(r->severity_accuracy), ok);
	put(o, "kappa", maybe(r->severity_kappa), ok);
	put(o, "kappa_linear", maybe(r->severity_kappa_linear), ok);
	return o;
}

static cJSON *diagnosis_block(const struct report *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	for (int t = 0; t < REPORT_THRESHOLDS; t++) {
		const struct stat_diagnostic *d = &r->diagnosis[t];
		cJSON *b = cJSON_CreateObject();
		char key[8];
		put(b, "n", number((double)r->diagnosis_n), ok);
		put(b, "tp", number((double)d->tp), ok);
		put(b, "fp", number((double)d->fp), ok);
		put(b, "fn", number((double)d->fn), ok);
		put(b, "tn", number((double)d->tn), ok);
		put(b, "sensitivity", maybe(d->sensitivity), ok);
		put(b, "specificity", maybe(d->specificity), ok);
		put(b, "ppv", maybe(d->ppv), ok);
		put(b, "npv", maybe(d->npv), ok);
		snprintf(key, sizeof key, "%d", report_ahi_thresholds[t]);
		put(o, key, b, ok);
	}
	return o;
}

static cJSON *staging_block(const struct report *r, bool *ok)
{
	static const char *const stages[REPORT_STAGES] = {"W", "N1", "N2", "N3", "R"};
	cJSON *o = cJSON_CreateObject(), *f1 = cJSON_CreateObject();

	put(o, "labels", names(stages, REPORT_STAGES, ok), ok);
	put(o, "confusion", matrix(&r->staging[0][0], REPORT_STAGES, ok), ok);
	put(o, "n", number((double)r->staging_n), ok);
	put(o, "accuracy", maybe(r->staging_accuracy), ok);
	put(o, "kappa", maybe(r->staging_kappa), ok);
	for (int s = 0; s < REPORT_STAGES; s++)
		put(f1, stages[s], maybe(r->staging_f1[s]), ok);
	put(o, "f1", f1, ok);
	put(o, "nights", number((double)r->staging_nights), ok);
	put(o, "excluded_epochs", number((double)r->staging_excluded), ok);
	staging_standard(o, r, ok);
	return o;
}

static cJSON *tool_block(bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	put(o, "name", cJSON_CreateString("nightfan-merge"), ok);
	put(o, "version", cJSON_CreateString(NIGHTFAN_VERSION), ok);
	return o;
}

int report_json_write(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e)
{
	cJSON *root = cJSON_CreateObject();
	bool ok = true;
	char *text;

	put(root, "schema", cJSON_CreateString(REPORT_SCHEMA), &ok);
	put(root, "provenance", provenance_json(&r->provenance), &ok);
	put(root, "nights", nights_block(r, &ok), &ok);
	put(root, "failed", failed_block(nights, &ok), &ok);
	put(root, "scores", scores_block(r, &ok), &ok);
	put(root, "severity", severity_block(r, &ok), &ok);
	put(root, "diagnosis", diagnosis_block(r, &ok), &ok);
	put(root, "staging", staging_block(r, &ok), &ok);
	put(root, "sleep_wake", sleep_wake_block(r, &ok), &ok);
	put(root, "events", event_report_json(&r->events), &ok);
	put(root, "tool", tool_block(&ok), &ok);
	text = ok ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return ERR(e, "out of memory");
	fputs(text, fp);
	fputc('\n', fp);
	free(text);
	return 0;
}
