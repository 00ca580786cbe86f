/*
 * profile.h — the mapping profile of SPEC §1: which file holds each source's streams, which raw
 * column holds each canonical field, and how raw values map to canonical ones.
 *
 * Owns loading and validating the profile up front (every message names the profile as given and
 * the JSON path: `profile.json: sources.labels.hypnogram.columns: unknown field "stge"; expected
 * one of onset, duration, stage`) and the raw → canonical value lookup. Reading the CSV files
 * themselves is shard/'s business.
 */
#ifndef NIGHTFAN_PROFILE_H
#define NIGHTFAN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "err.h"

/* Canonical fields of all streams (SPEC §1). */
enum profile_field {
	FIELD_ONSET, FIELD_DURATION, FIELD_STAGE, FIELD_EVENT, FIELD_TIME, FIELD_POSITION, FIELD_MOTION,
	FIELD_COUNT
};

#define PROFILE_MAX_BYTES (1024 * 1024)

struct profile_value_table;   /* raw value -> canonical enum, see profile_value() */

/* A stream's export dialect (SPEC §1, "Export dialects"). */
enum profile_encoding { ENCODING_UTF8, ENCODING_UTF16, ENCODING_LATIN1, ENCODING_WINDOWS1252, ENCODING_COUNT };
enum profile_time { TIME_SECONDS, TIME_CLOCK, TIME_DATETIME, TIME_COUNT };
/* What a stream's file is: CSV, or an annotation file (SPEC §1, "Annotation files"). */
enum profile_format { FORMAT_CSV, FORMAT_NSRR_XML, FORMAT_PROFUSION_XML, FORMAT_EDF_PLUS, FORMAT_COUNT };

struct profile_stream {
	bool present;                       /* the profile names this stream for this source */
	char *file;                         /* relative to the night, e.g. "labels/hypnogram.csv" */
	char *columns[FIELD_COUNT];         /* raw column name per canonical field, NULL = unmapped */
	enum profile_field value_field;     /* stage, event or position */
	struct profile_value_table *values; /* canonical values + the profile's mapping */
	enum source source;                 /* where the profile names it */
	enum stream stream;
	enum profile_format format;         /* FORMAT_CSV unless "format" says otherwise */
	/* CSV only (an annotation stream keeps the defaults): */
	char delimiter;                     /* the stream's, else the profile's */
	char decimal;                       /* '.' (default) or ',' */
	enum profile_encoding encoding;
	enum profile_time time;             /* how onset and time are written */
	bool trim;                          /* spaces around header names and values removed */
};

struct profile {
	double epoch_seconds;               /* > 0 */
	char delimiter;                     /* default ',' */
	bool unknown_unscored;              /* on_unknown_value: "unscored" (else "error") */
	struct profile_stream streams[SOURCE_COUNT][STREAM_COUNT];
};

/* Read and validate the profile at `path` (named as given in messages). NULL on failure. The
 * caller frees with profile_free(). */
struct profile *profile_load(const char *path, struct err *e);
/* The same from text already in memory: len bytes followed by a NUL (text[len] == 0); `name` is
 * used in messages. */
struct profile *profile_parse(const char *text, size_t len, const char *name, struct err *e);
void profile_free(struct profile *p);

/* The stream of `source` or NULL when the profile does not name it. */
const struct profile_stream *profile_stream(const struct profile *p, enum source source,
					    enum stream stream);

/* The canonical value (enum stage / event / position) of the raw value s (len bytes): mapped values
 * translate, canonical ones pass unchanged (an explicit mapping wins). -1 when unknown. */
int profile_value(const struct profile_stream *s, const char *raw, size_t len);

/* The stream is CSV in the default dialect: UTF-8, '.' decimals, seconds, no trimming (the
 * delimiter may be any). The shard's fast path reads only such streams. */
bool profile_stream_plain(const struct profile_stream *s);

/* "utf-8" ...; "seconds" "clock" "datetime"; "csv" "nsrr-xml" "profusion-xml" "edf+". */
const char *profile_encoding_name(enum profile_encoding enc);
const char *profile_time_name(enum profile_time t);
const char *profile_format_name(enum profile_format f);

/* "onset", "duration", "stage", "event", "time", "position", "motion". */
const char *profile_field_name(enum profile_field f);

#endif
