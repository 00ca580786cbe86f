/*
 * eventscsv.c — writing events.csv (see eventscsv.h). Every value is a canonical name or a number,
 * so nothing is quoted.
 */
#include "eventscsv.h"

#include <string.h>

#include "canon.h"
#include "numfmt.h"

/* "00" "01" ... "99": integers are written two digits at a time. */
static const char two_digits[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";

/* The decimal digits of v into buf; returns how many. */
static size_t integer(size_t v, char *buf)
{
	char digits[24], *end = digits + sizeof digits, *p = end;
	size_t len = 0;

	while (v >= 100) {
		p -= 2;
		memcpy(p, two_digits + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, two_digits + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	while (p < end)
		buf[len++] = *p++;
	return len;
}

/* numfmt_double's text for x, directly when x is a decimal of at most 3 places (times in exports
 * are, and numfmt's general path was half of this file's cost). x = k / 1000 exactly as doubles
 * means the 3-place decimal reads back as x; no decimal with fewer digits does (doubles below
 * 10^12 are closer than 0.001 apart), and in this range %.15g prints it without an exponent, so
 * the text is numfmt's: the whole part, then the thousandths without their trailing zeros. */
static size_t number(double x, char *buf)
{
	long long k;
	unsigned frac;
	size_t len;

	if (!(x == 0 || (x >= 0.001 && x < 1e12)))
		return numfmt_double(x, buf);
	k = (long long)(x * 1000 + 0.5); /* x >= 0 here; no libm in the shard (see the Makefile) */
	if ((double)k / 1000 != x)
		return numfmt_double(x, buf);
	len = integer((size_t)(k / 1000), buf);
	frac = (unsigned)(k % 1000);
	if (frac) {
		buf[len++] = '.';
		buf[len++] = (char)('0' + frac / 100);
		if (frac % 100) {
			buf[len++] = (char)('0' + frac / 10 % 10);
			if (frac % 10)
				buf[len++] = (char)('0' + frac % 10);
		}
	}
	return len;
}

#define ROW_MAX (3 * NUMFMT_MAX + 64)
#define NAME_MAX_LEN 16 /* "predictions", "RERA": the canonical names, padded */

/* The source and event names with their lengths, padded to NAME_MAX_LEN so that each is copied
 * with one fixed-size copy (a strlen and a memcpy call a name were a fifth of a row's cost). */
struct names {
	char source[SOURCE_COUNT][NAME_MAX_LEN], event[EVENT_COUNT][NAME_MAX_LEN];
	size_t source_len[SOURCE_COUNT], event_len[EVENT_COUNT];
};

static void names_make(struct names *nm)
{
	memset(nm, 0, sizeof(*nm));
	for (int s = 0; s < SOURCE_COUNT; s++) {
		nm->source_len[s] = strlen(canon_source_name(s));
		memcpy(nm->source[s], canon_source_name(s), nm->source_len[s]);
	}
	for (int t = 0; t < EVENT_COUNT; t++) {
		nm->event_len[t] = strlen(canon_event_name(t));
		memcpy(nm->event[t], canon_event_name(t), nm->event_len[t]);
	}
}

/* A row appended at row (ROW_MAX bytes free); returns its length. Built by hand: fprintf's format
 * parsing cost more than the numbers, as in epochscsv.c. */
static size_t put_row(char *row, const struct names *nm, int s, size_t i, const struct raw_event *ev,
		      const struct pairing_result *pairing)
{
	int32_t pair = pairing && pairing->partner[s] ? pairing->partner[s][i] : PAIRING_NONE;
	int t = ev->type < EVENT_COUNT ? ev->type : EVENT_COUNT - 1; /* always a class (streams.c) */
	size_t len = nm->source_len[s];

	memcpy(row, nm->source[s], NAME_MAX_LEN);
	row[len++] = ',';
	len += integer(i, row + len);
	row[len++] = ',';
	len += number(ev->onset, row + len);
	row[len++] = ',';
	len += number(ev->duration, row + len);
	row[len++] = ',';
	memcpy(row + len, nm->event[t], NAME_MAX_LEN);
	len += nm->event_len[t];
	row[len++] = ',';
	if (pair != PAIRING_NONE)
		len += integer((size_t)pair, row + len);
	row[len++] = '\n';
	return len;
}

void eventscsv_write(FILE *fp, const struct event_list *const events[SOURCE_COUNT],
		     const struct pairing_result *pairing)
{
	char chunk[8192]; /* rows go to fp 8 KB at a time (a night's ~200 events: one or two writes) */
	size_t used = 0;
	struct names nm;

	names_make(&nm);
	fputs(EVENTSCSV_HEADER, fp);
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (size_t i = 0; events[s] && i < events[s]->n; i++) {
			if (sizeof chunk - used < ROW_MAX + NAME_MAX_LEN) {
				fwrite(chunk, 1, used, fp);
				used = 0;
			}
			used += put_row(chunk + used, &nm, s, i, &events[s]->items[i], pairing);
		}
	fwrite(chunk, 1, used, fp);
}
