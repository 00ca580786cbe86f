/*
 * nights_table.h — report.html's views of single nights: the table of every night (night, TST,
 * AHI and severity on both sides, staging kappa, event F1, status), sortable by any column with a
 * small inline script (in night order without it), each night linking to its page and each failed
 * night to its error; and the hypnograms of the nights that agree worst (lowest staging kappa,
 * largest AHI difference), drawn inline so report.html alone shows where to look.
 *
 * Owns the choice of those nights (made as the nights are read, struct nights_worst) and the HTML;
 * the pages themselves are merge/night_page.h.
 */
#ifndef NIGHTFAN_MERGE_NIGHTS_TABLE_H
#define NIGHTFAN_MERGE_NIGHTS_TABLE_H

#include <stdio.h>

#include "err.h"
#include "night_data.h"
#include "nights.h"

#define NIGHTS_TABLE_WORST 3            /* nights shown per criterion */

/* The nights that agree worst so far, with their hypnograms, kept while the nights are read: the
 * figures come from the epochs.csv opened with each night's night.json (one version of the night,
 * merge/nights.h), never from a second read by path. Each list holds at most NIGHTS_TABLE_WORST
 * nights in its order (key, then night order): lowest staging kappa; largest |AHI difference|.
 * Memory: at most 2 x NIGHTS_TABLE_WORST nights' two stage arrays (one byte an epoch each). */
struct nights_worst_entry {
	const struct night_record *r;   /* borrowed: the night list's record */
	double key;
	struct night_data d;            /* n, t0, epoch_seconds, label, pred, any_pred, has_epochs (owned) */
	bool failed;                    /* its epochs.csv could not be read: failure is the error, */
	struct err failure;             /* raised only if the night is among the worst at the end */
};

struct nights_worst {
	struct nights_worst_entry kappa[NIGHTS_TABLE_WORST], ahi[NIGHTS_TABLE_WORST];
	size_t n_kappa, n_ahi;
};

/* Would the ok night r, read after every night kept so far, enter either list? */
bool nights_worst_wants(const struct nights_worst *w, const struct night_record *r);

/* Enter r into the lists it enters, with its hypnograms from d (the night's data as read from its
 * epochs.csv; has_epochs false: the night has none and gets no figure), or with `failure` (d NULL:
 * reading its epochs.csv failed so). Nights pushed out are dropped. 0, or -1 (out of memory). */
int nights_worst_keep(struct nights_worst *w, const struct night_record *r, const struct night_data *d,
		      const struct err *failure, struct err *e);

void nights_worst_free(struct nights_worst *w);

/* The "where to look" section: hypnograms of the worst nights (nights->worst, kept during the
 * read; none when NULL), linked to `pages` + <night>.html. 0, or -1 with *e: a kept night whose
 * epochs.csv could not be read. */
int nights_table_worst(FILE *fp, const struct night_list *nights, const char *pages, struct err *e);

/* The table of all nights (and its sorting script). */
void nights_table_write(FILE *fp, const struct night_list *nights, const char *pages);

#endif
