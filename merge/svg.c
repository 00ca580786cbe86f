/*
 * svg.c — inline SVG charts for report.html (see svg.h).
 */
#include "svg.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "report_html.h"

/* Plot geometry (SVG user units). */
#define PLOT_W 440.0
#define PLOT_H 330.0
#define MARGIN_L 62.0
#define MARGIN_R 18.0
#define MARGIN_T 34.0
#define MARGIN_B 50.0
#define INNER_W (PLOT_W - MARGIN_L - MARGIN_R)
#define INNER_H (PLOT_H - MARGIN_T - MARGIN_B)

#define INK "#1f2933"
#define GRID "#e4e7eb"
#define POINT "#1f5fa8"
#define ACCENT "#c0392b"

struct frame {
	struct svg_axis x, y;
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

static double map_x(const struct frame *f, double v)
{
	return MARGIN_L + (v - f->x.lo) / (f->x.hi - f->x.lo) * INNER_W;
}

static double map_y(const struct frame *f, double v)
{
	return MARGIN_T + INNER_H - (v - f->y.lo) / (f->y.hi - f->y.lo) * INNER_H;
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
	report_html_escape(fp, title);
	fprintf(fp, "\" font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"%s\">\n", INK);
	fprintf(fp, "<text x=\"%.1f\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">",
		w / 2);
	report_html_escape(fp, title);
	fputs("</text>\n", fp);
}

static void axis_titles(FILE *fp, const char *xtitle, const char *ytitle)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", MARGIN_L + INNER_W / 2, PLOT_H - 10);
	report_html_escape(fp, xtitle);
	fprintf(fp, "</text>\n<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">",
		MARGIN_T + INNER_H / 2);
	report_html_escape(fp, ytitle);
	fputs("</text>\n", fp);
}

/* Grid lines, tick labels and the plot border. */
static void draw_frame(FILE *fp, const struct frame *f, const char *xtitle, const char *ytitle)
{
	char label[32];

	for (double v = f->x.lo; v <= f->x.hi + f->x.step * 1e-6; v += f->x.step) {
		double px = map_x(f, v);
		tick_label(v, f->x.step, label, sizeof label);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", px, MARGIN_T, px,
			MARGIN_T + INNER_H, GRID, px, MARGIN_T + INNER_H + 16, label);
	}
	for (double v = f->y.lo; v <= f->y.hi + f->y.step * 1e-6; v += f->y.step) {
		double py = map_y(f, v);
		tick_label(v, f->y.step, label, sizeof label);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", MARGIN_L, py,
			MARGIN_L + INNER_W, py, GRID, MARGIN_L - 6, py + 4, label);
	}
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
		MARGIN_L, MARGIN_T, INNER_W, INNER_H, INK);
	axis_titles(fp, xtitle, ytitle);
}

static void open_points(FILE *fp)
{
	fprintf(fp, "<g fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\" stroke-width=\"0.6\">\n", POINT, POINT);
}

/* One point at data coordinates (x, y), with its tooltip when there is one. */
static void point(FILE *fp, const struct frame *f, double x, double y, const char *label)
{
	fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\">", map_x(f, x), map_y(f, y));
	if (label) {
		fputs("<title>", fp);
		report_html_escape(fp, label);
		fputs("</title>", fp);
	}
	fputs("</circle>\n", fp);
}

static void no_data(FILE *fp)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#7b8794\">no night has both "
		"values</text>\n", MARGIN_L + INNER_W / 2, MARGIN_T + INNER_H / 2);
}

/* A horizontal reference line at y = v with a label at its right end. */
static void hline(FILE *fp, const struct frame *f, double v, const char *colour, const char *dash,
		  const char *name)
{
	char num[32];
	double py = map_y(f, v);

	snprintf(num, sizeof num, "%.3g", v);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"%s%s%s/>"
		"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\" font-size=\"11\">%s %s</text>\n",
		MARGIN_L, py, MARGIN_L + INNER_W, py, colour, dash ? " stroke-dasharray=\"" : "",
		dash ? dash : "", dash ? "\"" : "", MARGIN_L + INNER_W - 4, py - 4, colour, name, num);
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

