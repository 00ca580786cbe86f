/*
 * test_score.c — shard/score.c against hand-computed scores. Every case uses 30 s epochs (one epoch
 * = 0.5 min) unless it says otherwise; the arithmetic is in the comment above each check.
 */
#include "check.h"
#include "shard/score.h"

#include <stdint.h>
#include <string.h>

#define MAX_EPOCHS 400
#define MAX_EVENTS 64

/* A night under construction: hypnogram from a pattern, positions, events. */
struct night {
	uint8_t stages[MAX_EPOCHS];
	uint8_t positions[MAX_EPOCHS];
	struct score_event events[MAX_EVENTS];
	struct score_input in;
	struct score_set out;
};

static int stage_of(char c)
{
	switch (c) {
	case 'W': return STAGE_W;
	case '1': return STAGE_N1;
	case '2': return STAGE_N2;
	case '3': return STAGE_N3;
	case 'R': return STAGE_R;
	default: return STAGE_UNSCORED;
	}
}

/* Start a night from a pattern of W 1 2 3 R ?: respiratory stream present, no events, no positions. */
static void night_from(struct night *n, const char *pattern)
{
	memset(n, 0, sizeof *n);
	for (size_t i = 0; pattern[i]; i++)
		n->stages[i] = (uint8_t)stage_of(pattern[i]);
	n->in = (struct score_input){
		.epoch_seconds = 30, .n_epochs = strlen(pattern), .stages = n->stages,
		.own_hypnogram = true, .events = n->events, .has_respiratory = true,
	};
}

/* Start a night of `count` epochs all in `stage`. */
static void night_of(struct night *n, size_t count, int stage)
{
	memset(n, 0, sizeof *n);
	memset(n->stages, stage, count);
	n->in = (struct score_input){
		.epoch_seconds = 30, .n_epochs = count, .stages = n->stages,
		.own_hypnogram = true, .events = n->events, .has_respiratory = true,
	};
}

static void set_stages(struct night *n, size_t from, size_t count, int stage)
{
	memset(n->stages + from, stage, count);
}

static void set_positions(struct night *n, size_t from, size_t count, int position)
{
	n->in.positions = n->positions;
	memset(n->positions + from, position, count);
}

static void add_events(struct night *n, size_t epoch, int type, size_t count)
{
	for (size_t i = 0; i < count; i++)
		n->events[n->in.n_events++] = (struct score_event){.epoch = (uint32_t)epoch, .type = (uint8_t)type};
}

static void score(struct night *n)
{
	score_compute(&n->in, &n->out);
}

#define CHECK_NULL(n, key) CHECK_INT((n)->out.v[key].kind, SCORE_NULL)
#define CHECK_NUM(n, key, want)                                                      \
	do {                                                                         \
		CHECK_INT((n)->out.v[key].kind, SCORE_IS_NUMBER);                    \
		CHECK_DOUBLE((n)->out.v[key].number, (want), 1e-12);                 \
	} while (0)
/* Bit-exact: the thresholds are decided on these values. */
#define CHECK_EXACT(n, key, want)                                                    \
	do {                                                                         \
		CHECK_INT((n)->out.v[key].kind, SCORE_IS_NUMBER);                    \
		CHECK_DOUBLE((n)->out.v[key].number, (want), 0);                     \
	} while (0)
#define CHECK_SEVERITY(n, want)                                                      \
	do {                                                                         \
		CHECK_INT((n)->out.v[SK_SEVERITY].kind, SCORE_IS_STRING);            \
		CHECK_STR((n)->out.v[SK_SEVERITY].string, (want));                   \
	} while (0)
#define CHECK_POSITIONAL(n, want)                                                    \
	do {                                                                         \
		CHECK_INT((n)->out.v[SK_POSITIONAL].kind, SCORE_IS_BOOL);            \
		CHECK_INT((n)->out.v[SK_POSITIONAL].boolean, (want));                \
	} while (0)

