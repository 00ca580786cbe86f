/*
 * dialect.h — what a CSV export's dialect (SPEC §1, "Export dialects") needs besides the CSV
 * syntax: its text converted to UTF-8 (glibc's iconv), clock times and date-times read, and a
 * look at text that is not what it claims to be (UTF-16 or Latin-1 read as UTF-8).
 *
 * Not here: delimiters (common/csv.c), which column is which and what a time is relative to
 * (shard/streams.c, which turns every record of a non-default dialect into the default one before
 * the stream's row function sees it), the profile keys (common/profile.c).
 */
#ifndef NIGHTFAN_SHARD_DIALECT_H
#define NIGHTFAN_SHARD_DIALECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "input.h"
#include "profile.h"

#define DIALECT_DAY_SECONDS 86400.0

/* ---- text ---- */

struct dialect_decoder;

/* A decoder from `enc` (not ENCODING_UTF8) to UTF-8 that hands the UTF-8 text to out(ctx, ...) in
 * pieces. `file` names the file in messages (copied). NULL on failure (out of memory, iconv
 * without the encoding). Free with dialect_decoder_free(). */
struct dialect_decoder *dialect_decoder_new(enum profile_encoding enc, const char *file, input_chunk_fn out,
					    void *ctx, struct err *e);
/* The next len bytes of the file (an input_chunk_fn: ctx is the decoder). A character split over
 * two calls is kept for the next. 0, or -1 with e filled:
 *   file: expected a UTF-16 byte order mark (FF FE or FE FF) at the start ("encoding": "utf-16")
 *   file:L: not windows-1252 text: byte 0x81 ("encoding": "windows-1252")
 *   file:L: not UTF-16 text: bytes 0x00 0xdc ("encoding": "utf-16")
 * (L: the line of the converted text the bad bytes are on), or out's own error. */
int dialect_decode(void *decoder, const char *buf, size_t len, struct err *e);
/* End of file: -1 when it ends inside a character:
 *   file: the file ends inside a UTF-16 character ("encoding": "utf-16") */
int dialect_decode_finish(struct dialect_decoder *d, struct err *e);
void dialect_decoder_free(struct dialect_decoder *d);

/* The offset of the first byte of s[0..len) that does not belong to valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF count as invalid), or -1 when all of it is UTF-8. */
long dialect_utf8_invalid(const char *s, size_t len);

/* ---- times ---- */

/* "HH:MM:SS[.fff]" (hours 0-23 in one or two digits, minutes and seconds 00-59, any number of
 * fraction digits) as seconds since midnight. 0, or -1 (anything else). */
int dialect_parse_clock(const char *s, size_t len, double *seconds);
/* "YYYY-MM-DD[T ]HH:MM:SS[.fff]" (a real calendar date) as days since 1970-01-01 and seconds since
 * that day's midnight. 0 or -1. */
int dialect_parse_datetime(const char *s, size_t len, long *day, double *seconds);

#endif
