/*
 * test_synth.c — the sample-night model (pipeline/synth/synth_night.c) and its CSV text
 * (pipeline/synth/synth_write.c): invariants every generated night keeps, over many nights and seeds,
 * and the exact text of a few rows. The file-level statistics are in tests/cli/05_synth.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "check.h"
#include "pipeline/synth/synth_night.h"
#include "pipeline/synth/synth_rng.h"
#include "pipeline/synth/synth_write.h"

static struct synth_night *night(uint64_t seed, uint64_t number)
{
	static struct synth_night n;

	synth_night_generate(&n, seed, number);
	return &n;
}

TEST(splitmix64_matches_the_reference_sequence)
{
	/* First outputs of splitmix64 seeded with 0 (Vigna's reference implementation). */
	uint64_t state = 0;

	CHECK(synth_splitmix64(&state) == 0xe220a8397b1dcdafu);
	CHECK(synth_splitmix64(&state) == 0x6e789e6aa1b965f4u);
	CHECK(synth_splitmix64(&state) == 0x06c45d188009454fu);
}

TEST(xoshiro_matches_the_reference_sequence)
{
	/* xoshiro256** from state {1, 2, 3, 4}: 11520, 0, 1509978240, 1215971899390074240. */
	struct synth_rng r = {{1, 2, 3, 4}};

	CHECK(synth_rng_next(&r) == 11520u);
	CHECK(synth_rng_next(&r) == 0u);
	CHECK(synth_rng_next(&r) == 1509978240u);
	CHECK(synth_rng_next(&r) == 1215971899390074240u);
}

TEST(the_same_seed_gives_the_same_night)
{
	struct synth_night *a = malloc(sizeof *a);

	memcpy(a, night(9, 3), sizeof *a);
	CHECK(memcmp(a, night(9, 3), sizeof *a) == 0);
	CHECK(memcmp(a, night(9, 4), sizeof *a) != 0);
	CHECK(memcmp(a, night(10, 3), sizeof *a) != 0);
	free(a);
}

/* Every invariant the files rely on, for one night; returns the number of violations. */
static int violations(const struct synth_night *n)
{
	int64_t end = synth_night_end_ms(n);
	int bad = 0;

	bad += n->epochs < 720 || n->epochs > SYNTH_MAX_EPOCHS;
	bad += n->t0_ms < 120000 || n->t0_ms > 900000 || n->t0_ms % 1000 != 0;
	bad += n->pred_epochs != n->epochs && n->pred_epochs != n->epochs - 1;
	for (int e = 0; e < n->epochs; e++)
		bad += n->stage[e] >= STAGE_COUNT;
	for (int e = 0; e < n->pred_epochs; e++)
		bad += n->pred_stage[e] >= STAGE_UNSCORED;
	for (int i = 0; i < n->events; i++) {
		const struct synth_event *ev = &n->event[i];
		bad += ev->onset_ms < n->t0_ms || ev->onset_ms + ev->duration_ms > end;
		bad += ev->duration_ms < 10000 || ev->duration_ms > 60000 || ev->onset_ms % 100 || ev->duration_ms % 100;
		bad += i > 0 && ev->onset_ms < n->event[i - 1].onset_ms + n->event[i - 1].duration_ms; /* overlap */
	}
	for (int i = 0; i < n->pred_events; i++) {
		const struct synth_event *ev = &n->pred_event[i];
		bad += ev->onset_ms < n->t0_ms || ev->onset_ms + ev->duration_ms > end || ev->duration_ms < 3000;
		bad += i > 0 && ev->onset_ms < n->pred_event[i - 1].onset_ms;
	}
	bad += n->segments < 1 || n->segment[0].start_ms != 0 || n->position_end_ms < end ||
	       n->position_end_ms > end + 120000;
	for (int i = 1; i < n->segments; i++)
		bad += n->segment[i].start_ms <= n->segment[i - 1].start_ms ||
		       n->segment[i].position == n->segment[i - 1].position;
	return bad;
}

TEST(every_night_keeps_the_invariants)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		for (uint64_t number = 1; number <= 150; number++) {
			int bad = violations(night(seed, number));
			if (bad)
				check_fail(__FILE__, __LINE__, "seed %llu night %llu: %d violations",
					   (unsigned long long)seed, (unsigned long long)number, bad);
		}
}

/* AHI as the shard computes it: non-RERA events with onset in a sleep epoch per hour of sleep. */
static double labels_ahi(const struct synth_night *n)
{
	int sleep = 0, events = 0;

	for (int e = 0; e < n->epochs; e++)
		sleep += canon_is_sleep(n->stage[e]);
	for (int i = 0; i < n->events; i++) {
		int e = (int)((n->event[i].onset_ms - n->t0_ms) / SYNTH_EPOCH_MS);
		events += canon_is_sleep(n->stage[e]) && n->event[i].type != EVENT_RERA;
	}
	return events * 120.0 / sleep;
}

