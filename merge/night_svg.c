/*
 * night_svg.c — the night figure (see night_svg.h).
 *
 * Every epoch-wise band is drawn as runs (one path segment or one rect per run of equal values),
 * so a night of 960 epochs with ~150 stage changes costs a few KB.
 */
#include "night_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

#define WIDTH 1000.0
#define LEFT 74.0
#define RIGHT 16.0
#define PLOT (WIDTH - LEFT - RIGHT)
#define HYP_H 84.0          /* one hypnogram panel: 5 levels */
#define HYP_GAP 22.0
#define ROW_H 14.0          /* one row of event bars */

static const char *const level_names[5] = {"W", "R", "N1", "N2", "N3"};
static const char *const position_colours[POS_COUNT] = {"#d64545", "#8e44ad", "#3182ce", "#38a169", "#d69e2e",
							 "#cbd2d9"};

/* x with one decimal ("12.5", "12" for 12.0): printf's %.1f cost most of a page's time (callgrind);
 * every coordinate goes through here. */
static size_t num_text(double x, char *text)
{
	char digits[24];
	long long tenths = fabs(x) < 1e15 ? llround(x * 10) : 0; /* out of any drawing: 0 */
	unsigned long long u = tenths < 0 ? 0 - (unsigned long long)tenths : (unsigned long long)tenths;
	unsigned frac = (unsigned)(u % 10);
	size_t n = 0, len = 0;

	u /= 10;
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (tenths < 0)
		text[len++] = '-';
	while (n > 0)
		text[len++] = digits[--n];
	if (frac) {
		text[len++] = '.';
		text[len++] = (char)('0' + frac);
	}
	return len;
}

static void num(FILE *fp, double x)
{
	char text[32];

	fwrite_unlocked(text, 1, num_text(x, text), fp);
}

static void str(FILE *fp, const char *s)
{
	fputs_unlocked(s, fp);
}

/* The x of every epoch boundary, formatted once a night: the hypnograms, the shading and the
 * position band all draw on them (half of a page's numbers). */
struct xtab {
	char (*text)[12];
	uint8_t *len;
};

static int xtab_make(struct xtab *t, const struct night_data *d);

static struct xtab xs; /* the night being drawn (one at a time) */

static void put_x(FILE *fp, size_t k)
{
	fwrite_unlocked(xs.text[k], 1, xs.len[k], fp);
}

/* W R N1 N2 N3 from the top; -1 for ? and no stage (the line breaks). */
static int level(uint8_t stage)
{
	switch (stage) {
	case STAGE_W: return 0;
	case STAGE_R: return 1;
	case STAGE_N1: return 2;
	case STAGE_N2: return 3;
	case STAGE_N3: return 4;
	default: return -1;
	}
}

static double x_of_epoch(const struct night_data *d, size_t k)
{
	return LEFT + PLOT * (double)k / (double)d->n;
}

static int xtab_make(struct xtab *t, const struct night_data *d)
{
	char text[32];

	free(t->text);
	free(t->len);
	t->text = malloc((d->n + 1) * sizeof *t->text);
	t->len = malloc(d->n + 1);
	if (!t->text || !t->len)
		return -1;
	for (size_t k = 0; k <= d->n; k++) {
		size_t len = num_text(x_of_epoch(d, k), text); /* at most "1000.0" */
		memcpy(t->text[k], text, len);
		t->len[k] = (uint8_t)len;
	}
	return 0;
}

static double x_of_time(const struct night_data *d, double t)
{
	double span = (double)d->n * d->epoch_seconds, x = (t - d->t0) / span;

	return LEFT + PLOT * (x < 0 ? 0 : x > 1 ? 1 : x);
}

static double y_of_level(double top, int lv)
{
	return top + 6 + lv * (HYP_H - 12) / 4;
}

