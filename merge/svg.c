/*
 * svg.c — inline SVG charts for report.html (see svg.h).
 */
#include "svg.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "html.h"

/* Plot geometry (SVG user units): a full-size plot, and the small multiples. */
struct geometry {
	double w, h, ml, mr, mt, mb;
};

static const struct geometry big = {410, 330, 56, 86, 40, 50};
static const struct geometry small = {262, 214, 46, 14, 46, 40};

#define INK "#1f2933"
#define GRID "#e4e7eb"
#define POINT "#1f5fa8"
#define ACCENT "#c0392b"
#define BAND "#c0392b"

struct frame {
	struct svg_axis x, y;
	struct geometry g;
};

struct svg_axis svg_nice_axis(double min, double max, int ticks)
{
	double raw, mag, norm, step;

	if (!(min <= max) || !isfinite(min) || !isfinite(max)) {
		min = 0;
		max = 1;
	}
	if (min == max) {
		double pad = fabs(min) > 0 ? fabs(min) * 0.1 : 1;
		min -= pad;
		max += pad;
	}
	raw = (max - min) / (ticks > 0 ? ticks : 5);
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
	return (struct svg_axis){floor(min / step) * step, ceil(max / step) * step, step};
}

static double inner_w(const struct frame *f)
{
	return f->g.w - f->g.ml - f->g.mr;
}

static double inner_h(const struct frame *f)
{
	return f->g.h - f->g.mt - f->g.mb;
}

static double map_x(const struct frame *f, double v)
{
	return f->g.ml + (v - f->x.lo) / (f->x.hi - f->x.lo) * inner_w(f);
}

static double map_y(const struct frame *f, double v)
{
	return f->g.mt + inner_h(f) - (v - f->y.lo) / (f->y.hi - f->y.lo) * inner_h(f);
}

/* A tick label with as many decimals as the step needs ("0.5", "20", "0.02"). */
static void tick_label(double v, double step, char *buf, size_t size)
{
	int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	if (fabs(v) < step * 1e-9)
		v = 0;
	snprintf(buf, size, "%.*f", decimals, v);
}

static void open_svg(FILE *fp, const char *id, const char *title, double w, double h)
{
	fprintf(fp, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		"width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"", id, w, h, w, h);
	html_escape(fp, title);
	fprintf(fp, "\" font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"%s\">\n", INK);
	fprintf(fp, "<text x=\"%.1f\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">",
		w / 2);
	html_escape(fp, title);
	fputs("</text>\n", fp);
}

static void axis_titles(FILE *fp, const struct frame *f, const char *xtitle, const char *ytitle)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", f->g.ml + inner_w(f) / 2,
		f->g.h - 10);
	html_escape(fp, xtitle);
	fprintf(fp, "</text>\n<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">",
		f->g.mt + inner_h(f) / 2);
	html_escape(fp, ytitle);
	fputs("</text>\n", fp);
}

/* Grid lines, tick labels and the plot border. */
static void draw_frame(FILE *fp, const struct frame *f, const char *xtitle, const char *ytitle)
{
	char label[32];
	double top = f->g.mt, bottom = f->g.mt + inner_h(f), left = f->g.ml, right = f->g.ml + inner_w(f);

	for (double v = f->x.lo; v <= f->x.hi + f->x.step * 1e-6; v += f->x.step) {
		double px = map_x(f, v);
		tick_label(v, f->x.step, label, sizeof label);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", px, top, px, bottom, GRID,
			px, bottom + 16, label);
	}
	for (double v = f->y.lo; v <= f->y.hi + f->y.step * 1e-6; v += f->y.step) {
		double py = map_y(f, v);
		tick_label(v, f->y.step, label, sizeof label);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left, py, right, py, GRID,
			left - 6, py + 4, label);
	}
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
		left, top, inner_w(f), inner_h(f), INK);
	axis_titles(fp, f, xtitle, ytitle);
}

static void open_points(FILE *fp)
{
	fprintf(fp, "<g fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\" stroke-width=\"0.6\">\n", POINT, POINT);
}