TEST(ahi_lands_near_its_target_and_spans_every_class)
{
	int classes[4] = {0}, far = 0;

	for (uint64_t number = 1; number <= 200; number++) {
		const struct synth_night *n = night(5, number);
		double ahi = labels_ahi(n);
		classes[ahi < 5 ? 0 : ahi < 15 ? 1 : ahi < 30 ? 2 : 3]++;
		far += ahi < n->target_ahi * 0.6 - 1 || ahi > n->target_ahi * 1.4 + 1;
	}
	/* the target shares are 35/27/18/20 % */
	CHECK(classes[0] >= 50 && classes[0] <= 95);
	CHECK(classes[1] >= 30 && classes[1] <= 75);
	CHECK(classes[2] >= 20 && classes[2] <= 55);
	CHECK(classes[3] >= 20 && classes[3] <= 60);
	CHECK(far <= 4);
}

TEST(positional_patients_have_more_events_supine)
{
	double supine_rate = 0, other_rate = 0;

	for (uint64_t number = 1; number <= 300; number++) {
		const struct synth_night *n = night(6, number);
		int epochs[2] = {0}, events[2] = {0};

		if (!n->positional)
			continue;
		for (int e = 0; e < n->epochs; e++) {
			int pos = synth_night_position_at(n, n->t0_ms + (int64_t)e * SYNTH_EPOCH_MS + 15000);
			if (canon_is_sleep(n->stage[e]) && (pos == POS_SUPINE || pos == POS_LEFT || pos == POS_RIGHT))
				epochs[pos == POS_SUPINE]++;
		}
		for (int i = 0; i < n->events; i++) {
			int pos = synth_night_position_at(n, n->event[i].onset_ms);
			if (pos == POS_SUPINE || pos == POS_LEFT || pos == POS_RIGHT)
				events[pos == POS_SUPINE]++;
		}
		if (epochs[0] && epochs[1]) {
			supine_rate += (double)events[1] / epochs[1];
			other_rate += (double)events[0] / epochs[0];
		}
	}
	CHECK(supine_rate > 2 * other_rate);
}

TEST(predictions_agree_on_80_to_86_percent_of_epochs)
{
	long agree = 0, total = 0, n1_to_neighbour = 0, n1_wrong = 0;

	for (uint64_t number = 1; number <= 200; number++) {
		const struct synth_night *n = night(8, number);
		for (int e = 0; e < n->pred_epochs; e++) {
			if (n->stage[e] == STAGE_UNSCORED)
				continue;
			total++;
			agree += n->pred_stage[e] == n->stage[e];
			if (n->stage[e] == STAGE_N1 && n->pred_stage[e] != STAGE_N1) {
				n1_wrong++;
				n1_to_neighbour += n->pred_stage[e] == STAGE_W || n->pred_stage[e] == STAGE_N2;
			}
		}
	}
	CHECK(agree >= total * 80 / 100 && agree <= total * 86 / 100);
	CHECK(n1_to_neighbour >= n1_wrong * 3 / 4);
}

TEST(predictions_miss_and_invent_events)
{
	long labels = 0, found = 0, predicted = 0;

	for (uint64_t number = 1; number <= 50; number++) {
		const struct synth_night *n = night(4, number);
		int j = 0;
		labels += n->events;
		predicted += n->pred_events;
		for (int i = 0; i < n->events; i++) { /* a prediction within 5 s of the onset */
			while (j < n->pred_events && n->pred_event[j].onset_ms < n->event[i].onset_ms - 5000)
				j++;
			found += j < n->pred_events && n->pred_event[j].onset_ms <= n->event[i].onset_ms + 5000;
		}
	}
	CHECK(found >= labels * 75 / 100 && found <= labels * 92 / 100);
	CHECK(predicted > found); /* some are spurious */
}

/* ---- text ---- */

static struct synth_buf render(int file, const struct synth_night *n, int messy, int defect, struct synth_defect *d)
{
	struct synth_style style = {.messy = messy, .position_hz = 4, .defect = defect, .seed = 42, .number = 1};
	struct synth_buf b = {0};
	struct err e;

	CHECK(synth_render(file, n, &style, &b, d, &e) == 0);
	return b;
}

