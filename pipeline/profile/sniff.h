/*
 * sniff.h — what a CSV export looks like, worked out from its bytes, for `nightfan profile init`:
 * its dialect (SPEC §1, "Export dialects": encoding, delimiter, decimal mark, spaces to trim) and,
 * per column, what its values are (numbers, clock times, date-times, increasing or not, the step
 * between rows, the distinct values and how often each occurs).
 *
 * Not here: deciding which column is which field (pipeline/profile/draft.c), what a raw value means
 * (pipeline/profile/vocab.c). The text is converted with the shard's decoder (shard/dialect.h) and parsed
 * with the shard's CSV reader (common/csv.h), so what is sniffed is what the shard will read.
 */
#ifndef NIGHTFAN_SNIFF_H
#define NIGHTFAN_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "profile.h"

/* A file larger than this is not sniffed (read whole into memory). */
#define SNIFF_MAX_BYTES (256L * 1024 * 1024)
/* A column with more distinct values than this holds no labels: its values are not kept. */
#define SNIFF_MAX_DISTINCT 200

struct sniff_value {
	char *text;                 /* as in the file after decoding (and trimming), NUL-terminated */
	long count;
};

enum sniff_kind {
	SNIFF_EMPTY,                /* no value at all */
	SNIFF_NUMBER,               /* every value a number (in the file's decimal mark) */
	SNIFF_CLOCK,                /* every value HH:MM:SS[.fff] */
	SNIFF_DATETIME,             /* every value YYYY-MM-DD[T ]HH:MM:SS[.fff] */
	SNIFF_TEXT,                 /* anything else */
};

struct sniff_column {
	char *name;                 /* the header field (trimmed when the file is) */
	enum sniff_kind kind;
	bool integers;              /* NUMBER: every value a whole number */
	bool increasing;            /* NUMBER/CLOCK/DATETIME: each row later than the one before
	                               (a clock time may pass midnight once) */
	double step;                /* the most common difference between consecutive rows (seconds for
	                               times), 0 when fewer than 2 values */
	struct sniff_value *values; /* distinct values in first-seen order; NULL when too many */
	size_t n_values;
	long n;                     /* non-empty values */
};

struct sniff_csv {
	enum profile_encoding encoding;
	char delimiter;             /* , ; TAB | */
	char decimal;               /* '.' or ',' */
	bool trim;                  /* a header field or value has spaces around it */
	long rows;                  /* data rows */
	struct sniff_column *columns;
	size_t n_columns;
};

/* Sniff the file at `path` (named `name` in messages) into *out (zeroed first). 0, or -1 with e
 * filled (unreadable, too large, not CSV the shard could read: the CSV reader's message); free *out
 * with sniff_free() either way. */
int sniff_csv(const char *path, const char *name, struct sniff_csv *out, struct err *e);
void sniff_free(struct sniff_csv *s);

#endif
