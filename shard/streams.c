/*
 * streams.c — the three stream readers of SPEC §1 (see streams.h).
 *
 * All three share one table reader: the CSV header resolves each mapped canonical field to a
 * column, then every data row goes to the stream's row function with its fields. Numbers go
 * through numparse (exact, no copy); raw values through the profile's hash table behind a
 * one-entry cache (a position stream repeats the same value for thousands of rows).
 */
#include "streams.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dialect.h"
#include "numfmt.h"
#include "numparse.h"
#include "utf8.h"

#define SHOWN_VALUE_MAX 40
#define CACHED_VALUE_MAX 64
#define VALUE_SKIP (-2)
#define BULK_FIELDS_MAX 16 /* wider position files go record by record */

/* A stream's data-row function: ctx is the struct table, called by the CSV reader directly. */
typedef csv_record_fn row_fn;

struct table {
	const struct streams_night *night;
	const struct profile_stream *stream;
	struct streams_file_info *info;
	int col[FIELD_COUNT];             /* 0-based field index per canonical field, -1 unmapped */
	row_fn row;
	csv_bulk_fn bulk;                 /* the stream's plain-record function, or NULL */
	void *target;
	struct csv_reader *csv;
	char cached_raw[CACHED_VALUE_MAX]; /* the last raw value looked up, and its answer */
	size_t cached_len;
	int cached_value;
	/* a non-default dialect (profile_stream_plain() false): every record is rewritten into conv
	 * (the default dialect) before row sees it; raw is the record as read, for messages */
	struct csv_field *conv;
	size_t n_conv;
	const struct csv_field *raw;
	char num[FIELD_COUNT][NUMFMT_MAX + 32]; /* rewritten numbers */
};

/* ---- messages ---- */

/* The raw text of a field for a message (common/utf8.h: controls, quotes, backslashes and bytes that
 * are not UTF-8 as \xNN), cut between characters to at most SHOWN_VALUE_MAX + 3 bytes. */
static const char *shown(const struct csv_field *f, char *buf, size_t size)
{
	return utf8_shown(buf, size, f->ptr, f->len, UTF8_ESC_CONTROL);
}

/* Out of line and cold: the row functions that may call it run ~100,000 times a night. */
static __attribute__((noinline, cold)) int field_error(struct table *t, enum profile_field field, long line,
						       const struct csv_field *f, const char *expected, struct err *e)
{
	char got[SHOWN_VALUE_MAX + 4];

	if (t->raw && f >= t->conv && f < t->conv + t->n_conv) /* show the value as the file writes it */
		f = &t->raw[f - t->conv];
	return ERR_AT(e, t->info->file, line, t->col[field] + 1, "expected %s for \"%s\", got \"%s\"", expected,
		      t->stream->columns[field], shown(f, got, sizeof(got)));
}

static __attribute__((cold)) void append_hint(struct err *e, const char *hint)
{
	size_t len = strlen(e->message);

	snprintf(e->message + len, sizeof(e->message) - len, "%s", hint);
}

/* ---- fields ---- */

/* A number of seconds; negative ones refused when nonneg. Inlined: called per position row. */
static inline __attribute__((always_inline)) int seconds_of(struct table *t, const struct csv_field *fields, enum profile_field field, long line,
		      bool nonneg, double *out, struct err *e)
{
	const struct csv_field *f = &fields[t->col[field]];

	if (numparse_double(f->ptr, f->len, out) < 0)
		return field_error(t, field, line, f, "a number of seconds", e);
	if (nonneg && *out < 0)
		return field_error(t, field, line, f, "a non-negative number of seconds", e);
	return 0;
}

static const char *vocabulary(enum profile_field f)
{
	return f == FIELD_STAGE ? "a stage (W, N1, N2, N3, R, ?)"
	       : f == FIELD_EVENT ? "an event (OA, CA, MA, A, H, RERA)"
				  : "a position (supine, prone, left, right, upright, unknown)";
}

static int unscored_value(enum profile_field f)
{
	return f == FIELD_STAGE ? STAGE_UNSCORED : f == FIELD_POSITION ? POS_UNKNOWN : VALUE_SKIP;
}

/* memcmp(a, b, len) == 0, without a call for the short raw values of a position stream: two
 * overlapping 4- or 8-byte loads compare 4..16 bytes. */
static inline bool same_bytes(const char *a, const char *b, size_t len)
{
	uint32_t a4, b4, a4_end, b4_end;
	uint64_t a8, b8, a8_end, b8_end;

	if (len >= 4 && len <= 8) {
		memcpy(&a4, a, 4), memcpy(&b4, b, 4);
		memcpy(&a4_end, a + len - 4, 4), memcpy(&b4_end, b + len - 4, 4);
		return a4 == b4 && a4_end == b4_end;
	}
	if (len > 8 && len <= 16) {
		memcpy(&a8, a, 8), memcpy(&b8, b, 8);
		memcpy(&a8_end, a + len - 8, 8), memcpy(&b8_end, b + len - 8, 8);
		return a8 == b8 && a8_end == b8_end;
	}
	return memcmp(a, b, len) == 0;
}

/* value_of() when the cache misses: the profile's hash table, then the cache updated. Out of line
 * (with the error it may build), so that the per-row functions stay small. */
static __attribute__((noinline)) int value_lookup(struct table *t, const struct csv_field *f, long line,
						  struct err *e)
{
	enum profile_field field = t->stream->value_field;
	int v = profile_value(t->stream, f->ptr, f->len);

