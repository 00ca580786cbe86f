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

#include "html.h"

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

/* The figure's body is built in memory and written with one fwrite: stdio's cost per call (a few
 * thousand small writes a page) and printf's "%.1f" were most of a page's drawing (callgrind). One
 * night is drawn at a time, so the buffer is kept between figures. */
struct out {
	char *text;
	size_t len, cap;
	bool failed;                    /* out of memory: the figure is left empty */
};

static struct out ob;

/* Make room for n more bytes; false (and ob.failed) when there is no memory. */
static bool grow(size_t n)
{
	size_t ncap = ob.cap ? ob.cap : 32768;
	char *grown;

	while (ncap - ob.len < n)
		ncap *= 2;
	if (ob.failed || !(grown = realloc(ob.text, ncap))) {
		ob.failed = true;
		return false;
	}
	ob.text = grown;
	ob.cap = ncap;
	return true;
}

static inline void put(const char *s, size_t n)
{
	if (ob.cap - ob.len < n && !grow(n))
		return;
	memcpy(ob.text + ob.len, s, n);
	ob.len += n;
}

static inline void str(const char *s)
{
	put(s, strlen(s));
}

static inline void ch(char c)
{
	if (ob.cap - ob.len < 1 && !grow(1))
		return;
	ob.text[ob.len++] = c;
}

/* Round a ≥ 0 to the nearest integer, halves up: llround's result for a < 2^52, inline (a + 0.5 is
 * exact from 0.5 up; below 0.5 it may round up to 1, so those are 0 here). */
static unsigned long long round_half_up(double a)
{
	if (a < 0.5)
		return 0;
	return a < 4503599627370496.0 ? (unsigned long long)(a + 0.5) : (unsigned long long)a;
}

/* The decimal digits of u at text; returns how many. */
static size_t digits_of(unsigned long long u, char *text)
{
	char digits[24];
	size_t n = 0, len = 0;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n > 0)
		text[len++] = digits[--n];
	return len;
}

/* x with one decimal ("12.5", "12" for 12.0), x·10 rounded half away from zero: every coordinate
 * of the bands and bars goes through here. */
static size_t num_text(double x, char *text)
{
	double t = fabs(x) < 1e15 ? x * 10 : 0; /* out of any drawing: 0 */
	unsigned long long u = round_half_up(fabs(t));
	unsigned frac = (unsigned)(u % 10);
	size_t len = 0;

	if (t < 0 && u != 0)
		text[len++] = '-';
	len += digits_of(u / 10, text + len);
	if (frac) {
		text[len++] = '.';
		text[len++] = (char)('0' + frac);
	}
	return len;
}

static void num(double x)
{
	char text[32];

	put(text, num_text(x, text));
}

/* x exactly as printf's "%.1f" writes it (the frame's coordinates), without printf: x·10 rounded
 * to the nearest integer. printf rounds the exact binary value, halves to even; where x·10 lies
 * within 1e-4 of a half (the product's own rounding error is below 1e-9 for |x| < 1e6) or x is
 * out of that range, snprintf decides. */
static void fixed1(double x)
{
	char text[48];
	double t = fabs(x) * 10, f = t - floor(t);
	unsigned long long u;
	size_t len = 0;

	if (!(fabs(x) < 1e6) || fabs(f - 0.5) < 1e-4) {
		put(text, (size_t)snprintf(text, sizeof text, "%.1f", x));
		return;
	}
	u = round_half_up(t);
	if (signbit(x))
		text[len++] = '-';
	len += digits_of(u / 10, text + len);
	text[len++] = '.';
	text[len++] = (char)('0' + u % 10);
	put(text, len);
}

/* The x of every epoch boundary, formatted the first time it is drawn: the hypnograms, the shading
 * and the position band all draw on them (half of a page's numbers), and most boundaries are no
 * run's start or end. */
struct xtab {
	char (*text)[12];
	uint8_t *len;                   /* 0: not formatted yet */
};

static struct xtab xs; /* the night being drawn (one at a time) */
static const struct night_data *xs_night;

static double x_of_epoch(const struct night_data *d, size_t k)
{
	return LEFT + PLOT * (double)k / (double)d->n;
}

