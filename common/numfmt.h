/*
 * numfmt.h — numbers as text the way every nightfan output writes them: the shortest decimal that
 * reads back to the same double ("0.1", "960", "1e-07"), never NaN or infinity.
 */
#ifndef NIGHTFAN_NUMFMT_H
#define NIGHTFAN_NUMFMT_H

#include <stddef.h>

#define NUMFMT_MAX 32

/* Write the shortest round-trip form of x into buf (size >= NUMFMT_MAX) and return its length.
 * Integral values print without a fraction ("960"). x must be finite (callers write null/empty
 * for what has no value); a non-finite x is written as "" and returns 0. */
size_t numfmt_double(double x, char *buf);

#endif
