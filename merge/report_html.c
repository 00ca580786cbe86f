/*
 * report_html.c — report.html (see report_html.h). Charts are drawn by merge/svg.c.
 *
 * Numbers for people are rounded by magnitude (report.json keeps full precision); a value that
 * cannot be computed shows as an em dash with the reason in the page's notes.
 */
#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "utf8.h"

static const char *const stage_names[REPORT_STAGES] = {"W", "N1", "N2", "N3", "R"};

/* The plotted scores, in page order (ids in REPORT_HTML_SVG_IDS follow them). */
static const enum score_key plotted[] = {SK_AHI, SK_TST, SK_SE, SK_WASO};

void report_html_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static const char *unit_of(enum score_key k)
{
	switch (k) {
	case SK_PCT_N1: case SK_PCT_N2: case SK_PCT_N3: case SK_PCT_REM: case SK_PCT_NREM:
	case SK_SUPINE_PCT:
		return "% of TST";
	case SK_SE: case SK_SME:
		return "%";
	case SK_SFI:
		return "/h";
	case SK_OA: case SK_CA: case SK_MA: case SK_A: case SK_H: case SK_RERA:
		return "events";
	case SK_AHI: case SK_RDI: case SK_OAHI: case SK_CAI: case SK_AHI_SUPINE: case SK_AHI_NONSUPINE:
		return "events/h";
	case SK_POSITIONAL:
		return "0/1";
	default:
		return "min";
	}
}

/* A number for people: 3 decimals below 10, 2 below 100, 1 above; no "-0". */
static void human(double v, char *buf, size_t size)
{
	double a = fabs(v);
	int decimals = a < 10 ? 3 : a < 100 ? 2 : 1;

	snprintf(buf, size, "%.*f", decimals, v);
	if (strspn(buf, "-0.") == strlen(buf) && buf[0] == '-')
		memmove(buf, buf + 1, strlen(buf));
}

