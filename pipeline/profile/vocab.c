/*
 * vocab.c — canonical values proposed for raw labels, and header names recognised (see vocab.h).
 *
 * Labels are compared normalised: ASCII letters lowered, '_' and '-' read as spaces, spaces
 * collapsed, and an NSRR-style "Name|Concept" pair tried as a whole and part by part. The tables
 * hold the spellings of the formats nightfan reads (NSRR's EventConcept values, Sleep-EDF's texts,
 * Profusion's names) and of the exports seen in labs (English and German).
 */
#include "vocab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NORM_MAX 256

/* s normalised into out (see above); false when it does not fit. */
static bool normalise(const char *s, size_t len, char out[NORM_MAX])
{
	size_t n = 0;
	bool space = true; /* drops leading spaces */

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '_' || c == '-' || c == ' ' || c == '\t') {
			if (!space && n < NORM_MAX - 1)
				out[n++] = ' ';
			space = true;
			continue;
		}
		if (n >= NORM_MAX - 1)
			return false;
		out[n++] = (char)(c < 0x80 ? tolower(c) : c);
		space = false;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return true;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* A bare integer (optional sign), its value in *v. */
static bool bare_integer(const char *s, long *v)
{
	char *end;

	if (!*s || !(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))))
		return false;
	*v = strtol(s, &end, 10);
	return *end == '\0';
}

/* ---- stages ---- */

static const char *stage_code(long v, enum vocab_codes codes)
{
	static const char *const model[] = {"W", "N1", "N2", "N3", "R"};
	static const char *const psg[] = {"W", "N1", "N2", "N3", "N3", "R"};

	if (codes == VOCAB_CODES_MODEL)
		return v >= 0 && v <= 4 ? model[v] : v == -1 ? "?" : NULL;
	if (codes == VOCAB_CODES_PSG)
		return v >= 0 && v <= 5 ? psg[v] : v == 9 ? "?" : NULL;
	return NULL;
}

/* A stage written in words, after "sleep stage"/"stage"/"stadium" and " sleep" are taken off:
 * R&K's numbers are stages here (4 is N3), whatever codes the bare integers use. */
static const char *stage_words(const char *n)
{
	static const char *const wake[] = {"w", "wake", "wach", "awake", "wakefulness", "wk", "éveil", "eveil", NULL};
	static const char *const n1[] = {"n1", "s1", "1", "nrem1", "nrem 1", "n 1", NULL};
	static const char *const n2[] = {"n2", "s2", "2", "nrem2", "nrem 2", "n 2", NULL};
	static const char *const n3[] = {"n3", "s3", "3", "n4", "s4", "4", "nrem3", "nrem 3", "n 3", "sws",
					 "3 4", "deep", "tiefschlaf", NULL};
	static const char *const rem[] = {"r", "rem", "paradoxical", "remsleep", NULL};
	static const char *const unscored[] = {"?", "unscored", "artifact", "artefact", "movement", "movement time",
					       "mt", "unknown", "u", "x", "nicht bewertet", "unbekannt", "na", "n/a",
					       "none", NULL};
	char buf[NORM_MAX];
	const char *s = n;
	size_t len;

	for (const char *const *p = (const char *const[]){"sleep stage ", "sleep ", "schlafstadium ", "stadium ",
							   "stage ", "stage", NULL}; *p; p++)
		if (starts(s, *p) && s[strlen(*p)]) {
			s += strlen(*p);
			break;
		}
	len = strlen(s);
	if (len > 6 && strcmp(s + len - 6, " sleep") == 0)
		len -= 6;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (one_of(buf, wake))
		return "W";
	if (one_of(buf, n1))
		return "N1";
	if (one_of(buf, n2))
		return "N2";
	if (one_of(buf, n3))
		return "N3";
	if (one_of(buf, rem))
		return "R";
	if (one_of(buf, unscored))
		return "?";
	return NULL;
}

static const char *propose_stage(const char *n, enum vocab_codes codes)
{
	long v;

	if (bare_integer(n, &v))
		return stage_code(v, codes);
	return stage_words(n);
}

enum vocab_codes vocab_stage_codes(const char *const *values, int n, bool psg)
{
	bool five = false;
	long v;

	if (n == 0)
		return VOCAB_CODES_NONE;
	for (int i = 0; i < n; i++) {
		char buf[NORM_MAX];
		if (!normalise(values[i], strlen(values[i]), buf) || !bare_integer(buf, &v))
			return VOCAB_CODES_NONE;
		five |= v == 5;
	}
	return five || psg ? VOCAB_CODES_PSG : VOCAB_CODES_MODEL;
}

/* ---- events ---- */

