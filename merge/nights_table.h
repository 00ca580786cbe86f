/*
 * nights_table.h — report.html's views of single nights: the table of every night (night, TST,
 * AHI and severity on both sides, staging kappa, event F1, status), sortable by any column with a
 * small inline script (in night order without it), each night linking to its page and each failed
 * night to its error; and the hypnograms of the nights that agree worst (lowest staging kappa,
 * largest AHI difference), drawn inline so report.html alone shows where to look.
 *
 * Owns the choice of those nights and the HTML; the pages themselves are merge/night_page.h.
 */
#ifndef NIGHTFAN_MERGE_NIGHTS_TABLE_H
#define NIGHTFAN_MERGE_NIGHTS_TABLE_H

#include <stdio.h>

#include "err.h"
#include "nights.h"

#define NIGHTS_TABLE_WORST 3            /* nights shown per criterion */

/* The "where to look" section: hypnograms of the worst nights, linked to `pages` + <night>.html.
 * Reads those nights' epochs.csv. 0, or -1 with *e naming the file at fault. */
int nights_table_worst(FILE *fp, const struct night_list *nights, const char *pages, struct err *e);

/* The table of all nights (and its sorting script). */
void nights_table_write(FILE *fp, const struct night_list *nights, const char *pages);

#endif
