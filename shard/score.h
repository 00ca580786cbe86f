/*
 * score.h — the clinical scores of SPEC §2 for one source of one night.
 *
 * Owns the definitions (sleep: YASA sleep_statistics; respiratory: AASM; position: Cartwright) and
 * nothing else: it takes epochs already read, mapped and placed (shard/epochs.h does that) and
 * fills a score_set. It does no I/O and cannot fail. Writing the set as JSON is nightjson's job.
 */
#ifndef NIGHTFAN_SCORE_H
#define NIGHTFAN_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "scorekeys.h"

/* One respiratory event, already placed in an epoch of `stages` (0 <= epoch < n_epochs). */
struct score_event {
	uint32_t epoch;
	uint8_t type;           /* enum event */
};

struct score_input {
	double epoch_seconds;           /* epoch length, e.g. 30 */
	size_t n_epochs;
	const uint8_t *stages;          /* n_epochs enum stage: the hypnogram that decides sleep epochs */
	bool own_hypnogram;             /* false: `stages` are the labels' (predictions without a
	                                   hypnogram of their own): every sleep key is null */
	const uint8_t *positions;       /* n_epochs enum position, or NULL: no position stream */
	const struct score_event *events; /* n_events, any order */
	size_t n_events;
	bool has_respiratory;           /* false: no respiratory stream, every respiratory key null */
};

enum score_value_kind { SCORE_NULL, SCORE_IS_NUMBER, SCORE_IS_BOOL, SCORE_IS_STRING };

struct score_value {
	enum score_value_kind kind;
	double number;                  /* SCORE_IS_NUMBER */
	bool boolean;                   /* SCORE_IS_BOOL */
	const char *string;             /* SCORE_IS_STRING: a static string (severity) */
};

struct score_set {
	struct score_value v[SCORE_KEY_COUNT];  /* indexed by enum score_key */
};

/* Fill *out from *in, every key of SPEC §2 with its exact definition, nulls included. */
void score_compute(const struct score_input *in, struct score_set *out);

/* The severity class of an AHI (0 normal, 1 mild, 2 moderate, 3 severe); see scorekey_severity_names. */
int score_severity_class(double ahi);

#endif
