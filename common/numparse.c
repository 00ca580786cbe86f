/*
 * numparse.c — exact, fast decimal → double (see numparse.h).
 *
 * Why not plain strtod: it needs a NUL-terminated copy, honours the locale and is several times
 * slower on the short numbers of a position stream (100,000 rows a night). Clinger's fast path:
 * when the decimal mantissa m fits in 53 bits and the power of ten |k| <= 22, both m and 10^k are
 * exact doubles, so m * 10^k (or m / 10^-k) is one correctly rounded IEEE operation — the exact
 * answer. Everything else (long mantissas, large exponents) goes to strtod on a NUL-terminated
 * copy, after our own grammar check has made sure strtod sees only a plain decimal.
 */
#include "numparse.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXACT_MANTISSA NUMPARSE_MAX_EXACT_MANTISSA
#define MAX_EXACT_POW10 NUMPARSE_MAX_EXACT_POW10
#define MAX_MANTISSA_DIGITS NUMPARSE_MAX_DIGITS
#define MAX_EXPONENT_DIGITS 6  /* beyond any double; more digits only mean "out of range" */
#define STACK_COPY 128

const double numparse_pow10[NUMPARSE_MAX_EXACT_POW10 + 1] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A decimal split into its parts by scan_decimal(). */
struct decimal {
	bool negative;
	uint64_t mantissa;   /* significant digits, leading zeros dropped */
	int digits;          /* how many significant digits went into mantissa */
	bool truncated;      /* more than MAX_MANTISSA_DIGITS significant digits: use strtod */
	long exponent;       /* value = mantissa * 10^exponent (when not truncated) */
};

static inline bool is_digit(char c)
{
	return numparse_is_digit(c);
}

/* Add one digit to the mantissa (or note that it no longer fits). */
static inline void take_digit(struct decimal *d, char c, bool after_point)
{
	if (d->mantissa == 0 && c == '0') {
		if (after_point)
			d->exponent--;
		return;
	}
	if (d->digits < MAX_MANTISSA_DIGITS) {
		d->mantissa = d->mantissa * 10 + (uint64_t)(c - '0');
		d->digits++;
		if (after_point)
			d->exponent--;
	} else {
		d->truncated = true;
		if (!after_point)
			d->exponent++;
	}
}

/* Parse the exponent part after 'e'/'E'. Returns the index after it, or 0 when malformed. */
static size_t scan_exponent(const char *s, size_t len, size_t i, long *exponent)
{
	bool negative = false;
	long value = 0;
	size_t start;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		negative = s[i++] == '-';
	start = i;
	for (; i < len && is_digit(s[i]); i++)
		if (i - start < MAX_EXPONENT_DIGITS)
			value = value * 10 + (s[i] - '0');
	if (i == start)
		return 0;
	if (i - start > MAX_EXPONENT_DIGITS)
		value = 9999999; /* far out of range either way; strtod decides 0 or overflow */
	*exponent += negative ? -value : value;
	return i;
}

/* Check the grammar and split s into a struct decimal. 0, or -1 when s is not a decimal. */
static int scan_decimal(const char *s, size_t len, struct decimal *d)
{
	size_t i = 0;
	int int_digits = 0, frac_digits = 0;

	memset(d, 0, sizeof(*d));
	if (i < len && (s[i] == '+' || s[i] == '-'))
		d->negative = s[i++] == '-';
	for (; i < len && is_digit(s[i]); i++, int_digits++)
		take_digit(d, s[i], false);
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit(s[i]); i++, frac_digits++)
			take_digit(d, s[i], true);
	if (int_digits + frac_digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i = scan_exponent(s, len, i + 1, &d->exponent);
		if (i == 0)
			return -1;
	}
	return i == len ? 0 : -1;
}

/* The slow, always-exact path: strtod on a NUL-terminated copy of an already validated decimal. */
static int parse_with_strtod(const char *s, size_t len, double *out)
{
	char stack[STACK_COPY];
	char *copy = len < sizeof(stack) ? stack : malloc(len + 1);
	double value;

	if (!copy)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	value = strtod(copy, NULL);
	if (copy != stack)
		free(copy);
	if (!isfinite(value))
		return -1;
	*out = value;
	return 0;
}

int numparse_double_general(const char *s, size_t len, double *out)
{
	struct decimal d;
	double value;

	if (len == 0)
		return -1;
	if (scan_decimal(s, len, &d) < 0)
		return -1;
	if (d.mantissa == 0 && !d.truncated) {
		*out = d.negative ? -0.0 : 0.0;
		return 0;
	}
	if (d.truncated || d.mantissa > MAX_EXACT_MANTISSA || d.exponent > MAX_EXACT_POW10 ||
	    d.exponent < -MAX_EXACT_POW10)
		return parse_with_strtod(s, len, out);
	value = (double)d.mantissa;
	value = d.exponent >= 0 ? value * numparse_pow10[d.exponent] : value / numparse_pow10[-d.exponent];
	*out = d.negative ? -value : value;
	return 0;
}

/* Fast path (Clinger): at most 19 digits and no exponent, so the integer mantissa m cannot
 * overflow; when m <= 2^53 and there are at most 22 fraction digits, m and 10^k are exact doubles
 * and m / 10^k is one correctly rounded division — the exact answer. */
int numparse_double_loop(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *digits;
	uint64_t mantissa = 0;
	unsigned digit;
	long frac_digits = 0;
	bool negative;
	double value;

	if (len == 0)
		return -1;
	negative = *p == '-';
	p += *p == '-' || *p == '+';
	digits = p;
	while (p < end && (digit = (unsigned char)(*p - '0')) < 10) {
		mantissa = mantissa * 10 + digit;
		p++;
	}
	if (p < end && *p == '.') {
		const char *point = p++;
		while (p < end && (digit = (unsigned char)(*p - '0')) < 10) {
			mantissa = mantissa * 10 + digit;
			p++;
		}
		frac_digits = p - point - 1;
		digits++; /* the point is no digit */
	}
	/* p - digits is now the number of digits */
	if (p != end || p == digits || p - digits > NUMPARSE_MAX_DIGITS || mantissa > NUMPARSE_MAX_EXACT_MANTISSA)
		return numparse_double_general(s, len, out);
	value = frac_digits ? (double)mantissa / numparse_pow10[frac_digits] : (double)mantissa;
	*out = negative ? -value : value;
	return 0;
}
