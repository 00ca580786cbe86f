/*
 * synth_write.c — the CSV text of a generated night (see synth_write.h).
 *
 * Clean files: LF line ends, no quoting, exactly the SPEC example profile's columns.
 * Messy files (--messy), the labels only — the vendor export is where mess comes from; the model's
 * predictions stay plain LF files, so a messy night mixes both:
 *   - a UTF-8 BOM, CRLF line ends, the position header quoted;
 *   - hypnogram: an extra "Epoch" column first and a free-text "Comment" column (quoted, with commas,
 *     doubled quotes, and once a night a line break inside the quotes); one or two "Movement" epochs
 *     (an old R&K stage the profile does not map);
 *   - respiratory: columns reordered (Start, Event Type, Duration, Comment), event types always
 *     quoted, comments, one "Cheyne-Stokes Breathing" row the profile does not map;
 *   - position: 1–3 sensor glitches of 2–5 s reported as "Unknown" (not mapped).
 * Line numbers of defects count physical lines, so a comment's line break moves the later rows.
 */
#include "synth_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "synth_rng.h"

static const char *const file_names[SYNTH_FILE_COUNT] = {
	"labels/hypnogram.csv", "labels/respiratory.csv", "labels/position.csv",
	"predictions/hypnogram.csv", "predictions/respiratory.csv",
};

const char *synth_file_name(int file)
{
	return file >= 0 && file < SYNTH_FILE_COUNT ? file_names[file] : "?";
}

/* The vendor's vocabularies (the raw values of the SPEC's example profile, plus "Apnea"). */
static const char *const raw_stage[STAGE_COUNT] = {"Wake", "N1", "N2", "N3", "REM", "Artifact"};
static const char *const raw_event[EVENT_COUNT] = {
	"Obstructive Apnea", "Central Apnea", "Mixed Apnea", "Apnea", "Hypopnea", "RERA",
};
static const char *const raw_position[POS_COUNT] = {"Supine", "Prone", "Left", "Right", "Upright", "Unknown"};
/* The model's: stage numbers and canonical event names. */
static const char *const pred_stage[] = {"0", "1", "2", "3", "4"};

/* ---- buffer ---- */

