/*
 * nightjson.h — night.json, exactly as docs/DEVELOPING.md fixes it (keys in that order, numbers in
 * shortest round-trip form through numfmt_double).
 *
 * Owns the JSON text only; the values come from shard.c, the file is written by shard.c into the
 * staged night folder.
 */
#ifndef NIGHTFAN_SHARD_NIGHTJSON_H
#define NIGHTFAN_SHARD_NIGHTJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "canon.h"
#include "err.h"
#include "pairing.h"
#include "score.h"
#include "streams.h"

#define NIGHTJSON_SCHEMA "nightfan.night/1"
#define NIGHTJSON_TOOL "nightfan-shard"

struct nightjson_ok {
	const char *night;
	double epoch_seconds;
	size_t epochs;                                  /* labels epochs */
	const struct streams_file_info *inputs;         /* every file read; a file named twice is listed once */
	size_t n_inputs;
	const struct score_set *scores[SOURCE_COUNT];
	const long (*confusion)[STAGE_COUNT];           /* STAGE_COUNT rows, or NULL: no predicted hypnogram */
	const struct pairing_result *pairing;           /* NULL: the predictions have no respiratory stream */
};

/* The text of an ok night's night.json (malloc'ed, caller frees), or NULL (out of memory). */
char *nightjson_ok(const struct nightjson_ok *night, struct err *e);
/* The text of a failed night's night.json: status "failed" and `failure` as the error object
 * (file/line/column null when unknown). epoch_seconds <= 0 writes null. NULL on out of memory. */
char *nightjson_failed(const char *night, double epoch_seconds, const struct err *failure, struct err *e);

#endif
