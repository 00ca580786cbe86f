/*
 * nights_table.c — the nights table and the worst nights of report.html (see nights_table.h).
 */
#include "nights_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "night_data.h"
#include "night_svg.h"
#include "utf8.h"

/* Click a column head to sort by it (again: the other way); numbers sort as numbers, a cell's
 * data-v (severity) overrides its text, and empty values go last. A row's cell under head i is
 * found by the columns the cells span (a failed night's row is its id, one cell across the score
 * columns, its status); a cell across several columns counts as empty. */
static const char sort_script[] =
	"<script>\ndocument.querySelectorAll('table.sortable').forEach(function(t){\n"
	"var hs=t.tHead.rows[0].cells;\nArray.prototype.forEach.call(hs,function(h,i){h.style.cursor='pointer';"
	"h.title='sort';h.onclick=function(){\nvar b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),"
	"up=h.dataset.o!=='a';h.dataset.o=up?'a':'d';\nfunction v(r){for(var k=0,at=0,c=null;k<r.cells.length&&!c;k++)"
	"if((at+=r.cells[k].colSpan)>i)c=r.cells[k];if(!c||c.colSpan>1)return null;var x=c.dataset.v!==undefined?"
	"c.dataset.v:c.textContent,n=parseFloat(x);return isNaN(n)?(x==='\\u2014'?null:x):n}\n"
	"rows.sort(function(a,c){var x=v(a),y=v(c);if(x===null||y===null)return x===y?0:x===null?1:-1;"
	"if(typeof x!==typeof y)return typeof x==='number'?-1:1;return(x<y?-1:x>y?1:0)*(up?1:-1)});\n"
	"rows.forEach(function(r){b.appendChild(r)})}})});\n</script>\n";

