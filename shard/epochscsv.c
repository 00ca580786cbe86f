/*
 * epochscsv.c — writing epochs.csv (see epochscsv.h). Every value is a night id, a number or a
 * canonical name, none of which holds a comma, quote or line break, so nothing is quoted.
 */
#include "epochscsv.h"

#include <stdio.h>
#include <string.h>

#include "canon.h"
#include "numfmt.h"

/* numfmt_double's text for x. Whole numbers (every onset on a whole-second grid) are printed
 * directly: numfmt's general path would cost more than the rest of the row. */
static void format_integer(long long v, char *buf)
{
	char digits[24];
	size_t n = 0, at = 0;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[at++] = '-';
	while (n > 0)
		buf[at++] = digits[--n];
	buf[at] = '\0';
}

static void format_number(double x, char *buf)
{
	if (x > -1e15 && x < 1e15 && x == (double)(long long)x) /* range first: the cast of a huge x is UB */
		format_integer((long long)x, buf);
	else
		numfmt_double(x, buf);
}

/* A row is built in one buffer and written with one fwrite: fprintf's format parsing cost more
 * than the rest of the file (measured with callgrind). */
struct row {
	char text[512];
	size_t len;
};

static void put(struct row *r, const char *s)
{
	size_t n = strlen(s);
	memcpy(r->text + r->len, s, n);
	r->len += n;
}

static void put_char(struct row *r, char c)
{
	r->text[r->len++] = c;
}

static void put_event(struct row *r, uint8_t event)
{
	if (event != EPOCHS_NO_EVENT)
		put(r, canon_event_name(event));
}

static void put_row(FILE *fp, const struct epochscsv_night *n, size_t k)
{
	char epoch[24], onset[NUMFMT_MAX], motion[NUMFMT_MAX] = "";
	struct row r = {.len = 0};
	double mean;
	long j = n->pred ? epochs_pred_of_label(n->alignment, k) : EPOCHS_NO_MATCH;

	format_integer((long long)k, epoch);
	format_number(n->labels->t0 + (double)k * n->epoch_seconds, onset);
	if (n->motion && epochs_motion(n->motion, k, &mean))
		numfmt_double(mean, motion);
	put(&r, n->night); /* a night id: at most 128 characters; the rest is bounded by NUMFMT_MAX */
	put_char(&r, ',');
	put(&r, epoch);
	put_char(&r, ',');
	put(&r, onset);
	put_char(&r, ',');
	put(&r, canon_stage_name(n->labels->stages[k]));
	put_char(&r, ',');
	if (j != EPOCHS_NO_MATCH)
		put(&r, canon_stage_name(n->pred->stages[j]));
	put_char(&r, ',');
	put(&r, canon_position_name(n->positions[k]));
	put_char(&r, ',');
	put(&r, motion);
	put_char(&r, ',');
	put_event(&r, n->event_label[k]);
	put_char(&r, ',');
	put_event(&r, n->event_pred[k]);
	put_char(&r, '\n');
	fwrite(r.text, 1, r.len, fp);
}

void epochscsv_write(FILE *fp, const struct epochscsv_night *n)
{
	fputs(EPOCHSCSV_HEADER, fp);
	for (size_t k = 0; k < n->labels->n; k++)
		put_row(fp, n, k);
}