	if (v < 0) {
		char expected[160];
		if (!t->night->profile->unknown_unscored) {
			snprintf(expected, sizeof(expected), "%s or a raw value the profile maps", vocabulary(field));
			field_error(t, field, line, f, expected, e);
			if (t->stream->encoding == ENCODING_UTF8 && dialect_utf8_invalid(f->ptr, f->len) >= 0)
				append_hint(e, " (not UTF-8 text: set \"encoding\" to the file's, e.g. \"latin-1\")");
			return -1;
		}
		t->info->unmapped++;
		return unscored_value(field); /* not cached: every unknown value is counted */
	}
	if (f->len <= sizeof(t->cached_raw)) {
		memcpy(t->cached_raw, f->ptr, f->len);
		t->cached_len = f->len;
		t->cached_value = v;
	}
	return v;
}

/* The canonical value of the stream's value field in this row; VALUE_SKIP for an unknown event
 * under "unscored"; -1 on error. */
static inline __attribute__((always_inline)) int value_of(struct table *t, const struct csv_field *fields, long line, struct err *e)
{
	const struct csv_field *f = &fields[t->col[t->stream->value_field]];

	if (f->len == t->cached_len && same_bytes(f->ptr, t->cached_raw, f->len))
		return t->cached_value;
	return value_lookup(t, f, line, e);
}

/* ---- the table reader ---- */

static bool is_column(const struct csv_field *f, const char *name)
{
	return f->len == strlen(name) && memcmp(f->ptr, name, f->len) == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static struct csv_field trimmed(const struct csv_field *f)
{
	struct csv_field out = *f;

	while (out.len && is_space(out.ptr[0]))
		out.ptr++, out.len--;
	while (out.len && is_space(out.ptr[out.len - 1]))
		out.len--;
	return out;
}

#define HEADER_SHOWN_MAX 12

/* What a missing-column message adds about the header: the fields found, or what the first line
 * looks like when it is not UTF-8 text, and a header name that would match with "trim". */
static __attribute__((cold)) void header_found(const struct table *t, const struct csv_record *header,
					       const char *name, char *buf, size_t size)
{
	char one[4 * SHOWN_VALUE_MAX + 8];
	size_t at = 0;
	long bad = -1;

	buf[0] = '\0';
	for (size_t i = 0; i < header->n_fields && t->stream->encoding == ENCODING_UTF8; i++) {
		const struct csv_field *f = &header->fields[i];
		if (memchr(f->ptr, '\0', f->len)) {
			snprintf(buf, size, "; the first line looks like UTF-16 (NUL bytes): set \"encoding\": \"utf-16\"");
			return;
		}
		long off = dialect_utf8_invalid(f->ptr, f->len);
		if (bad < 0 && off >= 0)
			bad = (unsigned char)f->ptr[off];
	}
	at += snprintf(buf + at, size - at, "; the header has");
	for (size_t i = 0; i < header->n_fields && i < HEADER_SHOWN_MAX && at < size; i++)
		at += snprintf(buf + at, size - at, "%s \"%s\"", i ? "," : "", shown(&header->fields[i], one, sizeof(one)));
	if (header->n_fields > HEADER_SHOWN_MAX && at < size)
		at += snprintf(buf + at, size - at, ", ... (%zu fields)", header->n_fields);
	if (bad >= 0 && at < size)
		at += snprintf(buf + at, size - at,
			       "; the first line is not UTF-8 (byte 0x%02lx): set \"encoding\" to the file's (\"latin-1\", \"windows-1252\", \"utf-16\")",
			       bad);
	for (size_t i = 0; i < header->n_fields && !t->stream->trim && at < size; i++) {
		struct csv_field f = trimmed(&header->fields[i]);
		if (f.len != header->fields[i].len && is_column(&f, name)) {
			snprintf(buf + at, size - at, "; \"%s\" matches with \"trim\": true",
				 shown(&header->fields[i], one, sizeof(one)));
			break;
		}
	}
}

/* A mapped column must appear exactly once: with two of that name, which one holds the field is
 * anybody's guess. Unmapped columns may repeat. */
static int resolve_columns(struct table *t, const struct csv_record *header, struct err *e)
{
	for (int field = 0; field < FIELD_COUNT; field++) {
		const char *name = t->stream->columns[field];
		t->col[field] = -1;
		if (!name)
			continue;
		for (size_t i = 0; i < header->n_fields; i++) {
			if (!is_column(&header->fields[i], name))
				continue;
			if (t->col[field] >= 0)
				return ERR_AT(e, t->info->file, header->line, (long)i + 1,
					      "column \"%s\" appears twice (fields %d and %zu); expected it once",
					      name, t->col[field] + 1, i + 1);
			t->col[field] = (int)i;
		}
		if (t->col[field] < 0) {
			char found[ERR_MSG_MAX / 2];
			header_found(t, header, name, found, sizeof(found));
			return ERR_AT(e, t->info->file, header->line, 0, "missing column \"%s\" (the profile maps %s to it)%s",
				      name, profile_field_name((enum profile_field)field), found);
		}
	}
	return 0;
}

/* ---- a non-default dialect: each record rewritten into the default one ---- */

/* A clock time or date-time (decimal commas allowed in its seconds) as seconds since the
 * reference, written into the field as a number. The labels hypnogram's first row sets the
 * reference; a clock time before it is on the next day. */
static int time_field(struct table *t, enum profile_field field, long line, struct csv_field *f, struct err *e)
{
	struct streams_reference *ref = t->night->reference;
	const struct profile_stream *s = t->stream;
	bool clock = s->time == TIME_CLOCK;
	char *text = t->num[field];
	long day = 0;
	double seconds, rel;
	int rc = -1;

	if (f->len < sizeof(t->num[field])) {
		memcpy(text, f->ptr, f->len);
		for (size_t i = 0; s->decimal == ',' && i < f->len; i++)
			text[i] = text[i] == ',' ? '.' : text[i] == '.' ? 'x' : text[i];
		rc = clock ? dialect_parse_clock(text, f->len, &seconds) : dialect_parse_datetime(text, f->len, &day, &seconds);
	}
	if (rc < 0)
		return field_error(t, field, line, f,
				   clock ? "a clock time HH:MM:SS[.fff]" : "a date-time YYYY-MM-DD HH:MM:SS[.fff]", e);
	if (!ref || (!ref->set && !(s->source == SOURCE_LABELS && s->stream == STREAM_HYPNOGRAM)))
		return ERR_AT(e, t->info->file, line, t->col[field] + 1,
			      "no reference time: the labels hypnogram's first row must be read first");
	if (!ref->set) {
		ref->set = true;
		ref->day = day;
		ref->seconds = seconds;
	}
	rel = (double)(day - ref->day) * DIALECT_DAY_SECONDS + (seconds - ref->seconds);
	if (clock && rel < 0)
		rel += DIALECT_DAY_SECONDS; /* past midnight */
	if (rel < 0)
		return field_error(t, field, line, f, "a date-time not before the labels hypnogram's first row", e);
	f->len = numfmt_double(rel, text);
	f->ptr = text;
	return 0;
}

/* A number with a decimal comma, written with a point. */
static int comma_field(struct table *t, enum profile_field field, long line, struct csv_field *f, struct err *e)
{
	char *text = t->num[field];

	if (memchr(f->ptr, '.', f->len) || f->len >= sizeof(t->num[field]))
		return field_error(t, field, line, f, "a number with a decimal comma", e);
	for (size_t i = 0; i < f->len; i++)
		text[i] = f->ptr[i] == ',' ? '.' : f->ptr[i];
	f->ptr = text;
	return 0;
}

static int dialect_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	const struct profile_stream *s = t->stream;
	struct csv_record out = *rec;
	int rc;

	for (size_t i = 0; i < rec->n_fields; i++)
		t->conv[i] = s->trim ? trimmed(&rec->fields[i]) : rec->fields[i];
	t->raw = rec->fields;
	for (int field = 0; field < FIELD_COUNT; field++) {
		struct csv_field *f = t->col[field] >= 0 ? &t->conv[t->col[field]] : NULL;
		if (!f || field == (int)s->value_field)
			continue;
		if ((field == FIELD_ONSET || field == FIELD_TIME) && s->time != TIME_SECONDS)
			rc = time_field(t, (enum profile_field)field, rec->line, f, e);
		else if (s->decimal == ',' && f->len)
			rc = comma_field(t, (enum profile_field)field, rec->line, f, e);
		else
			rc = 0;
		if (rc < 0)
			return -1;
	}
	out.fields = t->conv;
	rc = t->row(t, &out, e);
	t->raw = NULL;
	return rc;
}

