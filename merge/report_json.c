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

static cJSON *agreement(const struct stat_agreement *a, bool *ok)
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
	return o;
}

static cJSON *scores_block(const struct report *r, bool *ok)
{
	cJSON *o = cJSON_CreateObject();

	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		if (k != SK_SEVERITY)
			put(o, scorekey_name(k), agreement(&r->agreement[k], ok), ok);
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
	put(root, "nights", nights_block(r, &ok), &ok);
	put(root, "failed", failed_block(nights, &ok), &ok);
	put(root, "scores", scores_block(r, &ok), &ok);
	put(root, "severity", severity_block(r, &ok), &ok);
	put(root, "diagnosis", diagnosis_block(r, &ok), &ok);
	put(root, "staging", staging_block(r, &ok), &ok);
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