/*
 * Points without tooltips, as one path of zero-length segments ("m dx dy h0") drawn with round caps:
 * each round cap is a dot of the stroke's width. Each point is put on the half-unit grid (a
 * quarter of a unit's shift at most, invisible under a dot 4.8 units wide), the points are sorted
 * and exact duplicates dropped (one path is stroked once, so a repeated dot adds no ink: many
 * scores are counts and their points coincide), and each is written relative to the one before
 * in its shortest form ("m3-.5h0"): 4-9 bytes a point instead of ~50 for a <circle>. The order
 * depends only on the values, so the output stays byte-identical for the same inputs.
 */
struct half_point {
	long x, y; /* coordinates in half units */
};

static int half_point_cmp(const void *a, const void *b)
{
	const struct half_point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->y > q->y) - (p->y < q->y);
}

/* v half units, shortest: "3", "-3", "3.5", ".5", "-.5"; a separator first when it is needed. */
static void half_number(FILE *fp, long v, bool after_number)
{
	long whole = labs(v) / 2;

	if (v < 0)
		fputc('-', fp);
	else if (after_number)
		fputc(' ', fp);
	if (whole != 0 || v % 2 == 0)
		fprintf(fp, "%ld", whole);
	if (v % 2 != 0)
		fputs(".5", fp);
}

/*
 * A point at (px, py) in plot units, with its tooltip when there is one; the centre on the
 * half-unit grid, written short ("140", "121.5"), one point after the other on a line.
 */
static void circle(FILE *fp, double px, double py, const char *radius, const char *label)
{
	fputs("<circle cx=\"", fp);
	half_number(fp, lround(2 * px), false);
	fputs("\" cy=\"", fp);
	half_number(fp, lround(2 * py), false);
	fprintf(fp, "\" r=\"%s\">", radius);
	if (label) {
		fputs("<title>", fp);
		html_escape(fp, label);
		fputs("</title>", fp);
	}
	fputs("</circle>", fp);
}

/* One point at data coordinates (x, y). */
static void point(FILE *fp, const struct frame *f, double x, double y, const char *radius, const char *label)
{
	circle(fp, map_x(f, x), map_y(f, y), radius, label);
}

static void dots(FILE *fp, const struct frame *f, const double *label, const double *pred, size_t n,
		 double radius)
{
	struct half_point *pts, prev = {0, 0};
	size_t m = 0;

	if (n == 0)
		return;
	pts = malloc(n * sizeof *pts);
	fprintf(fp, "<path fill=\"none\" stroke=\"%s\" stroke-opacity=\"0.6\" stroke-width=\"%.1f\" "
		"stroke-linecap=\"round\" d=\"", POINT, 2 * radius);
	if (!pts) { /* out of memory: the same dots, unsorted and with their duplicates */
		for (size_t i = 0; i < n; i++) {
			struct half_point p = {lround(2 * map_x(f, label[i])), lround(2 * map_y(f, pred[i] - label[i]))};
			fputc(i ? 'm' : 'M', fp);
			half_number(fp, p.x - prev.x, false);
			half_number(fp, p.y - prev.y, true);
			fputs("h0", fp);
			prev = p;
		}
		fputs("\"/>\n", fp);
		return;
	}
	for (size_t i = 0; i < n; i++)
		pts[i] = (struct half_point){lround(2 * map_x(f, label[i])), lround(2 * map_y(f, pred[i] - label[i]))};
	qsort(pts, n, sizeof *pts, half_point_cmp);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || half_point_cmp(&pts[i], &pts[m - 1]) != 0)
			pts[m++] = pts[i];
	for (size_t i = 0; i < m; i++) {
		fputc(i ? 'm' : 'M', fp);
		half_number(fp, pts[i].x - prev.x, false);
		half_number(fp, pts[i].y - prev.y, true);
		fputs("h0", fp);
		prev = pts[i];
	}
	free(pts);
	fputs("\"/>\n", fp);
}

static void no_data(FILE *fp, const struct frame *f)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#7b8794\">no night has both "
		"values</text>\n", f->g.ml + inner_w(f) / 2, f->g.mt + inner_h(f) / 2);
}