/* The header: resolve the columns, then hand every data record to the stream's row function
 * (through dialect_row when the dialect is not the default). */
static int on_header(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	struct csv_record header = *rec;

	if (!profile_stream_plain(t->stream)) {
		if (!(t->conv = calloc(rec->n_fields, sizeof(*t->conv))))
			return ERR(e, "out of memory");
		t->n_conv = rec->n_fields;
		for (size_t i = 0; i < rec->n_fields; i++)
			t->conv[i] = t->stream->trim ? trimmed(&rec->fields[i]) : rec->fields[i];
		header.fields = t->conv;
	}
	if (resolve_columns(t, &header, e) < 0)
		return -1;
	if (t->conv) {
		csv_set_record_fn(t->csv, dialect_row, t);
		return 0;
	}
	csv_set_record_fn(t->csv, t->row, t);
	if (t->bulk && rec->n_fields <= BULK_FIELDS_MAX)
		csv_set_bulk_fn(t->csv, t->bulk, t);
	return 0;
}

static int on_chunk(void *ctx, const char *buf, size_t len, struct err *e)
{
	struct table *t = ctx;

	return csv_feed(t->csv, buf, len, e);
}

static int read_table(const struct streams_night *night, const struct profile_stream *s, row_fn row,
		      csv_bulk_fn bulk, void *target, struct streams_file_info *info, struct err *e)
{
	struct table t = {.night = night, .stream = s, .info = info, .row = row, .bulk = bulk, .target = target,
			  .cached_len = SIZE_MAX};
	int rc;

	struct dialect_decoder *decoder = NULL;

	memset(info, 0, sizeof(*info));
	info->file = s->file;
	if (s->format != FORMAT_CSV)
		return ERR_AT(e, s->file, 0, 0, "not a CSV stream (\"format\": \"%s\")", profile_format_name(s->format));
	t.csv = csv_new(s->file, s->delimiter, 0, on_header, &t, e);
	if (!t.csv)
		return -1;
	if (s->encoding != ENCODING_UTF8 && !(decoder = dialect_decoder_new(s->encoding, s->file, on_chunk, &t, e))) {
		csv_free(t.csv);
		return -1;
	}
	if (decoder)
		rc = input_read(night->root, night->night, s->file, dialect_decode, decoder, &info->digest, e);
	else
		rc = input_read(night->root, night->night, s->file, on_chunk, &t, &info->digest, e);
	if (rc == 0 && decoder)
		rc = dialect_decode_finish(decoder, e);
	if (rc == 0)
		rc = csv_finish(t.csv, e);
	info->rows = csv_data_records(t.csv);
	csv_free(t.csv);
	dialect_decoder_free(decoder);
	free(t.conv);
	return rc;
}

static int annotation_hypnogram(const struct streams_night *night, const struct profile_stream *s,
				struct hypnogram *h, struct streams_file_info *info, struct err *e);
static int annotation_events(const struct streams_night *night, const struct profile_stream *s,
			     struct event_list *events, struct streams_file_info *info, struct err *e);
static int annotation_intervals(const struct streams_night *night, const struct profile_stream *s,
				struct position_epochs *pos, struct streams_file_info *info, struct err *e);

/* ---- hypnogram ---- */

struct hypnogram_target {
	struct hypnogram *h;
	double epoch_seconds;
};