void synth_buf_free(struct synth_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* Room for `more` bytes. Rows reserve their worst case once, then write without checks. */
static int reserve(struct synth_buf *b, size_t more, struct err *e)
{
	size_t want = b->len + more, cap = b->cap ? b->cap : 1 << 16;
	char *data;

	if (want <= b->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data)
		return ERR(e, "out of memory");
	b->data = data;
	b->cap = cap;
	return 0;
}

static void put_mem(struct synth_buf *b, const char *s, size_t len)
{
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

static void put_str(struct synth_buf *b, const char *s)
{
	put_mem(b, s, strlen(s));
}

static void put_char(struct synth_buf *b, char c)
{
	b->data[b->len++] = c;
}

static void put_uint(struct synth_buf *b, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		b->data[b->len++] = tmp[--n];
}

/* How put_fixed ends a number. */
enum fixed_form {
	FIXED_ALL,      /* every decimal:          "1234.500" */
	FIXED_TRIM,     /* no trailing zeros:      "1234.5", "1234" */
	FIXED_FLOAT,    /* as Python prints floats: "1234.5", "1234.0" */
};

/* v / 10^decimals as a decimal number (decimals 1..6). */
static void put_fixed(struct synth_buf *b, int64_t v, int decimals, enum fixed_form form)
{
	static const int64_t scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	uint64_t mag = v < 0 ? (uint64_t)-v : (uint64_t)v;
	uint64_t whole = mag / (uint64_t)scale[decimals], frac = mag % (uint64_t)scale[decimals];
	char digits[8];
	int keep = decimals;

	if (v < 0)
		put_char(b, '-');
	put_uint(b, whole);
	for (int i = decimals - 1; i >= 0; i--) {
		digits[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	if (form != FIXED_ALL)
		while (keep > 0 && digits[keep - 1] == '0')
			keep--;
	if (keep == 0 && form == FIXED_FLOAT)
		keep = 1;
	if (keep == 0)
		return;
	put_char(b, '.');
	put_mem(b, digits, (size_t)keep);
}

/* A CSV field in quotes, quotes inside doubled (RFC 4180). Reserve 2 × len + 2 first. */
static void put_quoted(struct synth_buf *b, const char *s)
{
	put_char(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			put_char(b, '"');
		put_char(b, *s);
	}
	put_char(b, '"');
}

static void put_bom(struct synth_buf *b)
{
	put_mem(b, "\xEF\xBB\xBF", 3);
}

static void put_eol(struct synth_buf *b, int messy)
{
	if (messy)
		put_char(b, '\r');
	put_char(b, '\n');
}

static long count_newlines(const char *s)
{
	long n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* "HH:MM:SS" of a time in ms (the clock-time defect). */
static void put_clock(struct synth_buf *b, int64_t ms)
{
	int64_t s = ms / 1000;
	int64_t parts[3] = {s / 3600, s / 60 % 60, s % 60};

	for (int i = 0; i < 3; i++) {
		if (i)
			put_char(b, ':');
		put_char(b, (char)('0' + parts[i] / 10 % 10));
		put_char(b, (char)('0' + parts[i] % 10));
	}
}

/* Record where a defect went and what it is. */
static void __attribute__((format(printf, 5, 6)))
describe(struct synth_defect *d, int kind, int file, long line, const char *fmt, ...)
{
	va_list ap;

	d->kind = kind;
	d->file = file;
	d->line = line;
	va_start(ap, fmt);
	vsnprintf(d->what, sizeof d->what, fmt, ap);
	va_end(ap);
}

static int64_t epoch_onset(const struct synth_night *n, int e)
{
	return n->t0_ms + (int64_t)e * SYNTH_EPOCH_MS;
}

static void rng_for(struct synth_rng *r, const struct synth_style *st, int purpose, int file)
{
	synth_rng_seed(r, st->seed, st->number, (uint64_t)purpose * 16 + (uint64_t)file);
}

/* ---- labels/hypnogram.csv ---- */

static const char *const stage_comments[] = {
	"Arousal, leg movement",
	"Pt. called out \"nurse\", tech entered room",
	"Snoring, loud",
	"SpO2 probe off; \"artifact\" on finger sensor",
	"Position change, re-check electrodes",
};
#define MULTILINE_COMMENT "Electrode F4 re-gelled,\nsignal OK after"

/* Messy choices for the hypnogram: one comment per epoch (or NULL), a few unmapped stages. */
struct hypnogram_mess {
	int multiline_epoch;
	int movement_epoch[2];
	struct synth_rng r;
};

static const char *stage_comment(const struct synth_night *n, struct hypnogram_mess *m, int e)
{
	if (e == 0)
		return "Lights off; pt. said \"ready, go\"";
	if (e == n->epochs - 1)
		return "Lights on";
	if (e == m->multiline_epoch)
		return MULTILINE_COMMENT;
	if (synth_chance(&m->r, 0.02))
		return stage_comments[synth_range(&m->r, 0, 4)];
	return NULL;
}

static void put_hypnogram_row(struct synth_buf *b, const struct synth_night *n, const struct synth_style *st,
			      struct hypnogram_mess *m, int e, int clock_onset, long *line)
{
	int64_t onset = epoch_onset(n, e);
	const char *stage = raw_stage[n->stage[e]];
	const char *comment;

	if (st->messy) {
		put_uint(b, (uint64_t)e + 1);
		put_char(b, ',');
	}
	if (clock_onset)
		put_clock(b, onset);
	else
		put_fixed(b, onset, 3, FIXED_TRIM);
	put_char(b, ',');
	if (st->messy && (e == m->movement_epoch[0] || e == m->movement_epoch[1]))
		stage = "Movement";
	put_str(b, stage);
	if (st->messy) {
		put_char(b, ',');
		comment = stage_comment(n, m, e);
		if (comment) {
			put_quoted(b, comment);
			*line += count_newlines(comment);
		}
	}
	put_eol(b, st->messy);
	(*line)++;
}

static int render_labels_hypnogram(const struct synth_night *n, const struct synth_style *st,
				   struct synth_buf *b, struct synth_defect *d, struct err *e)
{
	struct hypnogram_mess m;
	struct synth_rng broken;
	int target = -1;
	long line = 2;
	char clock_text[16];

	rng_for(&m.r, st, RNG_MESSY, SYNTH_LABELS_HYPNOGRAM);
	rng_for(&broken, st, RNG_BROKEN, SYNTH_LABELS_HYPNOGRAM);
	m.multiline_epoch = (int)synth_range(&m.r, 1, n->epochs - 2);
	m.movement_epoch[0] = (int)synth_range(&m.r, 1, n->epochs - 2);
	m.movement_epoch[1] = synth_chance(&m.r, 0.5) ? (int)synth_range(&m.r, 1, n->epochs - 2) : -1;
	if (st->defect == SYNTH_DEFECT_CLOCK_ONSET || st->defect == SYNTH_DEFECT_ONSET_GAP)
		target = (int)synth_range(&broken, n->epochs / 4, n->epochs * 3 / 4);
	if (reserve(b, (size_t)n->epochs * 160 + 64, e) != 0)
		return -1;
	if (st->messy) {
		put_bom(b);
		put_str(b, "Epoch,Start [s],Sleep Stage,Comment\r\n");
	} else {
		put_str(b, "Start [s],Sleep Stage\n");
	}
	for (int i = 0; i < n->epochs; i++) {
		if (i == target && st->defect == SYNTH_DEFECT_ONSET_GAP) {
			describe(d, st->defect, SYNTH_LABELS_HYPNOGRAM, line,
				 "the epoch at %lld s is missing: onsets jump from %lld to %lld s",
				 (long long)(epoch_onset(n, i) / 1000), (long long)(epoch_onset(n, i - 1) / 1000),
				 (long long)(epoch_onset(n, i + 1) / 1000));
			continue;
		}
		if (i == target && st->defect == SYNTH_DEFECT_CLOCK_ONSET) {
			struct synth_buf clock = {clock_text, 0, sizeof clock_text};
			put_clock(&clock, epoch_onset(n, i));
			put_char(&clock, '\0');
			describe(d, st->defect, SYNTH_LABELS_HYPNOGRAM, line,
				 "onset written as a clock time \"%s\" in \"Start [s]\"", clock_text);
			put_hypnogram_row(b, n, st, &m, i, 1, &line);
			continue;
		}
		put_hypnogram_row(b, n, st, &m, i, 0, &line);
	}
	return 0;
}

/* ---- labels/respiratory.csv ---- */

static const char *const event_comments[] = {
	"SpO2 nadir 84%, arousal",
	"with snoring, \"crescendo\"",
	"desat 3%; arousal",
	"paradoxical effort, see \"RIP\" channels",
};

/* One event row; onset and duration with one decimal, as the vendor exports them. */
static void put_scored_event(struct synth_buf *b, const struct synth_style *st, int64_t onset_ms,
			     int64_t duration_ms, const char *type, const char *comment)
{
	put_fixed(b, onset_ms / 100, 1, FIXED_ALL);
	put_char(b, ',');
	if (st->messy) {
		put_quoted(b, type);
		put_char(b, ',');
	}
	put_fixed(b, duration_ms / 100, 1, FIXED_ALL);
	if (st->messy) {
		put_char(b, ',');
		if (comment)
			put_quoted(b, comment);
	} else {
		put_char(b, ',');
		put_str(b, type);
	}
	put_eol(b, st->messy);
}

static int render_labels_respiratory(const struct synth_night *n, const struct synth_style *st,
				     struct synth_buf *b, struct synth_defect *d, struct err *e)
{
	const char *event_column = st->defect == SYNTH_DEFECT_MISSING_COLUMN ? "Event" : "Event Type";
	int64_t end = synth_night_end_ms(n), at;
	struct synth_rng mess, broken;
	long line = 2;
	int unknown_before;

	rng_for(&mess, st, RNG_MESSY, SYNTH_LABELS_RESPIRATORY);
	rng_for(&broken, st, RNG_BROKEN, SYNTH_LABELS_RESPIRATORY);
	unknown_before = (int)synth_range(&mess, 0, n->events);
	if (reserve(b, (size_t)(n->events + 4) * 200 + 128, e) != 0)
		return -1;
	if (st->messy) {
		put_bom(b);
		put_str(b, "Start [s],");
		put_str(b, event_column);
		put_str(b, ",Duration [s],Comment\r\n");
	} else {
		put_str(b, "Start [s],Duration [s],");
		put_str(b, event_column);
		put_char(b, '\n');
	}
	if (st->defect == SYNTH_DEFECT_MISSING_COLUMN)
		describe(d, st->defect, SYNTH_LABELS_RESPIRATORY, 1,
			 "the header names \"Event\" instead of \"Event Type\"");
	if (st->defect == SYNTH_DEFECT_EVENT_BEFORE_T0) {
		at = n->t0_ms - 100 * synth_range(&broken, 50, 600);
		describe(d, st->defect, SYNTH_LABELS_RESPIRATORY, line,
			 "an event at %lld.%lld s starts before the first epoch (%lld s)", (long long)(at / 1000),
			 (long long)(at / 100 % 10), (long long)(n->t0_ms / 1000));
		put_scored_event(b, st, at, 15000, raw_event[EVENT_OA], NULL);
		line++;
	}
	for (int i = 0; i <= n->events; i++) {
		if (st->messy && i == unknown_before) { /* a pattern the profile does not map */
			at = i < n->events ? n->event[i].onset_ms - 5000 : end - 120000;
			put_scored_event(b, st, at < n->t0_ms ? n->t0_ms : at, 45000, "Cheyne-Stokes Breathing",
					 "periodic, 3 cycles");
			line++;
		}
		if (i == n->events)
			break;
		put_scored_event(b, st, n->event[i].onset_ms, n->event[i].duration_ms, raw_event[n->event[i].type],
				 st->messy && synth_chance(&mess, 0.15) ? event_comments[synth_range(&mess, 0, 3)] : NULL);
		line++;
	}
	if (st->defect == SYNTH_DEFECT_EVENT_PAST_END) {
		at = end + 100 * synth_range(&broken, 0, 600);
		describe(d, st->defect, SYNTH_LABELS_RESPIRATORY, line,
			 "an event at %lld.%lld s starts at or after the recording's end (%lld s)",
			 (long long)(at / 1000), (long long)(at / 100 % 10), (long long)(end / 1000));
		put_scored_event(b, st, at, 15000, raw_event[EVENT_H], NULL);
	}
	return 0;
}

/* ---- labels/position.csv ---- */

/* Head motion in thousandths: quiet in sleep, restless awake, a burst as the body turns. */
static long motion_thousandths(const struct synth_night *n, struct synth_rng *r, int64_t t, int position,
			       int64_t last_turn)
{
	int64_t end = synth_night_end_ms(n);
	long level;

	if (t - last_turn < 3000 && last_turn > n->position_start_ms)
		return 300 + synth_range(r, 0, 1200);
	if (t < n->t0_ms || t >= end)
		level = 20 + synth_range(r, 0, 150);
	else
		switch (n->stage[(t - n->t0_ms) / SYNTH_EPOCH_MS]) {
		case STAGE_W: level = 20 + synth_range(r, 0, 150); break;
		case STAGE_UNSCORED: level = 50 + synth_range(r, 0, 400); break;
		default: level = synth_range(r, 0, 20); break;
		}
	if (position == POS_UPRIGHT)
		level += 30;
	return level;
}

/* Sensor glitches of a messy night: up to three windows reported as "Unknown". */
struct glitches {
	int count;
	int64_t from[3], to[3];
};

static void draw_glitches(const struct synth_night *n, const struct synth_style *st, struct glitches *g)
{
	struct synth_rng r;

	g->count = 0;
	if (!st->messy)
		return;
	rng_for(&r, st, RNG_MESSY, SYNTH_LABELS_POSITION);
	g->count = (int)synth_range(&r, 1, 3);
	for (int i = 0; i < g->count; i++) {
		g->from[i] = n->t0_ms + synth_range(&r, 0, synth_night_end_ms(n) - n->t0_ms - 10000);
		g->to[i] = g->from[i] + synth_range(&r, 2000, 5000);
	}
}

static int in_glitch(const struct glitches *g, int64_t t)
{
	for (int i = 0; i < g->count; i++)
		if (t >= g->from[i] && t < g->to[i])
			return 1;
	return 0;
}

static int64_t sample_time(const struct synth_night *n, const struct synth_style *st, long k)
{
	return n->position_start_ms + (int64_t)((double)k * 1000.0 / st->position_hz + 0.5);
}

static int render_labels_position(const struct synth_night *n, const struct synth_style *st,
				  struct synth_buf *b, struct synth_defect *d, struct err *e)
{
	long count = (long)((double)(n->position_end_ms - n->position_start_ms) * st->position_hz / 1000.0) + 1;
	long cut = -1;
	struct synth_rng samples, broken;
	struct glitches g;
	int seg = 0;

	if (st->defect == SYNTH_DEFECT_EMPTY_FILE) {
		describe(d, st->defect, SYNTH_LABELS_POSITION, 0, "an empty file (0 bytes)");
		return 0;
	}
	rng_for(&samples, st, RNG_SAMPLES, SYNTH_LABELS_POSITION);
	rng_for(&broken, st, RNG_BROKEN, SYNTH_LABELS_POSITION);
	draw_glitches(n, st, &g);
	if (st->defect == SYNTH_DEFECT_TRUNCATED)
		cut = synth_range(&broken, count * 6 / 10, count * 9 / 10);
	if (reserve(b, (size_t)count * 48 + 128, e) != 0)
		return -1;
	if (st->messy) {
		put_bom(b);
		put_str(b, "\"Time [s]\",\"Body Position\",\"Head Motion\"\r\n");
	} else {
		put_str(b, "Time [s],Body Position,Head Motion\n");
	}
	for (long k = 0; k < count; k++) {
		int64_t t = sample_time(n, st, k);
		size_t row_start = b->len;
		int position;

		while (seg + 1 < n->segments && n->segment[seg + 1].start_ms <= t)
			seg++;
		position = in_glitch(&g, t) ? POS_UNKNOWN : n->segment[seg].position;
		put_fixed(b, t, 3, FIXED_TRIM);
		put_char(b, ',');
		if (k == cut) {
			put_mem(b, raw_position[position], 3);
			describe(d, st->defect, SYNTH_LABELS_POSITION, k + 2,
				 "the last line is cut short: \"%.*s\" (no motion, no line end)",
				 (int)(b->len - row_start), b->data + row_start);
			break;
		}
		put_str(b, raw_position[position]);
		put_char(b, ',');
		put_fixed(b, motion_thousandths(n, &samples, t, n->segment[seg].position, n->segment[seg].start_ms),
			  3, FIXED_ALL);
		put_eol(b, st->messy);
	}
	return 0;
}

/* ---- predictions ---- */

static int render_predictions_hypnogram(const struct synth_night *n, struct synth_buf *b, struct err *e)
{
	if (reserve(b, (size_t)n->pred_epochs * 32 + 32, e) != 0)
		return -1;
	put_str(b, "onset,stage\n");
	for (int i = 0; i < n->pred_epochs; i++) {
		put_fixed(b, epoch_onset(n, i), 3, FIXED_FLOAT);
		put_char(b, ',');
		put_str(b, pred_stage[n->pred_stage[i]]);
		put_char(b, '\n');
	}
	return 0;
}

static void put_predicted_event(struct synth_buf *b, int64_t onset_ms, int64_t duration_ms, int type)
{
	put_fixed(b, onset_ms, 3, FIXED_FLOAT);
	put_char(b, ',');
	put_fixed(b, duration_ms, 3, FIXED_FLOAT);
	put_char(b, ',');
	put_str(b, canon_event_name(type));
	put_char(b, '\n');
}

static int render_predictions_respiratory(const struct synth_night *n, const struct synth_style *st,
					  struct synth_buf *b, struct synth_defect *d, struct err *e)
{
	struct synth_rng broken;

	rng_for(&broken, st, RNG_BROKEN, SYNTH_PREDICTIONS_RESPIRATORY);
	if (reserve(b, (size_t)(n->pred_events + 1) * 64 + 32, e) != 0)
		return -1;
	put_str(b, "onset,duration,label\n");
	if (st->defect == SYNTH_DEFECT_NEGATIVE_ONSET) {
		size_t row_start = b->len;
		int64_t at = -10 * synth_range(&broken, 100, 3000);
		put_predicted_event(b, at, 12000, EVENT_OA);
		describe(d, st->defect, SYNTH_PREDICTIONS_RESPIRATORY, 2, "a negative onset \"%.*s\"",
			 (int)((char *)memchr(b->data + row_start, ',', b->len - row_start) - (b->data + row_start)),
			 b->data + row_start);
	}
	for (int i = 0; i < n->pred_events; i++)
		put_predicted_event(b, n->pred_event[i].onset_ms, n->pred_event[i].duration_ms, n->pred_event[i].type);
	return 0;
}

int synth_render(int file, const struct synth_night *n, const struct synth_style *style,
		 struct synth_buf *b, struct synth_defect *d, struct err *e)
{
	b->len = 0;
	switch (file) {
	case SYNTH_LABELS_HYPNOGRAM: return render_labels_hypnogram(n, style, b, d, e);
	case SYNTH_LABELS_RESPIRATORY: return render_labels_respiratory(n, style, b, d, e);
	case SYNTH_LABELS_POSITION: return render_labels_position(n, style, b, d, e);
	case SYNTH_PREDICTIONS_HYPNOGRAM: return render_predictions_hypnogram(n, b, e);
	case SYNTH_PREDICTIONS_RESPIRATORY: return render_predictions_respiratory(n, style, b, d, e);
	default: return ERR(e, "no such file %d", file);
	}
}