static void put_x(size_t k)
{
	if (!xs.len[k])
		xs.len[k] = (uint8_t)num_text(x_of_epoch(xs_night, k), xs.text[k]); /* at most "1000.0" */
	put(xs.text[k], xs.len[k]);
}

static int xtab_make(struct xtab *t, const struct night_data *d)
{
	free(t->text);
	free(t->len);
	t->text = malloc((d->n + 1) * sizeof *t->text);
	t->len = calloc(d->n + 1, 1);
	xs_night = d;
	return t->text && t->len ? 0 : -1;
}

static void xtab_free(struct xtab *t)
{
	free(t->text);
	free(t->len);
	t->text = NULL;
	t->len = NULL;
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

static double x_of_time(const struct night_data *d, double t)
{
	double span = (double)d->n * d->epoch_seconds, x = (t - d->t0) / span;

	return LEFT + PLOT * (x < 0 ? 0 : x > 1 ? 1 : x);
}

static double y_of_level(double top, int lv)
{
	return top + 6 + lv * (HYP_H - 12) / 4;
}

/* <text x="X" y="Y" class="CLS">WHAT</text> with X and Y as "%.1f". */
static void text_at(double x, double y, const char *cls, const char *what)
{
	str("<text x=\"");
	fixed1(x);
	str("\" y=\"");
	fixed1(y);
	str("\" class=\"");
	str(cls);
	str("\">");
	str(what);
	str("</text>");
}

/* <line x1="X1" x2="X2" y1="Y1" y2="Y2" class="CLS"/>, each as "%.1f". */
static void line_at(double x1, double x2, double y1, double y2, const char *cls)
{
	str("<line x1=\"");
	fixed1(x1);
	str("\" x2=\"");
	fixed1(x2);
	str("\" y1=\"");
	fixed1(y1);
	str("\" y2=\"");
	fixed1(y2);
	str("\" class=\"");
	str(cls);
	str("\"/>");
}

/* One hypnogram panel at `top`: the axis labels, the step line, REM runs in red. */
static void hypnogram(const struct night_data *d, const uint8_t *stages, double top, const char *name)
{
	bool pen_up = true;
	char ys[5][32];
	size_t ylen[5];

	for (int lv = 0; lv < 5; lv++)
		ylen[lv] = num_text(y_of_level(top, lv), ys[lv]);
	str("<text x=\"4\" y=\"");
	fixed1(top - 4);
	str("\" class=\"pn\">");
	str(name);
	str("</text>\n");
	for (int lv = 0; lv < 5; lv++) {
		text_at(LEFT - 6, y_of_level(top, lv) + 4, "yl", level_names[lv]);
		line_at(LEFT, WIDTH - RIGHT, y_of_level(top, lv), y_of_level(top, lv), "g");
		ch('\n');
	}
	str("<path class=\"hy\" d=\"");
	for (size_t a = 0, b; a < d->n; a = b) {
		int lv = level(stages[a]);
		for (b = a + 1; b < d->n && level(stages[b]) == lv; b++)
			;
		if (lv < 0) {
			pen_up = true;
			continue;
		}
		if (pen_up) {
			ch('M');
			put_x(a);
			ch(' ');
		} else {
			ch('V');
		}
		put(ys[lv], ylen[lv]);
		ch('H');
		put_x(b);
		pen_up = false;
	}
	str("\"/>\n<path class=\"rem\" d=\"");
	for (size_t a = 0, b; a < d->n; a = b) {
		for (b = a + 1; b < d->n && stages[b] == stages[a]; b++)
			;
		if (stages[a] != STAGE_R)
			continue;
		ch('M');
		put_x(a);
		ch(' ');
		put(ys[1], ylen[1]);
		ch('H');
		put_x(b);
	}
	str("\"/>\n");
}

static bool disagree(const struct night_data *d, size_t k)
{
	return d->pred[k] != NIGHT_DATA_NO_STAGE && d->pred[k] != d->label[k];
}

/* Shade the runs of epochs whose stages differ, from y0 to y1 (one path). */
static void disagreements(const struct night_data *d, double y0, double y1)
{
	char t0[32], t1[32];
	size_t n0 = num_text(y0, t0), n1 = num_text(y1, t1);

	str("<path class=\"dis\" d=\"");
	for (size_t a = 0, b; a < d->n; a = b) {
		bool differs = disagree(d, a);
		for (b = a + 1; b < d->n && disagree(d, b) == differs; b++)
			;
		if (!differs)
			continue;
		ch('M');
		put_x(a);
		ch(' ');
		put(t0, n0);
		ch('H');
		put_x(b);
		ch('V');
		put(t1, n1);
		ch('H');
		put_x(a);
		ch('Z');
	}
	str("\"/>\n");
}

/* The bars of one row that are (not) paired, as one path: "M x top h w v ROW_H h -w Z" each. */
static void event_bars(const struct night_data *d, int s, bool paired, const char *cls, double top)
{
	size_t count = 0, ylen, wlen;
	char y[32], wtext[32], count_text[24];

	ylen = num_text(top, y);
	for (size_t i = 0; i < d->n_events[s]; i++)
		count += d->events[s][i].paired == paired;
	str("<path class=\"");
	str(cls);
	str("\" d=\"");
	for (size_t i = 0; i < d->n_events[s]; i++) {
		const struct night_data_event *ev = &d->events[s][i];
		double x0 = x_of_time(d, ev->onset), w = x_of_time(d, ev->onset + ev->duration) - x0;
		char bar[128];
		size_t len = 0;
		if (ev->paired != paired)
			continue;
		bar[len++] = 'M';
		len += num_text(x0, bar + len);
		bar[len++] = ' ';
		memcpy(bar + len, y, ylen);
		len += ylen;
		bar[len++] = 'h';
		wlen = num_text(w < 1 ? 1 : w, wtext);
		memcpy(bar + len, wtext, wlen);
		len += wlen;
		memcpy(bar + len, "v14h-", 5);
		len += 5;
		memcpy(bar + len, wtext, wlen);
		len += wlen;
		bar[len++] = 'Z';
		put(bar, len); /* one call a bar */
	}
	str("\"><title>");
	put(count_text, digits_of(count, count_text));
	str(s == SOURCE_LABELS ? " labels events " : " predicted events ");
	str(paired ? "paired" : s == SOURCE_LABELS ? "missed" : "false");
	str("</title></path>\n");
}

/* One row of event bars: paired, then missed (labels) or false (predictions). */
static void event_row(const struct night_data *d, int s, double top)
{
	text_at(LEFT - 6, top + ROW_H - 3, "yl", s == SOURCE_LABELS ? "labels" : "predicted");
	ch('\n');
	event_bars(d, s, true, "pair", top);
	event_bars(d, s, false, s == SOURCE_LABELS ? "miss" : "fals", top);
}

static void position_band(const struct night_data *d, double top)
{
	char y[32];
	size_t ylen = num_text(top, y);

	text_at(LEFT - 6, top + ROW_H - 3, "yl", "position");
	ch('\n');
	for (size_t a = 0, b; a < d->n; a = b) {
		int p = d->position[a] < POS_COUNT ? d->position[a] : POS_UNKNOWN;
		for (b = a + 1; b < d->n && d->position[b] == d->position[a]; b++)
			;
		str("<rect x=\"");
		put_x(a);
		str("\" y=\"");
		put(y, ylen);
		str("\" width=\"");
		num(x_of_epoch(d, b) - x_of_epoch(d, a));
		str("\" height=\"14\" fill=\"");
		str(position_colours[p]);
		str("\"><title>");
		str(canon_position_name(p));
		str("</title></rect>\n");
	}
}

/* An hour (or minute) count as "%g" writes it: the ticks are whole multiples of their step, so
 * integers, printed as such; anything else goes to snprintf. */
static void tick_value(double v)
{
	char text[48];

	if (v >= 0 && v < 1e6 && v == floor(v))
		put(text, digits_of((unsigned long long)v, text));
	else
		put(text, (size_t)snprintf(text, sizeof text, "%g", v));
}

/* Hour ticks from the start of the recording. */
static void time_axis(const struct night_data *d, double y)
{
	double span = (double)d->n * d->epoch_seconds;
	double step = span > 12 * 3600 ? 7200 : span > 1800 ? 3600 : 600;

	line_at(LEFT, WIDTH - RIGHT, y, y, "ax");
	ch('\n');
	for (double t = 0; t <= span + 1e-9; t += step) {
		double x = x_of_time(d, d->t0 + t);
		line_at(x, x, y, y + 4, "ax");
		str("<text x=\"");
		fixed1(x);
		str("\" y=\"");
		fixed1(y + 16);
		str("\" class=\"xl\">");
		tick_value(step >= 3600 ? t / 3600 : t / 60);
		str(step >= 3600 ? " h</text>\n" : " min</text>\n");
	}
}

/* <rect [class="CLS"] x="X" y="Y" width="12" height="10"[ fill="FILL"]/><text ... class="lg">WHAT</text> */
static void legend_item(const char *cls, const char *fill, double x, double y, const char *what)
{
	str("<rect ");
	if (cls) {
		str("class=\"");
		str(cls);
		str("\" ");
	}
	str("x=\"");
	fixed1(x);
	str("\" y=\"");
	fixed1(y);
	str("\" width=\"12\" height=\"10\"");
	if (fill) {
		str(" fill=\"");
		str(fill);
		ch('"');
	}
	str("/>");
	text_at(x + 16, y + 9, "lg", what);
	ch('\n');
}

static void legend(double y)
{
	static const char *const items[][2] = {{"pair", "paired"}, {"miss", "missed (labels only)"},
					       {"fals", "false (predictions only)"}, {"dis", "stages differ"}};
	double x = LEFT;

	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		legend_item(items[i][0], NULL, x, y, items[i][1]);
		x += 28 + 6.0 * (double)strlen(items[i][1]);
	}
	for (int p = 0; p < POS_COUNT; p++) {
		const char *name = canon_position_name(p);
		legend_item(NULL, position_colours[p], x, y, name);
		x += 24 + 6.0 * (double)strlen(name);
	}
}

