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

#include "html.h"
#include "night_page.h"
#include "nights_table.h"
#include "svg.h"
#include "utf8.h"

static const char *const stage_names[REPORT_STAGES] = {"W", "N1", "N2", "N3", "R"};

/* The plotted scores, in page order (ids in REPORT_HTML_SVG_IDS follow them). */
static const enum score_key plotted[] = {SK_AHI, SK_TST, SK_SE, SK_WASO};

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

static void put_count(FILE *fp, uint64_t n)
{
	char buf[32];

	svg_format_count(n, buf);
	fputs(buf, fp);
}

/* "[low, high]", or an em dash when the interval is unknown. */
static void put_ci(FILE *fp, struct agreement_ci ci)
{
	if (!ci.low.known || !ci.high.known) {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	fputs("[", fp);
	html_num(fp, ci.low);
	fputs(", ", fp);
	html_num(fp, ci.high);
	fputs("]", fp);
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
	".notes{font-size:13px;color:#52606d}\n"
	".scroll{overflow-x:auto;max-width:100%}\n"
	"tr.poor td{background:#fdecea}tr.doubt td{background:#fff4e0}\n"
	".tag{display:inline-block;font-size:11px;font-weight:600;border-radius:4px;padding:0 5px;margin-left:4px}"
	".tag.poor{background:#c0392b;color:#fff}.tag.doubt{background:#f0b429;color:#1f2933}\n"
	".ci{color:#52606d;font-size:12px}.no{color:#c0392b;font-weight:600}.yes{color:#1e7b45}\n"
	".smalls{display:flex;flex-wrap:wrap;gap:8px}.smalls svg{max-width:100%;height:auto;"
	"border:1px solid #e4e7eb;border-radius:6px}\n"
	"@media (max-width:960px){main{padding:16px 16px 32px}}\n"
	".scroll td:first-child,.scroll th:first-child{position:sticky;left:0;background:#fff;z-index:1}"
	".scroll th:first-child{background:#f0f4f8;z-index:2}"
	".scroll tr.poor td:first-child{background:#fdecea}.scroll tr.doubt td:first-child{background:#fff4e0}\n"
	".callout{border-left:4px solid #c0392b;background:#fdecea;padding:8px 12px;margin:8px 0;font-size:14px}\n";

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
	html_num(fp, ahi->bias);
	fputs(" <small>events/h</small></div><div class=\"d\">95% CI ", fp);
	put_ci(fp, r->agreement_ext[SK_AHI].bias_ci);
	fputs("<br>limits of agreement ", fp);
	html_num(fp, ahi->loa_low);
	fputs(" to ", fp);
	html_num(fp, ahi->loa_high);
	fprintf(fp, " \xc2\xb7 n = %zu</div></div>\n", ahi->n);
	card_open(fp, "AHI ICC(2,1)");
	html_num(fp, ahi->icc);
	fputs("</div><div class=\"d\">95% CI ", fp);
	put_ci(fp, r->agreement_ext[SK_AHI].icc_ci);
	fputs(" \xc2\xb7 Pearson r ", fp);
	html_num(fp, ahi->pearson_r);
	fputs("</div></div>\n", fp);
	card_open(fp, "Severity kappa");
	html_num(fp, r->severity_kappa);
	fputs("</div><div class=\"d\">linear-weighted ", fp);
	html_num(fp, r->severity_kappa_linear);
	fputs(" \xc2\xb7 accuracy ", fp);
	html_percent(fp, r->severity_accuracy);
	fputs("</div></div>\n", fp);
	card_open(fp, "Sleep staging accuracy");
	html_percent(fp, r->staging_accuracy);
	fputs("</div><div class=\"d\">kappa ", fp);
	html_num(fp, r->staging_kappa);
	fputs(" \xc2\xb7 ", fp);
	put_count(fp, r->staging_n);
	fprintf(fp, " epochs, %zu nights<br>per night: kappa ", r->staging_nights);
	html_num(fp, r->staging_by_night.kappa.mean);
	fputs(" [", fp);
	html_num(fp, r->staging_by_night.kappa.ci_low);
	fputs(", ", fp);
	html_num(fp, r->staging_by_night.kappa.ci_high);
	fputs("]</div></div>\n", fp);
	fputs("</div>\n</section>\n", fp);
}

/* ---- v1.1: the agreement table to the field's standard ----------------------------------- */

/* Poor agreement (DECISIONS.md, stated in the page's legend): ICC(2,1) below 0.5 (Koo & Li 2016's
 * "poor"); doubtful: ICC at least 0.5 but its 95 % CI reaches below 0.5. */
enum quality { QUALITY_OK, QUALITY_DOUBT, QUALITY_POOR };

static enum quality quality_of(const struct stat_agreement *a, const struct agreement_ext *x)
{
	if (!a->icc.known)
		return QUALITY_OK;
	if (a->icc.value < 0.5)
		return QUALITY_POOR;
	if (x->icc_ci.low.known && x->icc_ci.low.value < 0.5)
		return QUALITY_DOUBT;
	return QUALITY_OK;
}

/* A value with its CI below it in small type. */
static void put_num_ci(FILE *fp, struct stat_num v, struct agreement_ci ci)
{
	html_num(fp, v);
	if (ci.low.known && ci.high.known) {
		fputs("<br><span class=\"ci\">", fp);
		put_ci(fp, ci);
		fputs("</span>", fp);
	}
}

static void put_flag(FILE *fp, enum agreement_flag f)
{
	switch (f) {
	case AGREEMENT_FLAG_TRUE: fputs("<span class=\"yes\">\xe2\x9c\x93</span>", fp); break;
	case AGREEMENT_FLAG_FALSE: fputs("<span class=\"no\">\xe2\x9c\x97</span>", fp); break;
	default: fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
	}
}

/* A p-value for people: 3 significant digits, "< 0.001" below that. */
static void put_p(FILE *fp, struct stat_num p)
{
	if (!p.known)
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
	else if (p.value < 0.001)
		fputs("&lt; 0.001", fp);
	else
		fprintf(fp, "%.3f", p.value);
}

static void agreement_row(FILE *fp, enum score_key k, const struct stat_agreement *a, const struct agreement_ext *x)
{
	enum quality q = quality_of(a, x);
	static const char *const row_class[] = {"", " class=\"doubt\"", " class=\"poor\""};

	fprintf(fp, "<tr%s><td class=\"l\"><b>%s</b>%s</td><td class=\"l\">%s</td><td>%zu</td><td>",
		row_class[q], scorekey_name(k),
		q == QUALITY_POOR ? "<span class=\"tag poor\">poor</span>" :
		q == QUALITY_DOUBT ? "<span class=\"tag doubt\">doubtful</span>" : "", unit_of(k), a->n);
	html_num(fp, a->label_mean);
	fputs("</td><td>", fp);
	html_num(fp, a->pred_mean);
	fputs("</td><td>", fp);
	put_num_ci(fp, a->bias, x->bias_ci);
	fputs("</td><td>", fp);
	put_num_ci(fp, a->loa_low, x->loa_low_ci);
	fputs("</td><td>", fp);
	put_num_ci(fp, a->loa_high, x->loa_high_ci);
	fputs("</td><td>", fp);
	put_num_ci(fp, a->icc, x->icc_ci);
	fputs("</td><td>", fp);
	if (x->known && x->bias_regr.known) {
		html_num(fp, (struct stat_num){x->bias_regr.slope, true});
		fputs("<br><span class=\"ci\">p ", fp);
		put_p(fp, x->bias_regr.p);
		fputs("</span>", fp);
	} else {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
	}
	fputs("</td>", fp);
	const enum agreement_flag flags[] = {x->unbiased, x->normal, x->constant_bias, x->homoscedastic};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		fputs("<td>", fp);
		put_flag(fp, x->known ? flags[i] : AGREEMENT_FLAG_NULL);
		fputs("</td>", fp);
	}
	if (x->known)
		fprintf(fp, "<td class=\"l\">%s / %s</td>", x->bias_method == AGREEMENT_REGR ? "regr" : "param",
			x->loa_method == AGREEMENT_REGR ? "regr" : "param");
	else
		fputs("<td class=\"l\"><span class=\"na\">\xe2\x80\x94</span></td>", fp);
	fputs("<td>", fp);
	html_num(fp, a->mae);
	fputs("</td><td>", fp);
	html_num(fp, a->pearson_r);
	fputs("</td></tr>\n", fp);
}