/*
 * epoch: 0 1 2  3  4  5 6  7 8 9  10 11
 * stage: W W N1 N2 N2 ? N2 R W N3 W  W
 * TIB 12 ep = 6 min. First sleep 2, last sleep 9: SPT 8 ep = 4 min.
 * Sleep in SPT: 2,3,4,6,7,9 = 6 ep = 3 min (the ? at 5 is in SPT but not TST). WASO: epoch 8 = 0.5.
 * N1 1 ep 0.5, N2 3 ep 1.5, N3 0.5, REM 0.5, NREM 2.5. pct: 0.5/3 = 16.67 %, N2 50 %, NREM 83.33 %.
 * SOL 2 ep = 1 min; Lat_N1 1, Lat_N2 1.5, Lat_REM 3.5 (epoch 7), Lat_N3 4.5 (epoch 9).
 * SOL_5min: no run of 10 sleep epochs → null.
 * SFI: R(7)→W(8) and N3(9)→W(10); N2(4)→?(5) is none: 2 × 60 / 3 = 40 per hour.
 * SE 100 × 3 / 6 = 50; SME 100 × 3 / 4 = 75.
 */
TEST(unscored_inside_the_sleep_period)
{
	struct night n;

	night_from(&n, "WW122?2RW3WW");
	score(&n);
	CHECK_NUM(&n, SK_TIB, 6.0);
	CHECK_NUM(&n, SK_SPT, 4.0);
	CHECK_NUM(&n, SK_TST, 3.0);
	CHECK_NUM(&n, SK_WASO, 0.5);
	CHECK_NUM(&n, SK_N1, 0.5);
	CHECK_NUM(&n, SK_N2, 1.5);
	CHECK_NUM(&n, SK_N3, 0.5);
	CHECK_NUM(&n, SK_REM, 0.5);
	CHECK_NUM(&n, SK_NREM, 2.5);
	CHECK_NUM(&n, SK_PCT_N1, 100.0 / 6.0);
	CHECK_NUM(&n, SK_PCT_N2, 50.0);
	CHECK_NUM(&n, SK_PCT_N3, 100.0 / 6.0);
	CHECK_NUM(&n, SK_PCT_REM, 100.0 / 6.0);
	CHECK_NUM(&n, SK_PCT_NREM, 250.0 / 3.0);
	CHECK_NUM(&n, SK_SOL, 1.0);
	CHECK_NULL(&n, SK_SOL_5MIN);
	CHECK_NUM(&n, SK_SFI, 40.0);
	CHECK_NUM(&n, SK_LAT_N1, 1.0);
	CHECK_NUM(&n, SK_LAT_N2, 1.5);
	CHECK_NUM(&n, SK_LAT_N3, 4.5);
	CHECK_NUM(&n, SK_LAT_REM, 3.5);
	CHECK_NUM(&n, SK_SE, 50.0);
	CHECK_NUM(&n, SK_SME, 75.0);
}

/*
 * W W ? ? W W: TIB 3 min; no sleep: SPT 0, TST 0, stage minutes 0, SE 100 × 0 / 3 = 0;
 * WASO, SME, SOL, SOL_5min, latencies, percentages, SFI null. Two OA in wake (epoch 1) and one H
 * in ? (epoch 2): counts 0, every index null, severity null. Positions all supine: supine_pct is a
 * percentage of TST 0 → null; no supine sleep → AHI_supine null; AHI null → positional null.
 */
TEST(no_sleep_at_all)
{
	struct night n;

	night_from(&n, "WW??WW");
	add_events(&n, 1, EVENT_OA, 2);
	add_events(&n, 2, EVENT_H, 1);
	set_positions(&n, 0, 6, POS_SUPINE);
	score(&n);
	CHECK_NUM(&n, SK_TIB, 3.0);
	CHECK_NUM(&n, SK_SPT, 0.0);
	CHECK_NUM(&n, SK_TST, 0.0);
	CHECK_NUM(&n, SK_SE, 0.0);
	for (int k = SK_N1; k <= SK_NREM; k++)
		CHECK_NUM(&n, k, 0.0);
	CHECK_NULL(&n, SK_WASO);
	CHECK_NULL(&n, SK_SME);
	CHECK_NULL(&n, SK_SOL);
	CHECK_NULL(&n, SK_SOL_5MIN);
	CHECK_NULL(&n, SK_SFI);
	for (int k = SK_PCT_N1; k <= SK_PCT_NREM; k++)
		CHECK_NULL(&n, k);
	for (int k = SK_LAT_N1; k <= SK_LAT_REM; k++)
		CHECK_NULL(&n, k);
	for (int k = SK_OA; k <= SK_RERA; k++)
		CHECK_NUM(&n, k, 0.0);
	for (int k = SK_AHI; k <= SK_SEVERITY; k++)
		CHECK_NULL(&n, k);
	for (int k = SK_SUPINE_PCT; k <= SK_POSITIONAL; k++)
		CHECK_NULL(&n, k);
}

