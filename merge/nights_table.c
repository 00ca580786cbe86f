/*
 * nights_table.c — the nights table and the worst nights of report.html (see nights_table.h).
 */
#include "nights_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "night_data.h"
#include "night_page.h"
#include "night_svg.h"
#include "report_html.h"
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
	report_html_num(fp, (struct stat_num){v->value, v->known});
}

static void link(FILE *fp, const struct night_record *r, const char *pages)
{
	if (r->failed)
		fprintf(fp, "<a href=\"#failed-%s\">", r->id);
	else
		fprintf(fp, "<a href=\"%s%s.html\">", pages, r->id); /* a night id needs no escaping */
	report_html_escape(fp, r->id);
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
		report_html_escape(fp, message ? message : "");
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
	night_page_staging(r, &accuracy, &kappa);
	fputs("<td>", fp);
	report_html_num(fp, kappa);
	fputs("<td>", fp);
	report_html_num(fp, r->events.known ? r->events.k[0].f1 : (struct stat_num){0, false});
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

struct ranked {
	size_t night;
	double key;
};

static int by_key(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->night < y->night ? -1 : x->night > y->night;
}

/* The (up to) NIGHTS_TABLE_WORST nights with the smallest key; kappa: staging kappa, else -|AHI diff|. */
static size_t worst(const struct night_list *nights, bool kappa, struct ranked *out, struct ranked *scratch)
{
	size_t n = 0;

	for (size_t i = 0; i < nights->n; i++) {
		const struct night_record *r = &nights->v[i];
		const struct night_score *l = &r->scores[SOURCE_LABELS][SK_AHI], *p = &r->scores[SOURCE_PREDICTIONS][SK_AHI];
		struct stat_num accuracy, k;
		if (r->failed)
			continue;
		if (kappa) {
			night_page_staging(r, &accuracy, &k);
			if (k.known)
				scratch[n++] = (struct ranked){i, k.value};
		} else if (l->known && p->known) {
			scratch[n++] = (struct ranked){i, -fabs(p->value - l->value)};
		}
	}
	qsort(scratch, n, sizeof *scratch, by_key);
	if (n > NIGHTS_TABLE_WORST)
		n = NIGHTS_TABLE_WORST;
	memcpy(out, scratch, n * sizeof *out);
	return n;
}

static int figure(FILE *fp, const struct night_record *r, const char *why, const char *pages, struct err *e)
{
	struct night_data d;
	char id[NIGHTID_MAX + 8], title[NIGHTID_MAX + 64];
	int rc = night_data_read(r->dir, &d, e);

	if (rc == 0 && d.has_epochs) {
		fputs("<div class=\"worst\"><h3>", fp);
		link(fp, r, pages);
		fprintf(fp, " <small>%s</small></h3>\n", why);
		snprintf(id, sizeof id, "hyp-%s", r->id);
		snprintf(title, sizeof title, "Night %s: labels and predicted hypnograms", r->id);
		if (night_svg_draw(fp, id, title, &d, false) < 0)
			rc = ERR(e, "out of memory");
		fputs("</div>\n", fp);
	}
	night_data_free(&d);
	return rc;
}

static bool shown(const struct ranked *v, size_t n, size_t night)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].night == night)
			return true;
	return false;
}

int nights_table_worst(FILE *fp, const struct night_list *nights, const char *pages, struct err *e)
{
	struct ranked kappa[NIGHTS_TABLE_WORST], ahi[NIGHTS_TABLE_WORST];
	struct ranked *scratch = malloc((nights->n + 1) * sizeof *scratch);
	size_t nk, na;
	char why[96];
	int rc = 0;

	if (!scratch)
		return ERR(e, "out of memory");
	nk = worst(nights, true, kappa, scratch);
	na = worst(nights, false, ahi, scratch);
	free(scratch);
	fputs("<section id=\"worst\">\n<h2>Where to look: the nights that agree worst</h2>\n<p class=\"notes\">Labels "
	      "hypnogram above the predicted one on one time axis; shaded epochs differ. Each night's id opens its "
	      "page.</p>\n", fp);
	if (nk + na == 0)
		fputs("<p class=\"notes\">No night has a staging kappa or an AHI on both sides.</p>\n", fp);
	for (size_t i = 0; rc == 0 && i < nk; i++) {
		snprintf(why, sizeof why, "lowest staging kappa: %.3f", kappa[i].key);
		rc = figure(fp, &nights->v[kappa[i].night], why, pages, e);
	}
	for (size_t i = 0; rc == 0 && i < na; i++) {
		const struct night_record *r = &nights->v[ahi[i].night];
		if (shown(kappa, nk, ahi[i].night))
			continue;
		snprintf(why, sizeof why, "AHI labels %.1f, predictions %.1f", r->scores[SOURCE_LABELS][SK_AHI].value,
			 r->scores[SOURCE_PREDICTIONS][SK_AHI].value);
		rc = figure(fp, r, why, pages, e);
	}
	fputs("</section>\n", fp);
	return rc;
}
