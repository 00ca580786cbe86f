/*
 * score.c — the SPEC §2 scores of one source of one night (see score.h).
 *
 * Owns the clinical definitions only: one pass over the hypnogram tallies what the sleep keys need,
 * one pass over the events what the respiratory and positional keys need, then each key is a
 * formula over those tallies. Reading, mapping and placing epochs is shard/epochs.c; writing the
 * set as JSON is the night writer's.
 *
 * Sleep keys follow YASA's Hypnogram.sleep_statistics (yasa/hypno.py) as the SPEC words them. Where
 * this file deliberately differs from YASA, the SPEC decides:
 *   - nothing is rounded (YASA rounds every value to 4 decimals);
 *   - latencies exist for every stage (YASA reports only Lat_REM) and SOL_5min is null rather than
 *     NaN when there is no such run; NREM and pct_NREM are reported;
 *   - SFI is computed as transitions × 60 / TST minutes, the same form as the respiratory indices
 *     (YASA divides by TST / 60, which can differ in the last bit).
 * Where they agree: `?` counts in TIB and SPT but is neither sleep nor wake (it breaks a SOL_5min
 * run and a sleep,?,W sequence is no transition); SPT is 0 without sleep, WASO/SME/SFI/SOL null.
 */
#include "score.h"

#include <string.h>

/* AASM: a positional AHI needs at least 30 minutes of sleep in that position. */
#define POSITIONAL_MIN_SECONDS 1800.0
/* SOL_5min: a run of consecutive sleep lasting at least this long. */
#define SOL_RUN_SECONDS 300.0
#define NO_EPOCH SIZE_MAX

/* What the sleep keys need, from one pass over the hypnogram. */
struct sleep_tally {
	size_t first_sleep, last_sleep;         /* NO_EPOCH when there is no sleep */
	size_t first_of_stage[STAGE_COUNT];     /* NO_EPOCH when absent */
	size_t stage_epochs[STAGE_COUNT];       /* within SPT (W: WASO; ?: unscored in SPT) */
	size_t sleep_epochs;                    /* N1 + N2 + N3 + R */
	size_t sol_5min_epoch;                  /* start of the first long-enough sleep run, or NO_EPOCH */
	size_t sleep_to_wake;                   /* sleep epochs directly followed by W */
};

/* What the respiratory and positional keys need, from one pass over the events. */
struct event_tally {
	size_t count[EVENT_COUNT];              /* events whose epoch is a sleep epoch */
	size_t apneas_hypopneas_supine;         /* OA+CA+MA+A+H in supine sleep epochs */
	size_t apneas_hypopneas_nonsupine;      /* ... in left, right and prone sleep epochs */
	size_t supine_sleep_epochs;
	size_t nonsupine_sleep_epochs;
};

static void put_null(struct score_set *out, enum score_key k)
{
	out->v[k] = (struct score_value){.kind = SCORE_NULL};
}

static void put_number(struct score_set *out, enum score_key k, double x)
{
	out->v[k] = (struct score_value){.kind = SCORE_IS_NUMBER, .number = x};
}

static void put_bool(struct score_set *out, enum score_key k, bool b)
{
	out->v[k] = (struct score_value){.kind = SCORE_IS_BOOL, .boolean = b};
}

static void put_string(struct score_set *out, enum score_key k, const char *s)
{
	out->v[k] = (struct score_value){.kind = SCORE_IS_STRING, .string = s};
}

static double minutes(const struct score_input *in, size_t epochs)
{
	return (double)epochs * in->epoch_seconds / 60.0;
}

/* count per hour of `sleep_minutes`, written count × 60 / minutes so that an index that is
 * mathematically 5, 15 or 30 comes out exactly 5.0, 15.0 or 30.0. */
static double per_hour(size_t count, double sleep_minutes)
{
	return (double)count * 60.0 / sleep_minutes;
}

static bool is_ahi_event(int type)
{
	return type == EVENT_OA || type == EVENT_CA || type == EVENT_MA || type == EVENT_A ||
	       type == EVENT_H;
}

