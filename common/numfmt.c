/*
 * numfmt.c — shortest round-trip formatting of doubles (see numfmt.h).
 *
 * The text is defined as the first of "%.15g", "%.16g", "%.17g" that strtod reads back exactly
 * (17 digits always do). Computing that with snprintf + strtod costs up to three of each per value
 * — ~10 % of the shard's CPU for the ~1,000 motion means of a night — so the same answer is
 * computed here in integer arithmetic, exactly:
 *
 *   x = m2 · 2^-k (m2 the 53-bit significand). Rounded to P digits with decimal exponent e10,
 *   x · 10^s (s = P-1-e10) = m2 · 10^s / 2^k, whose quotient q and remainder r are exact in 128
 *   bits while s <= 22 and k <= 120. The P digits are q rounded half-to-even on r (as glibc's
 *   printf rounds), and they read back to x exactly when their distance to x, |M·2^k - m2·10^s|,
 *   is below half an ulp of x: 2·dist < 10^s (4·dist below a power of two, where the next double
 *   down is closer), a tie going to x when its significand is even (strtod rounds half-to-even).
 *
 * Values outside that range (|x| >= 2^52 or tiny, subnormal, ...) take the snprintf + strtod
 * loop, which defines the output; tests/unit/test_common.c checks both agree on millions of values.
 */
#include "numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_PRECISION 15
#define LAST_PRECISION 17 /* always enough for a double to round-trip */
#define MAX_SCALE 22      /* 2^53 · 10^22 < 2^127 */
#define MAX_SHIFT 120     /* 2 · dist < 2^121: no overflow in the round-trip test */

typedef unsigned __int128 u128;

static const uint64_t pow10_u64[20] = {
	1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
	10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
	1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
	10000000000000000000u,
};

static u128 pow10_wide(int s)
{
	return s < 20 ? (u128)pow10_u64[s] : (u128)pow10_u64[19] * pow10_u64[s - 19];
}

/* The definition: snprintf at 15, 16, 17 digits until strtod gives x back. */
static size_t format_with_libc(double x, char *buf)
{
	int n = 0;

	for (int precision = FIRST_PRECISION; precision <= LAST_PRECISION; precision++) {
		n = snprintf(buf, NUMFMT_MAX, "%.*g", precision, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return (size_t)n;
}

/* x's value as m2 · 2^-k. */
struct binary {
	uint64_t m2;
	int k;
	bool power_of_two; /* m2 = 2^52: the next double down is half as far */
};

/* x rounded to `precision` digits: *digits (exactly that many, trailing zeros included) times
 * 10^(*e10 - precision + 1). Returns 1 when they read back to x, 0 when not, -1 when x is outside
 * the exact range (the caller uses libc). *e10 is a guess on entry (off by one is fine). */
static int round_to_digits(const struct binary *b, int precision, int *e10, uint64_t *digits)
{
	for (;;) {
		int s = precision - 1 - *e10;
		if (s < 0 || s > MAX_SCALE)
			return -1;
		u128 scaled = (u128)b->m2 * pow10_wide(s);
		u128 one = (u128)1 << b->k, half = one >> 1;
		u128 q = scaled >> b->k, r = scaled & (one - 1), dist;
		if (q < pow10_u64[precision - 1]) {
			--*e10;
			continue;
		}
		if (q >= pow10_u64[precision]) {
			++*e10;
			continue;
		}
		uint64_t m = (uint64_t)q;
		bool up = r > half || (r == half && (m & 1));
		if (up) {
			m++;
			dist = one - r;
		} else {
			dist = r;
		}
		u128 limit = pow10_wide(s), twice = 2 * dist;
		if (!up && r != 0 && b->power_of_two)
			twice = 4 * dist; /* below a power of two the neighbour is twice as close */
		bool reads_back = twice < limit || (twice == limit && (b->m2 & 1) == 0);
		if (m == pow10_u64[precision]) { /* 9.99... rounded up to 10.0... */
			m /= 10;
			++*e10;
		}
		*digits = m;
		return reads_back;
	}
}

/* "%.{precision}g" of the value digits · 10^(e10 - precision + 1), sign given apart. */
static size_t format_like_g(bool negative, uint64_t digits, int e10, int precision, char *buf)
{
	char d[LAST_PRECISION + 1];
	int nd = precision;
	size_t at = 0;

	for (int i = precision - 1; i >= 0; i--, digits /= 10)
		d[i] = (char)('0' + digits % 10);
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	if (negative)
		buf[at++] = '-';
	if (e10 < -4 || e10 >= precision) {
		buf[at++] = d[0];
		if (nd > 1) {
			buf[at++] = '.';
			memcpy(buf + at, d + 1, (size_t)nd - 1);
			at += (size_t)nd - 1;
		}
		int shown = e10 < 0 ? -e10 : e10;
		buf[at++] = 'e';
		buf[at++] = e10 < 0 ? '-' : '+';
		if (shown >= 100)
			buf[at++] = (char)('0' + shown / 100);
		buf[at++] = (char)('0' + shown / 10 % 10);
		buf[at++] = (char)('0' + shown % 10);
	} else if (e10 >= 0) {
		for (int i = 0; i <= e10; i++)
			buf[at++] = i < nd ? d[i] : '0';
		if (nd > e10 + 1) {
			buf[at++] = '.';
			memcpy(buf + at, d + e10 + 1, (size_t)(nd - e10 - 1));
			at += (size_t)(nd - e10 - 1);
		}
	} else {
		buf[at++] = '0';
		buf[at++] = '.';
		for (int i = 0; i < -e10 - 1; i++)
			buf[at++] = '0';
		memcpy(buf + at, d, (size_t)nd);
		at += (size_t)nd;
	}
	buf[at] = '\0';
	return at;
}

/* Split a normal double into m2 · 2^-k; false when k would be out of 1..MAX_SHIFT. */
static bool split(double x, struct binary *b)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	int biased = (int)(bits >> 52 & 0x7ff);
	if (biased == 0)
		return false; /* subnormal (zero is handled before) */
	b->m2 = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
	b->k = 1075 - biased;
	b->power_of_two = b->m2 == UINT64_C(1) << 52;
	return b->k >= 1 && b->k <= MAX_SHIFT;
}

size_t numfmt_double(double x, char *buf)
{
	struct binary b;

	if (!isfinite(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (x == 0) { /* no "-0" */
		memcpy(buf, "0", 2);
		return 1;
	}
	if (!split(x, &b))
		return format_with_libc(x, buf);
	/* x is in [2^e2, 2^(e2+1)): its decimal exponent is floor(e2·log10(2)) or one more, and
	 * round_to_digits corrects a guess that is one off (no log10: the shard needs no libm) */
	int e2 = 52 - b.k;
	int e10 = e2 >= 0 ? e2 * 30103 / 100000 : -((-e2 * 30103 + 99999) / 100000);
	for (int precision = FIRST_PRECISION; precision <= LAST_PRECISION; precision++) {
		uint64_t digits;
		int rc = round_to_digits(&b, precision, &e10, &digits);
		if (rc < 0)
			break;
		if (rc == 1)
			return format_like_g(signbit(x), digits, e10, precision, buf);
	}
	return format_with_libc(x, buf);
}
