/*
 * csv.h — a push-based, incremental RFC 4180 reader.
 *
 * Owns the CSV syntax only: quoting, delimiters, line ends, BOM, field counts and the physical line
 * numbers messages need. The caller feeds chunks of any size (records may span chunks) and gets
 * every record — the header included — through a callback as (ptr, len) field slices, valid only
 * during the call. What the fields mean (columns, numbers, values) is the caller's business.
 *
 * Syntax accepted: fields separated by a one-byte delimiter; a field may be quoted with '"' and
 * then hold delimiters, line breaks and doubled quotes ("" = one quote); CRLF, LF or a bare CR ends
 * a line; a UTF-8 BOM at the very start is skipped; a quote inside an unquoted field is taken
 * literally (12" screen); blank lines are skipped (their lines still count). The last line needs
 * no line end.
 *
 * Errors (message text is fixed; `name` is the file as the user knows it):
 *   name: empty file: expected a header line                   — no record at all
 *   name:L:C: unterminated quoted field: end of file inside quotes (L = line the record starts on,
 *                                                               C = field number)
 *   name:L:C: expected a delimiter or line end after the closing quote
 *   name:L: expected N fields, got M                           — any record after the header
 *   name:L: truncated last line: expected N fields, got M      — the file's last record has no
 *                                                               line end and fewer fields than the
 *                                                               header (a file cut short); a last
 *                                                               record without line end but with
 *                                                               every field is accepted
 *   name:L: record longer than MAX bytes                       — bounded memory, not growth
 *
 * Memory: the record buffer grows up to max_record bytes and the field table up to CSV_MAX_FIELDS
 * entries, once; after that nothing is allocated per record. Records that lie whole inside a chunk
 * and have no quotes are handed over in place, without copying.
 */
#ifndef NIGHTFAN_CSV_H
#define NIGHTFAN_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "err.h"

#define CSV_DEFAULT_MAX_RECORD (1024 * 1024)
#define CSV_MAX_FIELDS 4096

struct csv_field {
	const char *ptr;  /* not NUL-terminated; quotes removed, "" unescaped */
	size_t len;
};

struct csv_record {
	const struct csv_field *fields;
	size_t n_fields;          /* for data records always the header's field count */
	long line;                /* 1-based physical line the record starts on (header = 1) */
	long index;               /* 0 = header, 1 = first data record, ... */
};

/* Called once per record. Return 0 to go on, or -1 after filling e to stop reading (csv_feed and
 * csv_finish then return -1 with that error). */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec, struct err *e);

struct csv_reader;

/* A reader for one file. name is copied (for messages); delimiter must not be '"', '\r' or '\n';
 * max_record 0 means CSV_DEFAULT_MAX_RECORD. NULL on failure (out of memory, bad delimiter). */
struct csv_reader *csv_new(const char *name, char delimiter, size_t max_record, csv_record_fn fn,
			   void *ctx, struct err *e);
/* Hand the records after the current one to fn(ctx, ...) instead: a callback can read the header
 * and then pass the data records straight to a function for their layout. */
void csv_set_record_fn(struct csv_reader *r, csv_record_fn fn, void *ctx);

/*
 * Bulk reading of plain records, for a caller whose work per record is a few instructions (the
 * shard's ~110,000 position samples a night), where handing each record over through
 * csv_record_fn costs as much as the work itself.
 *
 * A plain record: at a record boundary, no quote, exactly the header's number of fields, one
 * line ended by LF or CRLF (no other CR), not blank, no longer than the reader's max_record,
 * and with CSV_PLAIN_SLACK readable bytes after its line end (so a field may be loaded in whole
 * words). Between records the reader offers the bytes to a bulk function set with
 * csv_set_bulk_fn(); it takes the plain records it can at the front of them and returns where it
 * stopped. Whatever it does not take — the first record it refuses, a quoted or short record,
 * the last bytes of a chunk — goes through the normal path to csv_record_fn, one record, and then
 * the reader offers the rest again. So a bulk function only ever makes records faster: what it
 * refuses is read, checked and reported exactly as before.
 */