/*
 * W W, 9 × N2, ?, 10 × N2, W (23 epochs). The first run (epochs 2-10) is 4.5 min; the ? at 11
 * breaks it; the run at 12-21 is 10 epochs = 5 min → SOL_5min = 12 × 0.5 = 6 min. SOL = 1 min.
 */
TEST(sol_5min_broken_by_unscored)
{
	struct night n;

	night_from(&n, "WW222222222?2222222222W");
	score(&n);
	CHECK_NUM(&n, SK_SOL, 1.0);
	CHECK_NUM(&n, SK_SOL_5MIN, 6.0);
}

/* The same with W instead of ?: W breaks a run too → 6 min. Mixed stages still make one run:
 * W, N1 N2 N2 N3 N3 R R N2 N2 N2 (10 sleep epochs from epoch 1) → SOL_5min = 0.5 min. */
TEST(sol_5min_broken_by_wake_and_mixed_stages_run)
{
	struct night n;

	night_from(&n, "WW222222222W2222222222W");
	score(&n);
	CHECK_NUM(&n, SK_SOL_5MIN, 6.0);
	night_from(&n, "W12233RR222W");
	score(&n);
	CHECK_NUM(&n, SK_SOL_5MIN, 0.5);
}

/* Runs of 9 sleep epochs (4.5 min) broken by ? and W: there is sleep (SOL 0.5) but no 5-minute
 * run → SOL_5min null. */
TEST(sol_5min_null_without_a_five_minute_run)
{
	struct night n;

	night_from(&n, "W222222222?RRRRRRRRRW333333333");
	score(&n);
	CHECK_NUM(&n, SK_SOL, 0.5);
	CHECK_NULL(&n, SK_SOL_5MIN);
}

/* 20 s epochs: 5 min is 15 epochs. W then 14 N2 (280 s, too short), W, 15 N2 (300 s) from
 * epoch 16 → SOL_5min = 16 × 20 / 60 = 5.333… min. */
TEST(sol_5min_with_twenty_second_epochs)
{
	struct night n;

	night_from(&n, "W22222222222222W222222222222222");
	n.in.epoch_seconds = 20;
	score(&n);
	CHECK_NUM(&n, SK_SOL_5MIN, 16.0 / 3.0);
}

/*
 * N2 W N2 ? W R W N3 N3 (9 epochs): sleep epochs directly followed by W: 0 (N2→W), 5 (R→W);
 * 2 (N2→?→W) is not one. TST: 0,2,5,7,8 = 5 ep = 2.5 min. SFI = 2 × 60 / 2.5 = 48 per hour.
 * SPT 0..8 = 4.5 min, WASO: epochs 1, 4, 6 = 1.5 min.
 */
TEST(sfi_counts_sleep_directly_followed_by_wake)
{
	struct night n;

	night_from(&n, "2W2?WRW33");
	score(&n);
	CHECK_NUM(&n, SK_TST, 2.5);
	CHECK_NUM(&n, SK_SPT, 4.5);
	CHECK_NUM(&n, SK_WASO, 1.5);
	CHECK_NUM(&n, SK_SFI, 48.0);
}

/* All sleep: WASO 0, SFI 0, SME 100, SE 100, SOL 0. */
TEST(uninterrupted_sleep)
{
	struct night n;

	night_of(&n, 20, STAGE_N2);
	score(&n);
	CHECK_NUM(&n, SK_WASO, 0.0);
	CHECK_NUM(&n, SK_SFI, 0.0);
	CHECK_NUM(&n, SK_SME, 100.0);
	CHECK_NUM(&n, SK_SE, 100.0);
	CHECK_NUM(&n, SK_SOL, 0.0);
	CHECK_NUM(&n, SK_SOL_5MIN, 0.0);
	CHECK_NULL(&n, SK_LAT_N1);
}