/* One hypnogram panel at `top`: the axis labels, the step line, REM runs in red. */
static void hypnogram(FILE *fp, const struct night_data *d, const uint8_t *stages, double top, const char *name)
{
	bool pen_up = true;
	char ys[5][32];
	size_t ylen[5];

	for (int lv = 0; lv < 5; lv++)
		ylen[lv] = num_text(y_of_level(top, lv), ys[lv]);
	fprintf(fp, "<text x=\"4\" y=\"%.1f\" class=\"pn\">%s</text>\n", top - 4, name);
	for (int lv = 0; lv < 5; lv++)
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">%s</text><line x1=\"%.1f\" x2=\"%.1f\" "
			"y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>\n", LEFT - 6, y_of_level(top, lv) + 4, level_names[lv], LEFT,
			WIDTH - RIGHT, y_of_level(top, lv), y_of_level(top, lv));
	fputs("<path class=\"hy\" d=\"", fp);
	for (size_t a = 0, b; a < d->n; a = b) {
		int lv = level(stages[a]);
		for (b = a + 1; b < d->n && level(stages[b]) == lv; b++)
			;
		if (lv < 0) {
			pen_up = true;
			continue;
		}
		if (pen_up) {
			putc_unlocked('M', fp);
			put_x(fp, a);
			putc_unlocked(' ', fp);
		} else {
			putc_unlocked('V', fp);
		}
		fwrite_unlocked(ys[lv], 1, ylen[lv], fp);
		putc_unlocked('H', fp);
		put_x(fp, b);
		pen_up = false;
	}
	fputs("\"/>\n<path class=\"rem\" d=\"", fp);
	for (size_t a = 0, b; a < d->n; a = b) {
		for (b = a + 1; b < d->n && stages[b] == stages[a]; b++)
			;
		if (stages[a] != STAGE_R)
			continue;
		putc_unlocked('M', fp);
		put_x(fp, a);
		putc_unlocked(' ', fp);
		fwrite_unlocked(ys[1], 1, ylen[1], fp);
		putc_unlocked('H', fp);
		put_x(fp, b);
	}
	fputs("\"/>\n", fp);
}

static bool disagree(const struct night_data *d, size_t k)
{
	return d->pred[k] != NIGHT_DATA_NO_STAGE && d->pred[k] != d->label[k];
}

/* Shade the runs of epochs whose stages differ, from y0 to y1 (one path). */
static void disagreements(FILE *fp, const struct night_data *d, double y0, double y1)
{
	str(fp, "<path class=\"dis\" d=\"");
	for (size_t a = 0, b; a < d->n; a = b) {
		bool differs = disagree(d, a);
		for (b = a + 1; b < d->n && disagree(d, b) == differs; b++)
			;
		if (!differs)
			continue;
		putc_unlocked('M', fp);
		put_x(fp, a);
		putc_unlocked(' ', fp);
		num(fp, y0);
		putc_unlocked('H', fp);
		put_x(fp, b);
		putc_unlocked('V', fp);
		num(fp, y1);
		putc_unlocked('H', fp);
		put_x(fp, a);
		putc_unlocked('Z', fp);
	}
	str(fp, "\"/>\n");
}

/* The bars of one row that are (not) paired, as one path: "M x top h w v ROW_H h -w Z" each. */
static void event_bars(FILE *fp, const struct night_data *d, int s, bool paired, const char *cls, double top)
{
	size_t count = 0, ylen, wlen;
	char y[32], wtext[32];

	ylen = num_text(top, y);
	for (size_t i = 0; i < d->n_events[s]; i++)
		count += d->events[s][i].paired == paired;
	fprintf(fp, "<path class=\"%s\" d=\"", cls);
	for (size_t i = 0; i < d->n_events[s]; i++) {
		const struct night_data_event *ev = &d->events[s][i];
		double x0 = x_of_time(d, ev->onset), w = x_of_time(d, ev->onset + ev->duration) - x0;
		if (ev->paired != paired)
			continue;
		putc_unlocked('M', fp);
		num(fp, x0);
		putc_unlocked(' ', fp);
		fwrite_unlocked(y, 1, ylen, fp);
		putc_unlocked('h', fp);
		fwrite_unlocked(wtext, 1, wlen = num_text(w < 1 ? 1 : w, wtext), fp);
		str(fp, "v14h-");
		fwrite_unlocked(wtext, 1, wlen, fp);
		putc_unlocked('Z', fp);
	}
	fprintf(fp, "\"><title>%zu %s %s</title></path>\n", count, s == SOURCE_LABELS ? "labels events" : "predicted events",
		paired ? "paired" : s == SOURCE_LABELS ? "missed" : "false");
}

/* One row of event bars: paired, then missed (labels) or false (predictions). */
static void event_row(FILE *fp, const struct night_data *d, int s, double top)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">%s</text>\n", LEFT - 6, top + ROW_H - 3,
		s == SOURCE_LABELS ? "labels" : "predicted");
	event_bars(fp, d, s, true, "pair", top);
	event_bars(fp, d, s, false, s == SOURCE_LABELS ? "miss" : "fals", top);
}

