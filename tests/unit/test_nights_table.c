/*
 * test_nights_table.c — the worst nights kept while the nights are read (merge/nights_table.h):
 * which nights each list holds as nights arrive (largest |AHI difference|, ties to the earlier
 * night, nights pushed out dropped), that the kept stages are copies, and that a night kept with
 * an unreadable epochs.csv raises its error only if it is still among the worst at the end.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "merge/nights_table.h"

#define NIGHTS 7

/* Night i: AHI labels 10, predictions 10 + diff[i]; no staging (no kappa); 4 epochs, label stage i % 5. */
static const double diff[NIGHTS] = {1, -5, 2, 5, 0.5, -7, 2};

static struct night_record records[NIGHTS];

static void make_records(void)
{
	memset(records, 0, sizeof records);
	for (int i = 0; i < NIGHTS; i++) {
		snprintf(records[i].id, sizeof records[i].id, "N%04d", i + 1);
		records[i].scores[SOURCE_LABELS][SK_AHI] = (struct night_score){10, true};
		records[i].scores[SOURCE_PREDICTIONS][SK_AHI] = (struct night_score){10 + diff[i], true};
	}
}

static void data_of(int i, struct night_data *d, uint8_t *label, uint8_t *pred)
{
	memset(d, 0, sizeof(*d));
	memset(label, i % 5, 4);
	memset(pred, STAGE_N2, 4);
	*d = (struct night_data){.has_epochs = true, .n = 4, .t0 = 0, .epoch_seconds = 30, .label = label, .pred = pred,
				 .any_pred = true};
}

TEST(largest_ahi_differences_ties_to_the_earlier_night)
{
	struct nights_worst w = {0};
	struct err e = {0};

	make_records();
	for (int i = 0; i < NIGHTS; i++) {
		struct night_data d;
		uint8_t label[4], pred[4];
		bool wants = nights_worst_wants(&w, &records[i]);
		/* |diff|: 1 5 2 5 0.5 7 2: N0001..N0003 enter (room), N0004 (5 > 1), N0005 not (0.5),
		 * N0006 (7), N0007 not (2 ties N0003's 2, which was pushed out already: 2 < 5) */
		CHECK_INT(wants, i <= 3 || i == 5);
		data_of(i, &d, label, pred);
		if (wants)
			CHECK_INT(nights_worst_keep(&w, &records[i], &d, NULL, &e), 0);
		memset(label, 0xee, sizeof label); /* the kept stages are copies */
	}
	CHECK_INT((int)w.n_ahi, 3);
	CHECK_INT((int)w.n_kappa, 0);
	CHECK_STR(w.ahi[0].r->id, "N0006");
	CHECK_STR(w.ahi[1].r->id, "N0002"); /* 5 ties N0004's 5: the earlier night first */
	CHECK_STR(w.ahi[2].r->id, "N0004");
	CHECK_DOUBLE(w.ahi[0].key, -7, 0);
	CHECK_INT(w.ahi[0].d.label[3], 5 % 5);
	CHECK_INT(w.ahi[1].d.label[0], 1);
	CHECK_INT(w.ahi[2].d.label[2], 3);
	CHECK_INT(w.ahi[2].d.pred[2], STAGE_N2);
	nights_worst_free(&w);
	CHECK_INT((int)w.n_ahi, 0);
}

static int worst_html(const struct nights_worst *w, struct err *e)
{
	struct night_list list = {records, NIGHTS, 0, 0, w};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc = nights_table_worst(fp, &list, "pages/", e);

	fclose(fp);
	free(buf);
	return rc;
}

TEST(an_unreadable_epochs_csv_counts_only_if_it_stays_among_the_worst)
{
	struct nights_worst w = {0};
	struct err e = {0}, failure = {0};
	struct night_data d;
	uint8_t label[4], pred[4];

	make_records();
	ERR(&failure, "N0001/epochs.csv: cannot read: Permission denied");
	CHECK_INT(nights_worst_keep(&w, &records[0], NULL, &failure, &e), 0); /* |1| */
	for (int i = 1; i <= 3; i++) { /* 5, 2, 5: N0001 is pushed out by N0004 */
		data_of(i, &d, label, pred);
		CHECK_INT(nights_worst_keep(&w, &records[i], &d, NULL, &e), 0);
	}
	CHECK_INT(worst_html(&w, &e), 0);
	nights_worst_free(&w);

	CHECK_INT(nights_worst_keep(&w, &records[5], NULL, &failure, &e), 0); /* |7|: stays */
	CHECK_INT(worst_html(&w, &e), -1);
	CHECK_STR(e.message, "N0001/epochs.csv: cannot read: Permission denied");
	nights_worst_free(&w);
}
