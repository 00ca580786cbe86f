/*
 * test_vocab.c — the canonical values `nightfan profile init` proposes: the spellings of NSRR's
 * EventConcept values (e.g. "Stage 2 sleep|2", "Obstructive apnea|Obstructive Apnea"), Sleep-EDF's
 * annotation texts ("Sleep stage 4", R&K's stage 4 being N3), Compumedics Profusion's stage codes
 * 0..5, a model's codes 0..4, and English and German lab exports; labels that are no stage, event
 * or position get none. Also the header names that say which field a column is.
 */
#include "check.h"
#include "pipeline/profile/vocab.h"

#include <stddef.h>
#include <string.h>

static void want(enum profile_field f, const char *raw, enum vocab_codes codes, const char *canon)
{
	const char *got = vocab_propose(f, raw, codes);

	if (!canon) {
		if (got)
			check_fail(__FILE__, __LINE__, "\"%s\": proposed %s, want none", raw, got);
		return;
	}
	if (!got || strcmp(got, canon) != 0)
		check_fail(__FILE__, __LINE__, "\"%s\": proposed %s, want %s", raw, got ? got : "none", canon);
}

TEST(stages_in_words)
{
	static const char *const cases[][2] = {
		{"Wake", "W"}, {"W", "W"}, {"wach", "W"}, {"Stage 1 sleep|1", "N1"}, {"Stage 2 sleep|2", "N2"},
		{"Stage 3 sleep|3", "N3"}, {"Stage 4 sleep|4", "N3"}, {"REM sleep|5", "R"}, {"Wake|0", "W"},
		{"Unscored|9", "?"}, {"Sleep stage W", "W"}, {"Sleep stage 1", "N1"}, {"Sleep stage 2", "N2"},
		{"Sleep stage 3", "N3"}, {"Sleep stage 4", "N3"}, {"Sleep stage R", "R"}, {"Sleep stage ?", "?"},
		{"Movement time", "?"}, {"N2", "N2"}, {"S3", "N3"}, {"REM", "R"}, {"Artifact", "?"},
		{"SLEEP-S2", "N2"}, {"sleep_stage_rem", "R"}, {"Stadium N1", "N1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		want(FIELD_STAGE, cases[i][0], VOCAB_CODES_NONE, cases[i][1]);
	want(FIELD_STAGE, "Schlummer", VOCAB_CODES_NONE, NULL);
	want(FIELD_STAGE, "Arousal|Arousal ()", VOCAB_CODES_NONE, NULL);
}

TEST(stage_codes)
{
	const char *model[] = {"0", "1", "2", "3", "4"}, *psg[] = {"0", "1", "2", "5", "9"}, *mixed[] = {"0", "W"};

	CHECK_INT(vocab_stage_codes(model, 5, false), VOCAB_CODES_MODEL);
	CHECK_INT(vocab_stage_codes(model, 5, true), VOCAB_CODES_PSG);
	CHECK_INT(vocab_stage_codes(psg, 5, false), VOCAB_CODES_PSG);
	CHECK_INT(vocab_stage_codes(mixed, 2, false), VOCAB_CODES_NONE);
	/* a model's 0 W, 1 N1, 2 N2, 3 N3, 4 R */
	want(FIELD_STAGE, "0", VOCAB_CODES_MODEL, "W");
	want(FIELD_STAGE, "3", VOCAB_CODES_MODEL, "N3");
	want(FIELD_STAGE, "4", VOCAB_CODES_MODEL, "R");
	want(FIELD_STAGE, "5", VOCAB_CODES_MODEL, NULL);
	/* Profusion's and NSRR's: 4 is R&K stage 4 (N3), 5 REM, 9 unscored */
	want(FIELD_STAGE, "4", VOCAB_CODES_PSG, "N3");
	want(FIELD_STAGE, "5", VOCAB_CODES_PSG, "R");
	want(FIELD_STAGE, "9", VOCAB_CODES_PSG, "?");
	want(FIELD_STAGE, "7", VOCAB_CODES_PSG, NULL);
}

TEST(events)
{
	static const char *const cases[][2] = {
		{"Obstructive Apnea", "OA"}, {"Obstructive apnea|Obstructive Apnea", "OA"}, {"Central apnea|Central Apnea", "CA"},
		{"Mixed apnea|Mixed Apnea", "MA"}, {"Hypopnea|Hypopnea", "H"}, {"Obstructive Hypopnea", "H"},
		{"Apnea", "A"}, {"Obstruktive Apnoe", "OA"}, {"Zentrale Apnoe", "CA"}, {"Gemischte Apnoe", "MA"},
		{"Hypopnoe", "H"}, {"RERA", "RERA"}, {"Respiratory effort related arousal", "RERA"}, {"OA", "OA"},
		{"obstructive_apnea", "OA"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		want(FIELD_EVENT, cases[i][0], VOCAB_CODES_NONE, cases[i][1]);
	want(FIELD_EVENT, "SpO2 desaturation|SpO2 desaturation", VOCAB_CODES_NONE, NULL);
	want(FIELD_EVENT, "Arousal|Arousal ()", VOCAB_CODES_NONE, NULL);
	want(FIELD_EVENT, "Limb Movement (Left)", VOCAB_CODES_NONE, NULL);
}

TEST(positions)
{
	static const char *const cases[][2] = {
		{"Supine", "supine"}, {"Rückenlage", "supine"}, {"Back", "supine"}, {"Bauchlage", "prone"},
		{"Prone", "prone"}, {"Left", "left"}, {"Links", "left"}, {"Seitenlage rechts", "right"},
		{"Right", "right"}, {"Upright", "upright"}, {"Aufrecht", "upright"}, {"unknown", "unknown"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		want(FIELD_POSITION, cases[i][0], VOCAB_CODES_NONE, cases[i][1]);
	want(FIELD_POSITION, "1", VOCAB_CODES_NONE, NULL);
}

TEST(headers)
{
	CHECK(vocab_header_is(FIELD_ONSET, "Start [s]"));
	CHECK(vocab_header_is(FIELD_ONSET, " Zeit "));
	CHECK(vocab_header_is(FIELD_DURATION, "Duration (s)"));
	CHECK(vocab_header_is(FIELD_STAGE, "Sleep Stage"));
	CHECK(vocab_header_is(FIELD_EVENT, "Event Type"));
	CHECK(vocab_header_is(FIELD_POSITION, "Body Position"));
	CHECK(vocab_header_is(FIELD_MOTION, "Head Motion"));
	CHECK(!vocab_header_is(FIELD_STAGE, "Start [s]"));
	CHECK(!vocab_header_is(FIELD_EVENT, "Position"));
}

