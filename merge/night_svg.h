/*
 * night_svg.h — one night as inline SVG on one time axis: the labels hypnogram above the predicted
 * one (as YASA's plot_hypnograms: W R N1 N2 N3 from the top, REM drawn red), the epochs where they
 * disagree shaded across both, and — in the full figure — the respiratory events of both sources as
 * rows of bars (paired, missed, false told apart by colour) and the body position band.
 *
 * Owns the geometry and the SVG text; the data comes from merge/night_data.h. Deterministic:
 * coordinates with one decimal.
 */
#ifndef NIGHTFAN_MERGE_NIGHT_SVG_H
#define NIGHTFAN_MERGE_NIGHT_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "night_data.h"

/* The figure of night `d` as an <svg id="ID">: hypnograms only (full = false: the compact one
 * report.html shows inline) or with the event rows, the position band and the legend. `title` is
 * HTML-escaped here. 0, or -1 (out of memory: the figure is left empty). Not reentrant. */
int night_svg_draw(FILE *fp, const char *id, const char *title, const struct night_data *d, bool full);

#endif