/* Widen [min, max] by 4% on each side, so that no point sits on the plot's border; a range of
 * non-negative values (minutes, events per hour) is not widened below zero. */
static void pad_range(double *min, double *max)
{
	double pad = (*max - *min) * 0.04;
	bool non_negative = *min >= 0;

	*min -= pad;
	*max += pad;
	if (non_negative && *min < 0)
		*min = 0;
}

/* ---- Bland–Altman ------------------------------------------------------------------------- */

#define CURVE_STEPS 32

/* The bias and limits drawn at label value x, with the half widths of their 95 % CI bands (0 when
 * unknown). */
struct ba_lines {
	double bias, low, high, bias_band, low_band, high_band;
};

static double ci_half(struct agreement_ci ci)
{
	return ci.low.known && ci.high.known ? (ci.high.value - ci.low.value) / 2 : 0;
}

static bool has_lines(const struct stat_agreement *a)
{
	return a->bias.known && a->loa_low.known;
}

/*
 * The method the analysis picked (agreement.h): parametric lines are flat with their CIs (Bland &
 * Altman 1999); a regression bias is the fitted line with its confidence band; regression limits
 * are the regression bias -/+ 1.96 sqrt(pi/2) times the fitted |residual| line, their band the
 * bias band and the scaled |residual| band combined as if independent (an approximation, drawn
 * only to show where the limits are uncertain).
 */
static struct ba_lines lines_at(const struct stat_agreement *a, const struct agreement_ext *x, double v)
{
	struct ba_lines l = {a->bias.value, a->loa_low.value, a->loa_high.value, 0, 0, 0};
	bool known = x && x->known;

	if (known) {
		l.bias_band = ci_half(x->bias_ci);
		l.low_band = ci_half(x->loa_low_ci);
		l.high_band = ci_half(x->loa_high_ci);
	}
	if (known && x->bias_method == AGREEMENT_REGR) {
		l.bias = agreement_regr_bias_at(x, v);
		l.bias_band = agreement_regression_band(&x->bias_regr, v);
	}
	if (known && x->loa_method == AGREEMENT_REGR) {
		double centre = agreement_regr_bias_at(x, v), hw = agreement_regr_loa_half_width_at(x, v);
		double cb = agreement_regression_band(&x->bias_regr, v);
		double lb = AGREEMENT_Z * sqrt(M_PI / 2) * agreement_regression_band(&x->loa_regr, v);
		l.low = centre - hw;
		l.high = centre + hw;
		l.low_band = l.high_band = sqrt(cb * cb + lb * lb);
	}
	return l;
}

static double line_value(const struct ba_lines *l, int which, int side)
{
	const double v[3] = {l->bias, l->low, l->high}, b[3] = {l->bias_band, l->low_band, l->high_band};

	return v[which] + side * b[which];
}

/* A band (side -1 .. +1 around line `which`) as one polygon, the line as a polyline. */
static void draw_line_and_band(FILE *fp, const struct frame *f, const struct stat_agreement *a,
			       const struct agreement_ext *x, int which, bool dashed)
{
	double step = (f->x.hi - f->x.lo) / CURVE_STEPS;
	struct ba_lines l;

	fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"0.12\" stroke=\"none\" points=\"", BAND);
	for (int i = 0; i <= CURVE_STEPS; i++) {
		double v = f->x.lo + i * step;
		l = lines_at(a, x, v);
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", map_x(f, v), map_y(f, line_value(&l, which, 1)));
	}
	for (int i = CURVE_STEPS; i >= 0; i--) {
		double v = f->x.lo + i * step;
		l = lines_at(a, x, v);
		fprintf(fp, " %.1f,%.1f", map_x(f, v), map_y(f, line_value(&l, which, -1)));
	}
	fprintf(fp, "\"/>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"", ACCENT,
		dashed ? " stroke-dasharray=\"6 4\"" : "");
	for (int i = 0; i <= CURVE_STEPS; i++) {
		double v = f->x.lo + i * step;
		l = lines_at(a, x, v);
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", map_x(f, v), map_y(f, line_value(&l, which, 0)));
	}
	fputs("\"/>\n", fp);
}

