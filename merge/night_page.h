/*
 * night_page.h — the page of one night (pages/<night>.html beside report.html): a self-contained
 * HTML file (inline CSS and SVG, no script, nothing fetched) with the night's figure (hypnograms of
 * both sources on one time axis, disagreements shaded, events paired/missed/false, body position;
 * merge/night_svg.h), its scores side by side (labels, predictions, difference) and its staging and
 * event-by-event agreement.
 *
 * Owns each page's text. The merge writes a night's page while it reads the night (merge/nights.h
 * night_page_fn), from the epochs.csv and events.csv opened with its night.json: the page shows the
 * same version of the night as report.json, and one night's epochs are held at a time (beside the
 * few worst nights' hypnograms report.html shows, kept from the same read).
 */
#ifndef NIGHTFAN_MERGE_NIGHT_PAGE_H
#define NIGHTFAN_MERGE_NIGHT_PAGE_H

#include <stdio.h>

#include "err.h"
#include "nights.h"
#include "nights_table.h"
#include "stats.h"

#define NIGHT_PAGE_DIR "pages"

/* What the merge does with an ok night's epochs.csv and events.csv as it reads the night (opened with
 * its night.json: merge/nights.h night_page_fn; -1: the folder holds none; both stay open, their
 * offsets untouched): write <pages_dir>/<night>.html (pages_dir exists; NULL: no pages) and, when
 * the night is among the worst so far, keep its hypnograms in *worst (merge/nights_table.h), read
 * once for both. 0, or -1 with *e naming the night's file at fault (an unreadable epochs.csv or
 * events.csv, for the page) or the page; without pages, a night kept for its hypnograms whose
 * epochs.csv cannot be read keeps the error instead (raised if it stays among the worst). */
int night_page_read(const struct night_record *r, int epochs_fd, int events_fd, const char *pages_dir,
		    struct nights_worst *worst, struct err *e);

#endif
