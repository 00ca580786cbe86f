/*
 * report_html.h — report.html (SPEC §3): the report for people, one self-contained file (inline
 * CSS and SVG, one small inline script that sorts the nights table, nothing fetched).
 *
 * Sections: summary (nights, failures, headline agreement with CIs), where to look (the hypnograms
 * of the nights that agree worst, merge/nights_table.h), the agreement table to the field's
 * standard (CIs, regressions, assumption flags, methods; poor agreement marked: ICC < 0.5,
 * doubtful: ICC >= 0.5 with its CI below 0.5), Bland–Altman and label-vs-prediction scatter plots
 * for AHI, TST, SE and WASO, a small Bland–Altman plot for every numeric score ("bam-<key>"), the
 * severity heat map and diagnosis table, epoch-by-epoch staging (pooled counts, the error matrix
 * of mean (SD) row proportions over nights, overall / per-stage / sleep-wake tables, a strip plot
 * of per-night kappa and accuracy), event-by-event agreement (merge/event_report.h), the table of
 * all nights (merge/nights_table.h), and the failed nights (rows with id failed-<night>). Every
 * chart is an <svg> with a fixed id (REPORT_HTML_SVG_IDS, plus bam-<key> and hyp-<night>) so tests
 * can find it. Every string that comes from data (night ids, error messages, file names) is
 * HTML-escaped.
 */
#ifndef NIGHTFAN_MERGE_REPORT_HTML_H
#define NIGHTFAN_MERGE_REPORT_HTML_H

#include <stdio.h>

#include "err.h"
#include "nights.h"
#include "report.h"

/* The ids of the charts, in page order (space-separated). */
#define REPORT_HTML_SVG_IDS "ba-AHI scatter-AHI ba-TST scatter-TST ba-SE scatter-SE ba-WASO " \
	"scatter-WASO heat-severity heat-staging heat-staging-nights strip-staging"

/* Write the page, its night links going to pages/<night>.html. 0, or -1 (out of memory, or a
 * night's epochs.csv that cannot be read for the worst nights' hypnograms). */
int report_html_write(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e);
/* The same with the night links going to `pages` + <night>.html (e.g. "dataset/pages/"). */
int report_html_write_linked(FILE *fp, const struct report *r, const struct night_list *nights, const char *pages,
			     struct err *e);

#endif
