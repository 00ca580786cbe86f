/*
 * html.h — the small HTML writers every page of the merge shares: escaping text from data, and
 * numbers for people.
 *
 * Owns: how a string from data (a night id, an error message, a file name, a chart's title) is
 * escaped for HTML text and attribute values, and how a number or a share is shown (rounded by
 * magnitude; an em dash when unknown). The pages and charts that use them — report.html
 * (report_html.c), its charts (svg.c), the night pages (night_page.c, night_svg.c), the nights table
 * (nights_table.c) and the event section (event_report.c) — live in their own files and include
 * this one, so no two of them include each other for these helpers.
 */
#ifndef NIGHTFAN_MERGE_HTML_H
#define NIGHTFAN_MERGE_HTML_H

#include <stdio.h>

#include "stats.h"

/* Write s with & < > " ' escaped for HTML text and attribute values. Never fails visibly (a write
 * error shows in ferror(fp), checked where the file is committed). */
void html_escape(FILE *fp, const char *s);

/* A value for people — 3 decimals below 10, 2 below 100, 1 above, never "-0" — or an em dash in
 * <span class="na"> when unknown. */
void html_num(FILE *fp, struct stat_num v);
/* A share (0.5) as a percentage with one decimal ("50.0%"), or the em dash when unknown. */
void html_percent(FILE *fp, struct stat_num v);

#endif
