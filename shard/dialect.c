/*
 * dialect.c — text conversion, clock times and date-times of an export's dialect (see dialect.h).
 *
 * The decoder keeps a work buffer of the bytes not yet converted (a character split over two
 * chunks) followed by the new chunk, converts as much as iconv takes into an output buffer and
 * hands that on; the line of a bad byte is the count of line ends in the text handed on so far.
 * This is the slow path of non-default dialects only: the default reads bytes in place.
 */
#include "dialect.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

#define OUT_BUFFER (256 * 1024)
#define PENDING_MAX 8 /* bytes of a character split over chunks: 4 at most (a UTF-16 pair) */

struct dialect_decoder {
	char *file;
	enum profile_encoding enc;
	iconv_t cd;                  /* (iconv_t)-1 until the BOM chose the byte order (UTF-16) */
	input_chunk_fn out;
	void *ctx;
	char *work;                  /* pending bytes + the chunk */
	size_t work_cap;
	char pending[PENDING_MAX];
	size_t n_pending;
	char *outbuf;
	long line;                   /* 1-based line of the converted text handed on so far */
	bool prev_cr;
};

static const char *const iconv_names[ENCODING_COUNT] = {"UTF-8", "UTF-16", "ISO-8859-1", "WINDOWS-1252"};

struct dialect_decoder *dialect_decoder_new(enum profile_encoding enc, const char *file, input_chunk_fn out,
					    void *ctx, struct err *e)
{
	struct dialect_decoder *d = calloc(1, sizeof(*d));

	if (!d || !(d->file = strdup(file)) || !(d->outbuf = malloc(OUT_BUFFER))) {
		dialect_decoder_free(d);
		ERR(e, "out of memory");
		return NULL;
	}
	d->enc = enc;
	d->out = out;
	d->ctx = ctx;
	d->line = 1;
	d->cd = (iconv_t)-1;
	if (enc != ENCODING_UTF16 && (d->cd = iconv_open("UTF-8", iconv_names[enc])) == (iconv_t)-1) {
		ERR(e, "%s: cannot convert from %s: %s", file, profile_encoding_name(enc), strerror(errno));
		dialect_decoder_free(d);
		return NULL;
	}
	return d;
}

void dialect_decoder_free(struct dialect_decoder *d)
{
	if (!d)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	free(d->file);
	free(d->work);
	free(d->outbuf);
	free(d);
}

static void count_lines(struct dialect_decoder *d, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' || (s[i] == '\n' && !d->prev_cr))
			d->line++;
		d->prev_cr = s[i] == '\r';
	}
}

static int hand_on(struct dialect_decoder *d, size_t len, struct err *e)
{
	if (len == 0)
		return 0;
	count_lines(d, d->outbuf, len);
	return d->out(d->ctx, d->outbuf, len, e);
}

/* UTF-16: the first two bytes say the byte order. 0, or -1. */
static int open_utf16(struct dialect_decoder *d, const unsigned char *bom, struct err *e)
{
	const char *order = bom[0] == 0xFF && bom[1] == 0xFE ? "UTF-16LE" : bom[0] == 0xFE && bom[1] == 0xFF ? "UTF-16BE" : NULL;

	if (!order)
		return ERR_AT(e, d->file, 0, 0,
			      "expected a UTF-16 byte order mark (FF FE or FE FF) at the start (\"encoding\": \"utf-16\")");
	if ((d->cd = iconv_open("UTF-8", order)) == (iconv_t)-1)
		return ERR(e, "%s: cannot convert from %s: %s", d->file, order, strerror(errno));
	return 0;
}

static int bad_bytes(struct dialect_decoder *d, const char *at, size_t left, struct err *e)
{
	size_t n = d->enc == ENCODING_UTF16 ? (left < 2 ? left : 2) : 1;
	char shown[32] = "";
	size_t used = 0;

	for (size_t i = 0; i < n; i++)
		used += snprintf(shown + used, sizeof(shown) - used, "%s0x%02x", i ? " " : "", (unsigned char)at[i]);
	return ERR_AT(e, d->file, d->line, 0, "not %s text: %s %s (\"encoding\": \"%s\")",
		      d->enc == ENCODING_UTF16 ? "UTF-16" : profile_encoding_name(d->enc), n > 1 ? "bytes" : "byte", shown,
		      profile_encoding_name(d->enc));
}

