/*
 * synth_write.h — a generated night (synth_night.h) spelled as the five raw CSV files of SPEC §1,
 * with the vendor's column names and vocabularies of the SPEC's example profile, optionally messy
 * and optionally broken on purpose.
 *
 * Owns: the text of each file, the messy variations, and the catalogue of deliberate defects
 * (--broken). Folders, file writing and the profile live in synth.c.
 *
 * Numbers are formatted here by hand from integers (milliseconds, thousandths): printf's %f and %g
 * follow the locale's decimal point and cost ~10 × more per number, and the files must be the same
 * bytes on every machine.
 */
#ifndef NIGHTFAN_SYNTH_WRITE_H
#define NIGHTFAN_SYNTH_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "synth_night.h"

/* The files of a night, in the order they are written. */
enum synth_file {
	SYNTH_LABELS_HYPNOGRAM,
	SYNTH_LABELS_RESPIRATORY,
	SYNTH_LABELS_POSITION,
	SYNTH_PREDICTIONS_HYPNOGRAM,
	SYNTH_PREDICTIONS_RESPIRATORY,
	SYNTH_FILE_COUNT
};

/* "labels/hypnogram.csv", ... (relative to the night folder). */
const char *synth_file_name(int file);

/*
 * The deliberate defects of --broken: each one is a bad input of SPEC §1 that nightfan-shard must
 * refuse, naming the file and line. The i-th broken night (0-based, counted from the first broken
 * one) gets kind 1 + i % (SYNTH_DEFECT_COUNT - 1), so --broken 8 shows every kind once.
 */
enum synth_defect_kind {
	SYNTH_DEFECT_NONE,
	SYNTH_DEFECT_CLOCK_ONSET,      /* labels/hypnogram.csv: one onset written "HH:MM:SS" (mid-night) */
	SYNTH_DEFECT_EVENT_PAST_END,   /* labels/respiratory.csv: last event starts at/after the end */
	SYNTH_DEFECT_TRUNCATED,        /* labels/position.csv: copy cut off mid-row at 60–90 % */
	SYNTH_DEFECT_ONSET_GAP,        /* labels/hypnogram.csv: one epoch's row missing (onsets jump) */
	SYNTH_DEFECT_EVENT_BEFORE_T0,  /* labels/respiratory.csv: first event starts before t0 */
	SYNTH_DEFECT_MISSING_COLUMN,   /* labels/respiratory.csv: header says "Event", not "Event Type" */
	SYNTH_DEFECT_NEGATIVE_ONSET,   /* predictions/respiratory.csv: first event's onset negative */
	SYNTH_DEFECT_EMPTY_FILE,       /* labels/position.csv: 0 bytes */
	SYNTH_DEFECT_COUNT
};

/* Where a defect went: file, 1-based physical line (the header is line 1; 0 for a whole-file
 * defect) and what it is. */
struct synth_defect {
	int kind;
	int file;                      /* enum synth_file */
	long line;
	char what[160];
};

/* How to spell a night. */
struct synth_style {
	int messy;
	double position_hz;            /* sample rate of labels/position.csv */
	int defect;                    /* enum synth_defect_kind (SYNTH_DEFECT_NONE: a good night) */
	uint64_t seed, number;         /* for the messy and broken choices' random streams */
};

/* A growing byte buffer, reused from night to night (so rows never allocate). */
struct synth_buf {
	char *data;
	size_t len, cap;
};

/* Replace b's contents with `file` of night n. When the style's defect lives in this file, *d is
 * filled (otherwise untouched). 0, or -1 when memory runs out. */
int synth_render(int file, const struct synth_night *n, const struct synth_style *style,
		 struct synth_buf *b, struct synth_defect *d, struct err *e);

void synth_buf_free(struct synth_buf *b);

#endif
