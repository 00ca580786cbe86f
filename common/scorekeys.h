/*
 * scorekeys.h — the score keys of SPEC §2, in SPEC order, shared by the shard (which computes and
 * writes them) and the merge (which reads, tabulates and compares them).
 *
 * Owns only the names, their order and their kind. The definitions live in shard/score.c; the
 * agreement statistics in merge/.
 */
#ifndef NIGHTFAN_SCOREKEYS_H
#define NIGHTFAN_SCOREKEYS_H

enum score_key {
	/* sleep (YASA sleep_statistics) */
	SK_TIB, SK_SPT, SK_WASO, SK_TST, SK_N1, SK_N2, SK_N3, SK_REM, SK_NREM,
	SK_PCT_N1, SK_PCT_N2, SK_PCT_N3, SK_PCT_REM, SK_PCT_NREM,
	SK_SOL, SK_SOL_5MIN, SK_SFI, SK_LAT_N1, SK_LAT_N2, SK_LAT_N3, SK_LAT_REM, SK_SE, SK_SME,
	/* respiratory (AASM) */
	SK_OA, SK_CA, SK_MA, SK_A, SK_H, SK_RERA, SK_AHI, SK_RDI, SK_OAHI, SK_CAI, SK_SEVERITY,
	/* position */
	SK_SUPINE_PCT, SK_AHI_SUPINE, SK_AHI_NONSUPINE, SK_POSITIONAL,
	SCORE_KEY_COUNT
};

enum score_kind { SCORE_NUMBER, SCORE_STRING, SCORE_BOOL };

/* The JSON/CSV name of a key ("TIB", "pct_N1", "SOL_5min", ...). */
const char *scorekey_name(enum score_key k);
/* SCORE_STRING for severity, SCORE_BOOL for positional, SCORE_NUMBER for the rest. */
enum score_kind scorekey_kind(enum score_key k);
/* The key named `name`, or -1 when there is none. */
int scorekey_find(const char *name);

/* Severity classes in order, as the SPEC spells them. */
#define SEVERITY_COUNT 4
extern const char *const scorekey_severity_names[SEVERITY_COUNT]; /* normal mild moderate severe */

#endif
