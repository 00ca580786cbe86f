/*
 * dataset.h — dataset.csv (SPEC §3, --dataset): every ok night's epochs.csv, in night order, under
 * one header, streamed in fixed-size blocks (memory does not grow with the data) as the nights are
 * read.
 *
 * Each epochs.csv must start with the SPEC §2 header and hold exactly as many rows as its
 * night.json's "epochs" says, ending with a line break: a truncated or foreign file is an error
 * naming it, never a silently shorter dataset. Failed nights have no epochs and add no rows.
 */
#ifndef NIGHTFAN_MERGE_DATASET_H
#define NIGHTFAN_MERGE_DATASET_H

#include <stdio.h>

#include "err.h"
#include "nights.h"

#define DATASET_HEADER "night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred"

/* The dataset being written, night by night, while the merge reads the nights (so that each
 * night's rows come from the epochs.csv opened with its night.json: merge/nights.h night_open). */
struct dataset {
	FILE *out;
	const char *out_name;   /* names `out` in messages */
	char *block;            /* copy buffer (owned) */
};

/* Write the header to `out`. 0, or -1 (out of memory); finish with dataset_end either way. */
int dataset_begin(struct dataset *d, FILE *out, const char *out_name, struct err *e);
/* Append the rows of ok night r from its epochs.csv, open as epochs_fd (always closed here).
 * Fits night_epochs_fn (ctx is the struct dataset). 0, or -1 naming <r->dir>/epochs.csv (or
 * out_name when writing fails). */
int dataset_append(void *dataset, const struct night_record *r, int epochs_fd, struct err *e);
void dataset_end(struct dataset *d);

#endif
