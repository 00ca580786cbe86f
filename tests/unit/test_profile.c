/*
 * test_profile.c — the mapping profile: the SPEC example loads as written, value lookup, and every
 * validation message with its JSON path.
 */
#include "check.h"
#include "profile.h"

#include <stdio.h>
#include <string.h>

static const char *spec_example =
	"{\"epoch_seconds\": 30,\n"
	" \"sources\": {\n"
	"  \"labels\": {\n"
	"   \"hypnogram\": {\"file\": \"labels/hypnogram.csv\", \"columns\": {\"onset\": \"Start [s]\", \"stage\": \"Sleep Stage\"},\n"
	"                 \"values\": {\"stage\": {\"Wake\": \"W\", \"REM\": \"R\", \"Artifact\": \"?\"}}},\n"
	"   \"respiratory\": {\"file\": \"labels/respiratory.csv\", \"columns\": {\"onset\": \"Start [s]\", \"duration\": \"Duration [s]\", \"event\": \"Event Type\"},\n"
	"                 \"values\": {\"event\": {\"Obstructive Apnea\": \"OA\", \"Central Apnea\": \"CA\", \"Mixed Apnea\": \"MA\", \"Hypopnea\": \"H\"}}},\n"
	"   \"position\": {\"file\": \"labels/position.csv\", \"columns\": {\"time\": \"Time [s]\", \"position\": \"Body Position\", \"motion\": \"Head Motion\"},\n"
	"                 \"values\": {\"position\": {\"Supine\": \"supine\", \"Left\": \"left\", \"Right\": \"right\", \"Prone\": \"prone\", \"Upright\": \"upright\"}}}},\n"
	"  \"predictions\": {\n"
	"   \"hypnogram\": {\"file\": \"predictions/hypnogram.csv\", \"columns\": {\"onset\": \"onset\", \"stage\": \"stage\"},\n"
	"                 \"values\": {\"stage\": {\"0\": \"W\", \"1\": \"N1\", \"2\": \"N2\", \"3\": \"N3\", \"4\": \"R\"}}},\n"
	"   \"respiratory\": {\"file\": \"predictions/respiratory.csv\", \"columns\": {\"onset\": \"onset\", \"duration\": \"duration\", \"event\": \"label\"}}}}}\n";

static int value(const struct profile *p, enum source src, enum stream st, const char *raw)
{
	return profile_value(profile_stream(p, src, st), raw, strlen(raw));
}

TEST(spec_example_loads)
{
	struct err e;
	struct profile *p = profile_parse(spec_example, strlen(spec_example), "profile.json", &e);
	const struct profile_stream *s;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_DOUBLE(p->epoch_seconds, 30, 0);
	CHECK_INT(p->delimiter, ',');
	CHECK(!p->unknown_unscored);
	s = profile_stream(p, SOURCE_LABELS, STREAM_HYPNOGRAM);
	CHECK_STR(s->file, "labels/hypnogram.csv");
	CHECK_STR(s->columns[FIELD_ONSET], "Start [s]");
	CHECK(s->columns[FIELD_DURATION] == NULL);
	CHECK(profile_stream(p, SOURCE_PREDICTIONS, STREAM_POSITION) == NULL);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "Wake"), STAGE_W);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "N2"), STAGE_N2);      /* canonical passes */
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "Artifact"), STAGE_UNSCORED);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "wake"), -1);         /* case matters */
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, ""), -1);
	CHECK_INT(value(p, SOURCE_PREDICTIONS, STREAM_HYPNOGRAM, "4"), STAGE_R);
	CHECK_INT(value(p, SOURCE_PREDICTIONS, STREAM_HYPNOGRAM, "5"), -1);
	CHECK_INT(value(p, SOURCE_PREDICTIONS, STREAM_RESPIRATORY, "RERA"), EVENT_RERA);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_RESPIRATORY, "Hypopnea"), EVENT_H);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_POSITION, "Supine"), POS_SUPINE);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_POSITION, "unknown"), POS_UNKNOWN);
	profile_free(p);
}

static const char *load_error(const char *text)
{
	static char msg[ERR_MSG_MAX + ERR_FILE_MAX];
	struct err e;
	struct profile *p = profile_parse(text, strlen(text), "my/profile.json", &e);

	if (p) {
		profile_free(p);
		return "(loaded)";
	}
	return err_format(&e, msg, sizeof(msg));
}

#define HYP_OK "\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}}"