/* The scores whose agreement is poor, named before the table so nobody has to search for them. */
static void poor_callout(FILE *fp, const struct report *r)
{
	int poor = 0;

	for (int k = 0; k < SCORE_KEY_COUNT; k++) {
		if (k == SK_SEVERITY || quality_of(&r->agreement[k], &r->agreement_ext[k]) != QUALITY_POOR)
			continue;
		fputs(poor++ ? ", " : "<p class=\"callout\"><b>Poor agreement (ICC &lt; 0.5):</b> ", fp);
		fprintf(fp, "%s (ICC ", scorekey_name(k));
		html_num(fp, r->agreement[k].icc);
		fputs(")", fp);
	}
	if (poor)
		fputs(". Do not use the model's values of these scores in place of the technicians'.</p>\n", fp);
}

static void agreement_table(FILE *fp, const struct report *r)
{
	fputs("<section id=\"agreement\">\n<h2>Agreement per score</h2>\n", fp);
	poor_callout(fp, r);
	fputs("<p class=\"notes\">n: nights where both labels and predictions have the score. Bias = mean of "
	      "prediction \xe2\x88\x92 label; limits of agreement = bias \xc2\xb1 1.96 SD of the differences; "
	      "under each, its 95% confidence interval (t-based; limits after Bland &amp; Altman 1999). "
	      "ICC(2,1): two-way random effects, absolute agreement, single measure, with its 95% CI (McGraw "
	      "&amp; Wong 1996). <b>Rows marked poor</b> have ICC &lt; 0.5; <b>doubtful</b>: ICC \xe2\x89\xa5 0.5 "
	      "but its CI reaches below 0.5. Bias slope: the difference regressed on the label value (p: "
	      "slope = 0). Assumptions (\xe2\x9c\x93 holds, \xe2\x9c\x97 fails at \xce\xb1 = 0.05): "
	      "unbiased (t-test of the differences), normal (Shapiro\xe2\x80\x93Wilk), constant bias (no "
	      "proportional bias), homoscedastic (the absolute residuals do not grow with the label value). "
	      "Method: how the bias / the limits are drawn below (param: flat; regr: along the label value, "
	      "limits \xc2\xb1 1.96 \xe2\x88\x9a(\xcf\x80/2) \xc3\x97 the fitted absolute residual).</p>\n<div class=\"scroll\"><table>\n"
	      "<thead><tr><th class=\"l\">score</th><th class=\"l\">unit</th><th>n</th><th>label mean</th>"
	      "<th>prediction mean</th><th>bias</th><th>lower limit</th><th>upper limit</th><th>ICC</th>"
	      "<th>bias slope</th><th>unbiased</th><th>normal</th><th>constant bias</th><th>homosce&shy;dastic</th>"
	      "<th class=\"l\">method bias / limits</th><th>MAE</th><th>Pearson r</th></tr></thead>\n<tbody>\n", fp);
	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		if (k != SK_SEVERITY)
			agreement_row(fp, k, &r->agreement[k], &r->agreement_ext[k]);
	fputs("</tbody>\n</table></div>\n</section>\n", fp);
}