/*
 * 120 epochs: 0-9 W, 10-109 N2, 110-119 W, then epoch 50 set to ?: TST = 99 ep = 49.5 min. Events: OA in wake (5), H in ? (50), RERA in wake (115) → not counted;
 * OA ×2 at 20, H at 109 (last sleep epoch), CA at 60 → OA 2, CA 1, H 1, RERA 0.
 * AHI = 4 × 60 / 49.5 = 4.8484…; RDI same; OAHI 3 × 60 / 49.5; CAI 60 / 49.5; severity normal.
 */
TEST(events_in_wake_and_unscored_not_counted)
{
	struct night n;

	night_of(&n, 120, STAGE_W);
	set_stages(&n, 10, 100, STAGE_N2);
	set_stages(&n, 50, 1, STAGE_UNSCORED);
	add_events(&n, 5, EVENT_OA, 1);
	add_events(&n, 50, EVENT_H, 1);
	add_events(&n, 115, EVENT_RERA, 1);
	add_events(&n, 20, EVENT_OA, 2);
	add_events(&n, 109, EVENT_H, 1);
	add_events(&n, 60, EVENT_CA, 1);
	score(&n);
	CHECK_NUM(&n, SK_TST, 49.5);
	CHECK_NUM(&n, SK_OA, 2);
	CHECK_NUM(&n, SK_CA, 1);
	CHECK_NUM(&n, SK_MA, 0);
	CHECK_NUM(&n, SK_A, 0);
	CHECK_NUM(&n, SK_H, 1);
	CHECK_NUM(&n, SK_RERA, 0);
	CHECK_NUM(&n, SK_AHI, 240.0 / 49.5);
	CHECK_NUM(&n, SK_RDI, 240.0 / 49.5);
	CHECK_NUM(&n, SK_OAHI, 180.0 / 49.5);
	CHECK_NUM(&n, SK_CAI, 60.0 / 49.5);
	CHECK_SEVERITY(&n, "normal");
}

/* TST 60 min (120 × N2). OA 2, CA 1, MA 1, A 1, H 3, RERA 2, spread over epochs in any order:
 * AHI (2+1+1+1+3) = 8, RDI 10, OAHI (OA+MA+H) 6, CAI 1 per hour; severity mild. */
TEST(respiratory_indices)
{
	struct night n;

	night_of(&n, 120, STAGE_N2);
	add_events(&n, 119, EVENT_H, 3);
	add_events(&n, 7, EVENT_OA, 2);
	add_events(&n, 30, EVENT_RERA, 2);
	add_events(&n, 0, EVENT_CA, 1);
	add_events(&n, 64, EVENT_MA, 1);
	add_events(&n, 64, EVENT_A, 1);
	score(&n);
	CHECK_NUM(&n, SK_AHI, 8.0);
	CHECK_NUM(&n, SK_RDI, 10.0);
	CHECK_NUM(&n, SK_OAHI, 6.0);
	CHECK_NUM(&n, SK_CAI, 1.0);
	CHECK_SEVERITY(&n, "mild");
}

/* TST 36 min (72 × N2): k events → AHI = k × 60 / 36. 3 → exactly 5 (mild), 2 → 3.33 (normal),
 * 9 → exactly 15 (moderate), 8 → 13.33 (mild), 18 → exactly 30 (severe), 17 → 28.33 (moderate).
 * 36 min was chosen because 36 / 60 has no exact binary form: dividing by TST hours would not be
 * guaranteed to land on the threshold. */
TEST(ahi_severity_boundaries_are_exact)
{
	static const struct {
		size_t events;
		double ahi;
		const char *severity;
	} cases[] = {
		{2, 2 * 60.0 / 36, "normal"}, {3, 5.0, "mild"},
		{8, 8 * 60.0 / 36, "mild"}, {9, 15.0, "moderate"},
		{17, 17 * 60.0 / 36, "moderate"}, {18, 30.0, "severe"},
	};
	struct night n;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		night_of(&n, 72, STAGE_N2);
		add_events(&n, 3, EVENT_H, cases[i].events);
		score(&n);
		CHECK_EXACT(&n, SK_AHI, cases[i].ahi);
		CHECK_SEVERITY(&n, cases[i].severity);
	}
}

TEST(severity_class_thresholds)
{
	CHECK_INT(score_severity_class(0.0), 0);
	CHECK_INT(score_severity_class(4.999999999), 0);
	CHECK_INT(score_severity_class(5.0), 1);
	CHECK_INT(score_severity_class(14.999999999), 1);
	CHECK_INT(score_severity_class(15.0), 2);
	CHECK_INT(score_severity_class(29.999999999), 2);
	CHECK_INT(score_severity_class(30.0), 3);
	CHECK_INT(score_severity_class(120.0), 3);
}

