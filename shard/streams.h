/*
 * streams.h — reading one night's streams (SPEC §1) from CSV into canonical, per-epoch form.
 *
 * Owns the meaning of the rows: columns found by header name through the profile, numbers parsed,
 * raw values mapped, hypnogram rows checked to be consecutive epochs, respiratory events collected,
 * position samples (or intervals) aggregated per epoch as they are parsed, so memory grows with the
 * number of epochs, never with the position file. The CSV syntax is common/csv.c; the bytes come
 * through shard/input.c; what the epochs add up to is shard/epochs.c.
 *
 * Every error names the file as the profile names it, the line the record starts on and the field
 * number of the column it is about.
 */
#ifndef NIGHTFAN_SHARD_STREAMS_H
#define NIGHTFAN_SHARD_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "annot.h"
#include "canon.h"
#include "csv.h"
#include "err.h"
#include "input.h"
#include "profile.h"

/* Onsets that should fall on the epoch grid may be off by this much (exports round to ms). */
#define STREAMS_TIME_TOLERANCE 0.001
/* A hypnogram longer than this many epochs is refused (bounded memory; ~1 year of 30 s epochs). */
#define STREAMS_MAX_EPOCHS (1L << 20)
/* A respiratory stream with more events than this is refused (bounded memory; real nights have a
 * few hundred). */
#define STREAMS_MAX_EVENTS (1L << 20)

/* The time clock times and date-times count from (SPEC §1): the labels hypnogram's first row,
 * set when that row is read. */
struct streams_reference {
	bool set;
	long day;                    /* datetime: days since 1970-01-01; clock: 0 */
	double seconds;              /* since that day's midnight */
};

/* Where a night's files are. */
struct streams_night {
	const char *root;            /* input root as given */
	const char *night;           /* checked night id */
	const struct profile *profile;
	struct streams_reference *reference; /* the night's (zeroed by the caller); NULL when no stream
	                                        writes clock times or date-times */
	struct annot_cache *annotations;     /* annotation files read so far (the caller's, freed with
	                                        annot_cache_free); several streams may share a file */
};

/* What was read from one file: night.json's "inputs" and "unmapped". */
struct streams_file_info {
	const char *file;            /* the profile's name for it (not owned) */
	struct input_digest digest;
	long rows;                   /* data rows, header excluded */
	long unmapped;               /* raw values handled by on_unknown_value: unscored */
};

/* One source's hypnogram: the epoch grid t0 + k × epoch_seconds, k < n. */
struct hypnogram {
	double t0;                   /* onset of the first row, 0 when onset is unmapped */
	size_t n;
	uint8_t *stages;             /* n enum stage (owned) */
	size_t cap;
};

/* A respiratory event as read (placing it on a grid is epochs.c's job). */
struct raw_event {
	double onset;
	long line;                   /* for messages */
	int32_t column;              /* field number of the onset column, for messages; -1: an EDF+
	                                annotation, whose `line` is its data record (0: unknown) */
	uint8_t type;                /* enum event */
	double duration;             /* seconds, >= 0 */
};

struct event_list {
	const char *file;            /* where the events came from (not owned) */
	struct raw_event *items;     /* owned */
	size_t n, cap;
};

/* Position aggregated over the epochs of one grid. */
struct position_epochs {
	double t0, epoch_seconds;
	size_t n;
	double (*weight)[POS_COUNT];  /* per epoch: samples (or seconds covered, for intervals) per position */
	double *motion_sum;           /* per epoch */
	uint32_t *motion_count;       /* per epoch */
	double per_second;            /* 1 / epoch_seconds: only to estimate a sample's epoch */
};

/* The three readers below zero their output struct first and fill *info (file, digest, rows,
 * unmapped) as they read. 0, or -1 with *e naming the file (and line:column when a row is at
 * fault). After -1 the output struct may hold what was read before the failure: the caller still
 * releases it with its streams_*_free(), exactly as after 0 (safe on a partly filled one), and
 * *info's counts are those of the rows read so far. */

/* Read a hypnogram stream into *h (zeroed first). 0 or -1. */
int streams_read_hypnogram(const struct streams_night *night, const struct profile_stream *s,
			   struct hypnogram *h, struct streams_file_info *info, struct err *e);
/* Read a respiratory stream into *events (zeroed first); unknown values under "unscored" are
 * skipped and counted. Onsets are not yet checked against a grid. 0 or -1. */
int streams_read_respiratory(const struct streams_night *night, const struct profile_stream *s,
			     struct event_list *events, struct streams_file_info *info, struct err *e);
/* Read a position stream, aggregating it over the grid of `grid` into *pos (allocated here).
 * Samples outside the grid are ignored. 0 or -1. */
int streams_read_position(const struct streams_night *night, const struct profile_stream *s,
			  const struct hypnogram *grid, double epoch_seconds, struct position_epochs *pos,
			  struct streams_file_info *info, struct err *e);

/* The data rows of a CSV stream as the readers above see them — decoded, trimmed, clock times and
 * date-times turned into seconds since the reference, decimal commas into points — for a caller
 * that wants the rows themselves (a profile check, a preview). fields[f] is NULL for a field the
 * profile does not map; values are raw (profile_value() maps them). Valid during the call. */
struct streams_row {
	long line;
	const struct csv_field *fields[FIELD_COUNT];
};
typedef int (*streams_row_fn)(void *ctx, const struct streams_row *row, struct err *e);
/* Read a CSV stream (s->format == FORMAT_CSV) row by row through fn. A stream with clock times or
 * date-times needs the night's reference set: read the labels hypnogram first. 0 or -1. */
int streams_read_rows(const struct streams_night *night, const struct profile_stream *s, streams_row_fn fn,
		      void *ctx, struct streams_file_info *info, struct err *e);

void streams_hypnogram_free(struct hypnogram *h);
void streams_events_free(struct event_list *events);
void streams_position_free(struct position_epochs *pos);

#endif
