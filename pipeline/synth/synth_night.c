/*
 * synth_night.c — the clinical model of a generated night (see synth_night.h for the model in words).
 *
 * Order of work: the patient's traits, the labels' stage sequence, body positions, respiratory
 * events; then, from its own random stream, the model's predicted stages and events.
 */
#include "synth_night.h"

#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "synth_rng.h"

/* What stays the same all night for one patient. */
struct patient {
	double target_ahi;
	int positional;
	double supine_weight;          /* event rate supine / non-supine */
	double rem_weight;             /* event rate REM / NREM */
	double event_mix[EVENT_COUNT]; /* relative frequency of each event type */
	double awakening_rate;         /* brief awakenings per sleep epoch */
	double light_sleep_rate;       /* N2 epochs scored N1 instead */
	double n3_factor;              /* how much deep sleep (less with age and apnea) */
	double side_preference[POS_COUNT];
};

/* ---- patient ---- */

static double draw_target_ahi(struct synth_rng *r)
{
	static const double class_weight[] = {35, 27, 18, 20};
	static const double low[] = {0.3, 5.5, 15.5, 31};
	static const double high[] = {4.7, 14.5, 29.5, 75};
	int c = synth_pick(r, class_weight, 4);

	return synth_between(r, low[c], high[c]);
}

static void draw_event_mix(struct synth_rng *r, double *mix)
{
	if (synth_chance(r, 0.1)) { /* central-predominant */
		mix[EVENT_OA] = synth_between(r, 0.05, 0.15);
		mix[EVENT_CA] = synth_between(r, 0.45, 0.65);
		mix[EVENT_MA] = synth_between(r, 0.03, 0.10);
		mix[EVENT_H] = synth_between(r, 0.10, 0.25);
	} else {
		mix[EVENT_OA] = synth_between(r, 0.15, 0.40);
		mix[EVENT_CA] = synth_between(r, 0.02, 0.08);
		mix[EVENT_MA] = synth_between(r, 0.00, 0.05);
		mix[EVENT_H] = synth_between(r, 0.40, 0.65);
	}
	mix[EVENT_A] = synth_between(r, 0.00, 0.03);
	mix[EVENT_RERA] = synth_between(r, 0.03, 0.15);
}

static void draw_patient(struct synth_rng *r, struct patient *p)
{
	double supine_share = synth_between(r, 0.15, 0.6);
	double left_share = synth_between(r, 0.3, 0.7);

	p->target_ahi = draw_target_ahi(r);
	p->positional = p->target_ahi >= 5 && synth_chance(r, 0.5);
	p->supine_weight = p->positional ? synth_between(r, 2.5, 5.0) : synth_between(r, 0.8, 1.5);
	p->rem_weight = synth_between(r, 1.0, 2.5);
	draw_event_mix(r, p->event_mix);
	p->awakening_rate = 0.006 + 0.0003 * p->target_ahi;
	p->light_sleep_rate = 0.03 + 0.001 * p->target_ahi;
	p->n3_factor = synth_between(r, 0.6, 1.2) - 0.004 * p->target_ahi;
	memset(p->side_preference, 0, sizeof p->side_preference);
	p->side_preference[POS_SUPINE] = supine_share;
	p->side_preference[POS_LEFT] = (1 - supine_share) * left_share * 0.95;
	p->side_preference[POS_RIGHT] = (1 - supine_share) * (1 - left_share) * 0.95;
	p->side_preference[POS_PRONE] = (1 - supine_share) * 0.05;
}

/* ---- labels: stages ---- */

/* Write `stage` into epochs [*e, *e + count) without passing `limit`; advance *e. */
static void emit(struct synth_night *n, int *e, int limit, int stage, long count)
{
	for (long i = 0; i < count && *e < limit; i++)
		n->stage[(*e)++] = (unsigned char)stage;
}

static long sleep_onset_epochs(struct synth_rng *r)
{
	static const double weight[] = {70, 25, 5};
	static const long low[] = {2, 20, 60};
	static const long high[] = {20, 60, 120};
	int c = synth_pick(r, weight, 3);

	return synth_range(r, low[c], high[c]);
}