TEST(options_and_numbers_as_doubles)
{
	struct err e;
	const char *text = "{\"epoch_seconds\": 30.0, \"delimiter\": \";\", \"on_unknown_value\": \"unscored\","
			   " \"sources\": {\"labels\": {" HYP_OK "}}}";
	struct profile *p = profile_parse(text, strlen(text), "profile.json", &e);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_DOUBLE(p->epoch_seconds, 30, 0);
	CHECK_INT(p->delimiter, ';');
	CHECK(p->unknown_unscored);
	profile_free(p);
}

TEST(errors_name_the_json_path)
{
	CHECK_STR(load_error("{\"epoch_seconds\": 30,"), "my/profile.json:1: not valid JSON");
	CHECK_STR(load_error("[1]"), "my/profile.json: expected a JSON object at the top level");
	CHECK_STR(load_error("{\"sources\": {\"labels\": {" HYP_OK "}}}"),
		  "my/profile.json: epoch_seconds: missing; expected the epoch length in seconds, e.g. 30");
	CHECK_STR(load_error("{\"epoch_seconds\": 0, \"sources\": {}}"),
		  "my/profile.json: epoch_seconds: expected a positive number of seconds");
	CHECK_STR(load_error("{\"epoch_seconds\": \"30\", \"sources\": {}}"),
		  "my/profile.json: epoch_seconds: expected a positive number of seconds");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"epoch_second\": 30}"),
		  "my/profile.json: (top level): unknown key \"epoch_second\"; expected one of epoch_seconds, sources, delimiter, on_unknown_value");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"delimiter\": \";;\", \"sources\": {}}"),
		  "my/profile.json: delimiter: expected one character (not a quote or line end)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"on_unknown_value\": \"skip\", \"sources\": {}}"),
		  "my/profile.json: on_unknown_value: expected \"error\" or \"unscored\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30}"),
		  "my/profile.json: sources: missing; expected an object with \"labels\" and \"predictions\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"label\": {}}}"),
		  "my/profile.json: sources: unknown key \"label\"; expected one of labels, predictions");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnograms\": {}}}}"),
		  "my/profile.json: sources.labels: unknown key \"hypnograms\"; expected one of hypnogram, respiratory, position");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"predictions\": {" HYP_OK "}}}"),
		  "my/profile.json: sources.labels.hypnogram: missing; every night needs the labels hypnogram");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"columns\": {\"stage\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.file: missing; expected the file's path inside the night folder");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"../x.csv\", \"columns\": {\"stage\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.file: expected a relative path inside the night folder (no \"..\")");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"/x.csv\", \"columns\": {\"stage\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.file: expected a relative path inside the night folder (no \"..\")");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"stge\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.columns: unknown field \"stge\"; expected one of onset, duration, stage");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"onset\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.columns: missing required field \"stage\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {" HYP_OK ", \"respiratory\": {\"file\": \"r.csv\", \"columns\": {\"onset\": \"o\", \"event\": \"e\"}}}}}"),
		  "my/profile.json: sources.labels.respiratory.columns: missing required field \"duration\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {" HYP_OK ", \"position\": {\"file\": \"p.csv\", \"columns\": {\"time\": \"t\", \"position\": \"\"}}}}}"),
		  "my/profile.json: sources.labels.position.columns: field \"position\": expected the raw column name (a non-empty string)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {\"onset\": {}}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.values: unknown field \"onset\"; expected stage (values map only the value field)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {\"stage\": {\"Wake\": \"Wk\"}}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.values.stage: \"Wake\": expected one of W, N1, N2, N3, R, ?, got \"Wk\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}, \"colums\": {}}}}}"),
		  "my/profile.json: sources.labels.hypnogram: unknown key \"colums\"; expected one of file, columns, values, format, delimiter, decimal, encoding, time, trim");
}

TEST(a_bom_before_the_json_is_fine)
{
	struct err e;
	const char *text = "\xEF\xBB\xBF{\"epoch_seconds\": 20, \"sources\": {\"labels\": {" HYP_OK "}}}";
	struct profile *p = profile_parse(text, strlen(text), "profile.json", &e);

	CHECK(p != NULL);
	if (p)
		CHECK_DOUBLE(p->epoch_seconds, 20, 0);
	profile_free(p);
}

#define STREAM(extra) "{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", " \
		      "\"columns\": {\"onset\": \"t\", \"stage\": \"S\"}" extra "}}}}"