void svg_bland_altman(FILE *fp, const char *id, const char *title, const char *unit,
		      const double *label, const double *pred, const char *const *point_labels, size_t n,
		      const struct stat_agreement *a)
{
	double xmin = n ? INFINITY : 0, xmax = n ? -INFINITY : 1, ymin = 0, ymax = 0;
	char xtitle[128], ytitle[128];
	struct frame f;

	for (size_t i = 0; i < n; i++) {
		double m = (label[i] + pred[i]) / 2, d = pred[i] - label[i];
		xmin = fmin(xmin, m);
		xmax = fmax(xmax, m);
		ymin = fmin(ymin, d);
		ymax = fmax(ymax, d);
	}
	if (a->loa_low.known) {
		ymin = fmin(ymin, a->loa_low.value);
		ymax = fmax(ymax, a->loa_high.value);
	}
	pad_range(&xmin, &xmax);
	pad_range(&ymin, &ymax);
	f.x = svg_nice_axis(xmin, xmax, 5);
	f.y = svg_nice_axis(ymin, ymax, 5);
	snprintf(xtitle, sizeof xtitle, "mean of label and prediction (%s)", unit);
	snprintf(ytitle, sizeof ytitle, "prediction \xe2\x88\x92 label (%s)", unit);
	open_svg(fp, id, title, PLOT_W, PLOT_H);
	draw_frame(fp, &f, xtitle, ytitle);
	hline(fp, &f, 0, "#7b8794", NULL, "");
	if (n == 0)
		no_data(fp);
	open_points(fp);
	for (size_t i = 0; i < n; i++)
		point(fp, &f, (label[i] + pred[i]) / 2, pred[i] - label[i],
		      point_labels ? point_labels[i] : NULL);
	fputs("</g>\n", fp);
	if (a->bias.known)
		hline(fp, &f, a->bias.value, ACCENT, NULL, "bias");
	if (a->loa_low.known) {
		hline(fp, &f, a->loa_low.value, ACCENT, "6 4", "\xe2\x88\x92" "1.96 SD");
		hline(fp, &f, a->loa_high.value, ACCENT, "6 4", "+1.96 SD");
	}
	fputs("</svg>\n", fp);
}

void svg_scatter(FILE *fp, const char *id, const char *title, const char *unit, const double *label,
		 const double *pred, const char *const *point_labels, size_t n)
{
	double min = n ? INFINITY : 0, max = n ? -INFINITY : 1;
	char xtitle[128], ytitle[128];
	struct frame f;

	for (size_t i = 0; i < n; i++) {
		min = fmin(min, fmin(label[i], pred[i]));
		max = fmax(max, fmax(label[i], pred[i]));
	}
	/* Equal axes, so that the identity line is the diagonal and distances read the same. */
	pad_range(&min, &max);
	f.x = f.y = svg_nice_axis(min, max, 5);
	snprintf(xtitle, sizeof xtitle, "label (%s)", unit);
	snprintf(ytitle, sizeof ytitle, "prediction (%s)", unit);
	open_svg(fp, id, title, PLOT_W, PLOT_H);
	draw_frame(fp, &f, xtitle, ytitle);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
		"stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\" "
		"font-size=\"11\">identity (y = x)</text>\n", map_x(&f, f.x.lo), map_y(&f, f.y.lo),
		map_x(&f, f.x.hi), map_y(&f, f.y.hi), ACCENT, map_x(&f, f.x.hi) - 4, map_y(&f, f.y.hi) + 14,
		ACCENT);
	if (n == 0)
		no_data(fp);
	open_points(fp);
	for (size_t i = 0; i < n; i++)
		point(fp, &f, label[i], pred[i], point_labels ? point_labels[i] : NULL);
	fputs("</g>\n</svg>\n", fp);
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
		report_html_escape(fp, classes[j]);
		fputs("</text>\n", fp);
	}
	for (size_t i = 0; i < k; i++) {
		uint64_t total = row_total(table, k, i);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"600\">",
			HEAT_L - 8, HEAT_T + ((double)i + 0.5) * CELL + 4);
		report_html_escape(fp, classes[i]);
		fputs("</text>\n", fp);
		for (size_t j = 0; j < k; j++)
			heat_cell(fp, i, j, table[i * k + j], total);
	}
	fputs("</svg>\n", fp);
}