/* One NREM/REM cycle starting at *e: N1, N2, N3 (less each cycle), N2, REM (more each cycle). */
static void emit_cycle(struct synth_night *n, struct synth_rng *r, const struct patient *p, int cycle,
		       int *e, int limit)
{
	static const long n3_low[] = {40, 20, 0, 0}, n3_high[] = {80, 50, 24, 8};
	static const long rem_low[] = {8, 24, 34, 40}, rem_high[] = {24, 44, 56, 64};
	int c = cycle < 3 ? cycle : 3;
	long length = cycle == 0 ? synth_range(r, 140, 200) : synth_range(r, 160, 210);
	long n1 = cycle == 0 ? synth_range(r, 2, 10) : synth_range(r, 2, 6);
	long n3 = (long)((double)synth_range(r, n3_low[c], n3_high[c]) * p->n3_factor);
	long rem = synth_range(r, rem_low[c], rem_high[c]);
	long n2 = length - n1 - n3 - rem;

	if (n3 < 0)
		n3 = 0;
	if (n2 < 20)
		n2 = 20;
	emit(n, e, limit, STAGE_N1, n1);
	emit(n, e, limit, STAGE_N2, n2 * 11 / 20);
	emit(n, e, limit, STAGE_N3, n3);
	emit(n, e, limit, STAGE_N2, n2 - n2 * 11 / 20);
	emit(n, e, limit, STAGE_R, rem);
	if (synth_chance(r, 0.5)) /* waking briefly as a REM period ends */
		emit(n, e, limit, STAGE_W, synth_range(r, 1, 4));
}

/* Brief awakenings (W then N1) and stage fragmentation sprinkled over the sleep period. */
static void fragment(struct synth_night *n, struct synth_rng *r, const struct patient *p, int first, int limit)
{
	for (int e = first; e < limit; e++) {
		int s = n->stage[e];

		if (!canon_is_sleep(s))
			continue;
		if (synth_chance(r, p->awakening_rate)) {
			int w = (int)synth_range(r, 1, 4), n1 = (int)synth_range(r, 1, 3);
			emit(n, &e, limit, STAGE_W, w);
			emit(n, &e, limit, STAGE_N1, n1);
			e--;
		} else if (s == STAGE_N3 && synth_chance(r, 0.08)) {
			n->stage[e] = STAGE_N2;
		} else if (s == STAGE_R && synth_chance(r, 0.03)) {
			n->stage[e] = STAGE_N1;
		} else if (s == STAGE_N2 && synth_chance(r, p->light_sleep_rate)) {
			n->stage[e] = STAGE_N1;  /* a shift to light sleep, often with an arousal */
		}
	}
}

/* Wake after sleep onset beyond the brief awakenings: 0–3 spells of 5–20 min after the first cycle. */
static void long_awakenings(struct synth_night *n, struct synth_rng *r, int first, int limit)
{
	long spells = synth_range(r, 0, 3);

	if (limit - first < 300)
		return;
	for (long i = 0; i < spells; i++) {
		int e = (int)synth_range(r, first + 180, limit - 50);
		emit(n, &e, limit, STAGE_W, synth_range(r, 10, 40));
		emit(n, &e, limit, STAGE_N1, synth_range(r, 1, 4));
	}
}

static void artifacts(struct synth_night *n, struct synth_rng *r)
{
	long runs = synth_range(r, 1, 4);

	for (long i = 0; i < runs; i++) {
		int e = (int)synth_range(r, 0, n->epochs - 1);
		emit(n, &e, n->epochs, STAGE_UNSCORED, synth_range(r, 1, 2));
	}
}

static void make_stages(struct synth_night *n, struct synth_rng *r, const struct patient *p)
{
	int sol, final_wake, limit, e, cycle = 0;

	n->epochs = (int)synth_range(r, 720, SYNTH_MAX_EPOCHS);
	sol = (int)sleep_onset_epochs(r);
	final_wake = (int)synth_range(r, 2, 30);
	limit = n->epochs - final_wake;
	memset(n->stage, STAGE_W, (size_t)n->epochs);
	e = sol;
	while (e < limit)
		emit_cycle(n, r, p, cycle++, &e, limit);
	fragment(n, r, p, sol, limit);
	long_awakenings(n, r, sol, limit);
	artifacts(n, r);
}

/* ---- labels: body position ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

struct turns {
	int count;
	int64_t at[SYNTH_MAX_SEGMENTS / 2];
	int position[SYNTH_MAX_SEGMENTS / 2];   /* lying position from at[i] on */
	int upright_count;
	int64_t upright_from[SYNTH_MAX_SEGMENTS / 4], upright_to[SYNTH_MAX_SEGMENTS / 4];
};

