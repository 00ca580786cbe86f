/*
 * nights_csv.h — nights.csv (SPEC §3): one row per night, `night,status,` then `label_<key>,
 * pred_<key>` for every score key in SPEC order. Null is an empty cell, booleans true/false,
 * severity its class name, numbers in shortest round-trip form (numfmt.h). Failed nights appear
 * with status "failed" and every score cell empty (their error is in report.json).
 *
 * No cell needs quoting: night ids, status words, severity names and numbers hold no comma, quote
 * or line break.
 */
#ifndef NIGHTFAN_MERGE_NIGHTS_CSV_H
#define NIGHTFAN_MERGE_NIGHTS_CSV_H

#include <stdio.h>

#include "nights.h"

/* Write the header and one row per night, in list order. Write errors surface when fp is
 * committed (ferror). */
void nights_csv_write(FILE *fp, const struct night_list *nights);

#endif
