/*
 * vocab.h — proposing a canonical value (SPEC §1: stages, events, positions) for a raw label an
 * export writes: `Wake` → W, `Stage 2 sleep|2` → N2 (NSRR), `Sleep stage 4` → N3 (Sleep-EDF, R&K),
 * `Obstructive Apnea` → OA, `Rückenlage` → supine (German), stage codes 0..4 (a model's) or 0..5
 * (Profusion's, NSRR's). Used by `nightfan profile init` (pipeline/profile/draft.c) only: a proposal is a
 * guess the user checks, never a mapping the shard applies on its own.
 */
#ifndef NIGHTFAN_VOCAB_H
#define NIGHTFAN_VOCAB_H

#include <stdbool.h>

#include "profile.h"

/* Integer stage codes: how a column (or an annotation file) of bare integers is read. */
enum vocab_codes {
	VOCAB_CODES_NONE,        /* not every value is a bare integer */
	VOCAB_CODES_MODEL,       /* 0 W, 1 N1, 2 N2, 3 N3, 4 R (a model's output; -1 unscored) */
	VOCAB_CODES_PSG,         /* 0 W, 1 N1, 2 N2, 3 N3, 4 N3 (R&K stage 4), 5 R, 9 unscored
	                            (Compumedics Profusion, NSRR) */
};

/* Which integer codes `values` (n raw values, each NUL-terminated) use: NONE unless each is a bare
 * integer; PSG when one of them is 5 (or `psg` says the file is a PSG system's), else MODEL. */
enum vocab_codes vocab_stage_codes(const char *const *values, int n, bool psg);

/* The canonical value proposed for raw value `raw` of field `f` (FIELD_STAGE, FIELD_EVENT or
 * FIELD_POSITION), or NULL when there is none; `codes` decides bare integers for stages. The
 * result is a static canonical name ("N2", "OA", "supine"). */
const char *vocab_propose(enum profile_field f, const char *raw, enum vocab_codes codes);

/* A column header names field f ("Sleep Stage", "Start [s]", "Ereignis", "Körperlage", ...):
 * compared without case, units in brackets and spaces around. */
bool vocab_header_is(enum profile_field f, const char *header);

#endif