static int append_epochs(struct hypnogram *h, int stage, size_t count, const char *file, long line, struct err *e)
{
	if (h->n + count > (size_t)STREAMS_MAX_EPOCHS)
		return ERR_AT(e, file, line, 0, "hypnogram longer than %ld epochs", STREAMS_MAX_EPOCHS);
	if (h->n + count > h->cap) {
		size_t cap = h->cap ? h->cap : 1024;
		uint8_t *stages;
		while (cap < h->n + count)
			cap *= 2;
		if (!(stages = realloc(h->stages, cap)))
			return ERR(e, "out of memory");
		h->stages = stages;
		h->cap = cap;
	}
	memset(h->stages + h->n, stage, count);
	h->n += count;
	return 0;
}

/* How many epochs a row's duration spans into *count (1 when duration is unmapped). 0 or -1. */
static int epochs_in_row(struct table *t, const struct csv_field *f, long line, double epoch_seconds,
			 size_t *count, struct err *e)
{
	const struct csv_field *cell;
	double duration, epochs;
	char expected[96];

	*count = 1;
	if (t->col[FIELD_DURATION] < 0)
		return 0;
	cell = &f[t->col[FIELD_DURATION]];
	snprintf(expected, sizeof(expected), "a duration that is a positive multiple of %g s", epoch_seconds);
	if (numparse_double(cell->ptr, cell->len, &duration) < 0)
		return field_error(t, FIELD_DURATION, line, cell, expected, e);
	epochs = round(duration / epoch_seconds);
	if (epochs < 1 || fabs(epochs * epoch_seconds - duration) > STREAMS_TIME_TOLERANCE)
		return field_error(t, FIELD_DURATION, line, cell, expected, e);
	if (epochs > STREAMS_MAX_EPOCHS) { /* a whole number of epochs, past what a night may hold */
		char limit[NUMFMT_MAX];
		numfmt_double((double)STREAMS_MAX_EPOCHS * epoch_seconds, limit);
		snprintf(expected, sizeof(expected), "a duration of at most %ld epochs of %g s (%s s)",
			 STREAMS_MAX_EPOCHS, epoch_seconds, limit);
		return field_error(t, FIELD_DURATION, line, cell, expected, e);
	}
	*count = (size_t)epochs;
	return 0;
}

/* The row's onset must be where the previous rows end: t0 + epochs so far × epoch length. */
static int check_onset(struct table *t, const struct csv_field *f, long line, struct hypnogram *h,
		       double epoch_seconds, struct err *e)
{
	double onset, expected;
	char want[96], number[NUMFMT_MAX];

	if (t->col[FIELD_ONSET] < 0)
		return 0;
	if (seconds_of(t, f, FIELD_ONSET, line, true, &onset, e) < 0)
		return -1;
	if (h->n == 0) {
		h->t0 = onset;
		return 0;
	}
	expected = h->t0 + (double)h->n * epoch_seconds;
	if (fabs(onset - expected) > STREAMS_TIME_TOLERANCE) {
		numfmt_double(expected, number);
		snprintf(want, sizeof(want), "onset %s (consecutive epochs: where the previous rows end)", number);
		return field_error(t, FIELD_ONSET, line, &f[t->col[FIELD_ONSET]], want, e);
	}
	return 0;
}

static int hypnogram_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	const struct csv_field *f = rec->fields;
	long line = rec->line;
	struct hypnogram_target *target = t->target;
	size_t count;
	int stage;

	if (check_onset(t, f, line, target->h, target->epoch_seconds, e) < 0)
		return -1;
	if (epochs_in_row(t, f, line, target->epoch_seconds, &count, e) < 0)
		return -1;
	if ((stage = value_of(t, f, line, e)) < 0)
		return -1;
	return append_epochs(target->h, stage, count, t->info->file, line, e);
}

int streams_read_hypnogram(const struct streams_night *night, const struct profile_stream *s,
			   struct hypnogram *h, struct streams_file_info *info, struct err *e)
{
	struct hypnogram_target target = {h, night->profile->epoch_seconds};

	memset(h, 0, sizeof(*h));
	if (s->format != FORMAT_CSV)
		return annotation_hypnogram(night, s, h, info, e);
	if (read_table(night, s, hypnogram_row, NULL, &target, info, e) < 0)
		return -1;
	if (h->n == 0)
		return ERR_AT(e, s->file, 0, 0, "no epochs: expected at least one row after the header");
	return 0;
}

/* ---- rows, for callers other than the readers above ---- */

struct rows_target {
	streams_row_fn fn;
	void *ctx;
};

static int any_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	struct rows_target *target = t->target;
	struct streams_row row = {.line = rec->line};

	for (int f = 0; f < FIELD_COUNT; f++)
		row.fields[f] = t->col[f] >= 0 ? &rec->fields[t->col[f]] : NULL;
	return target->fn(target->ctx, &row, e);
}

int streams_read_rows(const struct streams_night *night, const struct profile_stream *s, streams_row_fn fn,
		      void *ctx, struct streams_file_info *info, struct err *e)
{
	struct rows_target target = {fn, ctx};

	return read_table(night, s, any_row, NULL, &target, info, e);
}

void streams_hypnogram_free(struct hypnogram *h)
{
	free(h->stages);
	memset(h, 0, sizeof(*h));
}

/* ---- respiratory ---- */

