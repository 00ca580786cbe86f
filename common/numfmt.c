/*
 * numfmt.c — shortest round-trip formatting of doubles (see numfmt.h).
 *
 * Tries %.15g, %.16g, %.17g and keeps the first that strtod reads back exactly: simple, exact, and
 * fast enough for outputs that hold thousands (not millions) of numbers.
 */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

size_t numfmt_double(double x, char *buf)
{
	int n = 0;

	if (!isfinite(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (x == 0)
		x = 0; /* no "-0" */
	for (int precision = 15; precision <= 17; precision++) {
		n = snprintf(buf, NUMFMT_MAX, "%.*g", precision, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return (size_t)n;
}