/* ---- end of the v1.1 agreement table ----------------------------------------------------- */

/* Scratch for one key's pairs: values and the night ids that label the points. */
struct pairs {
	double *label, *pred;
	size_t *which;
	const char **ids;
};

/* A Bland–Altman plot for every numeric score (v1.1), small, without tooltips (the page stays
 * light at thousands of nights; the full-size plots above have them). */
static void small_multiples(FILE *fp, const struct report *r, const struct night_list *nights,
			    const struct pairs *p)
{
	fputs("<h3 id=\"ba-all\">Bland\xe2\x80\x93" "Altman plots of every score</h3>\n<p class=\"notes\">As above: "
	      "difference against the label value; solid line the bias, dashed the limits, shaded their 95% "
	      "CIs, drawn as the method under the title picked; \xe2\x80\x9cpoor\xe2\x80\x9d in a title marks poor agreement (ICC &lt; 0.5)."
	      "</p>\n<div class=\"smalls\">\n", fp);
	for (int k = 0; k < SCORE_KEY_COUNT; k++) {
		const struct agreement_ext *x = &r->agreement_ext[k];
		char id[48], title[128];
		size_t n;
		if (k == SK_SEVERITY)
			continue;
		n = report_pairs(nights, k, p->label, p->pred, NULL);
		snprintf(id, sizeof id, "bam-%s", scorekey_name(k));
		snprintf(title, sizeof title, "%s (%s)%s", scorekey_name(k), unit_of(k),
			 quality_of(&r->agreement[k], x) == QUALITY_POOR ? " \xc2\xb7 poor" : "");
		svg_bland_altman(fp, id, title, unit_of(k), p->label, p->pred, NULL, n, &r->agreement[k], x, true);
	}
	fputs("</div>\n", fp);
}

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
	      "Each point is a night (hover for its id). Left: the difference against the label value (the "
	      "reference), with the bias (solid) and the limits of agreement (dashed) of the method the "
	      "analysis picked \xe2\x80\x94 flat when parametric, sloped when regression-based \xe2\x80\x94 "
	      "each in its shaded 95% confidence band; the right margin names them (a sloped line's value at "
	      "the right edge). Right: prediction against label; points on the dashed line agree "
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
		svg_bland_altman(fp, id, title, unit_of(k), p.label, p.pred, p.ids, n, &r->agreement[k],
				 &r->agreement_ext[k], false);
		snprintf(id, sizeof id, "scatter-%s", name);
		snprintf(title, sizeof title, "%s: prediction vs. label", name);
		svg_scatter(fp, id, title, unit_of(k), p.label, p.pred, p.ids, n);
		fputs("</div>\n", fp);
	}
	small_multiples(fp, r, nights, &p);
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
		html_percent(fp, d->sensitivity);
		fputs("</td><td>", fp);
		html_percent(fp, d->specificity);
		fputs("</td><td>", fp);
		html_percent(fp, d->ppv);
		fputs("</td><td>", fp);
		html_percent(fp, d->npv);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

