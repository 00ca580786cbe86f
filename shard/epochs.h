/*
 * epochs.h — from streams read to epochs: what each epoch of a night holds (SPEC §2, epochs.csv)
 * and what the scores are computed over.
 *
 * Owns the per-epoch rules: position by majority with the SPEC's tie-break order, motion mean,
 * events placed on the epochs of the hypnogram that scores them (and the first event per epoch),
 * predicted epochs matched to labels epochs by onset, the 6×6 staging confusion. Reading is
 * streams.c; the score formulas are score.c; writing is nightjson.c and epochscsv.c.
 */
#ifndef NIGHTFAN_SHARD_EPOCHS_H
#define NIGHTFAN_SHARD_EPOCHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "score.h"
#include "streams.h"

#define EPOCHS_NO_EVENT 0xff
#define EPOCHS_NO_MATCH (-1L)

/* How predicted epochs line up with labels epochs: predicted epoch j has the onset of labels
 * epoch j + offset. Both grids have the same epoch length, so one offset decides every match;
 * when the grids are shifted by a fraction of an epoch no epoch matches (aligned = false). */
struct epochs_alignment {
	bool aligned;
	long offset;
	size_t n_labels, n_pred;
};

/* Work out the alignment of pred against labels (onsets equal within STREAMS_TIME_TOLERANCE). */
void epochs_align(const struct hypnogram *labels, const struct hypnogram *pred, double epoch_seconds,
		  struct epochs_alignment *a);
/* The predicted epoch matching labels epoch k, or EPOCHS_NO_MATCH. */
long epochs_pred_of_label(const struct epochs_alignment *a, size_t k);
/* The labels epoch matching predicted epoch j, or EPOCHS_NO_MATCH. */
long epochs_label_of_pred(const struct epochs_alignment *a, size_t j);

/* out[k] = the position of epoch k: the one with the most samples (for intervals: the most seconds
 * covered), ties to supine, prone, left, right, upright, unknown; POS_UNKNOWN without any. */
void epochs_positions(const struct position_epochs *pos, uint8_t *out);
/* Mean motion of epoch k into *mean; false when the epoch has no motion value. */
bool epochs_motion(const struct position_epochs *pos, size_t k, double *mean);
/* Positions for predicted epochs taken from the labels epoch with the same onset (POS_UNKNOWN for
 * predicted epochs that match none). */
void epochs_positions_by_onset(const struct epochs_alignment *a, const uint8_t *labels_positions,
			       uint8_t *pred_positions);

/* Place events on grid `h`: epoch = floor((onset - t0) / epoch length). With strict, an onset
 * before t0 or at/after the end is an error naming the event's file and line; without, such
 * events are left out (events borrowed from the labels by a source whose own span is shorter).
 * *out is malloc'ed (caller frees; may be NULL when *n_out is 0). 0 or -1. */
int epochs_place_events(const struct event_list *events, const struct hypnogram *h, double epoch_seconds,
			bool strict, struct score_event **out, size_t *n_out, struct err *e);
/* first[k] = type of the event with the earliest onset in epoch k of `h` (file order breaks ties),
 * EPOCHS_NO_EVENT when none; events outside the grid are ignored. 0 or -1 (out of memory). */
int epochs_first_events(const struct event_list *events, const struct hypnogram *h, double epoch_seconds,
			uint8_t *first, struct err *e);

/* Staging confusion, rows = labels stage, columns = predicted stage (W N1 N2 N3 R ?): every labels
 * epoch counted once, as predicted `?` when no predicted epoch matches; predicted epochs outside
 * the labels' span are ignored. */
void epochs_confusion(const struct hypnogram *labels, const struct hypnogram *pred,
		      const struct epochs_alignment *a, long confusion[STAGE_COUNT][STAGE_COUNT]);

#endif