static int respiratory_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	const struct csv_field *f = rec->fields;
	long line = rec->line;
	struct event_list *events = t->target;
	double onset, duration;
	int type;

	if (seconds_of(t, f, FIELD_ONSET, line, true, &onset, e) < 0 ||
	    seconds_of(t, f, FIELD_DURATION, line, true, &duration, e) < 0)
		return -1;
	if ((type = value_of(t, f, line, e)) == VALUE_SKIP)
		return 0;
	if (type < 0)
		return -1;
	if (events->n == (size_t)STREAMS_MAX_EVENTS)
		return ERR_AT(e, t->info->file, line, 0, "more than %ld events", STREAMS_MAX_EVENTS);
	if (events->n == events->cap) {
		size_t cap = events->cap ? events->cap * 2 : 256;
		struct raw_event *items = realloc(events->items, cap * sizeof(*items));
		if (!items)
			return ERR(e, "out of memory");
		events->items = items;
		events->cap = cap;
	}
	events->items[events->n++] = (struct raw_event){onset, line, t->col[FIELD_ONSET] + 1, (uint8_t)type, duration};
	return 0;
}

int streams_read_respiratory(const struct streams_night *night, const struct profile_stream *s,
			     struct event_list *events, struct streams_file_info *info, struct err *e)
{
	memset(events, 0, sizeof(*events));
	events->file = s->file;
	if (s->format != FORMAT_CSV)
		return annotation_events(night, s, events, info, e);
	return read_table(night, s, respiratory_row, NULL, events, info, e);
}

void streams_events_free(struct event_list *events)
{
	free(events->items);
	memset(events, 0, sizeof(*events));
}

/* ---- position ---- */

static void add_motion(struct position_epochs *pos, size_t k, bool has_motion, double motion)
{
	if (has_motion) {
		pos->motion_sum[k] += motion;
		pos->motion_count[k]++;
	}
}

#define ESTIMATE_MAX 1e7     /* estimates below this are within 1e-8 of the quotient */
#define ESTIMATE_MARGIN 1e-6 /* closer than this to a whole number: divide */

/* The epoch a sample at `time` falls in, (size_t)((time - t0) / epoch_seconds), or -1 outside
 * [0, n). The division is the longest dependency chain of a position row, so the quotient is first
 * estimated by multiplying with 1 / epoch_seconds; only an estimate within ESTIMATE_MARGIN of a
 * whole number, where the two could fall in different epochs, is settled by the division. */
static inline long epoch_of_sample(const struct position_epochs *pos, double time)
{
	double offset = time - pos->t0, estimate = offset * pos->per_second, rel;

	if (estimate >= 0 && estimate < ESTIMATE_MAX) {
		long k = (long)estimate;
		double frac = estimate - (double)k;
		if (frac > ESTIMATE_MARGIN && frac < 1 - ESTIMATE_MARGIN)
			return k < (long)pos->n ? k : -1;
	}
	rel = offset / pos->epoch_seconds;
	if (rel < 0 || rel >= (double)pos->n)
		return -1;
	return (long)rel;
}

/*
 * The same epoch as epoch_of_sample(time) for a time read by numparse_swar_decimal (digits =
 * time * 10^frac, the usual case), without the division that makes it a double: a division is ~15
 * cycles on the dependency chain of every position row. digits * (per_second / 10^frac) - t0 *
 * per_second is within ~1e-8 of the exact quotient while both terms are below ESTIMATE_MAX
 * (three roundings of 2^-53 each, relative to them), so away from a whole number it falls in the
 * same epoch; near one, or for larger terms, the time is made exactly as numparse makes it and
 * epoch_of_sample decides.
 */
struct sample_target {
	struct position_epochs *pos;
	double t0_epochs;         /* t0 * per_second */
	double per_digit_unit[8]; /* per_second / 10^f: a time's digits with f after the point → epochs */
	/* The run: samples come in time order as a rule, ~120 to an epoch, so they are added to
	 * these, and an epoch's arrays are read and written once per run of its samples, not once
	 * per sample (measured: ~2 % of the night's CPU). */
	long run_epoch;                 /* the epoch below belongs to; -1: none yet */
	uint32_t run_count[POS_COUNT];  /* samples per position in this run */
	double run_motion_sum;          /* the epoch's motion_sum, with this run's samples added */
	uint32_t run_motion_count;      /* the epoch's motion_count, likewise */
};

static void sample_target_init(struct sample_target *st, struct position_epochs *pos)
{
	memset(st, 0, sizeof(*st));
	st->pos = pos;
	st->t0_epochs = pos->t0 * pos->per_second;
	for (size_t f = 0; f < sizeof(st->per_digit_unit) / sizeof(st->per_digit_unit[0]); f++)
		st->per_digit_unit[f] = pos->per_second / numparse_pow10[f];
	st->run_epoch = -1;
}

/* The run's samples into the epoch's arrays. Counts of 1 added to a whole-valued double are exact
 * in any grouping, and the motion sum was carried on from the array, so the arrays end exactly
 * as if every sample had been added to them one by one, in order. */
static void run_flush(struct sample_target *st)
{
	struct position_epochs *pos = st->pos;
	long k = st->run_epoch;

	if (k < 0)
		return;
	for (int p = 0; p < POS_COUNT; p++)
		pos->weight[k][p] += st->run_count[p];
	pos->motion_sum[k] = st->run_motion_sum;
	pos->motion_count[k] = st->run_motion_count;
	st->run_epoch = -1;
}

static void run_start(struct sample_target *st, long k)
{
	run_flush(st);
	memset(st->run_count, 0, sizeof(st->run_count));
	st->run_motion_sum = st->pos->motion_sum[k];
	st->run_motion_count = st->pos->motion_count[k];
	st->run_epoch = k;
}

static inline long epoch_of_decimal(const struct sample_target *st, uint64_t digits, size_t frac)
{
	const struct position_epochs *pos = st->pos;
	double scaled = (double)digits * st->per_digit_unit[frac], estimate = scaled - st->t0_epochs;

	if (scaled < ESTIMATE_MAX && st->t0_epochs < ESTIMATE_MAX && estimate >= 0) {
		long k = (long)estimate;
		double rest = estimate - (double)k;
		if (rest > ESTIMATE_MARGIN && rest < 1 - ESTIMATE_MARGIN)
			return k < (long)pos->n ? k : -1;
	}
	return epoch_of_sample(pos, numparse_swar_value(digits, frac));
}