static const char svg_style[] =
	"<style>.pn{font:600 12px sans-serif;fill:#1f2933}.yl{font:11px sans-serif;fill:#52606d;text-anchor:end}"
	".xl{font:11px sans-serif;fill:#52606d;text-anchor:middle}.lg{font:11px sans-serif;fill:#3e4c59}"
	".g{stroke:#eef1f4}.ax{stroke:#9aa5b1}.hy{fill:none;stroke:#334e68;stroke-width:1.5}"
	".rem{fill:none;stroke:#d64545;stroke-width:3}.dis{fill:#f8b4b4;opacity:.55}.pair{fill:#2f855a}"
	".miss{fill:#dd6b20}.fals{fill:#c53030}</style>\n";

/* The body of the figure into ob. */
static void body(const struct night_data *d, bool full)
{
	double top = 22, second = top + HYP_H + HYP_GAP, bottom = second + HYP_H;

	disagreements(d, top, bottom);
	hypnogram(d, d->label, top, "labels");
	if (d->any_pred) {
		hypnogram(d, d->pred, second, "predictions");
	} else {
		text_at(LEFT, second + HYP_H / 2, "pn", "predictions: no hypnogram");
		ch('\n');
	}
	if (!full) {
		time_axis(d, bottom + 6);
		return;
	}
	top = bottom + 16;
	event_row(d, SOURCE_LABELS, top);
	event_row(d, SOURCE_PREDICTIONS, top + ROW_H + 2);
	top += 2 * ROW_H + 10;
	position_band(d, top);
	time_axis(d, top + ROW_H + 6);
	legend(top + ROW_H + 30);
}

int night_svg_draw(FILE *fp, const char *id, const char *title, const struct night_data *d, bool full)
{
	double top = 22, second = top + HYP_H + HYP_GAP, bottom = second + HYP_H;
	double height = full ? bottom + 16 + 2 * ROW_H + 10 + ROW_H + 30 + 22 : bottom + 28;
	int rc = 0;

	fprintf(fp, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		"height=\"%.0f\" role=\"img\"><title>", id, WIDTH, height, WIDTH, height);
	html_escape(fp, title);
	fprintf(fp, "</title>\n%s<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", svg_style, WIDTH, height);
	if (d->n == 0) {
		fputs("</svg>\n", fp);
		return 0;
	}
	ob.len = 0;
	ob.failed = false;
	if (xtab_make(&xs, d) < 0)
		ob.failed = true;
	else
		body(d, full);
	xtab_free(&xs);
	if (ob.failed)
		rc = -1;
	else
		fwrite(ob.text, 1, ob.len, fp);
	fputs("</svg>\n", fp);
	return rc;
}
