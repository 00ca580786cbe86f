/*
 * night_page.h — the page of one night (pages/<night>.html beside report.html): a self-contained
 * HTML file (inline CSS and SVG, no script, nothing fetched) with the night's figure (hypnograms of
 * both sources on one time axis, disagreements shaded, events paired/missed/false, body position;
 * merge/night_svg.h), its scores side by side (labels, predictions, difference) and its staging and
 * event-by-event agreement.
 *
 * Owns the pages folder and each page's text. The night's epochs and events are read from its
 * folder one night at a time (merge/night_data.h).
 */
#ifndef NIGHTFAN_MERGE_NIGHT_PAGE_H
#define NIGHTFAN_MERGE_NIGHT_PAGE_H

#include <stdio.h>

#include "err.h"
#include "nights.h"
#include "stats.h"

#define NIGHT_PAGE_DIR "pages"

/* The night's staging agreement over the epochs both sides scored W..R (its staging_confusion):
 * accuracy and Cohen's kappa; unknown without a predicted hypnogram or such epochs. */
void night_page_staging(const struct night_record *r, struct stat_num *accuracy, struct stat_num *kappa);

/* Write <dir>/<night>.html for every ok night of the list (dir exists). 0, or -1 with *e naming
 * the night's file at fault (an unreadable epochs.csv or events.csv) or the page. */
int night_page_write_all(const struct night_list *nights, const char *dir, struct err *e);

#endif
