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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agreement.h"
#include "stats.h"

struct svg_series {
	const double *x, *y;            /* n points */
	const char *const *point_labels; /* n tooltips (e.g. night ids), or NULL */
	size_t n;
};

/* Bland–Altman plot: x = the label (reference) value, as the proportional-bias regression is on it
 * (Menghini et al. 2021), y = prediction - label, with the bias and limits of the method the
 * analysis picked (`x` may be NULL: parametric lines without CIs): flat lines for parametric ones,
 * sloped for regression-based ones, each with its 95 % CI band. A full-size plot names the lines in
 * its right margin, clear of the points; a small multiple (`small_multiple`) has no line labels
 * (the page's legend explains them). `label` and `pred` hold n pairs. */
void svg_bland_altman(FILE *fp, const char *id, const char *title, const char *unit,
		      const double *label, const double *pred, const char *const *point_labels, size_t n,
		      const struct stat_agreement *a, const struct agreement_ext *x, bool small_multiple);

/* Scatter of predictions (y) against labels (x) on equal axes, with the identity line. */
void svg_scatter(FILE *fp, const char *id, const char *title, const char *unit, const double *label,
		 const double *pred, const char *const *point_labels, size_t n);

/* Heat map of a k x k table of counts (rows: labels, columns: predictions), each cell shaded by its
 * share of its row and showing the count and that share. */
void svg_heatmap(FILE *fp, const char *id, const char *title, const char *const *classes, size_t k,
		 const uint64_t *table);

/* The error matrix: a k x k table of mean row proportions with their SDs (row-major; unknown cells
 * are drawn empty), each cell "72%" over "(8)". */
void svg_heatmap_mean_sd(FILE *fp, const char *id, const char *title, const char *const *classes, size_t k,
			 const struct stat_num *mean, const struct stat_num *sd);

/* Strip plot: one row per figure (rows[r], counts[r] values in values[r]), points jittered
 * deterministically over a box from the first to the third quartile with the median and whiskers
 * to the extremes; point_labels (may be NULL, or hold NULL rows) give the tooltips. `scratch` holds
 * the largest count of doubles. */
void svg_strip(FILE *fp, const char *id, const char *title, const char *const *rows, size_t k,
	       const double *const *values, const size_t *counts, const char *const *const *point_labels,
	       double *scratch);

/* Move n <= 8 label positions apart (at least `gap`), keeping them within [lo, hi] when they fit. */
void svg_spread_labels(double *y, size_t n, double gap, double lo, double hi);

/* A count with thousands separators ("1,856,690") into buf (at least 32 bytes). */
void svg_format_count(uint64_t n, char *buf);

/* Nice axis: [lo, hi] covering [min, max] in steps of 1, 2 or 5 x 10^n (about `ticks` of them). */
struct svg_axis {
	double lo, hi, step;
};
struct svg_axis svg_nice_axis(double min, double max, int ticks);

#endif