TEST(dialect_keys)
{
	struct err e;
	const char *text = "{\"epoch_seconds\": 30, \"delimiter\": \";\", \"sources\": {\"labels\": {"
			   "\"hypnogram\": {\"file\": \"h.csv\", \"columns\": {\"onset\": \"t\", \"stage\": \"S\"}, \"time\": \"clock\","
			   " \"decimal\": \",\", \"encoding\": \"windows-1252\", \"trim\": true},"
			   "\"respiratory\": {\"file\": \"r.csv\", \"columns\": {\"onset\": \"o\", \"duration\": \"d\", \"event\": \"e\"},"
			   " \"delimiter\": \"\\t\", \"time\": \"clock\", \"encoding\": \"utf-16\"},"
			   "\"position\": {\"file\": \"p.csv\", \"columns\": {\"time\": \"t\", \"position\": \"p\"}}}}}";
	struct profile *p = profile_parse(text, strlen(text), "profile.json", &e);
	const struct profile_stream *s;

	CHECK(p != NULL);
	if (!p)
		return;
	s = profile_stream(p, SOURCE_LABELS, STREAM_HYPNOGRAM);
	CHECK_INT(s->delimiter, ';');
	CHECK_INT(s->decimal, ',');
	CHECK_INT(s->encoding, ENCODING_WINDOWS1252);
	CHECK_INT(s->time, TIME_CLOCK);
	CHECK(s->trim);
	CHECK(!profile_stream_plain(s));
	s = profile_stream(p, SOURCE_LABELS, STREAM_RESPIRATORY);
	CHECK_INT(s->delimiter, '\t');
	CHECK_INT(s->decimal, '.');
	CHECK_INT(s->encoding, ENCODING_UTF16);
	s = profile_stream(p, SOURCE_LABELS, STREAM_POSITION);
	CHECK_INT(s->delimiter, ';');
	CHECK(profile_stream_plain(s));
	CHECK_INT(s->format, FORMAT_CSV);
	profile_free(p);
}

TEST(dialect_key_errors)
{
	CHECK_STR(load_error(STREAM(", \"delimiter\": \"ab\"")),
		  "my/profile.json: sources.labels.hypnogram.delimiter: expected one character (not a quote or line end)");
	CHECK_STR(load_error(STREAM(", \"decimal\": \";\"")),
		  "my/profile.json: sources.labels.hypnogram.decimal: expected \".\" or \",\"");
	CHECK_STR(load_error(STREAM(", \"decimal\": \",\"")),
		  "my/profile.json: sources.labels.hypnogram.decimal: \",\" needs another delimiter (this file's delimiter is \",\"): set \"delimiter\", e.g. \";\"");
	CHECK_STR(load_error(STREAM(", \"encoding\": \"UTF-8\"")),
		  "my/profile.json: sources.labels.hypnogram.encoding: expected one of \"utf-8\", \"utf-16\", \"latin-1\", \"windows-1252\"");
	CHECK_STR(load_error(STREAM(", \"time\": 1")),
		  "my/profile.json: sources.labels.hypnogram.time: expected one of \"seconds\", \"clock\", \"datetime\"");
	CHECK_STR(load_error(STREAM(", \"trim\": \"yes\"")),
		  "my/profile.json: sources.labels.hypnogram.trim: expected true or false");
	CHECK_STR(load_error(STREAM(", \"format\": \"xml\"")),
		  "my/profile.json: sources.labels.hypnogram.format: expected one of \"csv\", \"nsrr-xml\", \"profusion-xml\", \"edf+\"");
	CHECK_STR(load_error(STREAM(", \"format\": \"nsrr-xml\"")),
		  "my/profile.json: sources.labels.hypnogram.columns: not used with \"format\": \"nsrr-xml\" (an annotation file holds its own onsets, durations and labels)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"a.edf\", "
			     "\"format\": \"edf+\", \"encoding\": \"latin-1\"}}}}"),
		  "my/profile.json: sources.labels.hypnogram.encoding: not used with \"format\": \"edf+\" (an annotation file holds its own onsets, durations and labels)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", "
			     "\"columns\": {\"stage\": \"S\"}, \"time\": \"clock\"}}}}"),
		  "my/profile.json: sources.labels.hypnogram.time: \"clock\" needs the onset column mapped (its first row is the reference time)");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {" HYP_OK ","
			     "\"position\": {\"file\": \"p.csv\", \"columns\": {\"time\": \"t\", \"position\": \"p\"}, \"time\": \"datetime\"}}}}"),
		  "my/profile.json: sources.labels.position.time: \"datetime\" needs a reference: the labels hypnogram's onset written the same way (sources.labels.hypnogram.time: \"datetime\")");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", "
			     "\"columns\": {\"onset\": \"t\", \"stage\": \"S\"}, \"time\": \"clock\"}},"
			     "\"predictions\": {\"hypnogram\": {\"file\": \"p.csv\", \"columns\": {\"onset\": \"t\", \"stage\": \"S\"}, \"time\": \"datetime\"}}}}"),
		  "my/profile.json: sources.predictions.hypnogram.time: \"datetime\" needs a reference: the labels hypnogram's onset written the same way (sources.labels.hypnogram.time: \"datetime\")");
}