static int next_lying_position(struct synth_rng *r, const struct patient *p, int current)
{
	double w[POS_COUNT];

	memcpy(w, p->side_preference, sizeof w);
	if (current >= 0 && current < POS_COUNT)
		w[current] = 0;
	return synth_pick(r, w, POS_COUNT);
}

static int64_t epoch_onset_ms(const struct synth_night *n, int e)
{
	return n->t0_ms + (int64_t)e * SYNTH_EPOCH_MS;
}

/* Turns happen during awakenings: pick wake epochs after sleep onset (any epoch if there are none). */
static void draw_turns(struct synth_night *n, struct synth_rng *r, const struct patient *p, struct turns *t)
{
	int wake[SYNTH_MAX_EPOCHS], nwake = 0, first_sleep = 0, current;
	long count = synth_range(r, 3, 12);

	while (first_sleep < n->epochs && !canon_is_sleep(n->stage[first_sleep]))
		first_sleep++;
	for (int e = first_sleep; e < n->epochs; e++)
		if (n->stage[e] == STAGE_W)
			wake[nwake++] = e;
	t->count = 0;
	/* lying down at lights-off, give or take a couple of minutes; most start on their back */
	t->at[t->count] = n->t0_ms + 1000 * synth_range(r, -120, 60);
	t->position[t->count++] = synth_chance(r, 0.7) ? POS_SUPINE : next_lying_position(r, p, POS_SUPINE);
	for (long i = 0; i < count; i++) {
		int e = nwake ? wake[synth_range(r, 0, nwake - 1)] : (int)synth_range(r, 0, n->epochs - 1);
		t->at[t->count++] = epoch_onset_ms(n, e) + synth_range(r, 0, SYNTH_EPOCH_MS - 1);
	}
	qsort(t->at + 1, (size_t)(t->count - 1), sizeof t->at[0], cmp_i64);
	current = t->position[0];
	for (int i = 1; i < t->count; i++)
		current = t->position[i] = next_lying_position(r, p, current);
}

/* Sitting up during some long awakenings (≥ 6 wake epochs after sleep onset) and at lights-on. */
static void draw_upright(struct synth_night *n, struct synth_rng *r, struct turns *t)
{
	int max = (int)(sizeof t->upright_from / sizeof t->upright_from[0]) - 1;
	int first_sleep = 0, run = 0;

	t->upright_count = 0;
	while (first_sleep < n->epochs && !canon_is_sleep(n->stage[first_sleep]))
		first_sleep++;
	for (int e = first_sleep; e <= n->epochs; e++) {
		if (e < n->epochs && n->stage[e] == STAGE_W) {
			run++;
			continue;
		}
		if (run >= 6 && e < n->epochs && t->upright_count < max && synth_chance(r, 0.5)) {
			t->upright_from[t->upright_count] = epoch_onset_ms(n, e - run + 1) + synth_range(r, 0, 29999);
			t->upright_to[t->upright_count++] = epoch_onset_ms(n, e - 1) + synth_range(r, 0, 29999);
		}
		run = 0;
	}
	if (synth_chance(r, 0.5)) { /* lights on: sits up shortly before the end */
		t->upright_from[t->upright_count] = synth_night_end_ms(n) - 1000 * synth_range(r, 10, 120);
		t->upright_to[t->upright_count++] = n->position_end_ms + 1;
	}
}

static int turns_position_at(const struct turns *t, int64_t ms)
{
	int pos = POS_UPRIGHT; /* before lying down */

	for (int i = 0; i < t->upright_count; i++)
		if (ms >= t->upright_from[i] && ms < t->upright_to[i])
			return POS_UPRIGHT;
	for (int i = 0; i < t->count && t->at[i] <= ms; i++)
		pos = t->position[i];
	return pos;
}