static const char *propose_event(const char *n)
{
	static const struct {
		const char *code, *canon;
	} codes[] = {{"oa", "OA"}, {"oas", "OA"}, {"ca", "CA"}, {"cas", "CA"}, {"ma", "MA"}, {"mas", "MA"},
		     {"a", "A"}, {"h", "H"}, {"hyp", "H"}, {"rera", "RERA"}, {"apnea", "A"}, {"apnoea", "A"}};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(n, codes[i].code) == 0)
			return codes[i].canon;
	if (has(n, "rera") || (has(n, "effort") && has(n, "arousal")))
		return "RERA";
	if (has(n, "hypopn"))
		return "H";
	if (!has(n, "apn"))
		return NULL;
	if (has(n, "obstr"))
		return "OA";
	if (has(n, "central") || has(n, "zentral") || has(n, "centrale"))
		return "CA";
	if (has(n, "mixed") || has(n, "gemischt") || has(n, "mixte"))
		return "MA";
	/* "Apnea", "Apnea (unclassified)"; an "apnea" with a word we do not know stays undecided */
	if (strcmp(n, "apnea") == 0 || strcmp(n, "apnoea") == 0 || strcmp(n, "apnoe") == 0 || has(n, "unclass")
	    || has(n, "unspecified") || has(n, "nicht klass"))
		return "A";
	return NULL;
}

/* ---- positions ---- */

static const char *propose_position(const char *n)
{
	/* upright before right: "upright" holds "right" */
	if (has(n, "upright") || has(n, "aufrecht") || has(n, "sitting") || has(n, "sitzend") || has(n, "standing")
	    || has(n, "stehend") || strcmp(n, "up") == 0)
		return "upright";
	if (has(n, "supine") || has(n, "back") || has(n, "rücken") || has(n, "ruecken") || has(n, "dorsal"))
		return "supine";
	if (has(n, "prone") || has(n, "bauch") || has(n, "stomach") || has(n, "front") || has(n, "ventral"))
		return "prone";
	if (has(n, "left") || has(n, "links"))
		return "left";
	if (has(n, "right") || has(n, "rechts"))
		return "right";
	if (has(n, "unknown") || has(n, "unbekannt") || strcmp(n, "?") == 0 || strcmp(n, "n/a") == 0
	    || has(n, "invalid"))
		return "unknown";
	return NULL;
}

/* Each part of "Name|Concept" in turn, then the whole. */
const char *vocab_propose(enum profile_field f, const char *raw, enum vocab_codes codes)
{
	char n[NORM_MAX];
	const char *bar = strchr(raw, '|');
	const char *got = NULL;

	if (bar) {
		size_t len = (size_t)(bar - raw);
		if (normalise(raw, len, n) && (got = vocab_propose(f, n, codes)))
			return got;
		return vocab_propose(f, bar + 1, codes);
	}
	if (!normalise(raw, strlen(raw), n) || !*n)
		return NULL;
	switch (f) {
	case FIELD_STAGE: return propose_stage(n, codes);
	case FIELD_EVENT: return propose_event(n);
	case FIELD_POSITION: return propose_position(n);
	default: return NULL;
	}
}

/* ---- headers ---- */

bool vocab_header_is(enum profile_field f, const char *header)
{
	static const char *const onset[] = {"onset", "start", "begin", "beginn", "start time", "starttime",
					    "time", "zeit", "uhrzeit", "startzeit", "epoch start", "timestamp",
					    "clock time", "t", NULL};
	static const char *const duration[] = {"duration", "dauer", "length", "dur", "länge", NULL};
	static const char *const stage[] = {"stage", "sleep stage", "stadium", "schlafstadium", "hypnogram",
					    "stage pred", "predicted stage", "sleep stage pred", "sleepstage", NULL};
	static const char *const event[] = {"event", "event type", "ereignis", "ereignistyp", "ereignis typ",
					    "ereignis–typ", "type", "event name", "annotation", "label", NULL};
	static const char *const position[] = {"position", "body position", "lage", "körperlage",
					       "koerperlage", "pos", "schlafposition", "sleep position", NULL};
	static const char *const motion[] = {"motion", "movement", "bewegung", "kopfbewegung", "activity",
					     "head motion", "head movement", "aktivität", NULL};
	char n[NORM_MAX];
	char *bracket;

	if (!normalise(header, strlen(header), n))
		return false;
	/* "Start [s]", "Duration (s)": the unit goes */
	if ((bracket = strpbrk(n, "[(")) != NULL) {
		*bracket = '\0';
		for (size_t len = strlen(n); len > 0 && n[len - 1] == ' '; len--)
			n[len - 1] = '\0';
	}
	switch (f) {
	case FIELD_ONSET:
	case FIELD_TIME: return one_of(n, onset);
	case FIELD_DURATION: return one_of(n, duration);
	case FIELD_STAGE: return one_of(n, stage);
	case FIELD_EVENT: return one_of(n, event);
	case FIELD_POSITION: return one_of(n, position);
	case FIELD_MOTION: return one_of(n, motion);
	default: return false;
	}
}