/*
 * 140 × N2 = 70 min TST: 0-59 supine (30 min), 60-79 upright (10 min), 80-99 left, 100-119 right,
 * 120-139 prone (nonsupine 60 ep = 30 min). Events: 4 OA supine, 2 H left, 3 OA upright,
 * 1 RERA supine (not in AHI). AHI = 9 × 60 / 70 = 7.714 ≥ 5. AHI_supine = 4 × 60 / 30 = 8,
 * AHI_nonsupine = 2 × 60 / 30 = 4: 8 ≥ 2 × 4 holds exactly → positional true.
 * supine_pct = 30 / 70 × 100 = 42.857…
 */
TEST(positional_true_at_the_ratio_of_two)
{
	struct night n;

	night_of(&n, 140, STAGE_N2);
	set_positions(&n, 0, 60, POS_SUPINE);
	set_positions(&n, 60, 20, POS_UPRIGHT);
	set_positions(&n, 80, 20, POS_LEFT);
	set_positions(&n, 100, 20, POS_RIGHT);
	set_positions(&n, 120, 20, POS_PRONE);
	add_events(&n, 10, EVENT_OA, 4);
	add_events(&n, 85, EVENT_H, 2);
	add_events(&n, 70, EVENT_OA, 3);
	add_events(&n, 11, EVENT_RERA, 1);
	score(&n);
	CHECK_NUM(&n, SK_AHI, 540.0 / 70.0);
	CHECK_NUM(&n, SK_SUPINE_PCT, 3000.0 / 70.0);
	CHECK_EXACT(&n, SK_AHI_SUPINE, 8.0);
	CHECK_EXACT(&n, SK_AHI_NONSUPINE, 4.0);
	CHECK_POSITIONAL(&n, true);
}

/* 120 × N2: 60 supine, 60 right (30 min each). 3 OA supine, 3 OA right: AHI 6, AHI_supine 6,
 * AHI_nonsupine 6: 6 < 12 → false. With 5 supine and 3 right: 10 < 12 → still false. */
TEST(positional_false_when_ratio_fails)
{
	struct night n;

	night_of(&n, 120, STAGE_N2);
	set_positions(&n, 0, 60, POS_SUPINE);
	set_positions(&n, 60, 60, POS_RIGHT);
	add_events(&n, 0, EVENT_OA, 3);
	add_events(&n, 60, EVENT_OA, 3);
	score(&n);
	CHECK_NUM(&n, SK_AHI, 6.0);
	CHECK_NUM(&n, SK_AHI_SUPINE, 6.0);
	CHECK_NUM(&n, SK_AHI_NONSUPINE, 6.0);
	CHECK_POSITIONAL(&n, false);
	add_events(&n, 1, EVENT_OA, 2);
	score(&n);
	CHECK_NUM(&n, SK_AHI_SUPINE, 10.0);
	CHECK_POSITIONAL(&n, false);
}

/*
 * Under 30 min of supine sleep: 120 ep, supine 0-58 sleep (59 ep = 29.5 min), epoch 59 supine but W,
 * 60-119 left N2 (30 min). TST = 119 ep = 59.5 min.
 * 5 OA supine + 2 H left: AHI = 7 × 60 / 59.5 = 7.06 ≥ 5, AHI_supine null (29.5 < 30),
 * AHI_nonsupine = 2 × 60 / 30 = 4 → positional null (cannot decide).
 * Then only 1 OA supine + 2 H left: AHI = 3 × 60 / 59.5 < 5 → positional false although
 * AHI_supine is still null.
 */
