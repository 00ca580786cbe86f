/*
 * event_report.c — pooling the nights' event agreement, report.json's "events" and
 * events_by_night.csv (see event_report.h).
 */
#include "event_report.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "nights.h"
#include "numfmt.h"

static bool counted(const struct night_record *r)
{
	return !r->failed && r->events.known;
}

/* The summary over nights of one metric (sensitivity, ppv or f1) of key k. */
static void summarise(const struct night_list *nights, int k, size_t metric, double *scratch, struct summary *out)
{
	size_t n = 0;

	for (size_t i = 0; i < nights->n; i++) {
		const struct night_event_key *nk = &nights->v[i].events.k[k];
		const struct stat_num *v = metric == 0 ? &nk->sensitivity : metric == 1 ? &nk->ppv : &nk->f1;
		if (counted(&nights->v[i]) && v->known)
			scratch[n++] = v->value;
	}
	summary_of(scratch, n, out);
}

static void pool_key(const struct night_list *nights, int k, struct event_report_key *out)
{
	double error_sum = 0;

	for (size_t i = 0; i < nights->n; i++) {
		const struct night_event_key *nk = &nights->v[i].events.k[k];
		if (!counted(&nights->v[i]))
			continue;
		out->tp += nk->tp;
		out->fp += nk->fp;
		out->fn += nk->fn;
		if (nk->tp > 0 && nk->onset_mae.known)
			error_sum += nk->onset_mae.value * (double)nk->tp;
	}
	out->sensitivity = stats_ratio(out->tp, out->tp + out->fn);
	out->ppv = stats_ratio(out->tp, out->tp + out->fp);
	out->f1 = stats_ratio(2 * out->tp, 2 * out->tp + out->fp + out->fn);
	out->onset_mae = out->tp > 0 ? (struct stat_num){error_sum / (double)out->tp, true} : (struct stat_num){0, false};
}

int event_report_compute(const struct night_list *nights, struct event_report *out, struct err *e)
{
	double *scratch = malloc((nights->n + 1) * sizeof(*scratch));

	memset(out, 0, sizeof(*out));
	if (!scratch)
		return ERR(e, "out of memory");
	for (size_t i = 0; i < nights->n; i++)
		out->nights += counted(&nights->v[i]);
	for (int k = 0; k < NIGHT_EVENT_KEYS; k++) {
		pool_key(nights, k, &out->k[k]);
		summarise(nights, k, 0, scratch, &out->k[k].by_night_sensitivity);
		summarise(nights, k, 1, scratch, &out->k[k].by_night_ppv);
		summarise(nights, k, 2, scratch, &out->k[k].by_night_f1);
	}
	free(scratch);
	return 0;
}

/* ---- report.json ---- */

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