/* Segments: every boundary of turns and upright spells, merged where nothing changes. */
static void make_positions(struct synth_night *n, struct synth_rng *r, const struct patient *p)
{
	struct turns t;
	int64_t bound[SYNTH_MAX_SEGMENTS];
	int nb = 0;

	n->position_start_ms = 0;
	n->position_end_ms = synth_night_end_ms(n) + 1000 * synth_range(r, 0, 120);
	draw_turns(n, r, p, &t);
	draw_upright(n, r, &t);
	bound[nb++] = n->position_start_ms;
	for (int i = 0; i < t.count; i++)
		bound[nb++] = t.at[i];
	for (int i = 0; i < t.upright_count; i++) {
		bound[nb++] = t.upright_from[i];
		bound[nb++] = t.upright_to[i];
	}
	qsort(bound, (size_t)nb, sizeof bound[0], cmp_i64);
	n->segments = 0;
	for (int i = 0; i < nb; i++) {
		int pos;
		if (bound[i] < n->position_start_ms || bound[i] > n->position_end_ms)
			continue;
		pos = turns_position_at(&t, bound[i]);
		if (n->segments && n->segment[n->segments - 1].position == pos)
			continue;
		n->segment[n->segments].start_ms = bound[i];
		n->segment[n->segments++].position = pos;
	}
}

int synth_night_position_at(const struct synth_night *n, int64_t t_ms)
{
	int pos = n->segment[0].position;

	for (int i = 0; i < n->segments && n->segment[i].start_ms <= t_ms; i++)
		pos = n->segment[i].position;
	return pos;
}

/* ---- labels: respiratory events ---- */

/* Relative event rate in each epoch, normalised so that sleep epochs average 1. */
static void event_weights(const struct synth_night *n, const struct patient *p, double *w)
{
	double sleep_sum = 0;
	int sleep_epochs = 0;

	for (int e = 0; e < n->epochs; e++) {
		int s = n->stage[e];
		int pos = synth_night_position_at(n, epoch_onset_ms(n, e) + SYNTH_EPOCH_MS / 2);
		double pw = pos == POS_SUPINE ? p->supine_weight : pos == POS_UPRIGHT ? 0.5 : 1.0;

		switch (s) {
		case STAGE_N1: w[e] = 1.2 * pw; break;
		case STAGE_N2: w[e] = 1.0 * pw; break;
		case STAGE_N3: w[e] = 0.35 * pw; break;
		case STAGE_R: w[e] = p->rem_weight * pw; break;
		default: w[e] = 0; break;
		}
		if (canon_is_sleep(s)) {
			sleep_sum += w[e];
			sleep_epochs++;
		}
	}
	for (int e = 0; e < n->epochs; e++) {
		if (sleep_sum > 0)
			w[e] = w[e] * sleep_epochs / sleep_sum;
		if (n->stage[e] == STAGE_W)
			w[e] = 0.03;    /* a few events scored around awakenings */
		else if (n->stage[e] == STAGE_UNSCORED)
			w[e] = 0.5;
	}
}

/* Duration in ms, 0.1 s resolution: 10 s and up, rarely long, never over 60 s. */
static int64_t event_duration_ms(struct synth_rng *r, int type)
{
	long ds; /* deciseconds */

	switch (type) {
	case EVENT_CA: case EVENT_RERA: ds = 100 + synth_range(r, 0, 150); break;
	case EVENT_MA: ds = 150 + synth_range(r, 0, 150) + synth_range(r, 0, 100); break;
	default: ds = 100 + synth_range(r, 0, 120) + synth_range(r, 0, 120); break;
	}
	if (synth_chance(r, 0.08))
		ds += synth_range(r, 0, 260);
	if (ds > 600)
		ds = 600;
	return ds * 100;
}

/* Events one second at a time with probability rate × weight, each followed by 3–15 s of
 * recovery: no overlaps, and a severe patient's events come every minute or so. */
static void make_events(struct synth_night *n, struct synth_rng *r, const struct patient *p)
{
	double w[SYNTH_MAX_EPOCHS];
	double rera = p->event_mix[EVENT_RERA], total = 0, rate, busy;
	const double mean_dead_s = 31;
	int64_t end = synth_night_end_ms(n), t;

	for (int i = 0; i < EVENT_COUNT; i++)
		total += p->event_mix[i];
	/* per second, for AHI events plus RERAs, corrected for the seconds spent in events */
	rate = p->target_ahi / 3600.0 / (1 - rera / total);
	busy = rate * mean_dead_s;
	if (busy > 0.8)
		busy = 0.8;
	rate = rate / (1 - busy);
	event_weights(n, p, w);
	n->events = 0;
	for (t = n->t0_ms; t < end && n->events < SYNTH_MAX_EVENTS; t += 1000) {
		int e = (int)((t - n->t0_ms) / SYNTH_EPOCH_MS);
		double prob = rate * w[e];
		struct synth_event *ev;

		if (!synth_chance(r, prob > 0.95 ? 0.95 : prob))
			continue;
		ev = &n->event[n->events];
		ev->type = synth_pick(r, p->event_mix, EVENT_COUNT);
		ev->onset_ms = t + 100 * synth_range(r, 0, 9);
		ev->duration_ms = event_duration_ms(r, ev->type);
		if (ev->onset_ms + ev->duration_ms > end)
			break;
		n->events++;
		t = ev->onset_ms + ev->duration_ms + 1000 * synth_range(r, 3, 15);
		t -= t % 1000;
	}
}

