/*
 * synth_night.h — the clinical model behind `nightfan synth`: one night as the technician scored it
 * (stages, respiratory events, body position) and as a sleep model predicted it.
 *
 * Owns: what happens in a night, in canonical terms (enum stage/event/position of canon.h) and in
 * milliseconds on the recording's clock. How it is spelled in CSV files (vendor vocabularies, messy
 * quoting, broken inputs) lives in synth_write.c; the command and the night folders in synth.c.
 *
 * The model, in short (numbers are the generator's, chosen to look like a sleep lab's week):
 *   - lights-off t0 is 2–15 min after the recording started; the night lasts 6–9 h (720–1080 epochs);
 *   - sleep onset latency mostly 1–10 min, sometimes 10–30 or 30–60; ~90 min NREM/REM cycles with
 *     N3 mostly in the first two cycles and REM lengthening towards morning; brief awakenings (more
 *     for more severe apnea) and 0–3 spells of 5–20 min awake; 1–8 Artifact epochs;
 *   - target AHI drawn by class: normal 35 %, mild 27 %, moderate 18 %, severe 20 %; events are
 *     placed second by second with a rate weighted by stage (REM higher, N3 lower) and, for
 *     positional patients, 2.5–5 × more when supine; rarely in wake; each 10–60 s, never overlapping;
 *   - the patient sits upright before lights-off, lies down, turns 3–12 times a night (during
 *     awakenings), sometimes sits up during a long awakening;
 *   - the model's hypnogram agrees on ~80–85 % of epochs, mostly confusing neighbouring stages near
 *     transitions, its errors persisting for a few epochs; it misses ~15 % of events (half the
 *     RERAs), mislabels some, jitters onsets by ~1.5 s and adds 0.5–3 spurious events an hour.
 */
#ifndef NIGHTFAN_SYNTH_NIGHT_H
#define NIGHTFAN_SYNTH_NIGHT_H

#include <stdint.h>

#define SYNTH_EPOCH_MS 30000
#define SYNTH_MAX_EPOCHS 1080          /* 9 h of 30 s epochs */
#define SYNTH_MAX_EVENTS 2048          /* > 9 h at AHI 75 plus RERAs, spurious and wake events */
#define SYNTH_MAX_SEGMENTS 128

struct synth_event {
	int64_t onset_ms;
	int64_t duration_ms;
	int type;                      /* enum event */
};

/* The body position from start_ms until the next segment starts (the last one: until the end). */
struct synth_segment {
	int64_t start_ms;
	int position;                  /* enum position */
};

struct synth_night {
	int64_t t0_ms;                 /* lights-off: onset of the first epoch (whole seconds) */
	int epochs;
	unsigned char stage[SYNTH_MAX_EPOCHS];        /* enum stage, labels */
	int pred_epochs;               /* epochs or epochs - 1 (the model drops a last partial epoch) */
	unsigned char pred_stage[SYNTH_MAX_EPOCHS];   /* enum stage without STAGE_UNSCORED */

	int events;                    /* labels, sorted by onset, inside [t0, end) */
	struct synth_event event[SYNTH_MAX_EVENTS];
	int pred_events;               /* predictions, sorted by onset, inside [t0, end) */
	struct synth_event pred_event[SYNTH_MAX_EVENTS];

	int segments;                  /* sorted; segment[0] starts at position_start_ms */
	struct synth_segment segment[SYNTH_MAX_SEGMENTS];
	int64_t position_start_ms;     /* the sensor's first sample: the start of the recording (0) */
	int64_t position_end_ms;       /* its last sample: up to 2 min after the end */

	/* The patient behind the night (for tests and curiosity; files do not carry them). */
	double target_ahi;
	int positional;
};

/* End of the labels' recording: t0 + epochs × 30 s. */
static inline int64_t synth_night_end_ms(const struct synth_night *n)
{
	return n->t0_ms + (int64_t)n->epochs * SYNTH_EPOCH_MS;
}

/* Fill *n with night number `number` of `seed` (the same inputs give the same night everywhere).
 * Cannot fail; *n is overwritten completely. */
void synth_night_generate(struct synth_night *n, uint64_t seed, uint64_t number);

/* Position at time t_ms (the segment covering it). */
int synth_night_position_at(const struct synth_night *n, int64_t t_ms);

#endif
