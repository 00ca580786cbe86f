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

#include <stddef.h>
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