/* Move label positions apart (see svg.h): sort them, push each below its upper neighbour by at
 * least `gap`, then, if the last went past `hi`, push back up from the bottom. */
void svg_spread_labels(double *y, size_t n, double gap, double lo, double hi)
{
	size_t order[8];

	if (n == 0 || n > 8)
		return;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && y[order[j]] < y[order[j - 1]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 1; i < n; i++)
		if (y[order[i]] < y[order[i - 1]] + gap)
			y[order[i]] = y[order[i - 1]] + gap;
	if (y[order[n - 1]] > hi) {
		y[order[n - 1]] = hi;
		for (size_t i = n - 1; i > 0; i--)
			if (y[order[i - 1]] > y[order[i]] - gap)
				y[order[i - 1]] = y[order[i]] - gap;
	}
	if (y[order[0]] < lo)
		for (size_t i = 0; i < n; i++)
			y[order[i]] = lo + (double)i * gap;
}

/* The lines' names and values in the right margin, outside the points, spread apart. */
static void line_labels(FILE *fp, const struct frame *f, const struct stat_agreement *a,
			const struct agreement_ext *x)
{
	struct ba_lines l = lines_at(a, x, f->x.hi);
	const double value[3] = {l.bias, l.low, l.high};
	double y[3];
	bool regr_bias = x && x->known && x->bias_method == AGREEMENT_REGR;
	bool regr_loa = x && x->known && x->loa_method == AGREEMENT_REGR;
	const char *name[3] = {regr_bias ? "bias (regr.)" : "bias", regr_loa ? "lower (regr.)" : "\xe2\x88\x92" "1.96 SD",
			       regr_loa ? "upper (regr.)" : "+1.96 SD"};

	for (int i = 0; i < 3; i++)
		y[i] = map_y(f, value[i]) + 4;
	svg_spread_labels(y, 3, 24, f->g.mt + 8, f->g.mt + inner_h(f) + 4);
	for (int i = 0; i < 3; i++) {
		char num[32];
		snprintf(num, sizeof num, "%.3g", value[i]);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"11\">%s<tspan x=\"%.1f\" dy=\"11\">%s"
			"%s</tspan></text>\n", f->g.ml + inner_w(f) + 5, y[i] - 4, ACCENT, name[i],
			f->g.ml + inner_w(f) + 5, num, (regr_bias && i == 0) || (regr_loa && i > 0) ? " at right" : "");
	}
}