static void put_num(FILE *fp, struct stat_num v)
{
	char buf[48];

	if (!v.known) {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	human(v.value, buf, sizeof buf);
	fputs(buf, fp);
}

static void put_count(FILE *fp, uint64_t n)
{
	char buf[32];

	svg_format_count(n, buf);
	fputs(buf, fp);
}

static void put_percent(FILE *fp, struct stat_num v)
{
	if (!v.known) {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	fprintf(fp, "%.1f%%", v.value * 100);
}

static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933;margin:0;"
	"background:#f5f7fa;line-height:1.4}\n"
	"main{max-width:1180px;margin:0 auto;padding:24px 32px 48px;background:#fff}\n"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:2px solid "
	"#e4e7eb;padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}\n"
	".sub{color:#52606d;margin:0 0 16px}\n"
	".cards{display:flex;flex-wrap:wrap;gap:12px}\n"
	".card{border:1px solid #d9e2ec;border-radius:8px;padding:12px 16px;min-width:190px;flex:1}\n"
	".card .k{font-size:13px;color:#52606d}.card .v{font-size:26px;font-weight:650}"
	".card .d{font-size:13px;color:#52606d}\n"
	".bad{color:#c0392b}.good{color:#1e7b45}.na{color:#9aa5b1}\n"
	"table{border-collapse:collapse;font-size:13px;margin:6px 0}\n"
	"th,td{padding:4px 8px;border-bottom:1px solid #e4e7eb;text-align:right;white-space:nowrap}\n"
	"th{background:#f0f4f8;position:sticky;top:0}td.l,th.l{text-align:left}\n"
	"td.msg{text-align:left;white-space:normal;font-family:ui-monospace,monospace;font-size:12px}\n"
	"tr.hl td{background:#fffbea}\n"
	".charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{max-width:100%;height:auto;"
	"border:1px solid #e4e7eb;border-radius:6px}\n"
	".notes{font-size:13px;color:#52606d}\n";

static void head(FILE *fp, const struct report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", fp);
	fprintf(fp, "<title>nightfan report \xe2\x80\x94 %zu nights</title>\n<style>\n%s</style>\n</head>\n"
		"<body>\n<main>\n", r->total, style);
	fputs("<h1>Sleep scoring agreement: model predictions vs. technician labels</h1>\n", fp);
	fprintf(fp, "<p class=\"sub\">nightfan-merge %s \xc2\xb7 %zu nights (%zu scored, %zu failed", NIGHTFAN_VERSION,
		r->total, r->ok, r->failed);
	if (r->from_base)
		fprintf(fp, "; %zu taken from an earlier run", r->from_base);
	fputs(") \xc2\xb7 labels are the reference throughout</p>\n", fp);
}

static void card_open(FILE *fp, const char *title)
{
	fprintf(fp, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\">", title);
}

static void summary(FILE *fp, const struct report *r)
{
	const struct stat_agreement *ahi = &r->agreement[SK_AHI];

	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n", fp);
	card_open(fp, "Nights");
	fprintf(fp, "%zu</div><div class=\"d\">%zu scored \xc2\xb7 <span class=\"%s\">%zu failed</span></div></div>\n",
		r->total, r->ok, r->failed ? "bad" : "good", r->failed);
	card_open(fp, "AHI bias (prediction \xe2\x88\x92 label)");
	put_num(fp, ahi->bias);
	fputs(" <small>events/h</small></div><div class=\"d\">limits of agreement ", fp);
	put_num(fp, ahi->loa_low);
	fputs(" to ", fp);
	put_num(fp, ahi->loa_high);
	fprintf(fp, " \xc2\xb7 n = %zu</div></div>\n", ahi->n);
	card_open(fp, "AHI ICC(2,1)");
	put_num(fp, ahi->icc);
	fputs("</div><div class=\"d\">Pearson r ", fp);
	put_num(fp, ahi->pearson_r);
	fputs("</div></div>\n", fp);
	card_open(fp, "Severity kappa");
	put_num(fp, r->severity_kappa);
	fputs("</div><div class=\"d\">linear-weighted ", fp);
	put_num(fp, r->severity_kappa_linear);
	fputs(" \xc2\xb7 accuracy ", fp);
	put_percent(fp, r->severity_accuracy);
	fputs("</div></div>\n", fp);
	card_open(fp, "Sleep staging accuracy");
	put_percent(fp, r->staging_accuracy);
	fputs("</div><div class=\"d\">kappa ", fp);
	put_num(fp, r->staging_kappa);
	fputs(" \xc2\xb7 ", fp);
	put_count(fp, r->staging_n);
	fprintf(fp, " epochs, %zu nights</div></div>\n", r->staging_nights);
	fputs("</div>\n</section>\n", fp);
}

static bool is_plotted(enum score_key k)
{
	for (size_t i = 0; i < sizeof plotted / sizeof plotted[0]; i++)
		if (plotted[i] == k)
			return true;
	return false;
}

static void agreement_row(FILE *fp, enum score_key k, const struct stat_agreement *a)
{
	const struct stat_num cells[] = {a->label_mean, a->pred_mean, a->bias, a->sd_diff, a->loa_low,
					 a->loa_high, a->mae, a->rmse, a->pearson_r, a->icc};

	fprintf(fp, "<tr%s><td class=\"l\"><b>%s</b></td><td class=\"l\">%s</td><td>%zu</td>",
		is_plotted(k) ? " class=\"hl\"" : "", scorekey_name(k), unit_of(k), a->n);
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		fputs("<td>", fp);
		put_num(fp, cells[i]);
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
}

static void agreement_table(FILE *fp, const struct report *r)
{
	fputs("<section id=\"agreement\">\n<h2>Agreement per score</h2>\n"
	      "<p class=\"notes\">n: nights where both labels and predictions have the score. Bias = mean of "
	      "prediction \xe2\x88\x92 label; limits of agreement (LoA) = bias \xc2\xb1 1.96 SD of the differences; "
	      "ICC(2,1): two-way random effects, absolute agreement, single measure. Highlighted rows are "
	      "plotted below.</p>\n<table>\n<thead><tr><th class=\"l\">score</th><th class=\"l\">unit</th>"
	      "<th>n</th><th>label mean</th><th>prediction mean</th><th>bias</th><th>SD of diff.</th>"
	      "<th>LoA low</th><th>LoA high</th><th>MAE</th><th>RMSE</th><th>Pearson r</th><th>ICC</th>"
	      "</tr></thead>\n<tbody>\n", fp);
	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		if (k != SK_SEVERITY)
			agreement_row(fp, k, &r->agreement[k]);
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

/* Scratch for one key's pairs: values and the night ids that label the points. */
struct pairs {
	double *label, *pred;
	size_t *which;
	const char **ids;
};

static int plots(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e)
{
	size_t cap = nights->n ? nights->n : 1;
	struct pairs p = {malloc(cap * sizeof *p.label), malloc(cap * sizeof *p.pred),
			  malloc(cap * sizeof *p.which), malloc(cap * sizeof *p.ids)};
	int rc = 0;

	if (!p.label || !p.pred || !p.which || !p.ids) {
		rc = ERR(e, "out of memory");
		goto done;
	}
	fputs("<section id=\"plots\">\n<h2>Bland\xe2\x80\x93" "Altman and scatter plots</h2>\n<p class=\"notes\">"
	      "Each point is a night (hover for its id). Left: difference against mean, with the bias and "
	      "the limits of agreement. Right: prediction against label; points on the dashed line agree "
	      "exactly.</p>\n", fp);
	for (size_t i = 0; i < sizeof plotted / sizeof plotted[0]; i++) {
		enum score_key k = plotted[i];
		const char *name = scorekey_name(k);
		char id[32], title[96];
		size_t n = report_pairs(nights, k, p.label, p.pred, p.which);
		for (size_t j = 0; j < n; j++)
			p.ids[j] = nights->v[p.which[j]].id;
		fprintf(fp, "<h3>%s (%s), n = %zu</h3>\n<div class=\"charts\">\n", name, unit_of(k), n);
		snprintf(id, sizeof id, "ba-%s", name);
		snprintf(title, sizeof title, "%s: Bland\xe2\x80\x93" "Altman", name);
		svg_bland_altman(fp, id, title, unit_of(k), p.label, p.pred, p.ids, n, &r->agreement[k]);
		snprintf(id, sizeof id, "scatter-%s", name);
		snprintf(title, sizeof title, "%s: prediction vs. label", name);
		svg_scatter(fp, id, title, unit_of(k), p.label, p.pred, p.ids, n);
		fputs("</div>\n", fp);
	}
	fputs("</section>\n", fp);
done:
	free(p.label);
	free(p.pred);
	free(p.which);
	free(p.ids);
	return rc;
}

static void diagnosis_table(FILE *fp, const struct report *r)
{
	fputs("<table>\n<thead><tr><th class=\"l\">diagnosis</th><th>TP</th><th>FP</th><th>FN</th><th>TN</th>"
	      "<th>sensitivity</th><th>specificity</th><th>PPV</th><th>NPV</th></tr></thead>\n<tbody>\n", fp);
	for (int t = 0; t < REPORT_THRESHOLDS; t++) {
		const struct stat_diagnostic *d = &r->diagnosis[t];
		fprintf(fp, "<tr><td class=\"l\">AHI \xe2\x89\xa5 %d</td><td>%llu</td><td>%llu</td><td>%llu</td>"
			"<td>%llu</td><td>", report_ahi_thresholds[t], (unsigned long long)d->tp,
			(unsigned long long)d->fp, (unsigned long long)d->fn, (unsigned long long)d->tn);
		put_percent(fp, d->sensitivity);
		fputs("</td><td>", fp);
		put_percent(fp, d->specificity);
		fputs("</td><td>", fp);
		put_percent(fp, d->ppv);
		fputs("</td><td>", fp);
		put_percent(fp, d->npv);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

static void severity_section(FILE *fp, const struct report *r)
{
	fprintf(fp, "<section id=\"severity\">\n<h2>OSA severity</h2>\n<p class=\"notes\">%llu nights with a "
		"severity from both sides. Rows: labels; columns: predictions; shading and percentages are "
		"shares of the row. Accuracy ", (unsigned long long)r->severity_n);
	put_percent(fp, r->severity_accuracy);
	fputs(", Cohen's kappa ", fp);
	put_num(fp, r->severity_kappa);
	fputs(", linearly weighted kappa ", fp);
	put_num(fp, r->severity_kappa_linear);
	fputs(".</p>\n<div class=\"charts\">\n", fp);
	svg_heatmap(fp, "heat-severity", "Severity: labels vs. predictions", scorekey_severity_names,
		    SEVERITY_COUNT, &r->severity[0][0]);
	fputs("</div>\n<h3>Diagnosis at AHI thresholds</h3>\n", fp);
	diagnosis_table(fp, r);
	fputs("</section>\n", fp);
}

static void staging_section(FILE *fp, const struct report *r)
{
	fprintf(fp, "<section id=\"staging\">\n<h2>Sleep staging</h2>\n<p class=\"notes\">Epochs pooled over "
		"%zu nights: ", r->staging_nights);
	put_count(fp, r->staging_n);
	fputs(" epochs scored W, N1, N2, N3 or R on both sides (", fp);
	put_count(fp, r->staging_excluded);
	fputs(" left out: artefact in the labels or no predicted epoch). Accuracy ", fp);
	put_percent(fp, r->staging_accuracy);
	fputs(", Cohen's kappa ", fp);
	put_num(fp, r->staging_kappa);
	fputs(".</p>\n<div class=\"charts\">\n", fp);
	svg_heatmap(fp, "heat-staging", "Sleep stages: labels vs. predictions", stage_names, REPORT_STAGES,
		    &r->staging[0][0]);
	fputs("</div>\n<table>\n<thead><tr><th class=\"l\">stage</th>", fp);
	for (int s = 0; s < REPORT_STAGES; s++)
		fprintf(fp, "<th>%s</th>", stage_names[s]);
	fputs("</tr></thead>\n<tbody><tr><td class=\"l\">F1</td>", fp);
	for (int s = 0; s < REPORT_STAGES; s++) {
		fputs("<td>", fp);
		put_num(fp, r->staging_f1[s]);
		fputs("</td>", fp);
	}
	fputs("</tr></tbody>\n</table>\n</section>\n", fp);
}

/* Text read from a night.json, escaped for HTML after bytes that are not UTF-8 are shown as \xNN
 * (common/utf8.h), so the page is valid UTF-8 as its charset says. */
static void outside_text(FILE *fp, const char *s)
{
	char *t = utf8_escape_dup(s, 0);

	report_html_escape(fp, t ? t : "");
	free(t);
}

static void failure_row(FILE *fp, const struct night_record *n)
{
	fputs("<tr><td class=\"l\">", fp);
	report_html_escape(fp, n->id);
	fputs("</td><td class=\"l\">", fp);
	outside_text(fp, n->error_file ? n->error_file : "");
	fputs("</td><td>", fp);
	if (n->error_line >= 0)
		fprintf(fp, "%ld", n->error_line);
	fputs("</td><td>", fp);
	if (n->error_column >= 0)
		fprintf(fp, "%ld", n->error_column);
	fputs("</td><td class=\"msg\">", fp);
	outside_text(fp, n->error_message);
	fputs("</td></tr>\n", fp);
}

static void failed_section(FILE *fp, const struct report *r, const struct night_list *nights)
{
	fputs("<section id=\"failed\">\n<h2>Failed nights</h2>\n", fp);
	if (r->failed == 0) {
		fputs("<p class=\"good\">No night failed.</p>\n</section>\n", fp);
		return;
	}
	fprintf(fp, "<p class=\"bad\">%zu of %zu nights could not be scored and are in none of the statistics "
		"above.</p>\n<table>\n<thead><tr><th class=\"l\">night</th><th class=\"l\">file</th><th>line</th>"
		"<th>column</th><th class=\"l\">error</th></tr></thead>\n<tbody>\n", r->failed, r->total);
	for (size_t i = 0; i < nights->n; i++)
		if (nights->v[i].failed)
			failure_row(fp, &nights->v[i]);
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

static void foot(FILE *fp)
{
	fputs("<h2>Notes</h2>\n<p class=\"notes\">\xe2\x80\x94 marks a value that cannot be computed (fewer than "
	      "two nights, no spread, or an empty denominator). Scores follow SPEC \xc2\xa7" "2 (sleep: YASA "
	      "sleep_statistics; respiratory: AASM, indices per hour of TST; position: Cartwright's rule). "
	      "Full-precision values are in report.json; per-night values in nights.csv.</p>\n"
	      "</main>\n</body>\n</html>\n", fp);
}

int report_html_write(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e)
{
	head(fp, r);
	summary(fp, r);
	agreement_table(fp, r);
	if (plots(fp, r, nights, e) != 0)
		return -1;
	severity_section(fp, r);
	staging_section(fp, r);
	failed_section(fp, r, nights);
	foot(fp);
	return 0;
}