static bool is_nonsupine(int position)
{
	return position == POS_LEFT || position == POS_RIGHT || position == POS_PRONE;
}

/* First pass: first/last sleep, first epoch of each stage, transitions to wake, SOL_5min run. */
static void scan_hypnogram(const struct score_input *in, struct sleep_tally *t)
{
	size_t run_start = 0, run_length = 0;

	memset(t, 0, sizeof *t);
	t->first_sleep = t->last_sleep = t->sol_5min_epoch = NO_EPOCH;
	for (int s = 0; s < STAGE_COUNT; s++)
		t->first_of_stage[s] = NO_EPOCH;
	for (size_t i = 0; i < in->n_epochs; i++) {
		int stage = in->stages[i];
		bool sleep = canon_is_sleep(stage);

		if (stage < STAGE_COUNT && t->first_of_stage[stage] == NO_EPOCH)
			t->first_of_stage[stage] = i;
		if (sleep) {
			if (t->first_sleep == NO_EPOCH)
				t->first_sleep = i;
			t->last_sleep = i;
			if (i + 1 < in->n_epochs && in->stages[i + 1] == STAGE_W)
				t->sleep_to_wake++;
		}
		/* Any non-sleep epoch (W or ?) ends a run of consecutive sleep. */
		if (!sleep) {
			run_length = 0;
			continue;
		}
		if (run_length++ == 0)
			run_start = i;
		/* YASA rounds the 5-minute threshold up to whole epochs; the 1e-9 keeps an epoch
		 * length such as 20 s from missing 15 epochs by a rounding error. */
		if (t->sol_5min_epoch == NO_EPOCH &&
		    (double)run_length * in->epoch_seconds >= SOL_RUN_SECONDS - 1e-9)
			t->sol_5min_epoch = run_start;
	}
}

/* Second pass over the sleep period only: stage durations within SPT. */
static void count_sleep_period(const struct score_input *in, struct sleep_tally *t)
{
	if (t->first_sleep == NO_EPOCH)
		return;
	for (size_t i = t->first_sleep; i <= t->last_sleep; i++) {
		int stage = in->stages[i] < STAGE_COUNT ? in->stages[i] : STAGE_UNSCORED;
		t->stage_epochs[stage]++;
		if (canon_is_sleep(stage))
			t->sleep_epochs++;
	}
}

static void put_latency(const struct score_input *in, struct score_set *out, enum score_key k,
			size_t epoch)
{
	if (epoch == NO_EPOCH)
		put_null(out, k);
	else
		put_number(out, k, minutes(in, epoch));
}

/* 100 × part / whole, or null when whole is 0. */
static void put_percent(struct score_set *out, enum score_key k, double part, double whole)
{
	if (whole > 0)
		put_number(out, k, 100.0 * part / whole);
	else
		put_null(out, k);
}

static void fill_stage_keys(const struct score_input *in, const struct sleep_tally *t,
			    struct score_set *out)
{
	static const struct {
		int stage;
		enum score_key minutes_key, pct_key, latency_key;
	} stages[] = {
		{STAGE_N1, SK_N1, SK_PCT_N1, SK_LAT_N1},
		{STAGE_N2, SK_N2, SK_PCT_N2, SK_LAT_N2},
		{STAGE_N3, SK_N3, SK_PCT_N3, SK_LAT_N3},
		{STAGE_R, SK_REM, SK_PCT_REM, SK_LAT_REM},
	};
	double tst = minutes(in, t->sleep_epochs);
	size_t nrem = t->stage_epochs[STAGE_N1] + t->stage_epochs[STAGE_N2] + t->stage_epochs[STAGE_N3];

	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		double stage_minutes = minutes(in, t->stage_epochs[stages[i].stage]);
		put_number(out, stages[i].minutes_key, stage_minutes);
		put_percent(out, stages[i].pct_key, stage_minutes, tst);
		put_latency(in, out, stages[i].latency_key, t->first_of_stage[stages[i].stage]);
	}
	put_number(out, SK_NREM, minutes(in, nrem));
	put_percent(out, SK_PCT_NREM, minutes(in, nrem), tst);
}