/* ---- predictions ---- */

/* The model's mistake for a labels stage: mostly a neighbouring stage. */
static int confuse_stage(struct synth_rng *r, int s)
{
	/*                                 W     N1    N2    N3    R */
	static const double from_w[] = {0, 0.70, 0.20, 0, 0.10};
	static const double from_n1[] = {0.30, 0, 0.55, 0, 0.15};
	static const double from_n2[] = {0.05, 0.45, 0, 0.45, 0.05};
	static const double from_n3[] = {0, 0.05, 0.95, 0, 0};
	static const double from_r[] = {0.12, 0.38, 0.50, 0, 0};
	static const double *const table[] = {from_w, from_n1, from_n2, from_n3, from_r};

	return synth_pick(r, table[s], 5);
}

static void predict_stages(struct synth_night *n, struct synth_rng *r)
{
	static const double error_rate[] = {0.02, 0.25, 0.06, 0.16, 0.05}; /* W N1 N2 N3 R */
	double quality = synth_between(r, 0.6, 1.4);  /* this night's model error scale */
	int prev_label = -1, prev_pred = STAGE_W, prev_wrong = 0;

	n->pred_epochs = synth_chance(r, 0.3) ? n->epochs - 1 : n->epochs;
	for (int e = 0; e < n->pred_epochs; e++) {
		int s = n->stage[e], pred;
		int at_transition = (e > 0 && n->stage[e - 1] != s) || (e + 1 < n->epochs && n->stage[e + 1] != s);
		double p;

		if (s == STAGE_UNSCORED) { /* the model scores artefacts as whatever came before */
			n->pred_stage[e] = (unsigned char)prev_pred;
			continue;
		}
		p = error_rate[s] * quality * (at_transition ? 2.0 : 1.0);
		if (prev_wrong && s == prev_label && synth_chance(r, 0.5))
			pred = prev_pred;              /* errors come in runs */
		else if (synth_chance(r, p))
			pred = confuse_stage(r, s);
		else
			pred = s;
		n->pred_stage[e] = (unsigned char)pred;
		prev_wrong = pred != s;
		prev_label = s;
		prev_pred = pred;
	}
}

static int confuse_event(struct synth_rng *r, int type)
{
	/*                                 OA    CA    MA    A     H     RERA */
	static const double from_oa[] = {0.85, 0.02, 0.03, 0, 0.10, 0};
	static const double from_ca[] = {0.08, 0.85, 0, 0.04, 0.03, 0};
	static const double from_ma[] = {0.50, 0.10, 0.40, 0, 0, 0};
	static const double from_a[] = {0.45, 0.30, 0, 0.25, 0, 0};
	static const double from_h[] = {0.12, 0, 0, 0, 0.85, 0.03};
	static const double from_rera[] = {0, 0, 0, 0, 0.40, 0.60};
	static const double *const table[] = {from_oa, from_ca, from_ma, from_a, from_h, from_rera};

	return synth_pick(r, table[type], EVENT_COUNT);
}

/* A total order (onset, then duration, then type): qsort is not stable and C libraries order ties
 * differently, which would make the bytes differ between machines. */
static int cmp_event(const void *a, const void *b)
{
	const struct synth_event *x = a, *y = b;

	if (x->onset_ms != y->onset_ms)
		return (x->onset_ms > y->onset_ms) - (x->onset_ms < y->onset_ms);
	if (x->duration_ms != y->duration_ms)
		return (x->duration_ms > y->duration_ms) - (x->duration_ms < y->duration_ms);
	return (x->type > y->type) - (x->type < y->type);
}

