/*
 * eventscsv.h — events.csv, the night's respiratory events with their pairs: what the merge's
 * night page draws (missed, false and paired events) and what a user can re-analyse.
 *
 * One row per event of each source's own respiratory stream, labels first, each in file order:
 *   source,index,onset,duration,event,pair
 * `index`: 0-based among that source's events; `pair`: the index of the partner among the other
 * source's events under the pairing that shows it (AH for OA CA MA A H, RERA for RERA; see
 * pairing.h), empty when the event is in no pair or when there is no pairing (the predictions have
 * no respiratory stream of their own: only labels rows, every pair empty). Numbers in shortest
 * round-trip form. Owns the text only; shard.c writes the file into the staged night folder.
 */
#ifndef NIGHTFAN_SHARD_EVENTSCSV_H
#define NIGHTFAN_SHARD_EVENTSCSV_H

#include <stdio.h>

#include "pairing.h"
#include "streams.h"

#define EVENTSCSV_HEADER "source,index,onset,duration,event,pair\n"

/* Write the header and the rows of `events[s]` (NULL: the source has no stream of its own);
 * pairing may be NULL. Errors show on fp (ferror). */
void eventscsv_write(FILE *fp, const struct event_list *const events[SOURCE_COUNT],
		     const struct pairing_result *pairing);

#endif