static void fill_sleep_keys(const struct score_input *in, const struct sleep_tally *t,
			    struct score_set *out)
{
	bool has_sleep = t->first_sleep != NO_EPOCH;
	double tib = minutes(in, in->n_epochs);
	double spt = has_sleep ? minutes(in, t->last_sleep - t->first_sleep + 1) : 0.0;
	double tst = minutes(in, t->sleep_epochs);

	put_number(out, SK_TIB, tib);
	put_number(out, SK_SPT, spt);
	put_number(out, SK_TST, tst);
	fill_stage_keys(in, t, out);
	/* With no sleep SE is 0 (SPEC), which 100 × 0 / TIB gives; only an empty hypnogram,
	 * which the shard refuses before scoring, would make it null. */
	put_percent(out, SK_SE, tst, tib);
	put_percent(out, SK_SME, tst, spt);
	put_latency(in, out, SK_SOL, t->first_sleep);
	put_latency(in, out, SK_SOL_5MIN, t->sol_5min_epoch);
	if (has_sleep) {
		put_number(out, SK_WASO, minutes(in, t->stage_epochs[STAGE_W]));
		put_number(out, SK_SFI, per_hour(t->sleep_to_wake, tst));
	} else {
		put_null(out, SK_WASO);
		put_null(out, SK_SFI);
	}
}

static void null_keys(struct score_set *out, enum score_key first, enum score_key last)
{
	for (int k = first; k <= (int)last; k++)
		put_null(out, (enum score_key)k);
}

static void tally_events(const struct score_input *in, struct event_tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < in->n_events; i++) {
		const struct score_event *ev = &in->events[i];
		/* Out-of-range entries break score.h's contract; skip them rather than read past. */
		if (ev->epoch >= in->n_epochs || ev->type >= EVENT_COUNT)
			continue;
		if (!canon_is_sleep(in->stages[ev->epoch]))
			continue;
		t->count[ev->type]++;
		if (!in->positions || !is_ahi_event(ev->type))
			continue;
		if (in->positions[ev->epoch] == POS_SUPINE)
			t->apneas_hypopneas_supine++;
		else if (is_nonsupine(in->positions[ev->epoch]))
			t->apneas_hypopneas_nonsupine++;
	}
	if (!in->positions)
		return;
	for (size_t i = 0; i < in->n_epochs; i++) {
		if (!canon_is_sleep(in->stages[i]))
			continue;
		if (in->positions[i] == POS_SUPINE)
			t->supine_sleep_epochs++;
		else if (is_nonsupine(in->positions[i]))
			t->nonsupine_sleep_epochs++;
	}
}

static size_t ahi_count(const struct event_tally *t)
{
	return t->count[EVENT_OA] + t->count[EVENT_CA] + t->count[EVENT_MA] + t->count[EVENT_A] +
	       t->count[EVENT_H];
}

static void put_index(struct score_set *out, enum score_key k, size_t count, double tst)
{
	if (tst > 0)
		put_number(out, k, per_hour(count, tst));
	else
		put_null(out, k);
}

static void fill_respiratory_keys(const struct score_input *in, const struct event_tally *t,
				  double tst, struct score_set *out)
{
	static const enum score_key count_keys[EVENT_COUNT] = {
		[EVENT_OA] = SK_OA, [EVENT_CA] = SK_CA, [EVENT_MA] = SK_MA,
		[EVENT_A] = SK_A, [EVENT_H] = SK_H, [EVENT_RERA] = SK_RERA,
	};
	const size_t *c = t->count;

	if (!in->has_respiratory) {
		null_keys(out, SK_OA, SK_SEVERITY);
		return;
	}
	for (int ev = 0; ev < EVENT_COUNT; ev++)
		put_number(out, count_keys[ev], (double)c[ev]);
	put_index(out, SK_AHI, ahi_count(t), tst);
	put_index(out, SK_RDI, ahi_count(t) + c[EVENT_RERA], tst);
	put_index(out, SK_OAHI, c[EVENT_OA] + c[EVENT_MA] + c[EVENT_H], tst);
	put_index(out, SK_CAI, c[EVENT_CA], tst);
	if (out->v[SK_AHI].kind == SCORE_IS_NUMBER)
		put_string(out, SK_SEVERITY,
			   scorekey_severity_names[score_severity_class(out->v[SK_AHI].number)]);
	else
		put_null(out, SK_SEVERITY);
}

