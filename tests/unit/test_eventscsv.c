/*
 * test_eventscsv.c — events.csv's rows: the layout, the pair column, and its numbers' fast path
 * against numfmt_double (the definition) on random values of 0-3 decimals and on others.
 */
#include "check.h"
#include "shard/eventscsv.h"
#include "numfmt.h"

#include <stdlib.h>
#include <string.h>

TEST(rows_and_pairs)
{
	struct raw_event l[] = {{170, 2, 1, EVENT_H, 12}, {165.25, 3, 1, EVENT_OA, 0.05}};
	struct raw_event p[] = {{168, 2, 1, EVENT_H, 10}};
	struct event_list ll = {"l.csv", l, 2, 2}, pl = {"p.csv", p, 1, 1};
	const struct event_list *const ev[SOURCE_COUNT] = {&ll, &pl};
	int32_t lp[] = {0, PAIRING_NONE}, pp[] = {0};
	struct pairing_result r = {.partner = {lp, pp}};
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	eventscsv_write(fp, ev, &r);
	fclose(fp);
	CHECK_STR(text, "source,index,onset,duration,event,pair\nlabels,0,170,12,H,0\nlabels,1,165.25,0.05,OA,\n"
			"predictions,0,168,10,H,0\n");
	free(text);
}

TEST(numbers_are_numfmt_s)
{
	enum { N = 200000 };
	struct raw_event *items = calloc(N, sizeof(*items));
	struct event_list list = {"x.csv", items, N, N};
	const struct event_list *const ev[SOURCE_COUNT] = {&list, NULL};
	unsigned long long state = 42;
	char *text = NULL, *line, want[2 * NUMFMT_MAX + 8], a[NUMFMT_MAX], b[NUMFMT_MAX];
	size_t size = 0, i = 0;
	FILE *fp;

	for (size_t k = 0; k < N; k++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned long long r = state >> 20;
		switch (k % 4) {
		case 0: items[k].onset = (double)(r % 100000000) / 1000; break;  /* 3 decimals */
		case 1: items[k].onset = (double)(r % 1000000) / 10; break;      /* 1 decimal */
		case 2: items[k].onset = (double)(r % 5000) / 1e6; break;        /* below 0.001 */
		default: items[k].onset = (double)r / 7.0; break;                /* no short decimal */
		}
		items[k].duration = (double)(r % 100000) / 100;
	}
	fp = open_memstream(&text, &size);
	eventscsv_write(fp, ev, NULL);
	fclose(fp);
	line = strchr(text, '\n') + 1;
	for (; i < N && *line; i++) {
		char *end = strchr(line, '\n');
		numfmt_double(items[i].onset, a);
		numfmt_double(items[i].duration, b);
		snprintf(want, sizeof want, "labels,%zu,%s,%s,", i, a, b);
		if (strncmp(line, want, strlen(want)) != 0) {
			*end = '\0';
			CHECK_STR(line, want);
			break;
		}
		line = end + 1;
	}
	CHECK_INT(i, N);
	free(text);
	free(items);
}
