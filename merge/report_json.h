/*
 * report_json.h — report.json (SPEC §3, schema nightfan.report/1) from a computed report.
 *
 * Key names and nesting are the SPEC's; added keys: nights.from_base, failed[].error.column,
 * staging.nights, staging.excluded_epochs, events.<key>.nights, tool. Numbers are written in shortest round-trip form
 * (numfmt.h), unknown values as null. Layout (indentation, key order) is fixed, so the same inputs
 * give the same bytes.
 */
#ifndef NIGHTFAN_MERGE_REPORT_JSON_H
#define NIGHTFAN_MERGE_REPORT_JSON_H

#include <stdio.h>

#include "err.h"
#include "nights.h"
#include "report.h"

#define REPORT_SCHEMA "nightfan.report/1"

/* Write the report (failed nights taken from `nights`). 0, or -1 (out of memory). */
int report_json_write(FILE *fp, const struct report *r, const struct night_list *nights, struct err *e);

#endif
