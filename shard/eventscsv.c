/*
 * eventscsv.c — writing events.csv (see eventscsv.h). Every value is a canonical name or a number,
 * so nothing is quoted.
 */
#include "eventscsv.h"

#include "canon.h"
#include "numfmt.h"

static void put_row(FILE *fp, int s, size_t i, const struct raw_event *ev, const struct pairing_result *pairing)
{
	char onset[NUMFMT_MAX], duration[NUMFMT_MAX];
	int32_t pair = pairing && pairing->partner[s] ? pairing->partner[s][i] : PAIRING_NONE;

	numfmt_double(ev->onset, onset);
	numfmt_double(ev->duration, duration);
	fprintf(fp, "%s,%zu,%s,%s,%s,", canon_source_name(s), i, onset, duration, canon_event_name(ev->type));
	if (pair != PAIRING_NONE)
		fprintf(fp, "%d", (int)pair);
	fputc('\n', fp);
}

void eventscsv_write(FILE *fp, const struct event_list *const events[SOURCE_COUNT],
		     const struct pairing_result *pairing)
{
	fputs(EVENTSCSV_HEADER, fp);
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (size_t i = 0; events[s] && i < events[s]->n; i++)
			put_row(fp, s, i, &events[s]->items[i], pairing);
}