/* AHI over the sleep epochs of one position group, null under 30 minutes of such sleep. */
static void put_positional_ahi(const struct score_input *in, struct score_set *out,
			       enum score_key k, size_t events, size_t sleep_epochs)
{
	double sleep_minutes = minutes(in, sleep_epochs);

	if (!in->has_respiratory || sleep_minutes * 60.0 < POSITIONAL_MIN_SECONDS)
		put_null(out, k);
	else
		put_number(out, k, per_hour(events, sleep_minutes));
}

/*
 * Cartwright: true when AHI >= 5 and AHI_supine >= 2 × AHI_nonsupine; false when AHI < 5, or both
 * positional AHIs are known and the ratio fails; null otherwise. The ratio is decided on the
 * integer counts (events_s × epochs_ns >= 2 × events_ns × epochs_s, the epoch length cancels) so a
 * ratio of exactly 2 is never lost to rounding.
 */
static void put_positional(const struct event_tally *t, struct score_set *out)
{
	const struct score_value *ahi = &out->v[SK_AHI];
	bool both_known = out->v[SK_AHI_SUPINE].kind == SCORE_IS_NUMBER &&
			  out->v[SK_AHI_NONSUPINE].kind == SCORE_IS_NUMBER;

	if (ahi->kind != SCORE_IS_NUMBER) {
		put_null(out, SK_POSITIONAL);
	} else if (ahi->number < 5.0) {
		put_bool(out, SK_POSITIONAL, false);
	} else if (both_known) {
		unsigned long long lhs = (unsigned long long)t->apneas_hypopneas_supine *
					 t->nonsupine_sleep_epochs;
		unsigned long long rhs = 2ULL * t->apneas_hypopneas_nonsupine * t->supine_sleep_epochs;
		put_bool(out, SK_POSITIONAL, lhs >= rhs);
	} else {
		put_null(out, SK_POSITIONAL);
	}
}

static void fill_position_keys(const struct score_input *in, const struct event_tally *t,
			       double tst, struct score_set *out)
{
	if (!in->positions) {
		null_keys(out, SK_SUPINE_PCT, SK_POSITIONAL);
		return;
	}
	put_percent(out, SK_SUPINE_PCT, minutes(in, t->supine_sleep_epochs), tst);
	put_positional_ahi(in, out, SK_AHI_SUPINE, t->apneas_hypopneas_supine,
			   t->supine_sleep_epochs);
	put_positional_ahi(in, out, SK_AHI_NONSUPINE, t->apneas_hypopneas_nonsupine,
			   t->nonsupine_sleep_epochs);
	put_positional(t, out);
}

void score_compute(const struct score_input *in, struct score_set *out)
{
	struct sleep_tally sleep;
	struct event_tally events;
	double tst;

	scan_hypnogram(in, &sleep);
	count_sleep_period(in, &sleep);
	tst = minutes(in, sleep.sleep_epochs);
	if (in->own_hypnogram)
		fill_sleep_keys(in, &sleep, out);
	else
		null_keys(out, SK_TIB, SK_SME);
	tally_events(in, &events);
	fill_respiratory_keys(in, &events, tst, out);
	fill_position_keys(in, &events, tst, out);
}

int score_severity_class(double ahi)
{
	if (ahi >= 30.0)
		return 3;
	if (ahi >= 15.0)
		return 2;
	if (ahi >= 5.0)
		return 1;
	return 0;
}
