/*
 * night_page.c — one page per ok night (see night_page.h).
 */
#include "night_page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "night_data.h"
#include "night_svg.h"

static const char page_style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933;margin:0;background:#f5f7fa;"
	"line-height:1.4}main{max-width:1060px;margin:0 auto;padding:20px 28px 40px;background:#fff}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #e4e7eb}"
	".sub{color:#52606d;margin:0 0 12px}.na{color:#9aa5b1}.cols{display:flex;flex-wrap:wrap;gap:28px}"
	"table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e4e7eb;"
	"text-align:right;white-space:nowrap}th{background:#f0f4f8}td.l,th.l{text-align:left}"
	"svg{max-width:100%;height:auto;border:1px solid #e4e7eb;border-radius:6px}\n";

/* A score for people, as report.html writes numbers (3 decimals below 10, 2 below 100, 1 above; no
 * "-0") but without printf: ~110 of them a page cost a tenth of its time. Rounds v · 10^decimals
 * to the nearest integer (halves away from zero); printf rounds the exact binary value, so the two
 * can differ in the last digit on an exact decimal tie. */
static void score_number(FILE *fp, double v)
{
	static const double scale[4] = {1, 10, 100, 1000};
	char digits[32], text[48];
	double a = fabs(v);
	int decimals = a < 10 ? 3 : a < 100 ? 2 : 1;
	long long r;
	unsigned long long u;
	size_t n = 0, len = 0;

	if (!(a < 1e15)) {
		html_num(fp, (struct stat_num){v, true});
		return;
	}
	r = llround(v * scale[decimals]);
	u = r < 0 ? 0 - (unsigned long long)r : (unsigned long long)r;
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n <= (size_t)decimals)
		digits[n++] = '0';
	if (r < 0)
		text[len++] = '-';
	while (n > (size_t)decimals)
		text[len++] = digits[--n];
	text[len++] = '.';
	while (n > 0)
		text[len++] = digits[--n];
	fwrite_unlocked(text, 1, len, fp);
}

