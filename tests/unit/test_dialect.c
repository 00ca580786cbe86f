/*
 * test_dialect.c — shard/dialect.c: clock times and date-times against hand-computed seconds and
 * days, the UTF-8 check, and the decoder against text whose UTF-8 is known byte for byte, fed in
 * every chunking (a character split over two chunks must come out whole).
 */
#include "check.h"
#include "shard/dialect.h"

#include <string.h>

static int clock_of(const char *s, double *out)
{
	return dialect_parse_clock(s, strlen(s), out);
}

TEST(clock_times)
{
	double t = -1;

	CHECK_INT(clock_of("00:00:00", &t), 0);
	CHECK_DOUBLE(t, 0, 0);
	CHECK_INT(clock_of("00:11:23", &t), 0);
	CHECK_DOUBLE(t, 683, 0);                  /* 11 × 60 + 23 */
	CHECK_INT(clock_of("23:59:59.5", &t), 0);
	CHECK_DOUBLE(t, 86399.5, 0);              /* 23 × 3600 + 59 × 60 + 59.5 */
	CHECK_INT(clock_of("7:05:00", &t), 0);    /* one hour digit, as Excel writes it */
	CHECK_DOUBLE(t, 25500, 0);
	CHECK_INT(clock_of("22:30:00.125", &t), 0);
	CHECK_DOUBLE(t, 81000.125, 0);
	const char *bad[] = {"24:00:00", "12:60:00", "12:00:60", "12:00", "12:0:00", "12:00:0", "12:00:00.",
			     "12:00:00,5", "12:00:00Z", "-1:00:00", "", "123:00:00", "12:00:00.1.2", "1 :00:00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (clock_of(bad[i], &t) != -1)
			CHECK_STR(bad[i], "(refused)");
	}
}

TEST(date_times)
{
	long day = -1;
	double t = -1;
	const char *s = "1970-01-01T00:00:00";

	CHECK_INT(dialect_parse_datetime(s, strlen(s), &day, &t), 0);
	CHECK_INT(day, 0);
	CHECK_DOUBLE(t, 0, 0);
	s = "2000-03-01 01:02:03.25"; /* 2000-01-01 is day 10957; + 31 (Jan) + 29 (Feb, leap) */
	CHECK_INT(dialect_parse_datetime(s, strlen(s), &day, &t), 0);
	CHECK_INT(day, 11017);
	CHECK_DOUBLE(t, 3723.25, 0);
	s = "2024-02-29T23:59:59";
	CHECK_INT(dialect_parse_datetime(s, strlen(s), &day, &t), 0);
	CHECK_INT(day, 19782);        /* 2024-01-01 is day 19723; + 31 + 28 */
	s = "1969-12-31 12:00:00";
	CHECK_INT(dialect_parse_datetime(s, strlen(s), &day, &t), 0);
	CHECK_INT(day, -1);
	const char *bad[] = {"2023-02-29 00:00:00", "2026-13-01 00:00:00", "2026-00-10 00:00:00", "2026-04-31 00:00:00",
			     "2026-01-01X00:00:00", "2026-01-01 7:00:00", "26-01-01 00:00:00", "2026-01-01", "2026-01-01 00:00",
			     "2026-01-01 00:00:00+01:00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dialect_parse_datetime(bad[i], strlen(bad[i]), &day, &t) != -1)
			CHECK_STR(bad[i], "(refused)");
	}
}

TEST(utf8_check)
{
	CHECK_INT(dialect_utf8_invalid("R\xc3\xbc" "ckenlage", 11), -1);
	CHECK_INT(dialect_utf8_invalid("R\xfc" "ckenlage", 10), 1);          /* Latin-1 ü */
	CHECK_INT(dialect_utf8_invalid("\xe2\x82\xac", 3), -1);             /* € */
	CHECK_INT(dialect_utf8_invalid("\xe2\x82", 2), 0);                  /* cut short */
	CHECK_INT(dialect_utf8_invalid("ab\xc0\xaf", 4), 2);                /* overlong '/' */
	CHECK_INT(dialect_utf8_invalid("\xed\xa0\x80", 3), 0);              /* a surrogate */
	CHECK_INT(dialect_utf8_invalid("\xf4\x90\x80\x80", 4), 0);          /* past U+10FFFF */
	CHECK_INT(dialect_utf8_invalid("\xf0\x9f\x98\x80", 4), -1);         /* U+1F600 */
	CHECK_INT(dialect_utf8_invalid("\xff\xfeS\0", 4), 0);               /* a UTF-16 BOM */
}

