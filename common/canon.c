/*
 * canon.c — canonical names and their lookup (see canon.h).
 */
#include "canon.h"

#include <string.h>

static const char *const stage_names[STAGE_COUNT] = {"W", "N1", "N2", "N3", "R", "?"};
static const char *const position_names[POS_COUNT] = {"supine", "prone", "left", "right", "upright", "unknown"};
static const char *const event_names[EVENT_COUNT] = {"OA", "CA", "MA", "A", "H", "RERA"};
static const char *const source_names[SOURCE_COUNT] = {"labels", "predictions"};
static const char *const stream_names[STREAM_COUNT] = {"hypnogram", "respiratory", "position"};

static const char *name_of(const char *const *names, int count, int value)
{
	return value >= 0 && value < count ? names[value] : "?";
}

static int find(const char *const *names, int count, const char *name, unsigned long len)
{
	for (int i = 0; i < count; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return -1;
}

const char *canon_stage_name(int v) { return name_of(stage_names, STAGE_COUNT, v); }
const char *canon_position_name(int v) { return name_of(position_names, POS_COUNT, v); }
const char *canon_event_name(int v) { return name_of(event_names, EVENT_COUNT, v); }
const char *canon_source_name(int v) { return name_of(source_names, SOURCE_COUNT, v); }
const char *canon_stream_name(int v) { return name_of(stream_names, STREAM_COUNT, v); }

int canon_stage_find(const char *s, unsigned long n) { return find(stage_names, STAGE_COUNT, s, n); }
int canon_position_find(const char *s, unsigned long n) { return find(position_names, POS_COUNT, s, n); }
int canon_event_find(const char *s, unsigned long n) { return find(event_names, EVENT_COUNT, s, n); }
int canon_source_find(const char *s, unsigned long n) { return find(source_names, SOURCE_COUNT, s, n); }
int canon_stream_find(const char *s, unsigned long n) { return find(stream_names, STREAM_COUNT, s, n); }