void svg_bland_altman(FILE *fp, const char *id, const char *title, const char *unit,
		      const double *label, const double *pred, const char *const *point_labels, size_t n,
		      const struct stat_agreement *a, const struct agreement_ext *x, bool small_multiple)
{
	double xmin = n ? INFINITY : 0, xmax = n ? -INFINITY : 1, ymin = 0, ymax = 0;
	double radius = small_multiple ? 2.4 : 3.2;
	char xtitle[128], ytitle[128];
	struct frame f = {.g = small_multiple ? small : big};

	for (size_t i = 0; i < n; i++) {
		double d = pred[i] - label[i];
		xmin = fmin(xmin, label[i]);
		xmax = fmax(xmax, label[i]);
		ymin = fmin(ymin, d);
		ymax = fmax(ymax, d);
	}
	pad_range(&xmin, &xmax);
	f.x = svg_nice_axis(xmin, xmax, small_multiple ? 4 : 5);
	if (has_lines(a)) {
		for (int i = 0; i <= CURVE_STEPS; i++) {
			struct ba_lines l = lines_at(a, x, f.x.lo + i * (f.x.hi - f.x.lo) / CURVE_STEPS);
			ymin = fmin(ymin, fmin(l.low - l.low_band, l.bias - l.bias_band));
			ymax = fmax(ymax, fmax(l.high + l.high_band, l.bias + l.bias_band));
		}
	}
	pad_range(&ymin, &ymax);
	f.y = svg_nice_axis(ymin, ymax, small_multiple ? 4 : 5);
	snprintf(xtitle, sizeof xtitle, "label (%s)", unit);
	snprintf(ytitle, sizeof ytitle, "prediction \xe2\x88\x92 label");
	open_svg(fp, id, title, f.g.w, f.g.h);
	if (small_multiple && x && x->known)
		fprintf(fp, "<text x=\"%.1f\" y=\"36\" text-anchor=\"middle\" font-size=\"11\" fill=\"#52606d\">bias %s "
			"\xc2\xb7 limits %s</text>\n", f.g.w / 2, x->bias_method == AGREEMENT_REGR ? "regr" : "param",
			x->loa_method == AGREEMENT_REGR ? "regr" : "param");
	draw_frame(fp, &f, xtitle, ytitle);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#7b8794\" stroke-width=\"1\"/>\n",
		f.g.ml, map_y(&f, 0), f.g.ml + inner_w(&f), map_y(&f, 0));
	if (has_lines(a)) {
		draw_line_and_band(fp, &f, a, x, 1, true);
		draw_line_and_band(fp, &f, a, x, 2, true);
		draw_line_and_band(fp, &f, a, x, 0, false);
		if (!small_multiple)
			line_labels(fp, &f, a, x);
	}
	if (n == 0)
		no_data(fp, &f);
	if (!point_labels) {
		dots(fp, &f, label, pred, n, radius);
		fputs("</svg>\n", fp);
		return;
	}
	open_points(fp);
	for (size_t i = 0; i < n; i++)
		point(fp, &f, label[i], pred[i] - label[i], small_multiple ? "2.4" : "3.2", point_labels[i]);
	fputs("\n</g>\n</svg>\n", fp);
}

void svg_scatter(FILE *fp, const char *id, const char *title, const char *unit, const double *label,
		 const double *pred, const char *const *point_labels, size_t n)
{
	double min = n ? INFINITY : 0, max = n ? -INFINITY : 1;
	char xtitle[128], ytitle[128];
	struct frame f = {.g = big};

	f.g.mr = 18;
	f.g.w = big.w - big.mr + f.g.mr;
	for (size_t i = 0; i < n; i++) {
		min = fmin(min, fmin(label[i], pred[i]));
		max = fmax(max, fmax(label[i], pred[i]));
	}
	/* Equal axes, so that the identity line is the diagonal and distances read the same. */
	pad_range(&min, &max);
	f.x = f.y = svg_nice_axis(min, max, 5);
	snprintf(xtitle, sizeof xtitle, "label (%s)", unit);
	snprintf(ytitle, sizeof ytitle, "prediction (%s)", unit);
	open_svg(fp, id, title, f.g.w, f.g.h);
	draw_frame(fp, &f, xtitle, ytitle);
	/* the identity line's legend sits above the plot area, clear of every point */
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
		"stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\" "
		"font-size=\"11\">- - identity (y = x)</text>\n", map_x(&f, f.x.lo), map_y(&f, f.y.lo),
		map_x(&f, f.x.hi), map_y(&f, f.y.hi), ACCENT, f.g.ml + inner_w(&f), f.g.mt - 6, ACCENT);
	if (n == 0)
		no_data(fp, &f);
	open_points(fp);
	for (size_t i = 0; i < n; i++)
		point(fp, &f, label[i], pred[i], "3.2", point_labels ? point_labels[i] : NULL);
	fputs("\n</g>\n</svg>\n", fp);
}

/* Heat map geometry. */
#define CELL 74.0
#define HEAT_L 96.0
#define HEAT_T 64.0

/* White to the report's blue by t in [0, 1]. */
static void shade(double t, char *buf, size_t size)
{
	int r = (int)lround(255 + (31 - 255) * t), g = (int)lround(255 + (95 - 255) * t);
	int b = (int)lround(255 + (168 - 255) * t);

	snprintf(buf, size, "#%02x%02x%02x", r, g, b);
}

static uint64_t row_total(const uint64_t *table, size_t k, size_t i)
{
	uint64_t sum = 0;

	for (size_t j = 0; j < k; j++)
		sum += table[i * k + j];
	return sum;
}

