/*
 * pairing.h — event-by-event agreement of one night's respiratory events (SPEC §2,
 * `event_agreement`): which labels events the predictions found, which they missed, which they
 * invented.
 *
 * Owns the pairing rule and the counts: a labels event and a predicted event pair when their
 * intervals [onset, onset + duration) overlap by more than 0 s; pairs are taken greedily, largest
 * overlap first, ties to the earlier labels onset, then the earlier predicted onset, then file
 * order (labels, then predictions); each event is in at most one pair. `AH` pairs any of OA CA MA
 * A H with any other; each class pairs only with itself. Reading the events is streams.c; writing
 * the counts is nightjson.c, the pairs events.csv (eventscsv.c).
 *
 * Cost: O((n + k) log(n + k)) for n events and k overlapping (labels, predicted) pairs; no pass
 * over all n_labels × n_pred pairs. Events are swept in onset order with a heap of the predicted
 * events still open, so only overlapping pairs are ever looked at. k stays near n unless a
 * source's own events overlap each other heavily.
 */
#ifndef NIGHTFAN_SHARD_PAIRING_H
#define NIGHTFAN_SHARD_PAIRING_H

#include <stdint.h>

#include "canon.h"
#include "err.h"
#include "streams.h"

/* The SPEC's keys in order: AH, then every event class (class c is PAIRING_AH + 1 + c). */
enum { PAIRING_AH, PAIRING_CLASSES = 1 + EVENT_COUNT };
#define PAIRING_NONE (-1)

struct pairing_counts {
	long tp, fp, fn;
	double onset_abs_sum;          /* sum over the pairs of |predicted onset - labels onset| (s) */
};

struct pairing_result {
	struct pairing_counts counts[PAIRING_CLASSES];
	/* per event of each source, in file order: the index of its partner among the other source's
	 * events under the pairing that shows it (AH for OA CA MA A H, RERA for RERA), or
	 * PAIRING_NONE. malloc'ed (NULL when the source has no events). */
	int32_t *partner[SOURCE_COUNT];
};

/* The name of key k: "AH", "OA", ..., "RERA". */
const char *pairing_key_name(int k);

/* Pair `labels` (may be NULL: no events) with `pred` into *out (zeroed first). 0, or -1 (out of
 * memory); free with pairing_free in either case. */
int pairing_compute(const struct event_list *labels, const struct event_list *pred,
		    struct pairing_result *out, struct err *e);

void pairing_free(struct pairing_result *r);

#endif