static void position_band(FILE *fp, const struct night_data *d, double top)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">position</text>\n", LEFT - 6, top + ROW_H - 3);
	for (size_t a = 0, b; a < d->n; a = b) {
		int p = d->position[a] < POS_COUNT ? d->position[a] : POS_UNKNOWN;
		for (b = a + 1; b < d->n && d->position[b] == d->position[a]; b++)
			;
		str(fp, "<rect x=\"");
		put_x(fp, a);
		str(fp, "\" y=\"");
		num(fp, top);
		str(fp, "\" width=\"");
		num(fp, x_of_epoch(d, b) - x_of_epoch(d, a));
		fprintf(fp, "\" height=\"14\" fill=\"%s\"><title>%s</title></rect>\n", position_colours[p],
			canon_position_name(p));
	}
}

/* Hour ticks from the start of the recording. */
static void xtab_free(struct xtab *t)
{
	free(t->text);
	free(t->len);
	t->text = NULL;
	t->len = NULL;
}

static void time_axis(FILE *fp, const struct night_data *d, double y)
{
	double span = (double)d->n * d->epoch_seconds;
	double step = span > 12 * 3600 ? 7200 : span > 1800 ? 3600 : 600;

	fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>\n", LEFT, WIDTH - RIGHT, y, y);
	for (double t = 0; t <= span + 1e-9; t += step) {
		double x = x_of_time(d, d->t0 + t);
		fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"ax\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%g %s</text>\n", x, x, y, y + 4, x, y + 16,
			step >= 3600 ? t / 3600 : t / 60, step >= 3600 ? "h" : "min");
	}
}

static void legend(FILE *fp, double y)
{
	static const char *const items[][2] = {{"pair", "paired"}, {"miss", "missed (labels only)"},
					       {"fals", "false (predictions only)"}, {"dis", "stages differ"}};
	double x = LEFT;

	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		fprintf(fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\"/><text x=\"%.1f\" "
			"y=\"%.1f\" class=\"lg\">%s</text>\n", items[i][0], x, y, x + 16, y + 9, items[i][1]);
		x += 28 + 6.0 * (double)strlen(items[i][1]);
	}
	for (int p = 0; p < POS_COUNT; p++) {
		const char *name = canon_position_name(p);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\" fill=\"%s\"/><text x=\"%.1f\" "
			"y=\"%.1f\" class=\"lg\">%s</text>\n", x, y, position_colours[p], x + 16, y + 9, name);
		x += 24 + 6.0 * (double)strlen(name);
	}
}

static const char svg_style[] =
	"<style>.pn{font:600 12px sans-serif;fill:#1f2933}.yl{font:11px sans-serif;fill:#52606d;text-anchor:end}"
	".xl{font:11px sans-serif;fill:#52606d;text-anchor:middle}.lg{font:11px sans-serif;fill:#3e4c59}"
	".g{stroke:#eef1f4}.ax{stroke:#9aa5b1}.hy{fill:none;stroke:#334e68;stroke-width:1.5}"
	".rem{fill:none;stroke:#d64545;stroke-width:3}.dis{fill:#f8b4b4;opacity:.55}.pair{fill:#2f855a}"
	".miss{fill:#dd6b20}.fals{fill:#c53030}</style>\n";

int night_svg_draw(FILE *fp, const char *id, const char *title, const struct night_data *d, bool full)
{
	double top = 22, second = top + HYP_H + HYP_GAP, bottom = second + HYP_H;
	double height = full ? bottom + 16 + 2 * ROW_H + 10 + ROW_H + 30 + 22 : bottom + 28;

	fprintf(fp, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		"height=\"%.0f\" role=\"img\"><title>", id, WIDTH, height, WIDTH, height);
	report_html_escape(fp, title);
	fprintf(fp, "</title>\n%s<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", svg_style, WIDTH, height);
	if (d->n == 0 || xtab_make(&xs, d) < 0) {
		xtab_free(&xs);
		fputs("</svg>\n", fp);
		return d->n == 0 ? 0 : -1;
	}
	disagreements(fp, d, top, bottom);
	hypnogram(fp, d, d->label, top, "labels");
	if (d->any_pred)
		hypnogram(fp, d, d->pred, second, "predictions");
	else
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"pn\">predictions: no hypnogram</text>\n", LEFT,
			second + HYP_H / 2);
	if (!full) {
		time_axis(fp, d, bottom + 6);
		fputs("</svg>\n", fp);
		xtab_free(&xs);
		return 0;
	}
	top = bottom + 16;
	event_row(fp, d, SOURCE_LABELS, top);
	event_row(fp, d, SOURCE_PREDICTIONS, top + ROW_H + 2);
	top += 2 * ROW_H + 10;
	position_band(fp, d, top);
	time_axis(fp, d, top + ROW_H + 6);
	legend(fp, top + ROW_H + 30);
	fputs("</svg>\n", fp);
	xtab_free(&xs);
	return 0;
}