struct sink {
	char text[256];
	size_t len;
};

static int collect(void *ctx, const char *buf, size_t len, struct err *e)
{
	struct sink *s = ctx;

	(void)e;
	memcpy(s->text + s->len, buf, len);
	s->len += len;
	s->text[s->len] = '\0';
	return 0;
}

/* Decode `in` (len bytes) in chunks of `chunk` bytes; the UTF-8 text, or the error message. */
static const char *decode(enum profile_encoding enc, const char *in, size_t len, size_t chunk)
{
	static struct sink sink;
	static char msg[ERR_MSG_MAX + ERR_FILE_MAX];
	struct err e;
	struct dialect_decoder *d = dialect_decoder_new(enc, "f.csv", collect, &sink, &e);
	int rc = 0;

	sink.len = 0;
	sink.text[0] = '\0';
	for (size_t at = 0; at < len && rc == 0; at += chunk)
		rc = dialect_decode(d, in + at, len - at < chunk ? len - at : chunk, &e);
	if (rc == 0)
		rc = dialect_decode_finish(d, &e);
	dialect_decoder_free(d);
	return rc == 0 ? sink.text : err_format(&e, msg, sizeof(msg));
}

TEST(decoding)
{
	/* "Lage;Rückenlage\n€" in UTF-16LE and BE (BOM first), one byte at a time up to all at once */
	static const char le[] = "\xff\xfeL\0a\0g\0e\0;\0R\0\xfc\0c\0k\0e\0n\0l\0a\0g\0e\0\n\0\xac\x20";
	static const char be[] = "\xfe\xff\0L\0a\0g\0e\0;\0R\0\xfc\0c\0k\0e\0n\0l\0a\0g\0e\0\n\x20\xac";
	const char *want = "Lage;R\xc3\xbc" "ckenlage\n\xe2\x82\xac";

	for (size_t chunk = 1; chunk <= sizeof(le); chunk++) {
		CHECK_STR(decode(ENCODING_UTF16, le, sizeof(le) - 1, chunk), want);
		CHECK_STR(decode(ENCODING_UTF16, be, sizeof(be) - 1, chunk), want);
	}
	/* U+1F600 as a surrogate pair, split anywhere */
	for (size_t chunk = 1; chunk <= 6; chunk++)
		CHECK_STR(decode(ENCODING_UTF16, "\xff\xfe\x3d\xd8\x00\xde", 6, chunk), "\xf0\x9f\x98\x80");
	CHECK_STR(decode(ENCODING_LATIN1, "R\xfc" "ckenlage\x80", 11, 3), "R\xc3\xbc" "ckenlage\xc2\x80");
	CHECK_STR(decode(ENCODING_WINDOWS1252, "R\xfc" "ckenlage\x80\x96", 12, 5), "R\xc3\xbc" "ckenlage\xe2\x82\xac\xe2\x80\x93");
	CHECK_STR(decode(ENCODING_WINDOWS1252, "a\nb\r\nc\rd\x81", 9, 4),
		  "f.csv:4: not windows-1252 text: byte 0x81 (\"encoding\": \"windows-1252\")");
	CHECK_STR(decode(ENCODING_UTF16, "L\0a\0", 4, 4),
		  "f.csv: expected a UTF-16 byte order mark (FF FE or FE FF) at the start (\"encoding\": \"utf-16\")");
	CHECK_STR(decode(ENCODING_UTF16, "\xff", 1, 1),
		  "f.csv: expected a UTF-16 byte order mark (FF FE or FE FF) at the start (\"encoding\": \"utf-16\")");
	CHECK_STR(decode(ENCODING_UTF16, "\xff\xfeL\0a", 5, 2),
		  "f.csv:1: the file ends inside a UTF-16 character (\"encoding\": \"utf-16\")");
	CHECK_STR(decode(ENCODING_UTF16, "\xff\xfeL\0\n\0\x00\xdc\x41\0", 10, 10),
		  "f.csv:2: not UTF-16 text: bytes 0x00 0xdc (\"encoding\": \"utf-16\")");
	CHECK_STR(decode(ENCODING_UTF16, "\xff\xfe", 2, 2), "");
}
