/*
 * test_numparse.c — numparse_double: exact values, the grammar it refuses, and agreement with
 * strtod bit for bit over many random numbers in the forms CSV exports write.
 */
#include "check.h"
#include "numparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double parse(const char *s)
{
	double v = -12345.678;

	CHECK_INT(numparse_double(s, strlen(s), &v), 0);
	return v;
}

static void refuse(const char *s)
{
	double v = 42;

	if (numparse_double(s, strlen(s), &v) != -1)
		check_fail(__FILE__, __LINE__, "accepted \"%s\" as %g", s, v);
	CHECK(v == 42);
}

TEST(parses_plain_numbers)
{
	CHECK(parse("30") == 30.0);
	CHECK(parse("30.0") == 30.0);
	CHECK(parse("-2.5") == -2.5);
	CHECK(parse("+7") == 7.0);
	CHECK(parse(".5") == 0.5);
	CHECK(parse("5.") == 5.0);
	CHECK(parse("0") == 0.0);
	CHECK(parse("0.1") == 0.1);
	CHECK(parse("1e3") == 1000.0);
	CHECK(parse("1.5E-3") == 0.0015);
	CHECK(parse("28799.75") == 28799.75);
	CHECK(parse("000123.4500") == 123.45);
}

TEST(zero_keeps_its_sign)
{
	CHECK(signbit(parse("-0.0")));
	CHECK(!signbit(parse("0.000")));
}

TEST(long_and_extreme_numbers_fall_back_exactly)
{
	CHECK(parse("9007199254740993") == 9007199254740992.0); /* 2^53 + 1 rounds to even */
	CHECK(parse("0.1000000000000000055511151231257827") == 0.1);
	CHECK(parse("1e-300") == 1e-300);
	CHECK(parse("1.7976931348623157e308") == 1.7976931348623157e308);
	CHECK(parse("12345678901234567890123") == 12345678901234567890123.0);
	CHECK(parse("1e-400") == 0.0);
}

TEST(refuses_what_is_not_a_finite_decimal)
{
	refuse("");
	refuse("abc");
	refuse("-");
	refuse(".");
	refuse("1e");
	refuse("1e+");
	refuse("1.2.3");
	refuse("12abc");
	refuse(" 12");
	refuse("12 ");
	refuse("nan");
	refuse("inf");
	refuse("-infinity");
	refuse("0x10");
	refuse("1e400");
	refuse("1,5");
}

TEST(reads_only_len_bytes)
{
	double v = 0;

	CHECK_INT(numparse_double("12.5xyz", 4, &v), 0);
	CHECK(v == 12.5);
}

static void same_as_strtod(const char *text)
{
	double ours = 0, theirs = strtod(text, NULL);

	if (numparse_double(text, strlen(text), &ours) != 0 || memcmp(&ours, &theirs, sizeof(ours)) != 0)
		check_fail(__FILE__, __LINE__, "\"%s\": got %.17g, strtod %.17g", text, ours, theirs);
}

TEST(round_trips_against_strtod)
{
	char text[64];

	srand(12345);
	for (int i = 0; i < 200000; i++) {
		double x = (double)rand() / RAND_MAX * pow(10, rand() % 12 - 3);
		int precision = 1 + rand() % 17;

		snprintf(text, sizeof(text), "%.*f", precision % 8, x);
		same_as_strtod(text);
		snprintf(text, sizeof(text), "%.*g", precision, -x);
		same_as_strtod(text);
		snprintf(text, sizeof(text), "%.*e", precision, x * 1e-10);
		same_as_strtod(text);
	}
}

/* numparse_double (word-at-a-time for <= 8 bytes, then the byte loop) against the general parser
 * on every string of up to 5 bytes over an alphabet of digits, '.', signs, 'e' and a space, and on
 * random strings of 6 to 9 such bytes: same verdict, same double (bit for bit). */
static int differs(const char *text, size_t len)
{
	double fast = 1234.5, general = 1234.5;
	int rc_fast = numparse_double(text, len, &fast), rc_general = numparse_double_general(text, len, &general);
	if (rc_fast != rc_general || memcmp(&fast, &general, sizeof fast) != 0) {
		fprintf(stderr, "\"%.*s\": fast %d %.17g, general %d %.17g\n", (int)len, text, rc_fast, fast,
			rc_general, general);
		return 1;
	}
	return 0;
}

TEST(short_fields_agree_with_the_general_parser)
{
	static const char alphabet[] = "0123456789.-+e ";
	const int k = (int)sizeof alphabet - 1;
	char text[16];
	int mismatches = 0;
	long tried = 0;

	for (int len = 1; len <= 5; len++) {
		long total = 1;
		for (int i = 0; i < len; i++)
			total *= k;
		for (long code = 0; code < total; code++, tried++) {
			long c = code;
			for (int i = 0; i < len; i++, c /= k)
				text[i] = alphabet[c % k];
			mismatches += differs(text, (size_t)len);
		}
	}
	unsigned long long state = 99;
	for (int i = 0; i < 300000; i++, tried++) {
		size_t len = 6 + i % 4;
		for (size_t j = 0; j < len; j++) {
			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			unsigned r = (unsigned)(state >> 33);
			text[j] = r % 8 == 0 ? alphabet[10 + r / 8 % 5] : (char)('0' + r / 8 % 10); /* mostly digits */
		}
		mismatches += differs(text, len);
	}
	CHECK_INT(mismatches, 0);
	CHECK(tried > 800000);
	double x;
	CHECK_INT(numparse_double("28799.75", 8, &x), 0);
	CHECK_DOUBLE(x, 28799.75, 0);
	CHECK_INT(numparse_double("0.176", 5, &x), 0);
	CHECK_DOUBLE(x, 0.176, 0);
	CHECK_INT(numparse_double("99999999", 8, &x), 0);
	CHECK_DOUBLE(x, 99999999.0, 0);
	CHECK_INT(numparse_double(".5", 2, &x), 0);
	CHECK_DOUBLE(x, 0.5, 0);
	CHECK_INT(numparse_double("7.", 2, &x), 0);
	CHECK_DOUBLE(x, 7.0, 0);
	CHECK_INT(numparse_double("1.2.3", 5, &x), -1);
	CHECK_INT(numparse_double(".", 1, &x), -1);
	CHECK_INT(numparse_double("12\x80" "4", 4, &x), -1);
}
