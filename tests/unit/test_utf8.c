/*
 * test_utf8.c — common/utf8.c and the places that use it: RFC 3629 boundaries, \xNN escapes, cuts
 * between characters, and err.c keeping every message valid UTF-8 (issue 17, item 5; log.c's lines: test_log.c).
 */
#include "check.h"
#include "err.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t len_of(const char *s)
{
	return utf8_char_len(s, strlen(s));
}

TEST(char_len_follows_rfc_3629)
{
	CHECK_INT(len_of("a"), 1);
	CHECK_INT(utf8_char_len("", 1), 1);          /* NUL is a character */
	CHECK_INT(len_of("\xc2\x80"), 2);            /* U+0080, the first two-byte one */
	CHECK_INT(len_of("\xc3\x89"), 2);            /* É */
	CHECK_INT(len_of("\xe2\x82\xac"), 3);        /* € */
	CHECK_INT(len_of("\xf0\x9f\x98\x80"), 4);    /* U+1F600 */
	CHECK_INT(len_of("\xf4\x8f\xbf\xbf"), 4);    /* U+10FFFF, the last one */
	CHECK_INT(len_of("\xc9veil"), 0);            /* Latin-1 É: a lead byte without its continuation */
	CHECK_INT(len_of("\x89"), 0);                /* a stray continuation byte */
	CHECK_INT(len_of("\xc0\x80"), 0);            /* overlong NUL */
	CHECK_INT(len_of("\xc1\xbf"), 0);            /* overlong */
	CHECK_INT(len_of("\xe0\x9f\xbf"), 0);        /* overlong three-byte form */
	CHECK_INT(len_of("\xed\xa0\x80"), 0);        /* U+D800, a surrogate */
	CHECK_INT(len_of("\xf0\x8f\xbf\xbf"), 0);    /* overlong four-byte form */
	CHECK_INT(len_of("\xf4\x90\x80\x80"), 0);    /* U+110000 */
	CHECK_INT(len_of("\xf5\x80\x80\x80"), 0);
	CHECK_INT(len_of("\xff"), 0);
	CHECK_INT(utf8_char_len("\xe2\x82\xac", 2), 0); /* cut short by the end */
	CHECK(utf8_valid("Éveil €", strlen("Éveil €")));
	CHECK(!utf8_valid("\xc9veil", 5));
}

TEST(escape_shows_invalid_bytes_as_hex)
{
	char out[64];

	CHECK_INT(utf8_escape(out, sizeof out, "\xc9veil", 5, 0), 5);
	CHECK_STR(out, "\\xc9veil");
	utf8_escape(out, sizeof out, "\xe2\x82 \xed\xa0\x80 \xc3\x89", 10, 0);
	CHECK_STR(out, "\\xe2\\x82 \\xed\\xa0\\x80 \xc3\x89"); /* cut €, a surrogate, then a good É */
	utf8_escape(out, sizeof out, "a\"b\\c\nd\x7f", 8, UTF8_ESC_CONTROL);
	CHECK_STR(out, "a\\x22b\\x5cc\\x0ad\\x7f");
	utf8_escape(out, sizeof out, "a\"\n", 3, 0); /* JSON escaping is the JSON writer's */
	CHECK_STR(out, "a\"\n");
	utf8_escape(out, sizeof out, "N\xc3\x89\xff", 4, UTF8_ESC_NONASCII);
	CHECK_STR(out, "N\\xc3\\x89\\xff");
	CHECK_INT(utf8_escape(out, sizeof out, "a\0b", 3, UTF8_ESC_CONTROL), 3);
	CHECK_STR(out, "a\\x00b");
}

TEST(escape_cuts_between_characters)
{
	char out[16];

	/* "ÉÉÉ" is 6 bytes: 6 bytes of room (NUL included) take two characters, never half of one */
	CHECK_INT(utf8_escape(out, 6, "\xc3\x89\xc3\x89\xc3\x89", 6, 0), 4);
	CHECK_STR(out, "\xc3\x89\xc3\x89");
	CHECK_INT(utf8_escape(out, 7, "\xc3\x89\xc3\x89\xc3\x89", 6, 0), 6);
	/* an escape is one character: 4 bytes of room hold "ab" and not "ab\x" */
	CHECK_INT(utf8_escape(out, 6, "ab\xc9z", 4, 0), 2);
	CHECK_STR(out, "ab");
	CHECK_INT(utf8_escape(out, 7, "ab\xc9z", 4, 0), 3);
	CHECK_STR(out, "ab\\xc9");
	CHECK_INT(utf8_escape(out, 1, "abc", 3, 0), 0);
	CHECK_STR(out, "");
}

TEST(shown_marks_a_cut)
{
	char out[10];

	CHECK_STR(utf8_shown(out, sizeof out, "abcdefghi", 9, 0), "abcdefghi");
	CHECK_STR(utf8_shown(out, sizeof out, "abcdefghij", 10, 0), "abcdef...");
	/* €€€€ (12 bytes): the cut keeps two whole € and marks it */
	CHECK_STR(utf8_shown(out, sizeof out, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 12, 0),
		  "\xe2\x82\xac\xe2\x82\xac...");
	char *dup = utf8_escape_dup("\xc9t\xc3\xa9", 0);
	CHECK_STR(dup, "\\xc9t\xc3\xa9");
	free(dup);
}

TEST(err_messages_stay_utf8)
{
	struct err e;
	char buf[2 * ERR_MSG_MAX];
	char value[1200 * 2 + 1];

	ERR_AT(&e, "labels/hyp\xe9.csv", 3, 2, "got \"%s\"", "\xc9veil");
	CHECK_STR(err_format(&e, buf, sizeof buf), "labels/hyp\\xe9.csv:3:2: got \"\\xc9veil\"");
	/* a long message of two-byte characters is cut between two of them, and says so */
	for (int i = 0; i < 1200; i++)
		memcpy(value + 2 * i, "\xc3\xa9", 2);
	value[2400] = '\0';
	ERR(&e, "x%s", value); /* 1 + 2400 bytes; 1023 fit: "x", 509 é (1018 bytes), "..." */
	CHECK_INT((long)strlen(e.message), 1 + 2 * 509 + 3);
	CHECK(utf8_valid(e.message, strlen(e.message)));
	CHECK_STR(e.message + strlen(e.message) - 5, "\xc3\xa9...");
	err_prefix(&e, "night %s", "N\xff");
	CHECK(strncmp(e.message, "night N\\xff: x\xc3\xa9", 16) == 0);
	CHECK(utf8_valid(e.message, strlen(e.message)));
	/* err_format into a short buffer cuts between characters too: "é:" does not fit in 3 bytes */
	ERR(&e, "\xc3\xa9\xc3\xa9");
	CHECK_STR(err_format(&e, buf, 4), "\xc3\xa9");
}
