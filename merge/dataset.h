/*
 * dataset.h — dataset.csv (SPEC §3, --dataset): every ok night's epochs.csv, in night order, under
 * one header, streamed in fixed-size blocks (memory does not grow with the data).
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

/* Write the header, then the rows of every ok night's <dir>/epochs.csv to `out`, named `out_name`
 * in messages. 0, or -1 naming the epochs.csv at fault (or out_name when writing fails). */
int dataset_write(FILE *out, const char *out_name, const struct night_list *nights, struct err *e);

#endif
