/*
 * test_strlist.c — common/strlist.c: copies pushed, the NULL after the last, growth, sorting in
 * byte order, finding, detach and release.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strlist.h"

TEST(strlist_zeroed_is_empty)
{
	struct strlist l = STRLIST_INIT;

	CHECK(l.v == NULL);
	CHECK_INT(l.n, 0);
	CHECK_INT(strlist_find(&l, "N0001"), -1);
	strlist_sort(&l);
	strlist_release(&l);
	CHECK(l.v == NULL);
}

TEST(strlist_pushes_copies_null_terminated)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};
	char name[8] = "N0002";

	CHECK_INT(strlist_push(&l, name, &e), 0);
	name[4] = '9'; /* the list holds its own copy */
	CHECK_INT(strlist_pushn(&l, "N0001-and-more", 5, &e), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.v[0], "N0002");
	CHECK_STR(l.v[1], "N0001");
	CHECK(l.v[2] == NULL);
	strlist_release(&l);
	CHECK(l.v == NULL);
	CHECK_INT(l.n, 0);
	CHECK_INT(l.alloc, 0);
}

TEST(strlist_grows_and_sorts_bytewise)
{
	struct strlist l = STRLIST_INIT;
	char id[16];

	/* 1000 ids pushed in reverse: sorted they come back in order, NULL after the last */
	for (int i = 999; i >= 0; i--) {
		snprintf(id, sizeof id, "N%04d", i);
		CHECK_INT(strlist_push(&l, id, NULL), 0);
	}
	CHECK_INT(l.n, 1000);
	CHECK(l.v[1000] == NULL);
	strlist_sort(&l);
	CHECK_STR(l.v[0], "N0000");
	CHECK_STR(l.v[1], "N0001");
	CHECK_STR(l.v[999], "N0999");
	CHECK(l.v[1000] == NULL);
	strlist_release(&l);

	/* bytewise: upper case before lower case, a prefix before what extends it, UTF-8 last */
	const char *in[] = {"b", "\xc3\xa9t\xc3\xa9", "B", "ab", "a", "_"};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		CHECK_INT(strlist_push(&l, in[i], NULL), 0);
	strlist_sort(&l);
	CHECK_STR(l.v[0], "B");
	CHECK_STR(l.v[1], "_");
	CHECK_STR(l.v[2], "a");
	CHECK_STR(l.v[3], "ab");
	CHECK_STR(l.v[4], "b");
	CHECK_STR(l.v[5], "\xc3\xa9t\xc3\xa9");
	strlist_release(&l);
}

TEST(strlist_find_gives_the_first_index)
{
	struct strlist l = STRLIST_INIT;

	CHECK_INT(strlist_push(&l, "labels", NULL), 0);
	CHECK_INT(strlist_push(&l, "predictions", NULL), 0);
	CHECK_INT(strlist_push(&l, "labels", NULL), 0);
	CHECK_INT(strlist_find(&l, "labels"), 0);
	CHECK_INT(strlist_find(&l, "predictions"), 1);
	CHECK_INT(strlist_find(&l, "label"), -1);
	CHECK_INT(strlist_find(&l, ""), -1);
	strlist_release(&l);
}

TEST(strlist_detach_hands_the_array_over)
{
	struct strlist l = STRLIST_INIT;
	size_t n = 99;
	char **v;

	CHECK(strlist_detach(&l, &n) == NULL);
	CHECK_INT(n, 0);
	CHECK_INT(strlist_push(&l, "x", NULL), 0);
	CHECK_INT(strlist_push(&l, "y", NULL), 0);
	v = strlist_detach(&l, &n);
	CHECK_INT(n, 2);
	CHECK_STR(v[0], "x");
	CHECK_STR(v[1], "y");
	CHECK(v[2] == NULL);
	CHECK(l.v == NULL);
	CHECK_INT(l.n, 0);
	strlist_free_array(v, n);
	strlist_free_array(NULL, 0);
}
