/*
 * spec_read.h — a compiled pipeline spec read back from a file, and a root parameter's value typed
 * by the spec: what the local runner (pipeline/local/) and the cloud commands (pipeline/cloud/)
 * both need before they do anything with a spec.
 *
 * Owns: the "is this a KFP spec" check on a file, and typing a command-line parameter value by the
 * spec's inputDefinitions. Not here: YAML itself (yamlio.h), expanding a spec into tasks
 * (pipeline/local/plan.h), the spec nightfan compiles (spec.h).
 */
#ifndef NIGHTFAN_SPEC_READ_H
#define NIGHTFAN_SPEC_READ_H

#include <jansson.h>

#include "err.h"

/* Read a spec file (YAML, or JSON — JSON is YAML) into a jansson tree: a mapping with a "root".
 * NULL on failure (e names the file, and line:column for a syntax error). The caller owns the
 * result and json_decref()s it. */
json_t *spec_read_file(const char *path, struct err *e);

/* The value of root parameter `name`, given as `text` on a command line, typed by the spec's
 * parameterType: STRING (or no type) as is, anything else parsed as JSON and checked against the
 * type (an integer must be written as one). A new reference the caller decrefs; NULL with e
 * ("--param NAME: ...") for an unknown name, unparsable JSON or the wrong type. `spec` is only
 * read. */
json_t *spec_param_value(const json_t *spec, const char *name, const char *text, struct err *e);

/* Whether `v` has the KFP parameterType `type` (STRING, LIST, STRUCT, NUMBER_INTEGER — a real
 * with an integral value counts, as spec defaults written by other tools may say 3.0 —,
 * NUMBER_DOUBLE, BOOLEAN; any other type name matches anything). */
int spec_type_matches(const char *type, const json_t *v);

#endif
