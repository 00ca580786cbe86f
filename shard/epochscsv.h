/*
 * epochscsv.h — epochs.csv (SPEC §2): one row per labels epoch,
 * night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred
 *
 * Owns the text of the table only; what each epoch holds is decided by epochs.c and shard.c.
 */
#ifndef NIGHTFAN_SHARD_EPOCHSCSV_H
#define NIGHTFAN_SHARD_EPOCHSCSV_H

#include <stdint.h>
#include <stdio.h>

#include "epochs.h"
#include "err.h"

#define EPOCHSCSV_HEADER "night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred\n"

struct epochscsv_night {
	const char *night;                      /* a checked night id: never needs quoting */
	const struct hypnogram *labels;         /* the rows: one per labels epoch */
	double epoch_seconds;
	const struct hypnogram *pred;           /* NULL: no predicted hypnogram, stage_pred empty */
	const struct epochs_alignment *alignment;
	const uint8_t *positions;               /* per labels epoch, enum position */
	const struct position_epochs *motion;   /* NULL: no motion, the column stays empty */
	const uint8_t *event_label, *event_pred;/* per labels epoch, EPOCHS_NO_EVENT = empty */
};

/* Write the whole table to fp. Write errors are the caller's to detect (ferror/fclose). */
void epochscsv_write(FILE *fp, const struct epochscsv_night *n);

#endif