/* Adds item to obj; false (and item freed) when anything is missing. */
static bool put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static cJSON *summary_json(const struct summary *s)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = put(o, "mean", maybe(s->mean)) & put(o, "sd", maybe(s->sd)) & put(o, "ci_low", maybe(s->ci_low)) &
		  put(o, "ci_high", maybe(s->ci_high)) & put(o, "n", number((double)s->n));

	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *key_json(const struct event_report_key *k, size_t nights)
{
	cJSON *o = cJSON_CreateObject(), *by = cJSON_CreateObject();
	bool ok = put(by, "sensitivity", summary_json(&k->by_night_sensitivity)) &
		  put(by, "ppv", summary_json(&k->by_night_ppv)) & put(by, "f1", summary_json(&k->by_night_f1));

	ok &= put(o, "tp", number((double)k->tp)) & put(o, "fp", number((double)k->fp)) &
	      put(o, "fn", number((double)k->fn)) & put(o, "sensitivity", maybe(k->sensitivity)) &
	      put(o, "ppv", maybe(k->ppv)) & put(o, "f1", maybe(k->f1)) & put(o, "onset_mae", maybe(k->onset_mae));
	ok &= put(o, "by_night", by);
	ok &= put(o, "nights", number((double)nights));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *event_report_json(const struct event_report *r)
{
	cJSON *o = cJSON_CreateObject();

	for (int k = 0; o && k < NIGHT_EVENT_KEYS; k++)
		if (!put(o, night_events_key_name(k), key_json(&r->k[k], r->nights))) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

/* ---- events_by_night.csv ---- */

static void cell(FILE *fp, struct stat_num v)
{
	char buf[NUMFMT_MAX];

	fputc(',', fp);
	if (v.known) {
		numfmt_double(v.value, buf);
		fputs(buf, fp);
	}
}

void event_report_csv_write(FILE *fp, const struct night_list *nights)
{
	fputs("night", fp);
	for (int k = 0; k < NIGHT_EVENT_KEYS; k++) {
		const char *c = night_events_key_name(k);
		fprintf(fp, ",%s_tp,%s_fp,%s_fn,%s_sensitivity,%s_ppv,%s_f1,%s_onset_mae", c, c, c, c, c, c, c);
	}
	fputc('\n', fp);
	for (size_t i = 0; i < nights->n; i++) {
		const struct night_record *r = &nights->v[i];
		if (!counted(r))
			continue;
		fputs(r->id, fp);
		for (int k = 0; k < NIGHT_EVENT_KEYS; k++) {
			const struct night_event_key *nk = &r->events.k[k];
			fprintf(fp, ",%llu,%llu,%llu", (unsigned long long)nk->tp, (unsigned long long)nk->fp,
				(unsigned long long)nk->fn);
			cell(fp, nk->sensitivity);
			cell(fp, nk->ppv);
			cell(fp, nk->f1);
			cell(fp, nk->onset_mae);
		}
		fputc('\n', fp);
	}
}

/* ---- report.html ---- */

static void html_summary(FILE *fp, const struct summary *s)
{
	fputs("<td>", fp);
	html_num(fp, s->mean);
	fputs("</td><td>", fp);
	html_num(fp, s->ci_low);
	fputs("\xe2\x80\x93", fp);
	html_num(fp, s->ci_high);
	fputs("</td>", fp);
}

void event_report_html(FILE *fp, const struct event_report *r)
{
	fprintf(fp, "<section id=\"events\">\n<h2>Respiratory events, event by event</h2>\n<p class=\"notes\">%zu "
		"nights whose predictions have a respiratory stream of their own. A labels and a predicted event pair "
		"when they overlap (largest overlap first); AH pairs any apnea or hypopnea with any other, each class "
		"only with itself. Missed = labels events in no pair, false = predicted events in no pair. Pooled "
		"figures are from the sums over nights; by night: mean and 95 %% CI of the nights' values.</p>\n"
		"<table>\n<thead><tr><th class=\"l\">events</th><th>paired</th><th>false</th><th>missed</th>"
		"<th>sensitivity</th><th>PPV</th><th>F1</th><th>onset error (s)</th><th>F1 by night</th>"
		"<th>95%% CI</th><th>sensitivity by night</th><th>95%% CI</th></tr></thead>\n<tbody>\n", r->nights);
	for (int k = 0; k < NIGHT_EVENT_KEYS; k++) {
		const struct event_report_key *c = &r->k[k];
		fprintf(fp, "<tr><td class=\"l\"><b>%s</b></td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
			night_events_key_name(k), (unsigned long long)c->tp, (unsigned long long)c->fp,
			(unsigned long long)c->fn);
		html_percent(fp, c->sensitivity);
		fputs("</td><td>", fp);
		html_percent(fp, c->ppv);
		fputs("</td><td>", fp);
		html_num(fp, c->f1);
		fputs("</td><td>", fp);
		html_num(fp, c->onset_mae);
		fputs("</td>", fp);
		html_summary(fp, &c->by_night_f1);
		html_summary(fp, &c->by_night_sensitivity);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}