/* Line `line` (1-based, without its end) of b, copied into out. */
static const char *line_of(const struct synth_buf *b, int line, char *out, size_t size)
{
	const char *p = b->data, *end = b->data + b->len;
	size_t len;

	for (int i = 1; i < line && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	len = strcspn(p, "\r\n");
	if (len > (size_t)(end - p))
		len = (size_t)(end - p);
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

TEST(rows_are_spelled_like_the_vendor_and_the_model)
{
	struct synth_night *n = malloc(sizeof *n);
	struct synth_defect d = {0};
	struct synth_buf b;
	char line[200];

	memset(n, 0, sizeof *n);
	n->t0_ms = 487000;
	n->epochs = n->pred_epochs = 2;
	n->stage[0] = STAGE_W;
	n->stage[1] = STAGE_R;
	n->pred_stage[0] = STAGE_W;
	n->pred_stage[1] = STAGE_N2;
	n->events = n->pred_events = 1;
	n->event[0] = (struct synth_event){.onset_ms = 500100, .duration_ms = 23000, .type = EVENT_MA};
	n->pred_event[0] = (struct synth_event){.onset_ms = 501250, .duration_ms = 21070, .type = EVENT_OA};
	n->segments = 2;
	n->segment[0] = (struct synth_segment){.start_ms = 0, .position = POS_UPRIGHT};
	n->segment[1] = (struct synth_segment){.start_ms = 500000, .position = POS_LEFT};
	n->position_end_ms = 547000;

	b = render(SYNTH_LABELS_HYPNOGRAM, n, 0, 0, &d);
	CHECK_INT(b.len, strlen("Start [s],Sleep Stage\n487,Wake\n517,REM\n"));
	CHECK(memcmp(b.data, "Start [s],Sleep Stage\n487,Wake\n517,REM\n", b.len) == 0);
	synth_buf_free(&b);

	b = render(SYNTH_LABELS_RESPIRATORY, n, 0, 0, &d);
	CHECK_STR(line_of(&b, 2, line, sizeof line), "500.1,23.0,Mixed Apnea");
	synth_buf_free(&b);

	b = render(SYNTH_PREDICTIONS_HYPNOGRAM, n, 0, 0, &d);
	CHECK_STR(line_of(&b, 3, line, sizeof line), "517.0,2");
	synth_buf_free(&b);

	b = render(SYNTH_PREDICTIONS_RESPIRATORY, n, 0, 0, &d);
	CHECK_STR(line_of(&b, 2, line, sizeof line), "501.25,21.07,OA");
	synth_buf_free(&b);

	b = render(SYNTH_LABELS_POSITION, n, 0, 0, &d);
	CHECK_STR(line_of(&b, 1, line, sizeof line), "Time [s],Body Position,Head Motion");
	/* 0 .. 547 s at 4 Hz: 2189 samples, sample k on line k + 2 */
	CHECK(strncmp(line_of(&b, 2, line, sizeof line), "0,Upright,0.", 12) == 0);
	CHECK(strncmp(line_of(&b, 2001, line, sizeof line), "499.75,Upright,", 15) == 0);
	CHECK(strncmp(line_of(&b, 2003, line, sizeof line), "500.25,Left,", 12) == 0);
	CHECK(strncmp(line_of(&b, 2190, line, sizeof line), "547,Left,0.", 11) == 0);
	CHECK(b.len > 0 && b.data[b.len - 1] == '\n');
	CHECK_STR(line_of(&b, 2191, line, sizeof line), "");
	synth_buf_free(&b);
	free(n);
}

TEST(a_defect_reports_its_line)
{
	struct synth_night *n = malloc(sizeof *n);
	struct synth_defect d = {0};
	struct synth_buf b;
	char line[200];

	memcpy(n, night(42, 1), sizeof *n);
	b = render(SYNTH_LABELS_HYPNOGRAM, n, 1, SYNTH_DEFECT_CLOCK_ONSET, &d);
	CHECK_INT(d.kind, SYNTH_DEFECT_CLOCK_ONSET);
	CHECK_INT(d.file, SYNTH_LABELS_HYPNOGRAM);
	/* messy: "epoch,HH:MM:SS,stage,comment" on the physical line reported (line breaks in comments counted) */
	line_of(&b, (int)d.line, line, sizeof line);
	CHECK(strchr(line, ',') && strncmp(strchr(line, ',') + 1, strchr(d.what, '"') + 1, 8) == 0);
	CHECK(strchr(line, ',') && strchr(line, ',')[3] == ':' && strchr(line, ',')[6] == ':');
	synth_buf_free(&b);

	memset(&d, 0, sizeof d);
	b = render(SYNTH_LABELS_POSITION, n, 0, SYNTH_DEFECT_EMPTY_FILE, &d);
	CHECK_INT(b.len, 0);
	CHECK_INT(d.line, 0);
	CHECK_STR(d.what, "an empty file (0 bytes)");
	synth_buf_free(&b);
	free(n);
}
