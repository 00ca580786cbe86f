/*
 * epochs.c — per-epoch rules of SPEC §2 (see epochs.h).
 */
#include "epochs.h"

#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void epochs_align(const struct hypnogram *labels, const struct hypnogram *pred, double epoch_seconds,
		  struct epochs_alignment *a)
{
	double shift = (pred->t0 - labels->t0) / epoch_seconds;
	double whole = round(shift);

	a->n_labels = labels->n;
	a->n_pred = pred->n;
	a->aligned = fabs((shift - whole) * epoch_seconds) <= STREAMS_TIME_TOLERANCE &&
		     fabs(whole) <= (double)STREAMS_MAX_EPOCHS;
	a->offset = a->aligned ? (long)whole : 0;
}

long epochs_pred_of_label(const struct epochs_alignment *a, size_t k)
{
	long j = (long)k - a->offset;

	return a->aligned && k < a->n_labels && j >= 0 && (size_t)j < a->n_pred ? j : EPOCHS_NO_MATCH;
}

long epochs_label_of_pred(const struct epochs_alignment *a, size_t j)
{
	long k = (long)j + a->offset;

	return a->aligned && j < a->n_pred && k >= 0 && (size_t)k < a->n_labels ? k : EPOCHS_NO_MATCH;
}

void epochs_positions(const struct position_epochs *pos, uint8_t *out)
{
	for (size_t k = 0; k < pos->n; k++) {
		int best = POS_UNKNOWN;
		double best_weight = 0;
		/* strictly greater: on a tie the earlier position in the SPEC's order stays */
		for (int p = 0; p < POS_COUNT; p++)
			if (pos->weight[k][p] > best_weight) {
				best = p;
				best_weight = pos->weight[k][p];
			}
		out[k] = (uint8_t)best;
	}
}

bool epochs_motion(const struct position_epochs *pos, size_t k, double *mean)
{
	if (k >= pos->n || pos->motion_count[k] == 0)
		return false;
	*mean = pos->motion_sum[k] / pos->motion_count[k];
	return true;
}

void epochs_positions_by_onset(const struct epochs_alignment *a, const uint8_t *labels_positions,
			       uint8_t *pred_positions)
{
	for (size_t j = 0; j < a->n_pred; j++) {
		long k = epochs_label_of_pred(a, j);
		pred_positions[j] = k == EPOCHS_NO_MATCH ? POS_UNKNOWN : labels_positions[k];
	}
}

/* The epoch of grid h an onset falls in, or -1 when outside [t0, end). */
static long epoch_of(const struct hypnogram *h, double epoch_seconds, double onset)
{
	double rel = (onset - h->t0) / epoch_seconds;

	if (onset < h->t0 || rel >= (double)h->n)
		return -1;
	return (long)rel;
}

/* "data record 3: " for an event of an EDF+ file (its line is the record), else "". */
static const char *where(const struct raw_event *ev, char *buf, size_t size)
{
	if (ev->column < 0 && ev->line > 0)
		snprintf(buf, size, "data record %ld: ", ev->line);
	else
		buf[0] = '\0';
	return buf;
}

static int out_of_range(const struct event_list *events, const struct raw_event *ev, const struct hypnogram *h,
			double epoch_seconds, struct err *e)
{
	char onset[NUMFMT_MAX], bound[NUMFMT_MAX], prefix[48];

	numfmt_double(ev->onset, onset);
	if (ev->onset < h->t0) {
		numfmt_double(h->t0, bound);
		return ERR_AT(e, events->file, ev->column < 0 ? 0 : ev->line, ev->column < 0 ? 0 : ev->column,
			      "%sexpected an event onset within the recording, got %s, before its start %s",
			      where(ev, prefix, sizeof(prefix)), onset, bound);
	}
	numfmt_double(h->t0 + (double)h->n * epoch_seconds, bound);
	return ERR_AT(e, events->file, ev->column < 0 ? 0 : ev->line, ev->column < 0 ? 0 : ev->column,
		      "%sexpected an event onset within the recording, got %s, at or after its end %s",
		      where(ev, prefix, sizeof(prefix)), onset, bound);
}

int epochs_place_events(const struct event_list *events, const struct hypnogram *h, double epoch_seconds,
			bool strict, struct score_event **out, size_t *n_out, struct err *e)
{
	struct score_event *placed = malloc((events->n ? events->n : 1) * sizeof(*placed));
	size_t n = 0;

	if (!placed)
		return ERR(e, "out of memory");
	for (size_t i = 0; i < events->n; i++) {
		const struct raw_event *ev = &events->items[i];
		long k = epoch_of(h, epoch_seconds, ev->onset);
		if (k < 0 && strict) {
			free(placed);
			return out_of_range(events, ev, h, epoch_seconds, e);
		}
		if (k >= 0)
			placed[n++] = (struct score_event){(uint32_t)k, ev->type};
	}
	*out = placed;
	*n_out = n;
	return 0;
}

int epochs_first_events(const struct event_list *events, const struct hypnogram *h, double epoch_seconds,
			uint8_t *first, struct err *e)
{
	double *first_onset = malloc((h->n ? h->n : 1) * sizeof(*first_onset));

	if (!first_onset)
		return ERR(e, "out of memory");
	memset(first, EPOCHS_NO_EVENT, h->n);
	for (size_t i = 0; events && i < events->n; i++) {
		const struct raw_event *ev = &events->items[i];
		long k = epoch_of(h, epoch_seconds, ev->onset);
		if (k < 0)
			continue;
		if (first[k] == EPOCHS_NO_EVENT || ev->onset < first_onset[k]) {
			first[k] = ev->type;
			first_onset[k] = ev->onset;
		}
	}
	free(first_onset);
	return 0;
}

void epochs_confusion(const struct hypnogram *labels, const struct hypnogram *pred,
		      const struct epochs_alignment *a, long confusion[STAGE_COUNT][STAGE_COUNT])
{
	memset(confusion, 0, sizeof(long) * STAGE_COUNT * STAGE_COUNT);
	for (size_t k = 0; k < labels->n; k++) {
		long j = epochs_pred_of_label(a, k);
		int predicted = j == EPOCHS_NO_MATCH ? STAGE_UNSCORED : pred->stages[j];
		confusion[labels->stages[k]][predicted]++;
	}
}
