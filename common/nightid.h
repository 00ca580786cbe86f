/*
 * nightid.h — the one check of a night id, done before any path, argument or spec is built from it.
 *
 * SPEC §1: a night id matches [A-Za-z0-9][A-Za-z0-9._-]{0,127}. Everything else is refused.
 */
#ifndef NIGHTFAN_NIGHTID_H
#define NIGHTFAN_NIGHTID_H

#include <stdbool.h>
#include "err.h"

#define NIGHTID_MAX 128

/* True when `id` is a valid night id. */
bool nightid_valid(const char *id);

/* 0 when valid; else -1 with e->message naming the id (printably escaped) and the rule. */
int nightid_check(const char *id, struct err *e);

#endif
