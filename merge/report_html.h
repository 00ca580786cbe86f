/*
 * report_html.h — report.html (SPEC §3): the report for people, one self-contained file (inline
 * CSS and SVG drawn here, no script, nothing fetched).
 *
 * Sections: summary (nights, failures, headline agreement), the agreement table, Bland–Altman and
 * label-vs-prediction scatter plots for AHI, TST, SE and WASO, heat maps of the severity and the
 * staging confusion (with diagnosis and per-stage F1 tables), and the failed nights. Every chart is
 * an <svg> with a fixed id (REPORT_HTML_SVG_IDS) so tests can find it. Every string that comes
 * from data (night ids, error messages, file names) is HTML-escaped.
 */
#ifndef NIGHTFAN_MERGE_REPORT_HTML_H
#define NIGHTFAN_MERGE_REPORT_HTML_H

#include <stdio.h>

#include "err.h"
#include "nights.h"
#include "report.h"

/* The ids of the charts, in page order (space-separated). */
#define REPORT_HTML_SVG_IDS "ba-AHI scatter-AHI ba-TST scatter-TST ba-SE scatter-SE ba-WASO " \
	"scatter-WASO heat-severity heat-staging"

/* Write the page. 0, or -1 (out of memory). */
int report_html_write(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e);

/* Write s with & < > " ' escaped for HTML text and attribute values. */
void report_html_escape(FILE *fp, const char *s);

#endif
