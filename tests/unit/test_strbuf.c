/*
 * test_strbuf.c — common/strbuf.c: appends of every kind, growth past the first block, formatting
 * across a reallocation, the state after a failed grow, detach and release.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strbuf.h"

TEST(strbuf_zeroed_is_empty)
{
	struct strbuf sb = STRBUF_INIT;

	CHECK(sb.buf == NULL);
	CHECK_INT(sb.len, 0);
	CHECK_STR(strbuf_str(&sb), "");
	strbuf_reset(&sb);      /* nothing allocated: nothing to do */
	strbuf_setlen(&sb, 5);
	CHECK_INT(sb.len, 0);
	strbuf_release(&sb);    /* a no-op */
	CHECK(sb.buf == NULL);
}

TEST(strbuf_adds_bytes_strings_chars_and_formats)
{
	struct strbuf sb = STRBUF_INIT;
	struct err e = {0};

	CHECK_INT(strbuf_addstr(&sb, "night ", &e), 0);
	CHECK_INT(strbuf_add(&sb, "N0001xyz", 5, &e), 0);
	CHECK_INT(strbuf_addch(&sb, ':', &e), 0);
	CHECK_INT(strbuf_addf(&sb, &e, " %d epochs of %.1f s, %s", 960, 30.0, "ok"), 0);
	CHECK_STR(sb.buf, "night N0001: 960 epochs of 30.0 s, ok");
	CHECK_INT(sb.len, 37);
	CHECK(sb.alloc > sb.len);
	CHECK_INT(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
	CHECK(sb.buf == NULL);
	CHECK_INT(sb.len, 0);
	CHECK_INT(sb.alloc, 0);
}

TEST(strbuf_keeps_nul_bytes)
{
	struct strbuf sb = STRBUF_INIT;

	CHECK_INT(strbuf_add(&sb, "a\0b", 3, NULL), 0);
	CHECK_INT(sb.len, 3);
	CHECK(memcmp(sb.buf, "a\0b\0", 4) == 0);
	strbuf_release(&sb);
}

TEST(strbuf_grows_past_the_first_block)
{
	struct strbuf sb = STRBUF_INIT;
	struct err e = {0};
	size_t sum = 0;

	/* 10,000 digits "0123456789..." in single bytes: every byte kept, in order */
	for (int i = 0; i < 10000; i++)
		CHECK_INT(strbuf_addch(&sb, (char)('0' + i % 10), &e), 0);
	CHECK_INT(sb.len, 10000);
	CHECK_INT(strlen(sb.buf), 10000);
	for (size_t i = 0; i < sb.len; i++)
		sum += (size_t)(sb.buf[i] - '0');
	CHECK_INT(sum, 45 * 1000);
	CHECK(strncmp(sb.buf + 9990, "0123456789", 10) == 0);
	CHECK(sb.alloc >= 10001);
	CHECK(sb.alloc <= 2 * 10001); /* doubling: never more than twice what is needed */
	strbuf_release(&sb);
}

TEST(strbuf_addf_across_a_reallocation)
{
	struct strbuf sb = STRBUF_INIT;
	char want[301];

	memset(want, 'x', 300);
	want[300] = '\0';
	CHECK_INT(strbuf_addstr(&sb, "ab", NULL), 0);
	/* longer than the room left: formatted again after growing, the first attempt leaves no trace */
	CHECK_INT(strbuf_addf(&sb, NULL, "%s|%05d", want, 42), 0);
	CHECK_INT(sb.len, 2 + 300 + 6);
	CHECK(strncmp(sb.buf, "abxxx", 5) == 0);
	CHECK_STR(sb.buf + 302, "|00042");
	/* an empty format adds nothing and still succeeds */
	CHECK_INT(strbuf_addf(&sb, NULL, "%s", ""), 0);
	CHECK_INT(sb.len, 308);
	strbuf_release(&sb);
}

TEST(strbuf_failed_grow_leaves_it_as_it_was)
{
	struct strbuf sb = STRBUF_INIT;
	struct err e = {0};
	char *before;
	size_t alloc;

	CHECK_INT(strbuf_addstr(&sb, "kept", &e), 0);
	before = sb.buf;
	alloc = sb.alloc;
	CHECK_INT(strbuf_grow(&sb, SIZE_MAX - 2, &e), -1); /* len + extra + NUL overflows */
	CHECK_STR(e.message, "out of memory");
	CHECK(sb.buf == before);
	CHECK_INT(sb.len, 4);
	CHECK_INT(sb.alloc, alloc);
	CHECK_STR(sb.buf, "kept");
	volatile size_t huge = SIZE_MAX; /* unknown to the compiler, which would refuse the memcpy */
	CHECK_INT(strbuf_add(&sb, "x", huge, &e), -1);
	CHECK_STR(sb.buf, "kept");
	strbuf_release(&sb);
}

TEST(strbuf_grow_then_write_in_place)
{
	struct strbuf sb = STRBUF_INIT;

	CHECK_INT(strbuf_addstr(&sb, "id=", NULL), 0);
	CHECK_INT(strbuf_grow(&sb, 100, NULL), 0);
	CHECK(sb.alloc >= 3 + 100 + 1);
	memcpy(sb.buf + sb.len, "N0042", 5);
	strbuf_setlen(&sb, sb.len + 5);
	CHECK_STR(sb.buf, "id=N0042");
	strbuf_setlen(&sb, 2);  /* cut */
	CHECK_STR(sb.buf, "id");
	strbuf_setlen(&sb, (size_t)-1);  /* beyond the allocation: cut to what fits */
	CHECK_INT(sb.len, sb.alloc - 1);
	strbuf_reset(&sb);
	CHECK_STR(sb.buf, "");
	CHECK_INT(sb.len, 0);
	strbuf_release(&sb);
}

TEST(strbuf_reset_keeps_the_allocation)
{
	struct strbuf sb = STRBUF_INIT;
	char *block;

	CHECK_INT(strbuf_addstr(&sb, "first line", NULL), 0);
	block = sb.buf;
	strbuf_reset(&sb);
	CHECK_INT(sb.len, 0);
	CHECK_STR(strbuf_str(&sb), "");
	CHECK_INT(strbuf_addstr(&sb, "second", NULL), 0);
	CHECK(sb.buf == block);
	CHECK_STR(sb.buf, "second");
	strbuf_release(&sb);
}

TEST(strbuf_detach_hands_the_bytes_over)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *text;

	CHECK_INT(strbuf_addf(&sb, NULL, "%s,%s", "onset", "duration"), 0);
	text = strbuf_detach(&sb, &len);
	CHECK_STR(text, "onset,duration");
	CHECK_INT(len, 14);
	CHECK(sb.buf == NULL);
	CHECK_INT(sb.len, 0);
	CHECK_INT(sb.alloc, 0);
	free(text);
	/* an empty buffer still gives a string of its own */
	text = strbuf_detach(&sb, &len);
	CHECK_STR(text, "");
	CHECK_INT(len, 0);
	free(text);
}