static void score(FILE *fp, const struct night_record *r, int s, enum score_key k)
{
	const struct night_score *v = &r->scores[s][k];

	if (k == SK_SEVERITY) {
		if (v->known)
			fprintf(fp, "<td data-v=%d>%s", (int)v->value, scorekey_severity_names[(int)v->value]);
		else
			fputs("<td><span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	fputs("<td>", fp);
	html_num(fp, (struct stat_num){v->value, v->known});
}

static void link(FILE *fp, const struct night_record *r, const char *pages)
{
	if (r->failed)
		fprintf(fp, "<a href=\"#failed-%s\">", r->id);
	else
		fprintf(fp, "<a href=\"%s%s.html\">", pages, r->id); /* a night id needs no escaping */
	html_escape(fp, r->id);
	fputs("</a>", fp);
}

static void row(FILE *fp, const struct night_record *r, const char *pages)
{
	struct stat_num accuracy, kappa;

	fputs("<tr><td>", fp);
	link(fp, r, pages);
	if (r->failed) {
		char *message = utf8_escape_dup(r->error_message ? r->error_message : "", 0); /* bytes not UTF-8: \xNN */
		fputs("<td colspan=8 class=na>", fp);
		html_escape(fp, message ? message : "");
		free(message);
		fputs("<td class=bad>failed\n", fp);
		return;
	}
	score(fp, r, SOURCE_LABELS, SK_TST);
	score(fp, r, SOURCE_PREDICTIONS, SK_TST);
	score(fp, r, SOURCE_LABELS, SK_AHI);
	score(fp, r, SOURCE_PREDICTIONS, SK_AHI);
	score(fp, r, SOURCE_LABELS, SK_SEVERITY);
	score(fp, r, SOURCE_PREDICTIONS, SK_SEVERITY);
	night_staging(r, &accuracy, &kappa);
	fputs("<td>", fp);
	html_num(fp, kappa);
	fputs("<td>", fp);
	html_num(fp, r->events.known ? r->events.k[0].f1 : (struct stat_num){0, false});
	fputs("<td>ok\n", fp);
}

void nights_table_write(FILE *fp, const struct night_list *nights, const char *pages)
{
	fprintf(fp, "<section id=\"nights\">\n<style>#nights td:first-child,#nights td:last-child,#nights td.na{text-align:left}"
		"#nights td.na{white-space:normal}</style>\n<h2>Nights</h2>\n<p class=\"notes\">Every night of the run; click a "
		"column head to sort. A night's id opens its page (hypnograms, events, position and scores of both "
		"sides); a failed night's id goes to its error. Staging kappa over the night's epochs scored W\xe2\x80\x93R "
		"on both sides; event F1 for apneas and hypopneas (AH).</p>\n<table class=\"sortable\">\n<thead><tr>"
		"<th class=\"l\">night</th><th>TST labels</th><th>TST pred.</th><th>AHI labels</th><th>AHI pred.</th>"
		"<th>severity labels</th><th>severity pred.</th><th>staging kappa</th><th>event F1</th>"
		"<th class=\"l\">status</th></tr></thead>\n<tbody>\n");
	/* rows without end tags (optional in HTML) and classes: a third of the table's bytes at 2,200
	 * nights; the first and last columns are left-aligned by this rule instead */
	for (size_t i = 0; i < nights->n; i++)
		row(fp, &nights->v[i], pages);
	fprintf(fp, "</tbody>\n</table>\n%s</section>\n", sort_script);
}

/* ---- the nights that agree worst ---- */

/* The night's key in a list: staging kappa (kappa), else -|AHI difference|; false: not ranked. */
static bool key_of(const struct night_record *r, bool kappa, double *key)
{
	const struct night_score *l = &r->scores[SOURCE_LABELS][SK_AHI], *p = &r->scores[SOURCE_PREDICTIONS][SK_AHI];
	struct stat_num accuracy, k;

	if (r->failed)
		return false;
	if (kappa) {
		night_staging(r, &accuracy, &k);
		*key = k.value;
		return k.known;
	}
	*key = -fabs(p->value - l->value);
	return l->known && p->known;
}

/* Where a night read after every kept one would go in the list (n: not in it). Later nights lose
 * ties, as the night order decides them. */
static size_t place(const struct nights_worst_entry *v, size_t n, double key)
{
	size_t at = 0;

	while (at < n && v[at].key <= key)
		at++;
	return at < NIGHTS_TABLE_WORST ? at : NIGHTS_TABLE_WORST;
}

static bool enters(const struct nights_worst *w, const struct night_record *r, bool kappa)
{
	double key;

	if (!key_of(r, kappa, &key))
		return false;
	return kappa ? place(w->kappa, w->n_kappa, key) < NIGHTS_TABLE_WORST
		     : place(w->ahi, w->n_ahi, key) < NIGHTS_TABLE_WORST;
}

bool nights_worst_wants(const struct nights_worst *w, const struct night_record *r)
{
	return enters(w, r, true) || enters(w, r, false);
}

static void entry_free(struct nights_worst_entry *x)
{
	night_data_free(&x->d);
	memset(x, 0, sizeof(*x));
}

/* The compact figure's part of d: the two stage arrays and what places them. */
static int entry_fill(struct nights_worst_entry *x, const struct night_record *r, double key,
		      const struct night_data *d, const struct err *failure, struct err *e)
{
	memset(x, 0, sizeof(*x));
	x->r = r;
	x->key = key;
	if (!d) {
		x->failed = true;
		x->failure = *failure;
		return 0;
	}
	x->d.has_epochs = d->has_epochs;
	x->d.n = d->n;
	x->d.t0 = d->t0;
	x->d.epoch_seconds = d->epoch_seconds;
	x->d.any_pred = d->any_pred;
	if (d->n == 0)
		return 0;
	x->d.label = malloc(d->n);
	x->d.pred = malloc(d->n);
	if (!x->d.label || !x->d.pred) {
		entry_free(x);
		return ERR(e, "out of memory");
	}
	memcpy(x->d.label, d->label, d->n);
	memcpy(x->d.pred, d->pred, d->n);
	return 0;
}

static int keep_in(struct nights_worst_entry *v, size_t *n, const struct night_record *r, double key,
		   const struct night_data *d, const struct err *failure, struct err *e)
{
	struct nights_worst_entry x;
	size_t at = place(v, *n, key);

	if (at == NIGHTS_TABLE_WORST)
		return 0;
	if (entry_fill(&x, r, key, d, failure, e) < 0)
		return -1;
	if (*n == NIGHTS_TABLE_WORST)
		entry_free(&v[--*n]); /* pushed out */
	memmove(&v[at + 1], &v[at], (*n - at) * sizeof(*v));
	v[at] = x;
	++*n;
	return 0;
}

int nights_worst_keep(struct nights_worst *w, const struct night_record *r, const struct night_data *d,
		      const struct err *failure, struct err *e)
{
	double key;

	if (key_of(r, true, &key) && keep_in(w->kappa, &w->n_kappa, r, key, d, failure, e) < 0)
		return -1;
	if (key_of(r, false, &key) && keep_in(w->ahi, &w->n_ahi, r, key, d, failure, e) < 0)
		return -1;
	return 0;
}

void nights_worst_free(struct nights_worst *w)
{
	for (size_t i = 0; i < w->n_kappa; i++)
		entry_free(&w->kappa[i]);
	for (size_t i = 0; i < w->n_ahi; i++)
		entry_free(&w->ahi[i]);
	w->n_kappa = w->n_ahi = 0;
}

static int figure(FILE *fp, const struct nights_worst_entry *x, const char *why, const char *pages, struct err *e)
{
	char id[NIGHTID_MAX + 8], title[NIGHTID_MAX + 64];
	int rc = 0;

	if (x->failed) {
		*e = x->failure;
		return -1;
	}
	if (!x->d.has_epochs)
		return 0;
	fputs("<div class=\"worst\"><h3>", fp);
	link(fp, x->r, pages);
	fprintf(fp, " <small>%s</small></h3>\n", why);
	snprintf(id, sizeof id, "hyp-%s", x->r->id);
	snprintf(title, sizeof title, "Night %s: labels and predicted hypnograms", x->r->id);
	if (night_svg_draw(fp, id, title, &x->d, false) < 0)
		rc = ERR(e, "out of memory");
	fputs("</div>\n", fp);
	return rc;
}

static bool shown(const struct nights_worst_entry *v, size_t n, const struct night_record *r)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].r == r)
			return true;
	return false;
}

