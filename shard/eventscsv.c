/*
 * eventscsv.c — writing events.csv (see eventscsv.h). Every value is a canonical name or a number,
 * so nothing is quoted.
 */
#include "eventscsv.h"

#include <string.h>

#include "canon.h"
#include "numfmt.h"

/* The decimal digits of v into buf; returns how many. */
static size_t integer(size_t v, char *buf)
{
	char digits[24];
	size_t n = 0, len = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		buf[len++] = digits[--n];
	return len;
}

/* numfmt_double's text for x, directly when x is a decimal of at most 3 places (times in exports
 * are, and numfmt's general path was half of this file's cost). x = k / 1000 exactly as doubles
 * means the 3-place decimal reads back as x; no decimal with fewer digits does (doubles below
 * 10^12 are closer than 0.001 apart), and in this range %.15g prints it without an exponent, so
 * the text is numfmt's. */
static size_t number(double x, char *buf)
{
	long long k;
	size_t len, frac = 3;

	if (!(x == 0 || (x >= 0.001 && x < 1e12)))
		return numfmt_double(x, buf);
	k = (long long)(x * 1000 + 0.5); /* x >= 0 here; no libm in the shard (see the Makefile) */
	if ((double)k / 1000 != x)
		return numfmt_double(x, buf);
	while (frac > 0 && k % 10 == 0)
		k /= 10, frac--;
	len = integer((size_t)k, buf);
	if (frac == 0)
		return len;
	while (len <= frac) { /* 0.05: pad to "005" first */
		memmove(buf + 1, buf, len);
		buf[0] = '0';
		len++;
	}
	memmove(buf + len - frac + 1, buf + len - frac, frac);
	buf[len - frac] = '.';
	return len + 1;
}

/* A row built in one buffer and written with one fwrite (fprintf's format parsing cost more than
 * the numbers, as in epochscsv.c). */
static void put_row(FILE *fp, int s, size_t i, const struct raw_event *ev, const struct pairing_result *pairing)
{
	char row[3 * NUMFMT_MAX + 64];
	const char *source = canon_source_name(s), *event = canon_event_name(ev->type);
	int32_t pair = pairing && pairing->partner[s] ? pairing->partner[s][i] : PAIRING_NONE;
	size_t len = strlen(source), n;

	memcpy(row, source, len);
	row[len++] = ',';
	len += integer(i, row + len);
	row[len++] = ',';
	len += number(ev->onset, row + len);
	row[len++] = ',';
	len += number(ev->duration, row + len);
	row[len++] = ',';
	n = strlen(event);
	memcpy(row + len, event, n);
	len += n;
	row[len++] = ',';
	if (pair != PAIRING_NONE)
		len += integer((size_t)pair, row + len);
	row[len++] = '\n';
	fwrite(row, 1, len, fp);
}

void eventscsv_write(FILE *fp, const struct event_list *const events[SOURCE_COUNT],
		     const struct pairing_result *pairing)
{
	fputs(EVENTSCSV_HEADER, fp);
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (size_t i = 0; events[s] && i < events[s]->n; i++)
			put_row(fp, s, i, &events[s]->items[i], pairing);
}