/* A sample counts once in epoch k (-1: outside the grid). */
static inline void add_sample(struct sample_target *st, long k, int position, bool has_motion, double motion)
{
	if (k < 0)
		return;
	if (k != st->run_epoch)
		run_start(st, k);
	st->run_count[position]++;
	if (has_motion) {
		st->run_motion_sum += motion;
		st->run_motion_count++;
	}
}

/* An interval weighs, in each epoch it overlaps, the seconds it covers there. */
static void add_interval(struct position_epochs *pos, double start, double duration, int position,
			 bool has_motion, double motion)
{
	double end = start + duration, first = floor((start - pos->t0) / pos->epoch_seconds);

	for (double k = first < 0 ? 0 : first; k < (double)pos->n; k++) {
		double epoch_start = pos->t0 + k * pos->epoch_seconds;
		double epoch_end = epoch_start + pos->epoch_seconds;
		double covered = (end < epoch_end ? end : epoch_end) - (start > epoch_start ? start : epoch_start);
		if (epoch_start >= end)
			break;
		if (covered <= 0)
			continue;
		pos->weight[(size_t)k][position] += covered;
		add_motion(pos, (size_t)k, has_motion, motion);
	}
}

/* The row's motion cell into *motion; *has_motion false when the stream maps no motion column or
 * the cell is empty. 0 or -1. */
static inline __attribute__((always_inline)) int motion_of(struct table *t, const struct csv_field *f, long line,
							    bool *has_motion, double *motion, struct err *e)
{
	*has_motion = false;
	if (t->col[FIELD_MOTION] < 0 || f[t->col[FIELD_MOTION]].len == 0)
		return 0;
	const struct csv_field *m = &f[t->col[FIELD_MOTION]];
	if (numparse_double(m->ptr, m->len, motion) < 0)
		return field_error(t, FIELD_MOTION, line, m, "a number (or an empty cell)", e);
	*has_motion = true;
	return 0;
}

/* A row of a stream of samples (no duration column): the epoch its time falls in counts it once.
 * Two row functions rather than one with a branch per row: this one runs ~100,000 times a night. */
static int position_sample_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	const struct csv_field *f = rec->fields, *time_field = &f[t->col[FIELD_TIME]];
	double time = 0, motion = 0;
	uint64_t digits;
	size_t frac;
	bool has_motion;
	int position;
	/* plain digits (the usual time): never negative, and the epoch needs no division (above) */
	bool plain = time_field->len - 1 < 8 &&
		     numparse_swar_decimal(time_field->ptr, time_field->len, &digits, &frac) == 0;

	if ((!plain && seconds_of(t, f, FIELD_TIME, rec->line, true, &time, e) < 0) ||
	    (position = value_of(t, f, rec->line, e)) < 0 ||
	    motion_of(t, f, rec->line, &has_motion, &motion, e) < 0)
		return -1;
	struct sample_target *st = t->target;
	add_sample(st, plain ? epoch_of_decimal(st, digits, frac) : epoch_of_sample(st->pos, time), position,
		   has_motion, motion);
	return 0;
}

/*
 * Plain position samples in bulk (csv.h): the rows position_sample_row would take without a
 * lookup or an error — a time and a motion of plain digits, the position the cache holds — added
 * exactly as it adds them. Any other row is refused before anything changes, and goes to
 * position_sample_row. The columns and the cached value are copied into locals, which the
 * compiler can keep in registers across the loop (stores to the epochs cannot touch them).
 */
struct plain_samples {
	struct sample_target *st;
	int time_col, position_col, motion_col; /* motion_col -1: no motion column */
	size_t cached_len;
	uint64_t cached_head, cached_tail;      /* the cached raw value's bytes 0-7 and 8-15, zero-padded */
	int cached_value;
	/* st's run, held here while the rows are taken; the samples taken are all at cached_value */
	long run_epoch;
	uint32_t run_taken, run_motion_count;
	double run_motion_sum;
};

/* The first min(len, 8) bytes at s (readable: CSV_PLAIN_SLACK), zero above len; len >= 1. */
static inline uint64_t word_of(const char *s, size_t len)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return len >= 8 ? w : w & (~UINT64_C(0) >> (64 - 8 * len));
}

static inline __attribute__((always_inline)) void plain_run_store(struct plain_samples *ps)
{
	struct sample_target *st = ps->st;

	st->run_count[ps->cached_value] += ps->run_taken;
	st->run_motion_sum = ps->run_motion_sum;
	st->run_motion_count = ps->run_motion_count;
	ps->run_taken = 0;
}

static inline __attribute__((always_inline)) void plain_run_load(struct plain_samples *ps)
{
	ps->run_epoch = ps->st->run_epoch;
	ps->run_motion_sum = ps->st->run_motion_sum;
	ps->run_motion_count = ps->st->run_motion_count;
	ps->run_taken = 0;
}

/* Out of line: called once per ~120 rows, and it keeps the loop's registers free. */
static __attribute__((noinline)) void run_start_cold(struct sample_target *st, long k)
{
	run_start(st, k);
}

