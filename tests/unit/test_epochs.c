/*
 * test_epochs.c — per-epoch rules: position majority and its tie-break order, motion mean,
 * matching predicted epochs by onset, placing events (and their range errors), the first event of
 * an epoch, the staging confusion.
 */
#include "check.h"
#include "shard/epochs.h"

#include <stdlib.h>
#include <string.h>

static struct hypnogram grid(double t0, const char *stages)
{
	struct hypnogram h = {t0, strlen(stages), malloc(strlen(stages) + 1), strlen(stages)};

	for (size_t k = 0; k < h.n; k++)
		h.stages[k] = (uint8_t)(strchr("W123R?", stages[k]) - "W123R?");
	return h;
}

TEST(position_majority_and_ties)
{
	double weight[4][POS_COUNT] = {
		{[POS_LEFT] = 2, [POS_SUPINE] = 1},
		{[POS_RIGHT] = 3, [POS_SUPINE] = 3, [POS_UNKNOWN] = 3},  /* tie: supine first */
		{[POS_UPRIGHT] = 1, [POS_UNKNOWN] = 1, [POS_PRONE] = 1}, /* tie: prone first */
		{0},                                                     /* no sample */
	};
	double motion_sum[4] = {3, 0, 0, 0};
	uint32_t motion_count[4] = {2, 0, 0, 0};
	struct position_epochs pos = {0, 30, 4, weight, motion_sum, motion_count, 1.0 / 30};
	uint8_t out[4];
	double mean = -1;

	epochs_positions(&pos, out);
	CHECK_INT(out[0], POS_LEFT);
	CHECK_INT(out[1], POS_SUPINE);
	CHECK_INT(out[2], POS_PRONE);
	CHECK_INT(out[3], POS_UNKNOWN);
	CHECK(epochs_motion(&pos, 0, &mean));
	CHECK_DOUBLE(mean, 1.5, 0);
	CHECK(!epochs_motion(&pos, 1, &mean));
	CHECK(!epochs_motion(&pos, 9, &mean));
}

TEST(alignment_by_onset)
{
	struct hypnogram labels = grid(100, "WW1122"), pred = grid(160, "1122RR"), shifted = grid(175, "11");
	struct epochs_alignment a;

	epochs_align(&labels, &pred, 30, &a);
	CHECK(a.aligned);
	CHECK_INT(a.offset, 2);
	CHECK_INT(epochs_pred_of_label(&a, 0), EPOCHS_NO_MATCH);
	CHECK_INT(epochs_pred_of_label(&a, 2), 0);
	CHECK_INT(epochs_pred_of_label(&a, 5), 3);
	CHECK_INT(epochs_label_of_pred(&a, 3), 5);
	CHECK_INT(epochs_label_of_pred(&a, 4), EPOCHS_NO_MATCH); /* past the labels' end */
	epochs_align(&labels, &shifted, 30, &a);
	CHECK(!a.aligned);
	CHECK_INT(epochs_pred_of_label(&a, 3), EPOCHS_NO_MATCH);
	free(labels.stages);
	free(pred.stages);
	free(shifted.stages);
}

TEST(positions_for_predicted_epochs_come_from_the_same_onset)
{
	struct hypnogram labels = grid(0, "WWWW"), pred = grid(60, "WWW");
	struct epochs_alignment a;
	uint8_t labels_pos[4] = {POS_LEFT, POS_RIGHT, POS_PRONE, POS_SUPINE}, pred_pos[3];

	epochs_align(&labels, &pred, 30, &a);
	epochs_positions_by_onset(&a, labels_pos, pred_pos);
	CHECK_INT(pred_pos[0], POS_PRONE);
	CHECK_INT(pred_pos[1], POS_SUPINE);
	CHECK_INT(pred_pos[2], POS_UNKNOWN);
	free(labels.stages);
	free(pred.stages);
}

TEST(events_are_placed_and_checked)
{
	struct hypnogram h = grid(100, "W12");
	struct raw_event items[] = {{100, 2, 1, EVENT_OA, 10}, {129.999, 3, 1, EVENT_H, 10}, {130, 4, 1, EVENT_CA, 10},
				    {189.5, 5, 1, EVENT_RERA, 10}};
	struct event_list events = {"r.csv", items, 4, 4};
	struct score_event *placed = NULL;
	size_t n = 0;
	struct err e;

	CHECK_INT(epochs_place_events(&events, &h, 30, true, &placed, &n, &e), 0);
	CHECK_INT(n, 4);
	CHECK_INT(placed[0].epoch, 0);
	CHECK_INT(placed[1].epoch, 0);
	CHECK_INT(placed[2].epoch, 1);
	CHECK_INT(placed[3].epoch, 2);
	CHECK_INT(placed[3].type, EVENT_RERA);
	free(placed);

	items[3].onset = 190; /* the end of the recording */
	CHECK_INT(epochs_place_events(&events, &h, 30, true, &placed, &n, &e), -1);
	CHECK_STR(e.file, "r.csv");
	CHECK_INT(e.line, 5);
	CHECK_STR(e.message, "expected an event onset within the recording, got 190, at or after its end 190");
	/* borrowed events outside a shorter span are left out, not refused */
	CHECK_INT(epochs_place_events(&events, &h, 30, false, &placed, &n, &e), 0);
	CHECK_INT(n, 3);
	free(placed);

	items[0].onset = 99.9;
	CHECK_INT(epochs_place_events(&events, &h, 30, true, &placed, &n, &e), -1);
	CHECK_STR(e.message, "expected an event onset within the recording, got 99.9, before its start 100");
	free(h.stages);
}

TEST(first_event_by_onset_then_file_order)
{
	struct hypnogram h = grid(0, "WWW");
	struct raw_event items[] = {{20, 2, 1, EVENT_H, 10}, {5, 3, 1, EVENT_OA, 10}, {5, 4, 1, EVENT_CA, 10},
				    {70, 5, 1, EVENT_A, 10}, {95, 6, 1, EVENT_MA, 10}};
	struct event_list events = {"r.csv", items, 5, 5};
	uint8_t first[3];
	struct err e;

	CHECK_INT(epochs_first_events(&events, &h, 30, first, &e), 0);
	CHECK_INT(first[0], EVENT_OA);
	CHECK_INT(first[1], EPOCHS_NO_EVENT);
	CHECK_INT(first[2], EVENT_A);
	CHECK_INT(epochs_first_events(NULL, &h, 30, first, &e), 0);
	CHECK_INT(first[0], EPOCHS_NO_EVENT);
	free(h.stages);
}

TEST(staging_confusion_counts_unmatched_as_unscored)
{
	struct hypnogram labels = grid(0, "W12R"), pred = grid(30, "22RRW");
	struct epochs_alignment a;
	long c[STAGE_COUNT][STAGE_COUNT];

	epochs_align(&labels, &pred, 30, &a);
	epochs_confusion(&labels, &pred, &a, c);
	CHECK_INT(c[STAGE_W][STAGE_UNSCORED], 1);  /* labels epoch 0: no predicted epoch */
	CHECK_INT(c[STAGE_N1][STAGE_N2], 1);
	CHECK_INT(c[STAGE_N2][STAGE_N2], 1);
	CHECK_INT(c[STAGE_R][STAGE_R], 1);
	long total = 0;
	for (int r = 0; r < STAGE_COUNT; r++)
		for (int col = 0; col < STAGE_COUNT; col++)
			total += c[r][col];
	CHECK_INT(total, 4); /* predicted epochs past the labels' end are ignored */
	free(labels.stages);
	free(pred.stages);
}
