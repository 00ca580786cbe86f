/*
 * epochscsv.c — writing epochs.csv (see epochscsv.h). Every value is a night id, a number or a
 * canonical name, none of which holds a comma, quote or line break, so nothing is quoted.
 */
#include "epochscsv.h"

#include <stdio.h>

#include "canon.h"
#include "numfmt.h"

/* numfmt_double's text for x. Whole numbers (every onset on a whole-second grid) are printed
 * directly: numfmt's snprintf + strtod round trip would cost more than the rest of the row. */
static void format_number(double x, char *buf)
{
	/* range first: converting a double outside long long's range is undefined behaviour */
	if (x > -1e15 && x < 1e15 && x == (double)(long long)x)
		snprintf(buf, NUMFMT_MAX, "%lld", (long long)x);
	else
		numfmt_double(x, buf);
}

static void put_event(FILE *fp, uint8_t event)
{
	if (event != EPOCHS_NO_EVENT)
		fputs(canon_event_name(event), fp);
}

static void put_row(FILE *fp, const struct epochscsv_night *n, size_t k)
{
	char onset[NUMFMT_MAX], motion[NUMFMT_MAX] = "";
	double mean;
	long j = n->pred ? epochs_pred_of_label(n->alignment, k) : EPOCHS_NO_MATCH;

	format_number(n->labels->t0 + (double)k * n->epoch_seconds, onset);
	if (n->motion && epochs_motion(n->motion, k, &mean))
		numfmt_double(mean, motion);
	fprintf(fp, "%s,%zu,%s,%s,%s,%s,%s,", n->night, k, onset, canon_stage_name(n->labels->stages[k]),
		j == EPOCHS_NO_MATCH ? "" : canon_stage_name(n->pred->stages[j]),
		canon_position_name(n->positions[k]), motion);
	put_event(fp, n->event_label[k]);
	fputc(',', fp);
	put_event(fp, n->event_pred[k]);
	fputc('\n', fp);
}

void epochscsv_write(FILE *fp, const struct epochscsv_night *n)
{
	fputs(EPOCHSCSV_HEADER, fp);
	for (size_t k = 0; k < n->labels->n; k++)
		put_row(fp, n, k);
}