void svg_format_count(uint64_t n, char *buf)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n), o = 0;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static void heat_cell(FILE *fp, size_t i, size_t j, uint64_t count, uint64_t total)
{
	char shown[32];

	double t = total ? (double)count / (double)total : 0;
	double x = HEAT_L + (double)j * CELL, y = HEAT_T + (double)i * CELL;
	char fill[8];

	shade(t, fill, sizeof fill);
	svg_format_count(count, shown);
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#ffffff\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" "
		"fill=\"%s\">%s</text>", x, y, CELL, CELL, fill, x + CELL / 2, y + CELL / 2,
		t > 0.5 ? "#ffffff" : INK, shown);
	if (total)
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">"
			"%.0f%%</text>", x + CELL / 2, y + CELL / 2 + 16, t > 0.5 ? "#ffffff" : INK, t * 100);
	fputc('\n', fp);
}

void svg_heatmap(FILE *fp, const char *id, const char *title, const char *const *classes, size_t k,
		 const uint64_t *table)
{
	double w = HEAT_L + (double)k * CELL + 16, h = HEAT_T + (double)k * CELL + 20;

	open_svg(fp, id, title, w, h);
	fprintf(fp, "<text x=\"%.1f\" y=\"40\" text-anchor=\"middle\">predictions</text>\n",
		HEAT_L + (double)k * CELL / 2);
	fprintf(fp, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">labels "
		"(reference)</text>\n", HEAT_T + (double)k * CELL / 2);
	for (size_t j = 0; j < k; j++) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">",
			HEAT_L + ((double)j + 0.5) * CELL, HEAT_T - 6);
		html_escape(fp, classes[j]);
		fputs("</text>\n", fp);
	}
	for (size_t i = 0; i < k; i++) {
		uint64_t total = row_total(table, k, i);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"600\">",
			HEAT_L - 8, HEAT_T + ((double)i + 0.5) * CELL + 4);
		html_escape(fp, classes[i]);
		fputs("</text>\n", fp);
		for (size_t j = 0; j < k; j++)
			heat_cell(fp, i, j, table[i * k + j], total);
	}
	fputs("</svg>\n", fp);
}

/* ---- error matrix: mean (SD) of each night's row proportions ------------------------------- */

void svg_heatmap_mean_sd(FILE *fp, const char *id, const char *title, const char *const *classes, size_t k,
			 const struct stat_num *mean, const struct stat_num *sd)
{
	double w = HEAT_L + (double)k * CELL + 16, h = HEAT_T + (double)k * CELL + 20;

	open_svg(fp, id, title, w, h);
	fprintf(fp, "<text x=\"%.1f\" y=\"40\" text-anchor=\"middle\">predictions</text>\n",
		HEAT_L + (double)k * CELL / 2);
	fprintf(fp, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">labels "
		"(reference)</text>\n", HEAT_T + (double)k * CELL / 2);
	for (size_t j = 0; j < k; j++) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">",
			HEAT_L + ((double)j + 0.5) * CELL, HEAT_T - 6);
		html_escape(fp, classes[j]);
		fputs("</text>\n", fp);
	}
	for (size_t i = 0; i < k; i++) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"600\">",
			HEAT_L - 8, HEAT_T + ((double)i + 0.5) * CELL + 4);
		html_escape(fp, classes[i]);
		fputs("</text>\n", fp);
		for (size_t j = 0; j < k; j++) {
			struct stat_num m = mean[i * k + j], d = sd[i * k + j];
			double t = m.known ? m.value : 0, x = HEAT_L + (double)j * CELL, y = HEAT_T + (double)i * CELL;
			const char *ink = t > 0.5 ? "#ffffff" : INK;
			char fill[8];
			shade(t, fill, sizeof fill);
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#ffffff\"/>",
				x, y, CELL, CELL, m.known ? fill : "#f5f7fa");
			if (!m.known) {
				fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#9aa5b1\">\xe2\x80\x94</text>\n",
					x + CELL / 2, y + CELL / 2 + 4);
				continue;
			}
			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" "
				"fill=\"%s\">%.0f%%</text>", x + CELL / 2, y + CELL / 2, ink, t * 100);
			if (d.known)
				fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">"
					"(%.0f)</text>", x + CELL / 2, y + CELL / 2 + 16, ink, d.value * 100);
			fputc('\n', fp);
		}
	}
	fputs("</svg>\n", fp);
}

