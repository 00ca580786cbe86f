/*
 * night_events.h — one night's `event_agreement` (SPEC §2) as the merge reads it from night.json:
 * per key (AH, OA, CA, MA, A, H, RERA) the counts and the night's own metrics.
 *
 * Owns reading and checking that block; pooling it over nights is merge/event_report.h. A
 * night.json without the key (written before v1.1) reads as having no event agreement.
 */
#ifndef NIGHTFAN_MERGE_NIGHT_EVENTS_H
#define NIGHTFAN_MERGE_NIGHT_EVENTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "stats.h"

#define NIGHT_EVENT_KEYS 7              /* AH OA CA MA A H RERA */

struct night_event_key {
	uint64_t tp, fp, fn;
	struct stat_num sensitivity, ppv, f1, onset_mae;
};

struct night_events {
	bool known;                     /* false: null or absent */
	struct night_event_key k[NIGHT_EVENT_KEYS];
};

/* "AH", "OA", ..., "RERA". */
const char *night_events_key_name(int k);

/* Read root's "event_agreement" into *out. 0, or -1 with *e naming `path` and what was expected. */
int night_events_read(const cJSON *root, struct night_events *out, const char *path, struct err *e);

#endif