/* profile_parse on text holding a raw NUL byte (strlen would stop at it). */
static const char *load_error_n(const char *text, size_t len)
{
	static char msg[ERR_MSG_MAX + ERR_FILE_MAX];
	struct err e;
	struct profile *p = profile_parse(text, len, "my/profile.json", &e);

	if (p) {
		profile_free(p);
		return "(loaded)";
	}
	return err_format(&e, msg, sizeof(msg));
}

/* Issue 17: cJSON hands out a string holding "\u0000" cut at it ("Wa\u0000ke" mapped "Wa"). */
TEST(a_nul_in_any_string_is_refused_naming_the_key)
{
#define PRE "{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {"
	CHECK_STR(load_error(PRE "\"file\": \"h\\u0000x.csv\", \"columns\": {\"stage\": \"S\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.file: expected text without NUL characters, got \"h\\u0000x.csv\"");
	CHECK_STR(load_error(PRE "\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\\u0000\"}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.columns.stage: expected text without NUL characters, got \"S\\u0000\"");
	CHECK_STR(load_error(PRE "\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {\"stage\": {\"Wa\\u0000ke\": \"W\"}}}}}}"),
		  "my/profile.json: sources.labels.hypnogram.values.stage: key \"Wa\\u0000ke\": expected text without NUL characters");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"delimiter\": \"\\u0000\", \"sources\": {}}"),
		  "my/profile.json: delimiter: expected text without NUL characters, got \"\\u0000\"");
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"on_unknown_value\": [\"a\", \"\\u0000\"], \"sources\": {}}"),
		  "my/profile.json: on_unknown_value[1]: expected text without NUL characters, got \"\\u0000\"");
	static const char raw[] = PRE "\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {\"stage\": {\"Wa\0ke\": \"W\"}}}}}}";
	CHECK_STR(load_error_n(raw, sizeof raw - 1),
		  "my/profile.json: sources.labels.hypnogram.values.stage: key \"Wa\\u0000ke\": expected text without NUL characters");
	/* an escaped backslash before "u0000" is text, not a NUL */
	CHECK_STR(load_error(PRE "\"file\": \"h.csv\", \"columns\": {\"stage\": \"S\\\\u0000\"}}}}}"), "(loaded)");
#undef PRE
}

TEST(annotation_streams)
{
	struct err e;
	const char *text = "{\"epoch_seconds\": 30, \"sources\": {\"labels\": {"
			   "\"hypnogram\": {\"file\": \"a.xml\", \"format\": \"nsrr-xml\", \"values\": {\"stage\": {\"Wake|0\": \"W\"}}},"
			   "\"respiratory\": {\"file\": \"a.xml\", \"format\": \"nsrr-xml\"},"
			   "\"position\": {\"file\": \"p.csv\", \"format\": \"csv\", \"columns\": {\"time\": \"t\", \"position\": \"p\"}}},"
			   "\"predictions\": {\"hypnogram\": {\"file\": \"h.edf\", \"format\": \"edf+\"}}}}";
	struct profile *p = profile_parse(text, strlen(text), "profile.json", &e);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_INT(profile_stream(p, SOURCE_LABELS, STREAM_HYPNOGRAM)->format, FORMAT_NSRR_XML);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "Wake|0"), STAGE_W);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "N2"), STAGE_N2);
	CHECK_INT(value(p, SOURCE_LABELS, STREAM_HYPNOGRAM, "Arousal|Arousal ()"), -1);
	CHECK_INT(profile_stream(p, SOURCE_LABELS, STREAM_POSITION)->format, FORMAT_CSV);
	CHECK_INT(profile_stream(p, SOURCE_PREDICTIONS, STREAM_HYPNOGRAM)->format, FORMAT_EDF_PLUS);
	CHECK(!profile_stream_plain(profile_stream(p, SOURCE_LABELS, STREAM_RESPIRATORY)));
	profile_free(p);
	CHECK_STR(load_error("{\"epoch_seconds\": 30, \"sources\": {\"labels\": {\"hypnogram\": {\"file\": \"h.csv\", \"format\": \"csv\"}}}}"),
		  "my/profile.json: sources.labels.hypnogram.columns: missing; expected an object of canonical field -> raw column");
}
