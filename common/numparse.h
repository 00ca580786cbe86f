/*
 * numparse.h — decimal text → double, exactly (the same double strtod gives) and fast.
 *
 * Owns number parsing of CSV fields (onsets, durations, motion). JSON numbers are cJSON's business.
 * Grammar: optional sign, digits with an optional '.', at least one digit, optional exponent
 * (e|E, optional sign, digits). Spaces, hex, "nan", "inf", a lone "." or trailing text are refused.
 *
 * numparse_double() is inline on purpose: the shard calls it twice per position row (~230,000
 * times a night) and the common case — a short plain decimal like 28799.75 — is a dozen
 * instructions once the call is gone. Everything else goes to numparse_double_general().
 */
#ifndef NIGHTFAN_NUMPARSE_H
#define NIGHTFAN_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NUMPARSE_MAX_EXACT_MANTISSA (UINT64_C(1) << 53)
#define NUMPARSE_MAX_EXACT_POW10 22
#define NUMPARSE_MAX_DIGITS 19 /* 10^19 - 1 still fits in uint64_t */

extern const double numparse_pow10[NUMPARSE_MAX_EXACT_POW10 + 1]; /* 1e0 .. 1e22, all exact */

/* The full parser (any length, exponents, strtod fallback). Same contract as numparse_double. */
int numparse_double_general(const char *s, size_t len, double *out);

static inline bool numparse_is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* Parse exactly the len bytes at s (no NUL needed). Returns 0 and sets *out, or -1 (empty, not a
 * decimal number, or out of the finite double range); *out is untouched on failure.
 *
 * Fast path (Clinger): at most 19 digits and no exponent, so the integer mantissa m cannot
 * overflow; when m <= 2^53 and there are at most 22 fraction digits, m and 10^k are exact doubles
 * and m / 10^k is one correctly rounded division — the exact answer. */
static inline int numparse_double(const char *s, size_t len, double *out)
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

#endif
