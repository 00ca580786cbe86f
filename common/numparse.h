/*
 * numparse.h — decimal text → double, exactly (the same double strtod gives) and fast.
 *
 * Owns number parsing of CSV fields (onsets, durations, motion). JSON numbers are cJSON's business.
 * Grammar: optional sign, digits with an optional '.', at least one digit, optional exponent
 * (e|E, optional sign, digits). Spaces, hex, "nan", "inf", a lone "." or trailing text are refused.
 *
 * numparse_double() is inline on purpose: the shard calls it twice per position row (~230,000
 * times a night). A field of at most 8 bytes holding only digits and at most one '.' (28799.75,
 * 0.176) is read as one 64-bit word and converted without a loop over its bytes (SWAR: ~30
 * instructions instead of ~100; the digits-to-integer step is Wojciech Muła's, as in simdjson).
 * Anything else takes the byte loop, and beyond it numparse_double_general(). All three give the
 * same double for the same text.
 */
#ifndef NIGHTFAN_NUMPARSE_H
#define NIGHTFAN_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NUMPARSE_SWAR 1

/* The len bytes at s (1..8) XOR '0' (so digits become 0..9), s[0] in the lowest byte, zeros above;
 * reads nothing outside them. */
static inline uint64_t numparse_load_digits(const char *s, size_t len)
{
	if (len >= 4) {
		uint32_t head, tail;
		memcpy(&head, s, 4);
		memcpy(&tail, s + len - 4, 4); /* overlaps head when len < 8: the same bytes, OR-ed */
		return (head ^ UINT32_C(0x30303030)) | (uint64_t)(tail ^ UINT32_C(0x30303030)) << (8 * (len - 4));
	}
	return (uint64_t)((unsigned char)s[0] ^ '0') | (uint64_t)((unsigned char)s[len / 2] ^ '0') << (8 * (len / 2)) |
	       (uint64_t)((unsigned char)s[len - 1] ^ '0') << (8 * (len - 1));
}

/* 1..8 digit values (0..9), the first (most significant) in the lowest byte, as an integer. */
static inline uint64_t numparse_swar_digits(uint64_t digits, size_t n)
{
	uint64_t v = digits << (8 * (8 - n)); /* leading zeros in the low bytes */
	v = (v * 10) + (v >> 8);              /* pairs */
	v = (((v & 0x000000FF000000FFu) * (100 + (UINT64_C(1000000) << 32))) +
	     (((v >> 16) & 0x000000FF000000FFu) * (1 + (UINT64_C(10000) << 32)))) >> 32;
	return (uint32_t)v;
}

/* The core of numparse_swar_decimal: t is the len bytes at s as numparse_load_digits gives them. */
static inline __attribute__((always_inline)) int numparse_swar_split(uint64_t t, const char *s, size_t len,
								      uint64_t *mantissa, size_t *frac)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	size_t n = len;

	*frac = 0;
	uint64_t above9 = (((t & (ones * 0x7f)) + ones * 0x76) | t) & (ones * 0x80);
	if (above9) {
		size_t point = (size_t)__builtin_ctzll(above9) >> 3;
		uint64_t before = (UINT64_C(1) << (8 * point)) - 1;
		if (s[point] != '.' || (above9 & (above9 - 1)) || len == 1)
			return -1;
		n = len - 1;
		*frac = n - point;
		t = (t & before) | ((t >> 8) & ~before); /* the point taken out */
	}
	*mantissa = numparse_swar_digits(t, n);
	return 0;
}

/* The fast case split in two: 1..8 bytes of digits with at most one '.', at least one digit, as
 * the integer of its digits and the number of digits after the point (value = *mantissa /
 * 10^*frac, never negative, *frac <= 7). 0, or -1 when s is anything else. For a caller that can
 * use the integer without the division (the shard's epoch of a position sample). */
static inline __attribute__((always_inline)) int numparse_swar_decimal(const char *s, size_t len, uint64_t *mantissa,
									size_t *frac)
{
	/* bytes past len: 0, which passes for a digit */
	return numparse_swar_split(numparse_load_digits(s, len), s, len, mantissa, frac);
}

/* numparse_swar_decimal for a caller that knows the 8 bytes at s are readable (len, 1..8, may be
 * less: the bytes past it are masked off): one load instead of two or three. */
static inline __attribute__((always_inline)) int numparse_swar_decimal_padded(const char *s, size_t len,
									       uint64_t *mantissa, size_t *frac)
{
	uint64_t word, keep = ~UINT64_C(0) >> (64 - 8 * len); /* len is 1..8 */

	memcpy(&word, s, 8);
	return numparse_swar_split((word ^ UINT64_C(0x3030303030303030)) & keep, s, len, mantissa, frac);
}

/* The decimal of numparse_swar_decimal as the double numparse_double gives for it. */
static inline double numparse_swar_value(uint64_t mantissa, size_t frac)
{
	return frac ? (double)mantissa / numparse_pow10[frac] : (double)mantissa;
}

/* The fast case: 0, or -1 when s is anything else (the caller then takes the byte loop). */
static inline __attribute__((always_inline)) int numparse_swar(const char *s, size_t len, double *out)
{
	uint64_t mantissa;
	size_t frac;

	if (numparse_swar_decimal(s, len, &mantissa, &frac) < 0)
		return -1;
	*out = numparse_swar_value(mantissa, frac);
	return 0;
}
#endif

/* The byte loop (numparse.c) for what numparse_swar does not take. Same contract. */
int numparse_double_loop(const char *s, size_t len, double *out);

/* Parse exactly the len bytes at s (no NUL needed). Returns 0 and sets *out, or -1 (empty, not a
 * decimal number, or out of the finite double range); *out is untouched on failure. */
static inline __attribute__((always_inline)) int numparse_double(const char *s, size_t len, double *out)
{
#ifdef NUMPARSE_SWAR
	if (len - 1 < 8 && numparse_swar(s, len, out) == 0)
		return 0;
#endif
	return numparse_double_loop(s, len, out);
}

#endif
