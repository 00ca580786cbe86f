/*
 * yamlio.h — YAML in and out of jansson trees, for pipeline specs.
 *
 * Owns: parsing YAML (libyaml) into JSON values, and writing a JSON value as YAML in the block style
 * of KFP's Python SDK (PyYAML `dump(sort_keys=True)`: keys sorted, indentless sequences under a
 * key, strings quoted only when they would otherwise read back as another type, width 80). The
 * emitter is libyaml's, the C original PyYAML's emitter was ported from, so quoting and line
 * folding decisions match the SDK's. What the tree means is pipeline/spec/spec.c's and plan.c's business.
 *
 * Scalars read as: null (`~`, `null`, empty), booleans (`true`/`false` in any case of the first
 * letter, and YAML 1.1's yes/no/on/off), integers (decimal), reals (anything else strtod reads
 * whole, `.inf`/`.nan`), strings (all quoted scalars, and every other plain scalar).
 */
#ifndef NIGHTFAN_YAMLIO_H
#define NIGHTFAN_YAMLIO_H

#include <stddef.h>
#include <jansson.h>

#include "err.h"

/* Parse len bytes of YAML (one document; JSON is YAML). `name` is the file name used in
 * messages ("pipeline.yaml:12:3: ..."). Anchors, aliases, tags other than the standard ones and
 * duplicate keys are refused. Returns a new reference, or NULL. */
json_t *yaml_parse(const char *text, size_t len, const char *name, struct err *e);

/* yaml_parse on a whole file (at most 256 MiB). */
json_t *yaml_read_file(const char *path, struct err *e);

/* Write `value` as YAML. `header` (may be NULL) is copied verbatim before the document (the SDK's
 * "# PIPELINE DEFINITION" comment block; each line must start with '#' and end with '\n').
 * Returns a malloc'ed NUL-terminated text (*len its length, len may be NULL), or NULL. */
char *yaml_emit(const json_t *value, const char *header, size_t *len, struct err *e);

/* True when the plain scalar `s` would read back as something other than a string (null,
 * boolean, number) — such strings must be quoted. */
int yaml_plain_is_special(const char *s);

#endif