int nights_table_worst(FILE *fp, const struct night_list *nights, const char *pages, struct err *e)
{
	static const struct nights_worst none;
	const struct nights_worst *w = nights->worst ? nights->worst : &none;
	char why[96];
	int rc = 0;

	fputs("<section id=\"worst\">\n<h2>Where to look: the nights that agree worst</h2>\n<p class=\"notes\">Labels "
	      "hypnogram above the predicted one on one time axis; shaded epochs differ. Each night's id opens its "
	      "page.</p>\n", fp);
	if (w->n_kappa + w->n_ahi == 0)
		fputs("<p class=\"notes\">No night has a staging kappa or an AHI on both sides.</p>\n", fp);
	for (size_t i = 0; rc == 0 && i < w->n_kappa; i++) {
		snprintf(why, sizeof why, "lowest staging kappa: %.3f", w->kappa[i].key);
		rc = figure(fp, &w->kappa[i], why, pages, e);
	}
	for (size_t i = 0; rc == 0 && i < w->n_ahi; i++) {
		const struct night_record *r = w->ahi[i].r;
		if (shown(w->kappa, w->n_kappa, r))
			continue;
		snprintf(why, sizeof why, "AHI labels %.1f, predictions %.1f", r->scores[SOURCE_LABELS][SK_AHI].value,
			 r->scores[SOURCE_PREDICTIONS][SK_AHI].value);
		rc = figure(fp, &w->ahi[i], why, pages, e);
	}
	fputs("</section>\n", fp);
	return rc;
}
