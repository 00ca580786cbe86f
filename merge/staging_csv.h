/*
 * staging_csv.h — staging_by_night.csv (SPEC §3, v1.1): one row per ok night with a predictions
 * hypnogram, `night,epochs,accuracy,balanced_accuracy,kappa,mcc,f1_weighted`, then for each stage
 * W N1 N2 N3 R `<s>_support,<s>_sensitivity,<s>_specificity,<s>_ppv,<s>_npv,<s>_f1,<s>_accuracy`,
 * then `sleep_wake_accuracy,sleep_wake_sensitivity,sleep_wake_specificity,sleep_wake_kappa,
 * sleep_wake_pabak`. `epochs` counts the epochs compared (both sides W N1 N2 N3 R). Null is an
 * empty cell; numbers in shortest round-trip form (numfmt.h), as in nights.csv.
 *
 * The figures are merge/staging.h's, from each night's staging_confusion (never its epochs).
 */
#ifndef NIGHTFAN_MERGE_STAGING_CSV_H
#define NIGHTFAN_MERGE_STAGING_CSV_H

#include <stdio.h>

#include "nights.h"

/* Write the header and one row per qualifying night, in list order. Write errors surface when fp
 * is committed (ferror). */
void staging_csv_write(FILE *fp, const struct night_list *nights);

#endif