/* Keep a predicted event inside [t0, end) (onset) and the recording (end of event); 10 ms
 * resolution. The predicted hypnogram is one epoch shorter in 30 % of nights, and the shard refuses
 * a predicted event whose onset is at or after its end: such an onset is moved back so the event
 * ends with the predictions (events that merely run past their end, which the shard takes, stay
 * as they were: every night that was already good is written byte for byte as before). */
static void clamp_event(const struct synth_night *n, struct synth_event *ev)
{
	int64_t end = synth_night_end_ms(n);
	int64_t pred_end = n->t0_ms + (int64_t)n->pred_epochs * SYNTH_EPOCH_MS;

	ev->onset_ms -= ev->onset_ms % 10;
	ev->duration_ms -= ev->duration_ms % 10;
	if (ev->duration_ms < 3000)
		ev->duration_ms = 3000;
	if (ev->onset_ms < n->t0_ms)
		ev->onset_ms = n->t0_ms;
	if (ev->onset_ms + ev->duration_ms > end)
		ev->onset_ms = end - ev->duration_ms;
	if (ev->onset_ms >= pred_end)
		ev->onset_ms = pred_end - ev->duration_ms;
}

static void detected_events(struct synth_night *n, struct synth_rng *r, double quality)
{
	static const double detect[] = {0.92, 0.85, 0.85, 0.80, 0.78, 0.45}; /* OA CA MA A H RERA */

	n->pred_events = 0;
	for (int i = 0; i < n->events; i++) {
		const struct synth_event *truth = &n->event[i];
		struct synth_event *ev = &n->pred_event[n->pred_events];

		if (!synth_chance(r, detect[truth->type] * quality))
			continue;
		ev->type = confuse_event(r, truth->type);
		ev->onset_ms = truth->onset_ms + (int64_t)(synth_normalish(r) * 1500);
		ev->duration_ms = (int64_t)((double)truth->duration_ms * (1 + 0.12 * synth_normalish(r)));
		clamp_event(n, ev);
		n->pred_events++;
	}
}

/* 0.5–3 false alarms an hour, mostly in sleep. */
static void spurious_events(struct synth_night *n, struct synth_rng *r, double quality)
{
	static const double type_weight[] = {0.3, 0.1, 0, 0, 0.5, 0.1};
	double hours = n->epochs / 120.0;
	long count = (long)(synth_between(r, 0.5, 3.0) * hours / quality);
	int sleep[SYNTH_MAX_EPOCHS], nsleep = 0;

	for (int e = 0; e < n->epochs; e++)
		if (canon_is_sleep(n->stage[e]))
			sleep[nsleep++] = e;
	for (long i = 0; i < count && n->pred_events < SYNTH_MAX_EVENTS; i++) {
		struct synth_event *ev = &n->pred_event[n->pred_events++];
		int e = nsleep && synth_chance(r, 0.85) ? sleep[synth_range(r, 0, nsleep - 1)]
						       : (int)synth_range(r, 0, n->epochs - 1);

		ev->type = synth_pick(r, type_weight, EVENT_COUNT);
		ev->onset_ms = epoch_onset_ms(n, e) + 10 * synth_range(r, 0, 2999);
		ev->duration_ms = 10 * synth_range(r, 800, 2500);
		clamp_event(n, ev);
	}
}

static void predict_events(struct synth_night *n, struct synth_rng *r)
{
	double quality = synth_between(r, 0.92, 1.06);

	detected_events(n, r, quality > 1 ? 1 : quality);
	spurious_events(n, r, quality);
	qsort(n->pred_event, (size_t)n->pred_events, sizeof n->pred_event[0], cmp_event);
}

/* ---- the night ---- */

void synth_night_generate(struct synth_night *n, uint64_t seed, uint64_t number)
{
	struct synth_rng labels, predictions;
	struct patient p;

	synth_rng_seed(&labels, seed, number, RNG_LABELS);
	synth_rng_seed(&predictions, seed, number, RNG_PREDICTIONS);
	draw_patient(&labels, &p);
	n->target_ahi = p.target_ahi;
	n->positional = p.positional;
	n->t0_ms = 1000 * synth_range(&labels, 120, 900);
	make_stages(n, &labels, &p);
	make_positions(n, &labels, &p);
	make_events(n, &labels, &p);
	predict_stages(n, &predictions);
	predict_events(n, &predictions);
}