static void severity_section(FILE *fp, const struct report *r)
{
	fprintf(fp, "<section id=\"severity\">\n<h2>OSA severity</h2>\n<p class=\"notes\">%llu nights with a "
		"severity from both sides. Rows: labels; columns: predictions; shading and percentages are "
		"shares of the row. Accuracy ", (unsigned long long)r->severity_n);
	html_percent(fp, r->severity_accuracy);
	fputs(", Cohen's kappa ", fp);
	html_num(fp, r->severity_kappa);
	fputs(", linearly weighted kappa ", fp);
	html_num(fp, r->severity_kappa_linear);
	fputs(".</p>\n<div class=\"charts\">\n", fp);
	svg_heatmap(fp, "heat-severity", "Severity: labels vs. predictions", scorekey_severity_names,
		    SEVERITY_COUNT, &r->severity[0][0]);
	fputs("</div>\n<h3>Diagnosis at AHI thresholds</h3>\n", fp);
	diagnosis_table(fp, r);
	fputs("</section>\n", fp);
}

/* ---- v1.1: epoch-by-epoch staging ---------------------------------------------------------- */

/* "mean (SD)" of a summary over nights. */
static void put_mean_sd(FILE *fp, const struct staging_summary *s)
{
	html_num(fp, s->mean);
	if (s->sd.known) {
		fputs(" <span class=\"ci\">(", fp);
		html_num(fp, s->sd);
		fputs(")</span>", fp);
	}
}