static inline __attribute__((always_inline)) bool plain_sample(void *ctx, const struct csv_field *f)
{
	struct plain_samples *ps = ctx;
	const struct csv_field *time = &f[ps->time_col], *position = &f[ps->position_col];
	uint64_t digits, motion_digits;
	size_t frac, motion_frac;
	double motion = 0;
	bool has_motion = false;

	if (time->len - 1 >= 8 || numparse_swar_decimal_padded(time->ptr, time->len, &digits, &frac) < 0)
		return false;
	if (position->len != ps->cached_len || word_of(position->ptr, position->len) != ps->cached_head ||
	    (position->len > 8 && word_of(position->ptr + 8, position->len - 8) != ps->cached_tail))
		return false;
	if (ps->motion_col >= 0 && f[ps->motion_col].len) {
		const struct csv_field *m = &f[ps->motion_col];
		if (m->len - 1 >= 8 || numparse_swar_decimal_padded(m->ptr, m->len, &motion_digits, &motion_frac) < 0)
			return false;
		motion = numparse_swar_value(motion_digits, motion_frac);
		has_motion = true;
	}
	long k = epoch_of_decimal(ps->st, digits, frac);
	if (k < 0)
		return true;
	if (k != ps->run_epoch) {
		plain_run_store(ps);
		run_start_cold(ps->st, k);
		plain_run_load(ps);
	}
	ps->run_taken++;
	if (has_motion) {
		ps->run_motion_sum += motion;
		ps->run_motion_count++;
	}
	return true;
}

static const char *position_sample_bulk(void *ctx, const struct csv_plain_syntax *syntax, const char *p,
					const char *end, long *records)
{
	struct table *t = ctx;
	struct csv_field fields[BULK_FIELDS_MAX];
	struct plain_samples ps = {t->target, t->col[FIELD_TIME], t->col[FIELD_POSITION], t->col[FIELD_MOTION],
				   t->cached_len, 0, 0, t->cached_value, -1, 0, 0, 0};
	char raw[16] = {0};

	*records = 0;
	if (t->cached_len > 16) /* nothing cached yet (SIZE_MAX), or a value too long for two words */
		return p;
	memcpy(raw, t->cached_raw, t->cached_len);
	memcpy(&ps.cached_head, raw, 8);
	memcpy(&ps.cached_tail, raw + 8, 8);
	plain_run_load(&ps);
	p = csv_plain_records(syntax, p, end, fields, plain_sample, &ps, records);
	plain_run_store(&ps);
	return p;
}

/* A row of a stream of intervals (time and duration): each epoch it overlaps weighs the seconds. */
static int position_interval_row(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct table *t = ctx;
	const struct csv_field *f = rec->fields;
	double time, duration, motion = 0;
	bool has_motion;
	int position;

	if (seconds_of(t, f, FIELD_TIME, rec->line, true, &time, e) < 0 ||
	    seconds_of(t, f, FIELD_DURATION, rec->line, true, &duration, e) < 0 ||
	    (position = value_of(t, f, rec->line, e)) < 0 ||
	    motion_of(t, f, rec->line, &has_motion, &motion, e) < 0)
		return -1;
	add_interval(t->target, time, duration, position, has_motion, motion);
	return 0;
}

int streams_read_position(const struct streams_night *night, const struct profile_stream *s,
			  const struct hypnogram *grid, double epoch_seconds, struct position_epochs *pos,
			  struct streams_file_info *info, struct err *e)
{
	size_t n = grid->n ? grid->n : 1;
	struct sample_target samples;

	memset(pos, 0, sizeof(*pos));
	pos->t0 = grid->t0;
	pos->epoch_seconds = epoch_seconds;
	pos->per_second = 1 / epoch_seconds;
	pos->n = grid->n;
	pos->weight = calloc(n, sizeof(*pos->weight));
	pos->motion_sum = calloc(n, sizeof(*pos->motion_sum));
	pos->motion_count = calloc(n, sizeof(*pos->motion_count));
	if (!pos->weight || !pos->motion_sum || !pos->motion_count)
		return ERR(e, "out of memory");
	if (s->format != FORMAT_CSV)
		return annotation_intervals(night, s, pos, info, e);
	if (s->columns[FIELD_DURATION])
		return read_table(night, s, position_interval_row, NULL, pos, info, e);
	sample_target_init(&samples, pos);
	if (read_table(night, s, position_sample_row, position_sample_bulk, &samples, info, e) < 0)
		return -1;
	run_flush(&samples);
	return 0;
}

void streams_position_free(struct position_epochs *pos)
{
	free(pos->weight);
	free(pos->motion_sum);
	free(pos->motion_count);
	memset(pos, 0, sizeof(*pos));
}

/* ---- annotation streams (SPEC §1, "Annotation files") ----
 *
 * A stream takes the annotations whose label its values map (or that are canonical) and passes
 * over the rest: a hypnogram as runs of epochs, respiratory as events, position as intervals. */

static const struct annot_list *annotations_of(const struct streams_night *night, const struct profile_stream *s,
					       struct streams_file_info *info, struct err *e)
{
	const struct annot_list *a;

	memset(info, 0, sizeof(*info));
	info->file = s->file;
	if (!night->annotations) {
		ERR(e, "%s: no annotation cache to read it into", s->file);
		return NULL;
	}
	if (!(a = annot_cache_get(night->annotations, night->root, night->night, s->file, s->format, e)))
		return NULL;
	info->digest = a->digest;
	info->rows = (long)a->n;
	return a;
}

static int annotation_value(const struct profile_stream *s, const struct annot_list *a, size_t i)
{
	const char *label = annot_label(a, i);

	return profile_value(s, label, strlen(label));
}

/* An error about annotation i: at its XML line, or after "data record N: " for EDF+. */
static __attribute__((cold, format(printf, 4, 5))) int annotation_error(const struct annot_list *a, size_t i,
									 struct err *e, const char *fmt, ...)
{
	char what[ERR_MSG_MAX / 2], prefix[48];
	long where = a->items[i].where;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ERR_AT(e, a->file, a->format == FORMAT_EDF_PLUS ? 0 : where, 0, "%s%s",
		      annot_where_prefix(a, where, prefix, sizeof(prefix)), what);
}

static const char *label_shown(const struct annot_list *a, size_t i, char *buf, size_t size)
{
	const char *label = annot_label(a, i);
	struct csv_field f = {label, strlen(label)};

	return shown(&f, buf, size);
}