int dialect_decode(void *decoder, const char *buf, size_t len, struct err *e)
{
	struct dialect_decoder *d = decoder;
	size_t total = d->n_pending + len;
	char *in;
	size_t left;

	if (total > d->work_cap) {
		char *work = realloc(d->work, total);
		if (!work)
			return ERR(e, "out of memory");
		d->work = work;
		d->work_cap = total;
	}
	memcpy(d->work, d->pending, d->n_pending);
	memcpy(d->work + d->n_pending, buf, len);
	in = d->work;
	left = total;
	d->n_pending = 0;
	if (d->cd == (iconv_t)-1) { /* UTF-16 before its BOM */
		if (left < 2) {
			memcpy(d->pending, in, left);
			d->n_pending = left;
			return 0;
		}
		if (open_utf16(d, (const unsigned char *)in, e) < 0)
			return -1;
		in += 2;
		left -= 2;
	}
	while (left > 0) {
		char *out = d->outbuf;
		size_t room = OUT_BUFFER;
		size_t rc = iconv(d->cd, &in, &left, &out, &room);
		int err_no = errno;
		if (hand_on(d, OUT_BUFFER - room, e) < 0)
			return -1;
		if (rc != (size_t)-1 || err_no == E2BIG)
			continue;
		if (err_no == EINVAL && left < PENDING_MAX) { /* a character continues in the next chunk */
			memcpy(d->pending, in, left);
			d->n_pending = left;
			return 0;
		}
		return bad_bytes(d, in, left, e);
	}
	return 0;
}

int dialect_decode_finish(struct dialect_decoder *d, struct err *e)
{
	if (d->cd == (iconv_t)-1 && d->n_pending > 0) /* one byte: no BOM */
		return ERR_AT(e, d->file, 0, 0,
			      "expected a UTF-16 byte order mark (FF FE or FE FF) at the start (\"encoding\": \"utf-16\")");
	if (d->n_pending > 0)
		return ERR_AT(e, d->file, d->line, 0, "the file ends inside a %s character (\"encoding\": \"%s\")",
			      d->enc == ENCODING_UTF16 ? "UTF-16" : profile_encoding_name(d->enc),
			      profile_encoding_name(d->enc));
	return 0;
}

long dialect_utf8_invalid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return (long)i;
		if (i + n >= len)
			return (long)i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return (long)i;
		i += n + 1;
	}
	return -1;
}

/* ---- times ---- */

/* n digits at s as a number into *v. */
static bool digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!numparse_is_digit(s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int dialect_parse_clock(const char *s, size_t len, double *seconds)
{
	size_t h = len > 1 && s[1] == ':' ? 1 : 2; /* hour digits */
	int hours, minutes;
	double secs;

	if (len < h + 6 || s[h] != ':' || s[h + 3] != ':' || !digits(s, h, &hours) || !digits(s + h + 1, 2, &minutes) ||
	    hours > 23 || minutes > 59)
		return -1;
	/* SS[.fff]: two digits, then nothing or a point and at least one digit */
	s += h + 4;
	len -= h + 4;
	if (len < 2 || !numparse_is_digit(s[0]) || !numparse_is_digit(s[1]) || (len > 2 && (s[2] != '.' || len == 3)))
		return -1;
	for (size_t i = 3; i < len; i++)
		if (!numparse_is_digit(s[i]))
			return -1;
	if (numparse_double(s, len, &secs) < 0 || secs >= 60)
		return -1;
	*seconds = hours * 3600.0 + minutes * 60.0 + secs;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int dialect_parse_datetime(const char *s, size_t len, long *day, double *seconds)
{
	int y, m, d;

	if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	/* the time part has two-digit hours here */
	if (s[13] != ':' || dialect_parse_clock(s + 11, len - 11, seconds) < 0)
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}