/* One figure: pooled value, then mean (SD), [CI] and n over nights. */
static void figure_row(FILE *fp, const char *name, struct stat_num pooled, const struct staging_summary *s)
{
	fprintf(fp, "<tr><td class=\"l\">%s</td><td>", name);
	html_num(fp, pooled);
	fputs("</td><td>", fp);
	put_mean_sd(fp, s);
	fputs("</td><td>", fp);
	put_ci(fp, (struct agreement_ci){s->ci_low, s->ci_high});
	fprintf(fp, "</td><td>%zu</td></tr>\n", s->n);
}

static void figures_head(FILE *fp)
{
	fputs("<div class=\"scroll\"><table>\n<thead><tr><th class=\"l\">figure</th><th>pooled epochs</th>"
	      "<th>per night: mean (SD)</th><th>95% CI of the mean</th><th>nights</th></tr></thead>\n<tbody>\n", fp);
}

static void overall_table(FILE *fp, const struct report *r)
{
	const struct staging_agreement *a = &r->staging_pooled;
	const struct staging_by_night *b = &r->staging_by_night;

	figures_head(fp);
	figure_row(fp, "accuracy", a->accuracy, &b->accuracy);
	figure_row(fp, "balanced accuracy", a->balanced_accuracy, &b->balanced_accuracy);
	figure_row(fp, "Cohen's kappa", a->kappa, &b->kappa);
	figure_row(fp, "Matthews correlation (MCC)", a->mcc, &b->mcc);
	figure_row(fp, "F1, weighted by support", a->f1_weighted, &b->f1_weighted);
	fputs("</tbody>\n</table></div>\n", fp);
}

static const char stage_heads[] = "<th>sensitivity</th><th>specificity</th><th>PPV</th><th>NPV</th>"
				  "<th>F1</th><th>accuracy</th>";