/* ---- strip plot with boxes ------------------------------------------------------------------ */

#define STRIP_L 120.0
#define STRIP_R 24.0
#define STRIP_ROW 64.0
#define STRIP_T 40.0
#define STRIP_W 600.0

static int compare_doubles(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* Quantile q of sorted[0..n) by linear interpolation (the default of numpy and R type 7). */
static double quantile(const double *sorted, size_t n, double q)
{
	double pos = q * (double)(n - 1), frac = pos - floor(pos);
	size_t i = (size_t)floor(pos);

	return i + 1 < n ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/* A deterministic jitter in [-1, 1] for the i-th point (no random numbers: the page must be
 * byte-identical from run to run). */
static double jitter(size_t i)
{
	uint32_t h = (uint32_t)i * 2654435761u;

	h ^= h >> 15;
	return (double)(h % 1001) / 500.0 - 1;
}

void svg_strip(FILE *fp, const char *id, const char *title, const char *const *rows, size_t k,
	       const double *const *values, const size_t *counts, const char *const *const *point_labels,
	       double *scratch)
{
	double h = STRIP_T + (double)k * STRIP_ROW + 40, inner = STRIP_W - STRIP_L - STRIP_R;
	double lo = INFINITY, hi = -INFINITY;
	struct svg_axis ax;
	char label[32];

	for (size_t r = 0; r < k; r++)
		for (size_t i = 0; i < counts[r]; i++) {
			lo = fmin(lo, values[r][i]);
			hi = fmax(hi, values[r][i]);
		}
	if (!(lo <= hi)) {
		lo = 0;
		hi = 1;
	}
	pad_range(&lo, &hi);
	ax = svg_nice_axis(lo, hi, 6);
	open_svg(fp, id, title, STRIP_W, h);
#define SX(v) (STRIP_L + ((v) - ax.lo) / (ax.hi - ax.lo) * inner)
	for (double v = ax.lo; v <= ax.hi + ax.step * 1e-6; v += ax.step) {
		tick_label(v, ax.step, label, sizeof label);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/><text x=\"%.1f\" "
			"y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", SX(v), STRIP_T, SX(v),
			STRIP_T + (double)k * STRIP_ROW, GRID, SX(v), STRIP_T + (double)k * STRIP_ROW + 16, label);
	}
	for (size_t r = 0; r < k; r++) {
		double cy = STRIP_T + ((double)r + 0.5) * STRIP_ROW;
		size_t n = counts[r];
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"600\">", STRIP_L - 10, cy + 4);
		html_escape(fp, rows[r]);
		fprintf(fp, "</text>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\" fill=\"#52606d\">"
			"%zu nights</text>\n", STRIP_L - 10, cy + 18, n);
		if (n == 0)
			continue;
		for (size_t i = 0; i < n; i++)
			scratch[i] = values[r][i];
		qsort(scratch, n, sizeof *scratch, compare_doubles);
		double q1 = quantile(scratch, n, 0.25), med = quantile(scratch, n, 0.5), q3 = quantile(scratch, n, 0.75);
		/* box from Q1 to Q3 with the median, whiskers to the extremes, under the points */
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e4e7eb\" fill-opacity=\"0.6\" "
			"stroke=\"%s\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			SX(scratch[0]), cy, SX(scratch[n - 1]), cy, INK, SX(q1), cy - 16, SX(q3) - SX(q1), 32.0, INK,
			SX(med), cy - 16, SX(med), cy + 16, ACCENT);
		open_points(fp);
		for (size_t i = 0; i < n; i++)
			circle(fp, SX(values[r][i]), cy + 12 * jitter(i), "2.6",
			       point_labels && point_labels[r] ? point_labels[r][i] : NULL);
		fputs("\n</g>\n", fp);
	}
#undef SX
	fputs("</svg>\n", fp);
}
