/*
 * profcheck.h — `nightfan profile check`: every problem the shard would meet in a set of nights,
 * found without writing anything, and reported grouped.
 *
 * Owns the groups and the report's text: raw values with no mapping (per file, with how often and
 * in which nights), files missing (per file, in which nights), nights whose times disagree (a
 * predicted hypnogram whose epochs do not line up with the labels'), and every other error, per
 * night, as the shard would print it. Reading is the shard's own code: the rows through
 * streams_read_rows() and profile_value() (shard/streams.h), the night through shard_night_read()
 * (shard/shard.h) — so what is reported is what the shard would meet.
 */
#ifndef NIGHTFAN_PROFCHECK_H
#define NIGHTFAN_PROFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "profile.h"

/* The `sample` nights of ids[0..n) checked when --sample is given: every night when sample >= n,
 * else ids[floor(i * n / sample)] for i < sample (spread over the sorted list, the same every run).
 * Writes indexes into pick[] (room for n); returns how many. */
size_t profcheck_sample(size_t n, size_t sample, size_t *pick);

/* Check nights[0..n) of root against profile p (which is changed during the call and restored)
 * and print the report to out. *all_pass: every night would pass. 0, or -1 with e filled (out of
 * memory; a night's own problems are reported, never returned). */
int profcheck_run(struct profile *p, const char *root, char *const *nights, size_t n, FILE *out,
		  bool *all_pass, struct err *e);

#endif