/* Each stage against the rest: the pooled figures, then each night's, mean (SD). */
static void stage_table(FILE *fp, const struct report *r)
{
	fprintf(fp, "<p class=\"notes\">Pooled epochs:</p>\n<div class=\"scroll\"><table>\n<thead><tr>"
		"<th class=\"l\">stage</th><th>support</th>%s</tr></thead>\n<tbody>\n", stage_heads);
	for (int s = 0; s < STAGING_STAGES; s++) {
		const struct staging_stage *st = &r->staging_pooled.stage[s];
		const struct stat_num pooled[] = {st->sensitivity, st->specificity, st->ppv, st->npv, st->f1,
						  st->accuracy};
		fprintf(fp, "<tr><td class=\"l\"><b>%s</b></td><td>", staging_stage_names[s]);
		put_count(fp, st->support);
		fputs("</td>", fp);
		for (size_t i = 0; i < sizeof pooled / sizeof pooled[0]; i++) {
			fputs("<td>", fp);
			html_num(fp, pooled[i]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fprintf(fp, "</tbody>\n</table></div>\n<p class=\"notes\">Night by night, mean (SD) over the nights where "
		"the figure exists:</p>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"l\">stage</th>"
		"<th>nights</th>%s</tr></thead>\n<tbody>\n", stage_heads);
	for (int s = 0; s < STAGING_STAGES; s++) {
		const struct staging_stage_summary *b = &r->staging_by_night.stage[s];
		const struct staging_summary *nightly[] = {&b->sensitivity, &b->specificity, &b->ppv, &b->npv,
							   &b->f1, &b->accuracy};
		fprintf(fp, "<tr><td class=\"l\"><b>%s</b></td><td>%zu</td>", staging_stage_names[s], b->sensitivity.n);
		for (size_t i = 0; i < sizeof nightly / sizeof nightly[0]; i++) {
			fputs("<td>", fp);
			put_mean_sd(fp, nightly[i]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table></div>\n", fp);
}

static void sleep_wake_block(FILE *fp, const struct report *r)
{
	const struct staging_sleep_wake *w = &r->staging_pooled.sleep_wake;
	const struct staging_by_night *b = &r->staging_by_night;

	fputs("<h3>Sleep vs. wake</h3>\n<p class=\"notes\">Sleep = N1, N2, N3 or R. Sensitivity: sleep scored "
	      "sleep; specificity: wake scored wake; PPV of sleep, NPV of wake. PABAK = 2 \xc3\x97 accuracy "
	      "\xe2\x88\x92 1 (kappa adjusted for prevalence and bias); prevalence index = |both sleep "
	      "\xe2\x88\x92 both wake| / epochs (near 1: kappa is depressed by the rarity of wake).</p>\n"
	      "<div class=\"scroll\"><table>\n<thead><tr><th class=\"l\">labels \\ predictions</th><th>sleep</th>"
	      "<th>wake</th></tr></thead>\n<tbody>\n", fp);
	for (int i = 0; i < 2; i++) {
		fprintf(fp, "<tr><td class=\"l\">%s</td><td>", i ? "wake" : "sleep");
		put_count(fp, w->confusion[i][0]);
		fputs("</td><td>", fp);
		put_count(fp, w->confusion[i][1]);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table></div>\n", fp);
	figures_head(fp);
	figure_row(fp, "accuracy", w->accuracy, &b->sw_accuracy);
	figure_row(fp, "sensitivity (sleep)", w->sensitivity, &b->sw_sensitivity);
	figure_row(fp, "specificity (wake)", w->specificity, &b->sw_specificity);
	figure_row(fp, "PPV (sleep)", w->ppv, &b->sw_ppv);
	figure_row(fp, "NPV (wake)", w->npv, &b->sw_npv);
	figure_row(fp, "Cohen's kappa", w->kappa, &b->sw_kappa);
	figure_row(fp, "PABAK", w->pabak, &b->sw_pabak);
	figure_row(fp, "prevalence index", w->prevalence_index, &b->sw_prevalence_index);
	fputs("</tbody>\n</table></div>\n", fp);
}

/* The per-night kappa and accuracy as a strip plot (each night's own staging_confusion). */
static int night_strip(FILE *fp, const struct night_list *nights, struct err *e)
{
	size_t cap = nights->n ? nights->n : 1, n_kappa = 0, n_acc = 0;
	double *kappa = malloc(cap * sizeof *kappa), *acc = malloc(cap * sizeof *acc);
	double *scratch = malloc(cap * sizeof *scratch);
	const char **kappa_ids = malloc(cap * sizeof *kappa_ids), **acc_ids = malloc(cap * sizeof *acc_ids);
	int rc = 0;

	if (!kappa || !acc || !scratch || !kappa_ids || !acc_ids) {
		rc = ERR(e, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nights->n; i++) {
		uint64_t table[STAGING_STAGES][STAGING_STAGES];
		struct staging_agreement a;
		if (!report_night_has_staging(&nights->v[i]))
			continue;
		report_night_staging_table(&nights->v[i], table);
		staging_agree(table, &a);
		if (a.kappa.known) {
			kappa_ids[n_kappa] = nights->v[i].id;
			kappa[n_kappa++] = a.kappa.value;
		}
		if (a.accuracy.known) {
			acc_ids[n_acc] = nights->v[i].id;
			acc[n_acc++] = a.accuracy.value;
		}
	}
	const char *const rows[] = {"kappa", "accuracy"};
	const double *const values[] = {kappa, acc};
	const size_t counts[] = {n_kappa, n_acc};
	const char *const *const ids[] = {kappa_ids, acc_ids};
	svg_strip(fp, "strip-staging", "Staging agreement night by night", rows, 2, values, counts, ids, scratch);
done:
	free(kappa);
	free(acc);
	free(scratch);
	free(kappa_ids);
	free(acc_ids);
	return rc;
}

static int staging_section(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e)
{
	const struct staging_by_night *b = &r->staging_by_night;
	struct stat_num mean[STAGING_STAGES * STAGING_STAGES], sd[STAGING_STAGES * STAGING_STAGES];

	fprintf(fp, "<section id=\"staging\">\n<h2>Sleep staging, epoch by epoch</h2>\n<p class=\"notes\">%zu nights: ",
		r->staging_nights);
	put_count(fp, r->staging_n);
	fputs(" epochs scored W, N1, N2, N3 or R on both sides (", fp);
	put_count(fp, r->staging_excluded);
	fputs(" left out: artefact in the labels or no predicted epoch). Pooled: every epoch counts once. "
	      "Per night: each night's figure, then their mean, SD and t-based 95% CI over the nights where "
	      "it exists (Menghini et al. 2021). Left: the pooled counts (shading: share of the row). Right: "
	      "the error matrix \xe2\x80\x94 each night's row proportions, mean (SD) over nights, in %.</p>\n"
	      "<div class=\"charts\">\n", fp);
	svg_heatmap(fp, "heat-staging", "Sleep stages: labels vs. predictions", stage_names, REPORT_STAGES,
		    &r->staging[0][0]);
	for (int i = 0; i < STAGING_STAGES; i++)
		for (int j = 0; j < STAGING_STAGES; j++) {
			mean[i * STAGING_STAGES + j] = b->proportion[i][j].mean;
			sd[i * STAGING_STAGES + j] = b->proportion[i][j].sd;
		}
	svg_heatmap_mean_sd(fp, "heat-staging-nights", "Error matrix: mean (SD) over nights", stage_names,
			    STAGING_STAGES, mean, sd);
	fputs("</div>\n<h3>Overall</h3>\n", fp);
	overall_table(fp, r);
	fputs("<h3>Each stage against the rest</h3>\n", fp);
	stage_table(fp, r);
	sleep_wake_block(fp, r);
	fputs("<h3>Night by night</h3>\n<p class=\"notes\">Each point a night (hover for its id); box: quartiles "
	      "with the median in red, whiskers to the extremes.</p>\n<div class=\"charts\">\n", fp);
	if (night_strip(fp, nights, e) != 0)
		return -1;
	fputs("</div>\n</section>\n", fp);
	return 0;
}

/* ---- end of v1.1 staging ------------------------------------------------------------------- */

/* Text read from a night.json, escaped for HTML after bytes that are not UTF-8 are shown as \xNN
 * (common/utf8.h), so the page is valid UTF-8 as its charset says. */
static void outside_text(FILE *fp, const char *s)
{
	char *t = utf8_escape_dup(s, 0);

	html_escape(fp, t ? t : "");
	free(t);
}

static void failure_row(FILE *fp, const struct night_record *n)
{
	fprintf(fp, "<tr id=\"failed-%s\"><td class=\"l\">", n->id); /* a night id needs no escaping */
	html_escape(fp, n->id);
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
	return report_html_write_linked(fp, r, nights, NIGHT_PAGE_DIR "/", e);
}

int report_html_write_linked(FILE *fp, const struct report *r, const struct night_list *nights, const char *pages,
			     struct err *e)
{
	head(fp, r);
	provenance_html(fp, &r->provenance);
	summary(fp, r);
	if (nights_table_worst(fp, nights, pages, e) != 0)
		return -1;
	agreement_table(fp, r);
	if (plots(fp, r, nights, e) != 0)
		return -1;
	severity_section(fp, r);
	if (staging_section(fp, r, nights, e) != 0)
		return -1;
	event_report_html(fp, &r->events);
	nights_table_write(fp, nights, pages);
	failed_section(fp, r, nights);
	foot(fp);
	return 0;
}
