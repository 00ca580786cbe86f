/*
 * canon.h — the canonical vocabularies of SPEC §1: sleep stages, body positions, respiratory
 * events, sources and streams. Raw vendor values are mapped to these by the profile (profile.h);
 * everything after mapping speaks only these enums.
 */
#ifndef NIGHTFAN_CANON_H
#define NIGHTFAN_CANON_H

/* Stage order is the SPEC's W N1 N2 N3 R ? (also the staging_confusion order). */
enum stage { STAGE_W, STAGE_N1, STAGE_N2, STAGE_N3, STAGE_R, STAGE_UNSCORED, STAGE_COUNT };
/* Position order is the SPEC's tie-break order. */
enum position { POS_SUPINE, POS_PRONE, POS_LEFT, POS_RIGHT, POS_UPRIGHT, POS_UNKNOWN, POS_COUNT };
enum event { EVENT_OA, EVENT_CA, EVENT_MA, EVENT_A, EVENT_H, EVENT_RERA, EVENT_COUNT };

enum source { SOURCE_LABELS, SOURCE_PREDICTIONS, SOURCE_COUNT };
enum stream { STREAM_HYPNOGRAM, STREAM_RESPIRATORY, STREAM_POSITION, STREAM_COUNT };

/* Canonical spellings: "W" "N1" "N2" "N3" "R" "?"; "supine" ... "unknown"; "OA" ... "RERA";
 * "labels" "predictions"; "hypnogram" "respiratory" "position". */
const char *canon_stage_name(int stage);
const char *canon_position_name(int position);
const char *canon_event_name(int event);
const char *canon_source_name(int source);
const char *canon_stream_name(int stream);

/* The enum value spelled exactly `name` (len bytes, not necessarily NUL-terminated), or -1. */
int canon_stage_find(const char *name, unsigned long len);
int canon_position_find(const char *name, unsigned long len);
int canon_event_find(const char *name, unsigned long len);
int canon_source_find(const char *name, unsigned long len);
int canon_stream_find(const char *name, unsigned long len);

static inline int canon_is_sleep(int stage)
{
	return stage == STAGE_N1 || stage == STAGE_N2 || stage == STAGE_N3 || stage == STAGE_R;
}

#endif
