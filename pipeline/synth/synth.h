/*
 * synth.h — `nightfan synth`: sample nights in the SPEC §1 layout plus the profile that reads them.
 *
 * Owns: the output folder — the five CSV files of each DIR/<night>, each night written into a
 * staging folder and renamed into place, and DIR/profile.json. What a night contains is
 * synth_night.c; how its files are spelled is synth_write.c; options and printing are cmd_synth.c.
 */
#ifndef NIGHTFAN_SYNTH_H
#define NIGHTFAN_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "synth_write.h"

struct synth_options {
	long nights;          /* how many, >= 1 */
	const char *out;      /* DIR (created if missing; nights already there with the same ids are replaced) */
	uint64_t seed;
	int messy;            /* messy labels files and a profile with "on_unknown_value": "unscored" */
	long broken;          /* the last `broken` nights carry one deliberate defect each (0..nights) */
	double position_hz;   /* position sample rate, > 0 */
	long first_id;        /* number of the first night: N0001 for 1 */
};

/* Told about each broken night as it is written (night id, where the defect is). */
typedef void synth_defect_fn(const char *night, const struct synth_defect *d, void *ctx);

/* Write the nights and DIR/profile.json. 0, or -1 (nights written before the failure stay, each
 * complete; no half-written night is left under its final name). */
int synth_run(const struct synth_options *o, synth_defect_fn *on_defect, void *ctx, struct err *e);

/* The night id for a number: "N0001" (at least four digits). buf holds >= 24 bytes. */
void synth_night_id(long number, char *buf, size_t size);

/* The profile.json text for these nights (a static string). */
const char *synth_profile_json(int messy);

#endif