#define CSV_PLAIN_SLACK 16

struct csv_plain_syntax {
	char delimiter;
	size_t n_fields;    /* the header's */
	size_t max_record;
};

/* Take plain records from [p, end): return the start of the first record not taken (end when all
 * were), *records = the number taken (the reader counts their lines and records). */
typedef const char *(*csv_bulk_fn)(void *ctx, const struct csv_plain_syntax *syntax, const char *p,
				   const char *end, long *records);

/* Offer the data records to fn (NULL: stop offering). Set it from the header's callback. */
void csv_set_bulk_fn(struct csv_reader *r, csv_bulk_fn fn, void *ctx);

/* Bit i set: block[i] is the delimiter, a quote, CR or LF (64 readable bytes at block). */
static inline uint64_t csv_special_mask64(const char *block, char delimiter)
{
	uint64_t mask = 0;
#if defined(__SSE2__)
	const __m128i delim = _mm_set1_epi8(delimiter), quote = _mm_set1_epi8('"');
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(block + 16 * i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delim), _mm_cmpeq_epi8(v, quote)),
					   _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
		mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * i);
	}
#else
	for (int i = 0; i < 64; i++)
		if (block[i] == delimiter || block[i] == '"' || block[i] == '\r' || block[i] == '\n')
			mask |= UINT64_C(1) << i;
#endif
	return mask;
}

/*
 * The scanner a bulk function runs: the plain records at the front of [p, end), each one's fields
 * (syntax->n_fields of them, in place) to row(ctx, fields), until row returns false (it must then
 * have changed nothing: that record goes the normal way). Returns and counts as csv_bulk_fn.
 * Inline, with row a constant at the call site, so that row is inlined into the loop.
 */
static inline __attribute__((always_inline)) const char *
csv_plain_records(const struct csv_plain_syntax *syntax, const char *p, const char *end, struct csv_field *fields,
		  bool (*row)(void *ctx, const struct csv_field *fields), void *ctx, long *records)
{
	const char delimiter = syntax->delimiter;
	const size_t n_fields = syntax->n_fields;
	const char *base = p, *field = p;
	uint64_t bits;

	*records = 0;
	if (end - p < 64 + CSV_PLAIN_SLACK)
		return p;
	bits = csv_special_mask64(base, delimiter);
	for (;;) {
		const char *start = field, *q;
		size_t n = 0;
		char c;

		do {
			while (!bits) {
				base += 64;
				if (end - base < 64 + CSV_PLAIN_SLACK)
					return start;
				bits = csv_special_mask64(base, delimiter);
				if (field > base) /* the LF of a CRLF was the last block's last byte */
					bits &= ~UINT64_C(0) << (field - base);
			}
			q = base + (unsigned)__builtin_ctzll(bits);
			bits &= bits - 1;
			c = *q;
			fields[n].ptr = field;
			fields[n].len = (size_t)(q - field);
			field = q + 1;
		} while (c == delimiter && ++n < n_fields);
		/* n + 1 fields ended by c: a line end after exactly n_fields, or the record is not plain */
		if (c == delimiter || c == '"' || n + 1 != n_fields || (size_t)(q - start) > syntax->max_record ||
		    (n_fields == 1 && fields[0].len == 0))
			return start;
		if (c == '\r') {
			if (*field != '\n')
				return start;
			field++;
			if (field - base < 64)
				bits &= bits - 1; /* the LF's bit */
		}
		if (!row(ctx, fields))
			return start;
		++*records;
	}
}

/* Feed the next len bytes of the file. 0, or -1 (syntax error or the callback's error). After an
 * error the reader must only be freed. */
int csv_feed(struct csv_reader *r, const char *buf, size_t len, struct err *e);
/* End of file: hands over a last record without line end and checks for an empty file. 0 or -1. */
int csv_finish(struct csv_reader *r, struct err *e);
/* Data records handed over so far (header excluded). */
long csv_data_records(const struct csv_reader *r);
/* Free r (NULL is fine). */
void csv_free(struct csv_reader *r);

#endif
