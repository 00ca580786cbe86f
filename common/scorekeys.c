/*
 * scorekeys.c — names and kinds of the SPEC §2 score keys (see scorekeys.h).
 */
#include "scorekeys.h"

#include <string.h>

static const char *const names[SCORE_KEY_COUNT] = {
	"TIB", "SPT", "WASO", "TST", "N1", "N2", "N3", "REM", "NREM",
	"pct_N1", "pct_N2", "pct_N3", "pct_REM", "pct_NREM",
	"SOL", "SOL_5min", "SFI", "Lat_N1", "Lat_N2", "Lat_N3", "Lat_REM", "SE", "SME",
	"OA", "CA", "MA", "A", "H", "RERA", "AHI", "RDI", "OAHI", "CAI", "severity",
	"supine_pct", "AHI_supine", "AHI_nonsupine", "positional",
};

const char *const scorekey_severity_names[SEVERITY_COUNT] = {"normal", "mild", "moderate", "severe"};

const char *scorekey_name(enum score_key k)
{
	return (unsigned)k < SCORE_KEY_COUNT ? names[k] : "?";
}

enum score_kind scorekey_kind(enum score_key k)
{
	if (k == SK_SEVERITY)
		return SCORE_STRING;
	if (k == SK_POSITIONAL)
		return SCORE_BOOL;
	return SCORE_NUMBER;
}

int scorekey_find(const char *name)
{
	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		if (strcmp(names[k], name) == 0)
			return k;
	return -1;
}
