/*
 * numparse.h — decimal text → double, exactly (the same double strtod gives) and fast.
 *
 * Owns number parsing of CSV fields (onsets, durations, motion). JSON numbers are cJSON's business.
 * Grammar: optional sign, digits with an optional '.', at least one digit, optional exponent
 * (e|E, optional sign, digits). Spaces, hex, "nan", "inf", a lone "." or trailing text are refused.
 */
#ifndef NIGHTFAN_NUMPARSE_H
#define NIGHTFAN_NUMPARSE_H

#include <stddef.h>

/* Parse exactly the len bytes at s (no NUL needed). Returns 0 and sets *out, or -1 (empty, not a
 * decimal number, or out of the finite double range); *out is untouched on failure. */
int numparse_double(const char *s, size_t len, double *out);

#endif
