/*
 * svg.h — the charts of report.html as inline SVG: Bland–Altman plots, scatter plots with the
 * identity line, and confusion heat maps.
 *
 * Owns geometry (nice axis ticks, scaling, colours) and SVG text; knows nothing of nights or the
 * report (report_html.c hands it arrays). Output is deterministic: coordinates are printed with a
 * fixed number of decimals. Labels passed in (`point_labels`, class names) are HTML-escaped here.
 */
#ifndef NIGHTFAN_MERGE_SVG_H
#define NIGHTFAN_MERGE_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct svg_series {
	const double *x, *y;            /* n points */
	const char *const *point_labels; /* n tooltips (e.g. night ids), or NULL */
	size_t n;
};

/* Bland–Altman plot: x = mean of label and prediction, y = prediction - label, with the bias and
 * the limits of agreement as horizontal lines (when known). `label` and `pred` hold n pairs. */
void svg_bland_altman(FILE *fp, const char *id, const char *title, const char *unit,
		      const double *label, const double *pred, const char *const *point_labels, size_t n,
		      const struct stat_agreement *a);

/* Scatter of predictions (y) against labels (x) on equal axes, with the identity line. */
void svg_scatter(FILE *fp, const char *id, const char *title, const char *unit, const double *label,
		 const double *pred, const char *const *point_labels, size_t n);

/* Heat map of a k x k table of counts (rows: labels, columns: predictions), each cell shaded by its
 * share of its row and showing the count and that share. */
void svg_heatmap(FILE *fp, const char *id, const char *title, const char *const *classes, size_t k,
		 const uint64_t *table);

/* A count with thousands separators ("1,856,690") into buf (at least 32 bytes). */
void svg_format_count(uint64_t n, char *buf);

/* Nice axis: [lo, hi] covering [min, max] in steps of 1, 2 or 5 x 10^n (about `ticks` of them). */
struct svg_axis {
	double lo, hi, step;
};
struct svg_axis svg_nice_axis(double min, double max, int ticks);

#endif