/* A count, without printf (the tables hold ~60 a page). */
static void count(FILE *fp, uint64_t v)
{
	char digits[24];
	size_t n = 0;

	do
		digits[sizeof digits - ++n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	fwrite_unlocked(digits + sizeof digits - n, 1, n, fp);
}

static void score_cell(FILE *fp, enum score_key k, const struct night_score *s)
{
	fputs("<td>", fp);
	if (!s->known)
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
	else if (scorekey_kind(k) == SCORE_STRING)
		fputs(scorekey_severity_names[(int)s->value], fp);
	else if (scorekey_kind(k) == SCORE_BOOL)
		fputs(s->value != 0 ? "yes" : "no", fp);
	else
		score_number(fp, s->value);
	fputs("</td>", fp);
}

static void scores_table(FILE *fp, const struct night_record *r)
{
	fputs("<div><h2>Scores</h2><table><thead><tr><th class=\"l\">score</th><th>labels</th><th>predictions</th>"
	      "<th>difference</th></tr></thead><tbody>\n", fp);
	for (int k = 0; k < SCORE_KEY_COUNT; k++) {
		const struct night_score *l = &r->scores[SOURCE_LABELS][k], *p = &r->scores[SOURCE_PREDICTIONS][k];
		fputs_unlocked("<tr><td class=\"l\">", fp);
		fputs_unlocked(scorekey_name(k), fp);
		fputs_unlocked("</td>", fp);
		score_cell(fp, k, l);
		score_cell(fp, k, p);
		fputs("<td>", fp);
		if (l->known && p->known && scorekey_kind(k) == SCORE_NUMBER)
			score_number(fp, p->value - l->value);
		else
			fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

static void staging_table(FILE *fp, const struct night_record *r)
{
	static const char *const stages[STAGE_COUNT] = {"W", "N1", "N2", "N3", "R", "?"};
	struct stat_num accuracy, kappa;

	fputs("<h2>Staging agreement</h2>", fp);
	if (!r->has_staging) {
		fputs("<p class=\"sub\">The predictions have no hypnogram of their own.</p>\n", fp);
		return;
	}
	night_staging(r, &accuracy, &kappa);
	fputs("<p class=\"sub\">Over the epochs both sides scored W, N1, N2, N3 or R: accuracy ", fp);
	html_percent(fp, accuracy);
	fputs(", Cohen's kappa ", fp);
	html_num(fp, kappa);
	fputs(". Rows: labels; columns: predictions (? = artefact or no predicted epoch).</p>\n<table><thead><tr>"
	      "<th class=\"l\">labels \\ predictions</th>", fp);
	for (int j = 0; j < STAGE_COUNT; j++) {
		fputs_unlocked("<th>", fp);
		fputs_unlocked(stages[j], fp);
		fputs_unlocked("</th>", fp);
	}
	fputs("</tr></thead><tbody>\n", fp);
	for (int i = 0; i < STAGE_COUNT; i++) {
		fputs_unlocked("<tr><td class=\"l\">", fp);
		fputs_unlocked(stages[i], fp);
		fputs_unlocked("</td>", fp);
		for (int j = 0; j < STAGE_COUNT; j++) {
			fputs_unlocked(i == j ? "<td><b>" : "<td>", fp);
			count(fp, r->staging[i][j]);
			fputs_unlocked(i == j ? "</b></td>" : "</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
}

static void events_table(FILE *fp, const struct night_record *r)
{
	fputs("<h2>Event-by-event agreement</h2>", fp);
	if (!r->events.known) {
		fputs("<p class=\"sub\">The predictions have no respiratory stream of their own.</p>\n", fp);
		return;
	}
	fputs("<p class=\"sub\">A labels and a predicted event pair when they overlap, largest overlap first; AH "
	      "pairs any apnea or hypopnea with any other. Onset error: mean |predicted \xe2\x88\x92 labels onset| "
	      "over the pairs.</p>\n<table><thead><tr><th class=\"l\">events</th><th>paired</th><th>false</th>"
	      "<th>missed</th><th>sensitivity</th><th>PPV</th><th>F1</th><th>onset error (s)</th></tr></thead><tbody>\n",
	      fp);
	for (int k = 0; k < NIGHT_EVENT_KEYS; k++) {
		const struct night_event_key *e = &r->events.k[k];
		fputs_unlocked("<tr><td class=\"l\">", fp);
		fputs_unlocked(night_events_key_name(k), fp);
		fputs_unlocked("</td><td>", fp);
		count(fp, e->tp);
		fputs_unlocked("</td><td>", fp);
		count(fp, e->fp);
		fputs_unlocked("</td><td>", fp);
		count(fp, e->fn);
		fputs_unlocked("</td><td>", fp);
		html_percent(fp, e->sensitivity);
		fputs("</td><td>", fp);
		html_percent(fp, e->ppv);
		fputs("</td><td>", fp);
		html_num(fp, e->f1);
		fputs("</td><td>", fp);
		html_num(fp, e->onset_mae);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
}

static int page(FILE *fp, const struct night_record *r, const struct night_data *d)
{
	char title[NIGHTID_MAX + 32];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Night ", fp);
	html_escape(fp, r->id);
	fprintf(fp, " \xe2\x80\x94 nightfan</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n"
		"<p><a href=\"../report.html\">\xe2\x86\x90 report</a></p>\n<h1>Night ", page_style);
	html_escape(fp, r->id);
	fputs("</h1>\n", fp);
	if (d->has_epochs)
		fprintf(fp, "<p class=\"sub\">%zu epochs of %g s (%.1f h) \xc2\xb7 labels are the reference</p>\n", d->n,
			d->epoch_seconds, (double)d->n * d->epoch_seconds / 3600);
	snprintf(title, sizeof title, "Night %s", r->id);
	if (!d->has_epochs)
		fputs("<p class=\"sub\">No epochs.csv in the night's folder: no figure.</p>\n", fp);
	else if (night_svg_draw(fp, "night", title, d, true) < 0)
		return -1;
	if (d->has_epochs && !d->has_events)
		fputs("<p class=\"sub\">No events.csv in the night's folder (written by an older nightfan-shard): "
		      "no event rows.</p>\n", fp);
	fputs("<div class=\"cols\">\n", fp);
	scores_table(fp, r);
	fputs("<div>", fp);
	staging_table(fp, r);
	events_table(fp, r);
	fputs("</div></div>\n</main>\n</body>\n</html>\n", fp);
	return 0;
}

/* <dir>/<night>.html from d. */
static int write_page(const struct night_record *r, const struct night_data *d, const char *dir, struct err *e)
{
	static char buffer[1 << 16];
	char *path = NULL;
	FILE *fp;
	int rc = -1;

	if (asprintf(&path, "%s/%s.html", dir, r->id) < 0)
		return ERR(e, "out of memory");
	if (!(fp = fopen(path, "w"))) {
		ERR_SYS(e, path, "cannot create");
		goto done;
	}
	setvbuf(fp, buffer, _IOFBF, sizeof buffer);
	if (page(fp, r, d) < 0) {
		fclose(fp);
		ERR(e, "out of memory");
		goto done;
	}
	if (ferror(fp) | fclose(fp))
		ERR_SYS(e, path, "cannot write");
	else
		rc = 0;
done:
	free(path);
	return rc;
}

int night_page_read(const struct night_record *r, int epochs_fd, int events_fd, const char *pages_dir,
		    struct nights_worst *worst, struct err *e)
{
	bool keep = nights_worst_wants(worst, r);
	struct night_data d;
	struct err failure = {0};
	int rc = 0;

	if (!pages_dir && !keep)
		return 0;
	/* without a page to draw, only the epochs are read, and an error waits to be needed */
	if (night_data_read_fds(epochs_fd, pages_dir ? events_fd : -1, r->dir, &d, pages_dir ? e : &failure) < 0)
		rc = pages_dir ? -1 : nights_worst_keep(worst, r, NULL, &failure, e);
	else if (pages_dir && write_page(r, &d, pages_dir, e) < 0)
		rc = -1;
	else if (keep)
		rc = nights_worst_keep(worst, r, &d, NULL, e);
	night_data_free(&d);
	return rc;
}