TEST(positional_under_thirty_minutes)
{
	struct night n;

	night_of(&n, 120, STAGE_N2);
	set_stages(&n, 59, 1, STAGE_W);
	set_positions(&n, 0, 60, POS_SUPINE);
	set_positions(&n, 60, 60, POS_LEFT);
	add_events(&n, 0, EVENT_OA, 5);
	add_events(&n, 100, EVENT_H, 2);
	score(&n);
	CHECK_NUM(&n, SK_AHI, 420.0 / 59.5);
	CHECK_NULL(&n, SK_AHI_SUPINE);
	CHECK_NUM(&n, SK_AHI_NONSUPINE, 4.0);
	CHECK_NUM(&n, SK_SUPINE_PCT, 29.5 / 59.5 * 100.0);
	CHECK_NULL(&n, SK_POSITIONAL);

	night_of(&n, 120, STAGE_N2);
	set_stages(&n, 59, 1, STAGE_W);
	set_positions(&n, 0, 60, POS_SUPINE);
	set_positions(&n, 60, 60, POS_LEFT);
	add_events(&n, 0, EVENT_OA, 1);
	add_events(&n, 100, EVENT_H, 2);
	score(&n);
	CHECK_NULL(&n, SK_AHI_SUPINE);
	CHECK_POSITIONAL(&n, false);
}

/* Exactly 30 min of supine sleep (60 ep) is enough; no nonsupine sleep at all (all upright
 * otherwise) → AHI_nonsupine null; AHI 10 ≥ 5 → positional null. */
TEST(positional_exactly_thirty_minutes_and_no_nonsupine)
{
	struct night n;

	night_of(&n, 120, STAGE_N2);
	set_positions(&n, 0, 60, POS_SUPINE);
	set_positions(&n, 60, 60, POS_UPRIGHT);
	add_events(&n, 0, EVENT_OA, 10);
	score(&n);
	CHECK_NUM(&n, SK_AHI, 10.0);
	CHECK_NUM(&n, SK_AHI_SUPINE, 20.0);
	CHECK_NULL(&n, SK_AHI_NONSUPINE);
	CHECK_NUM(&n, SK_SUPINE_PCT, 50.0);
	CHECK_NULL(&n, SK_POSITIONAL);
}

/* Predictions without a hypnogram of their own: every sleep key null, while AHI uses the labels'
 * stages given in `stages`: W W + 60 N2 (30 min), 5 H in sleep, 1 H in wake → AHI 10. */
TEST(predictions_without_own_hypnogram)
{
	struct night n;

	night_of(&n, 62, STAGE_N2);
	set_stages(&n, 0, 2, STAGE_W);
	n.in.own_hypnogram = false;
	add_events(&n, 10, EVENT_H, 5);
	add_events(&n, 1, EVENT_H, 1);
	score(&n);
	for (int k = SK_TIB; k <= SK_SME; k++)
		CHECK_NULL(&n, k);
	CHECK_NUM(&n, SK_H, 5);
	CHECK_NUM(&n, SK_AHI, 10.0);
	CHECK_SEVERITY(&n, "mild");
}

/* No respiratory stream: every respiratory key null; with positions, supine_pct is still known
 * (40 supine of 80 sleep epochs = 50 %) but the positional AHIs and Cartwright are null. */
TEST(no_respiratory_stream)
{
	struct night n;

	night_of(&n, 80, STAGE_N2);
	n.in.has_respiratory = false;
	set_positions(&n, 0, 40, POS_SUPINE);
	set_positions(&n, 40, 40, POS_LEFT);
	score(&n);
	for (int k = SK_OA; k <= SK_SEVERITY; k++)
		CHECK_NULL(&n, k);
	CHECK_NUM(&n, SK_SUPINE_PCT, 50.0);
	CHECK_NULL(&n, SK_AHI_SUPINE);
	CHECK_NULL(&n, SK_AHI_NONSUPINE);
	CHECK_NULL(&n, SK_POSITIONAL);
	CHECK_NUM(&n, SK_TST, 40.0);
}

/* A header-only respiratory file (stream present, no events): counts 0, AHI 0, normal. */
TEST(respiratory_stream_without_events)
{
	struct night n;

	night_of(&n, 80, STAGE_N2);
	score(&n);
	CHECK_NUM(&n, SK_OA, 0);
	CHECK_NUM(&n, SK_AHI, 0.0);
	CHECK_SEVERITY(&n, "normal");
}

/* No position stream: the four position keys null, the rest as usual. */
TEST(no_position_stream)
{
	struct night n;

	night_of(&n, 60, STAGE_N2);
	add_events(&n, 0, EVENT_OA, 15);
	score(&n);
	for (int k = SK_SUPINE_PCT; k <= SK_POSITIONAL; k++)
		CHECK_NULL(&n, k);
	CHECK_EXACT(&n, SK_AHI, 30.0);
	CHECK_SEVERITY(&n, "severe");
}