static int need_duration(const struct annot_list *a, size_t i, struct err *e)
{
	char label[4 * SHOWN_VALUE_MAX + 8];

	if (a->items[i].duration >= 0)
		return 0;
	return annotation_error(a, i, e, "expected a duration for \"%s\"", label_shown(a, i, label, sizeof(label)));
}

/* "; the file's labels are "A", "B", ..." for a stream that found none of its own. */
static void labels_found(const struct annot_list *a, char *buf, size_t size)
{
	struct annot_label_count *labels;
	struct err ignored;
	char one[4 * SHOWN_VALUE_MAX + 8];
	size_t n, at = 0;

	buf[0] = '\0';
	if (annot_labels(a, &labels, &n, &ignored) < 0 || n == 0) {
		free(labels);
		return;
	}
	at += snprintf(buf, size, "; the file's labels are");
	for (size_t i = 0; i < n && i < HEADER_SHOWN_MAX && at < size; i++) {
		struct csv_field f = {labels[i].label, strlen(labels[i].label)};
		at += snprintf(buf + at, size - at, "%s \"%s\"", i ? "," : "", shown(&f, one, sizeof(one)));
	}
	if (n > HEADER_SHOWN_MAX && at < size)
		snprintf(buf + at, size - at, ", ... (%zu labels)", n);
	free(labels);
}

static int by_onset(const void *x, const void *y, void *ctx)
{
	const struct annot_list *a = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	double oi = a->items[i].onset, oj = a->items[j].onset;

	return oi < oj ? -1 : oi > oj ? 1 : (i > j) - (i < j); /* stable: file order on ties */
}

static int stage_run(const struct profile_stream *s, const struct annot_list *a, size_t i, struct hypnogram *h,
		     double epoch_seconds, struct err *e)
{
	const struct annot_item *item = &a->items[i];
	char label[4 * SHOWN_VALUE_MAX + 8], number[NUMFMT_MAX], got[NUMFMT_MAX];
	double epochs;

	if (need_duration(a, i, e) < 0)
		return -1;
	epochs = round(item->duration / epoch_seconds);
	if (epochs < 1 || epochs > STREAMS_MAX_EPOCHS || fabs(epochs * epoch_seconds - item->duration) > STREAMS_TIME_TOLERANCE) {
		numfmt_double(item->duration, got);
		return annotation_error(a, i, e, "expected a duration that is a positive multiple of %g s for \"%s\", got %s",
					epoch_seconds, label_shown(a, i, label, sizeof(label)), got);
	}
	if (h->n == 0) {
		h->t0 = item->onset;
	} else if (fabs(item->onset - (h->t0 + (double)h->n * epoch_seconds)) > STREAMS_TIME_TOLERANCE) {
		numfmt_double(h->t0 + (double)h->n * epoch_seconds, number);
		numfmt_double(item->onset, got);
		return annotation_error(a, i, e,
					"expected onset %s (consecutive epochs: where the previous stage annotations end) for \"%s\", got %s",
					number, label_shown(a, i, label, sizeof(label)), got);
	}
	return append_epochs(h, annotation_value(s, a, i), (size_t)epochs, a->file,
			     a->format == FORMAT_EDF_PLUS ? 0 : item->where, e);
}

static int annotation_hypnogram(const struct streams_night *night, const struct profile_stream *s,
				struct hypnogram *h, struct streams_file_info *info, struct err *e)
{
	const struct annot_list *a = annotations_of(night, s, info, e);
	size_t *stages, n = 0;
	int rc = 0;

	if (!a)
		return -1;
	if (!(stages = malloc((a->n ? a->n : 1) * sizeof(*stages))))
		return ERR(e, "out of memory");
	for (size_t i = 0; i < a->n; i++)
		if (annotation_value(s, a, i) >= 0)
			stages[n++] = i;
	/* in time order: files list other annotations between, and some write stages last */
	qsort_r(stages, n, sizeof(*stages), by_onset, (void *)a);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = stage_run(s, a, stages[k], h, night->profile->epoch_seconds, e);
	free(stages);
	if (rc == 0 && h->n == 0) {
		char found[ERR_MSG_MAX / 2];
		labels_found(a, found, sizeof(found));
		return ERR_AT(e, s->file, 0, 0, "no stage annotations: expected labels the profile maps to a stage (W, N1, N2, N3, R, ?)%s",
			      found);
	}
	return rc;
}

static int annotation_events(const struct streams_night *night, const struct profile_stream *s,
			     struct event_list *events, struct streams_file_info *info, struct err *e)
{
	const struct annot_list *a = annotations_of(night, s, info, e);

	if (!a)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		int type = annotation_value(s, a, i);
		if (type < 0)
			continue;
		if (need_duration(a, i, e) < 0)
			return -1;
		if (events->n == events->cap) {
			size_t cap = events->cap ? events->cap * 2 : 256;
			struct raw_event *items = realloc(events->items, cap * sizeof(*items));
			if (!items)
				return ERR(e, "out of memory");
			events->items = items;
			events->cap = cap;
		}
		events->items[events->n++] = (struct raw_event){a->items[i].onset, a->items[i].where,
									 a->format == FORMAT_EDF_PLUS ? -1 : 0, (uint8_t)type,
									 a->items[i].duration};
	}
	return 0;
}

static int annotation_intervals(const struct streams_night *night, const struct profile_stream *s,
				struct position_epochs *pos, struct streams_file_info *info, struct err *e)
{
	const struct annot_list *a = annotations_of(night, s, info, e);

	if (!a)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		int position = annotation_value(s, a, i);
		if (position < 0)
			continue;
		if (need_duration(a, i, e) < 0)
			return -1;
		add_interval(pos, a->items[i].onset, a->items[i].duration, position, false, 0);
	}
	return 0;
}
