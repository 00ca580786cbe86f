/*
 * profile.c — loading, validating and looking up the mapping profile (see profile.h).
 *
 * Validation walks the JSON once and stops at the first problem, naming its JSON path. The value
 * lookup is a hot path (one call per position row, ~107,000 a night): each stream gets a small
 * open-addressing hash table (FNV-1a, power-of-two size, at most half full) built once at load
 * time, holding the canonical spellings and the profile's raw spellings.
 */
#include "profile.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "utf8.h"

#define PATH_MAX_TEXT 256
#define SHOWN_KEY_MAX 60 /* bytes of a key or value a message quotes */

static const char *const field_names[FIELD_COUNT] = {
	"onset", "duration", "stage", "event", "time", "position", "motion",
};

/* Per stream: which fields it may map, which it must, and which holds the value. */
struct stream_rules {
	enum profile_field allowed[4];
	int n_allowed;
	enum profile_field required[3];
	int n_required;
	enum profile_field value_field;
};

static const struct stream_rules rules[STREAM_COUNT] = {
	[STREAM_HYPNOGRAM] = {{FIELD_ONSET, FIELD_DURATION, FIELD_STAGE}, 3, {FIELD_STAGE}, 1, FIELD_STAGE},
	[STREAM_RESPIRATORY] = {{FIELD_ONSET, FIELD_DURATION, FIELD_EVENT}, 3,
				{FIELD_ONSET, FIELD_DURATION, FIELD_EVENT}, 3, FIELD_EVENT},
	[STREAM_POSITION] = {{FIELD_TIME, FIELD_DURATION, FIELD_POSITION, FIELD_MOTION}, 4,
			     {FIELD_TIME, FIELD_POSITION}, 2, FIELD_POSITION},
};

static const char *const encoding_names[ENCODING_COUNT] = {"utf-8", "utf-16", "latin-1", "windows-1252"};
static const char *const time_names[TIME_COUNT] = {"seconds", "clock", "datetime"};
static const char *const format_names[FORMAT_COUNT] = {"csv", "nsrr-xml", "profusion-xml", "edf+"};

const char *profile_field_name(enum profile_field f)
{
	return f < FIELD_COUNT ? field_names[f] : "?";
}

const char *profile_encoding_name(enum profile_encoding enc)
{
	return enc < ENCODING_COUNT ? encoding_names[enc] : "?";
}

const char *profile_time_name(enum profile_time t)
{
	return t < TIME_COUNT ? time_names[t] : "?";
}

const char *profile_format_name(enum profile_format f)
{
	return f < FORMAT_COUNT ? format_names[f] : "?";
}

bool profile_stream_plain(const struct profile_stream *s)
{
	return s->format == FORMAT_CSV && s->decimal == '.' && s->encoding == ENCODING_UTF8 &&
	       s->time == TIME_SECONDS && !s->trim;
}

/* ---- value table ---- */

struct value_entry {
	char *key;       /* NULL = empty slot */
	size_t len;
	int value;
};

struct profile_value_table {
	struct value_entry *slots;
	size_t mask;     /* size - 1, size a power of two */
};

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static struct value_entry *table_slot(const struct profile_value_table *t, const char *s, size_t len)
{
	size_t i = (size_t)fnv1a(s, len) & t->mask;

	for (;; i = (i + 1) & t->mask) {
		struct value_entry *slot = &t->slots[i];
		if (!slot->key || (slot->len == len && memcmp(slot->key, s, len) == 0))
			return slot;
	}
}

static struct profile_value_table *table_new(size_t entries)
{
	struct profile_value_table *t = calloc(1, sizeof(*t));
	size_t size = 8;

	while (size < entries * 2)
		size *= 2;
	if (t && !(t->slots = calloc(size, sizeof(*t->slots)))) {
		free(t);
		return NULL;
	}
	if (t)
		t->mask = size - 1;
	return t;
}

/* Insert or overwrite. 0 or -1 (out of memory). */
static int table_put(struct profile_value_table *t, const char *s, int value)
{
	struct value_entry *slot = table_slot(t, s, strlen(s));

	if (!slot->key) {
		if (!(slot->key = strdup(s)))
			return -1;
		slot->len = strlen(s);
	}
	slot->value = value;
	return 0;
}

static void table_free(struct profile_value_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i <= t->mask; i++)
		free(t->slots[i].key);
	free(t->slots);
	free(t);
}

int profile_value(const struct profile_stream *s, const char *raw, size_t len)
{
	const struct value_entry *slot = table_slot(s->values, raw, len);

	return slot->key ? slot->value : -1;
}

/* ---- canonical vocabularies per value field ---- */

static int canon_count(enum profile_field f)
{
	return f == FIELD_STAGE ? STAGE_COUNT : f == FIELD_EVENT ? EVENT_COUNT : POS_COUNT;
}

static const char *canon_name(enum profile_field f, int v)
{
	return f == FIELD_STAGE ? canon_stage_name(v) : f == FIELD_EVENT ? canon_event_name(v)
									  : canon_position_name(v);
}

static int canon_find(enum profile_field f, const char *s)
{
	return f == FIELD_STAGE ? canon_stage_find(s, strlen(s))
	       : f == FIELD_EVENT ? canon_event_find(s, strlen(s))
				  : canon_position_find(s, strlen(s));
}

/* "W, N1, N2, N3, R, ?" */
static void canon_list(enum profile_field f, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int v = 0; v < canon_count(f) && at < size; v++)
		at += snprintf(buf + at, size - at, "%s%s", v ? ", " : "", canon_name(f, v));
}

/* ---- validation ---- */

struct loader {
	const char *name;     /* the profile as given */
	struct profile *profile;
	struct err *e;
};

static int fail_at(struct loader *l, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *l, const char *path, const char *fmt, ...)
{
	char what[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ERR_AT(l->e, l->name, 0, 0, "%s: %s", path, what);
}

static bool is_object(const cJSON *j) { return cJSON_IsObject(j); }

static int need_object(struct loader *l, const cJSON *j, const char *path)
{
	return is_object(j) ? 0 : fail_at(l, path, "expected an object");
}

/* Refuse any key of obj not in names[0..n). At the top level, keys starting with '_' are notes
 * (JSON has no comments: `nightfan profile init` writes "_files"), except "_todo": the questions a
 * draft leaves open, refused until they are settled and the key removed. */
static int known_keys(struct loader *l, const cJSON *obj, const char *path, const char *const *names, int n)
{
	const cJSON *item;
	bool top = strcmp(path, "(top level)") == 0;

	cJSON_ArrayForEach(item, obj) {
		bool known = false;
		if (top && strcmp(item->string, "_todo") == 0)
			return fail_at(l, "_todo", "this draft still has %d open question%s: settle %s (the values and "
				       "columns written \"TODO\"), then remove \"_todo\"", cJSON_GetArraySize(item),
				       cJSON_GetArraySize(item) == 1 ? "" : "s", cJSON_GetArraySize(item) == 1 ? "it" : "them");
		if (top && item->string[0] == '_')
			continue;
		for (int i = 0; i < n && !known; i++)
			known = strcmp(item->string, names[i]) == 0;
		if (!known) {
			char list[256] = "";
			size_t at = 0;
			for (int i = 0; i < n; i++)
				at += snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "", names[i]);
			return fail_at(l, path, "unknown key \"%s\"; expected %s%s", item->string,
				       n > 1 ? "one of " : "", list);
		}
	}
	return 0;
}

static int load_epoch_seconds(struct loader *l, const cJSON *root)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(root, "epoch_seconds");

	if (!j)
		return fail_at(l, "epoch_seconds", "missing; expected the epoch length in seconds, e.g. 30");
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) || j->valuedouble <= 0)
		return fail_at(l, "epoch_seconds", "expected a positive number of seconds");
	l->profile->epoch_seconds = j->valuedouble;
	return 0;
}

static int load_options(struct loader *l, const cJSON *root)
{
	const cJSON *delim = cJSON_GetObjectItemCaseSensitive(root, "delimiter");
	const cJSON *unknown = cJSON_GetObjectItemCaseSensitive(root, "on_unknown_value");

	l->profile->delimiter = ',';
	if (delim) {
		const char *s = cJSON_GetStringValue(delim);
		if (!s || strlen(s) != 1 || *s == '"' || *s == '\r' || *s == '\n')
			return fail_at(l, "delimiter", "expected one character (not a quote or line end)");
		l->profile->delimiter = *s;
	}
	if (unknown) {
		const char *s = cJSON_GetStringValue(unknown);
		if (!s || (strcmp(s, "error") != 0 && strcmp(s, "unscored") != 0))
			return fail_at(l, "on_unknown_value", "expected \"error\" or \"unscored\"");
		l->profile->unknown_unscored = strcmp(s, "unscored") == 0;
	}
	return 0;
}

/* A relative path inside the night: not empty, not absolute, no "." or ".." component. */
static bool safe_relative_path(const char *s)
{
	if (!*s || *s == '/')
		return false;
	for (const char *part = s; part;) {
		const char *slash = strchr(part, '/');
		size_t n = slash ? (size_t)(slash - part) : strlen(part);
		if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		part = slash ? slash + 1 : NULL;
	}
	return true;
}

static int load_file(struct loader *l, struct profile_stream *s, const cJSON *j, const char *path)
{
	char at[PATH_MAX_TEXT];
	const char *file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "file"));

	snprintf(at, sizeof(at), "%s.file", path);
	if (!cJSON_GetObjectItemCaseSensitive(j, "file"))
		return fail_at(l, at, "missing; expected the file's path inside the night folder");
	if (!file || !safe_relative_path(file))
		return fail_at(l, at, "expected a relative path inside the night folder (no \"..\")");
	if (!(s->file = strdup(file)))
		return ERR(l->e, "out of memory");
	return 0;
}

static int field_allowed(const struct stream_rules *r, const char *name)
{
	for (int i = 0; i < r->n_allowed; i++)
		if (strcmp(field_names[r->allowed[i]], name) == 0)
			return (int)r->allowed[i];
	return -1;
}

static void allowed_list(const struct stream_rules *r, char *buf, size_t size)
{
	size_t at = 0;

	for (int i = 0; i < r->n_allowed; i++)
		at += snprintf(buf + at, size - at, "%s%s", i ? ", " : "", field_names[r->allowed[i]]);
}

static int load_columns(struct loader *l, struct profile_stream *s, const cJSON *j,
			const struct stream_rules *r, const char *path)
{
	char at[PATH_MAX_TEXT], list[128];
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(j, "columns"), *item;

	snprintf(at, sizeof(at), "%s.columns", path);
	if (!cols)
		return fail_at(l, at, "missing; expected an object of canonical field -> raw column");
	if (need_object(l, cols, at) < 0)
		return -1;
	allowed_list(r, list, sizeof(list));
	cJSON_ArrayForEach(item, cols) {
		int f = field_allowed(r, item->string);
		const char *column = cJSON_GetStringValue(item);
		if (f < 0)
			return fail_at(l, at, "unknown field \"%s\"; expected one of %s", item->string, list);
		if (!column || !*column)
			return fail_at(l, at, "field \"%s\": expected the raw column name (a non-empty string)",
				       item->string);
		if (!s->columns[f] && !(s->columns[f] = strdup(column)))
			return ERR(l->e, "out of memory");
	}
	for (int i = 0; i < r->n_required; i++)
		if (!s->columns[r->required[i]])
			return fail_at(l, at, "missing required field \"%s\"", field_names[r->required[i]]);
	return 0;
}

static int load_value_map(struct loader *l, struct profile_stream *s, const cJSON *map, const char *path)
{
	char list[128];
	const cJSON *item;

	canon_list(s->value_field, list, sizeof(list));
	cJSON_ArrayForEach(item, map) {
		const char *target = cJSON_GetStringValue(item);
		int v = target ? canon_find(s->value_field, target) : -1;
		if (v < 0)
			return fail_at(l, path, "\"%s\": expected one of %s, got %s%s%s", item->string, list,
				       target ? "\"" : "a non-string", target ? target : "", target ? "\"" : "");
		if (table_put(s->values, item->string, v) < 0)
			return ERR(l->e, "out of memory");
	}
	return 0;
}

static int load_values(struct loader *l, struct profile_stream *s, const cJSON *j, const char *path)
{
	char at[PATH_MAX_TEXT], map_at[PATH_MAX_TEXT];
	const cJSON *values = cJSON_GetObjectItemCaseSensitive(j, "values"), *item;
	const char *value_name = field_names[s->value_field];
	int entries = canon_count(s->value_field);

	snprintf(at, sizeof(at), "%s.values", path);
	if (values && need_object(l, values, at) < 0)
		return -1;
	cJSON_ArrayForEach(item, values) {
		if (strcmp(item->string, value_name) != 0)
			return fail_at(l, at, "unknown field \"%s\"; expected %s (values map only the value field)",
				       item->string, value_name);
		snprintf(map_at, sizeof(map_at), "%s.%s", at, value_name);
		if (need_object(l, item, map_at) < 0)
			return -1;
		entries += cJSON_GetArraySize(item);
	}
	if (!(s->values = table_new((size_t)entries)))
		return ERR(l->e, "out of memory");
	for (int v = 0; v < canon_count(s->value_field); v++)
		if (table_put(s->values, canon_name(s->value_field, v), v) < 0)
			return ERR(l->e, "out of memory");
	cJSON_ArrayForEach(item, values)
		if (load_value_map(l, s, item, map_at) < 0)
			return -1;
	return 0;
}

/* The index of the string value of key `name` among names[0..n), or -1 after failing with
 * "expected one of ..." (absent: `fallback`). */
static int load_choice(struct loader *l, const cJSON *j, const char *name, const char *path,
		       const char *const *names, int n, int fallback)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(j, name);
	const char *s = cJSON_GetStringValue(item);
	char at[PATH_MAX_TEXT], list[160];
	size_t used = 0;

	if (!item)
		return fallback;
	for (int i = 0; i < n; i++)
		if (s && strcmp(s, names[i]) == 0)
			return i;
	for (int i = 0; i < n; i++)
		used += snprintf(list + used, sizeof(list) - used, "%s\"%s\"", !i ? "" : n == 2 ? " or " : ", ", names[i]);
	snprintf(at, sizeof(at), "%s.%s", path, name);
	return fail_at(l, at, "expected %s%s", n > 2 ? "one of " : "", list);
}

/* delimiter, decimal, encoding, time, trim of a CSV stream. */
static int load_dialect(struct loader *l, struct profile_stream *s, const cJSON *j, const char *path)
{
	static const char *const decimals[] = {".", ","};
	const cJSON *delim = cJSON_GetObjectItemCaseSensitive(j, "delimiter");
	const cJSON *trim = cJSON_GetObjectItemCaseSensitive(j, "trim");
	char at[PATH_MAX_TEXT];
	int v;

	s->delimiter = l->profile->delimiter;
	if (delim) {
		const char *d = cJSON_GetStringValue(delim);
		snprintf(at, sizeof(at), "%s.delimiter", path);
		if (!d || strlen(d) != 1 || *d == '"' || *d == '\r' || *d == '\n')
			return fail_at(l, at, "expected one character (not a quote or line end)");
		s->delimiter = *d;
	}
	if ((v = load_choice(l, j, "decimal", path, decimals, 2, 0)) < 0)
		return -1;
	s->decimal = *decimals[v];
	if (s->decimal == ',' && s->delimiter == ',') {
		snprintf(at, sizeof(at), "%s.decimal", path);
		return fail_at(l, at, "\",\" needs another delimiter (this file's delimiter is \",\"): set \"delimiter\", e.g. \";\"");
	}
	if ((v = load_choice(l, j, "encoding", path, encoding_names, ENCODING_COUNT, ENCODING_UTF8)) < 0)
		return -1;
	s->encoding = (enum profile_encoding)v;
	if ((v = load_choice(l, j, "time", path, time_names, TIME_COUNT, TIME_SECONDS)) < 0)
		return -1;
	s->time = (enum profile_time)v;
	if (trim) {
		snprintf(at, sizeof(at), "%s.trim", path);
		if (!cJSON_IsBool(trim))
			return fail_at(l, at, "expected true or false");
		s->trim = cJSON_IsTrue(trim);
	}
	return 0;
}

/* An annotation stream: no columns, no dialect (the file says where everything is). */
static int refuse_csv_keys(struct loader *l, const struct profile_stream *s, const cJSON *j, const char *path)
{
	static const char *const csv_keys[] = {"columns", "delimiter", "decimal", "encoding", "time", "trim"};
	char at[PATH_MAX_TEXT];

	for (size_t i = 0; i < sizeof(csv_keys) / sizeof(csv_keys[0]); i++) {
		if (!cJSON_GetObjectItemCaseSensitive(j, csv_keys[i]))
			continue;
		snprintf(at, sizeof(at), "%s.%s", path, csv_keys[i]);
		return fail_at(l, at, "not used with \"format\": \"%s\" (an annotation file holds its own onsets, durations and labels)",
			       format_names[s->format]);
	}
	return 0;
}

static int load_stream(struct loader *l, enum source src, enum stream st, const cJSON *j)
{
	static const char *const keys[] = {"file", "columns", "values", "format", "delimiter", "decimal",
					   "encoding", "time", "trim"};
	struct profile_stream *s = &l->profile->streams[src][st];
	const struct stream_rules *r = &rules[st];
	char path[PATH_MAX_TEXT];
	int format;

	snprintf(path, sizeof(path), "sources.%s.%s", canon_source_name(src), canon_stream_name(st));
	if (need_object(l, j, path) < 0 || known_keys(l, j, path, keys, 9) < 0)
		return -1;
	/* cJSON keeps duplicate keys; a stream said twice is ambiguous (and would be loaded twice) */
	if (s->present)
		return fail_at(l, path, "given twice; expected each stream once");
	s->present = true;
	s->source = src;
	s->stream = st;
	s->value_field = r->value_field;
	s->delimiter = l->profile->delimiter;
	s->decimal = '.';
	if (load_file(l, s, j, path) < 0)
		return -1;
	if ((format = load_choice(l, j, "format", path, format_names, FORMAT_COUNT, FORMAT_CSV)) < 0)
		return -1;
	s->format = (enum profile_format)format;
	if (s->format != FORMAT_CSV) {
		if (refuse_csv_keys(l, s, j, path) < 0)
			return -1;
	} else if (load_columns(l, s, j, r, path) < 0 || load_dialect(l, s, j, path) < 0) {
		return -1;
	}
	return load_values(l, s, j, path);
}

/* Clock times and date-times count from the labels hypnogram's first row (SPEC §1): every stream
 * that uses them needs that hypnogram's onset written the same way. */
static int check_time_references(struct loader *l)
{
	const struct profile_stream *ref = &l->profile->streams[SOURCE_LABELS][STREAM_HYPNOGRAM];
	char path[PATH_MAX_TEXT];

	if (ref->time != TIME_SECONDS && !ref->columns[FIELD_ONSET])
		return fail_at(l, "sources.labels.hypnogram.time",
			       "\"%s\" needs the onset column mapped (its first row is the reference time)",
			       time_names[ref->time]);
	for (int src = 0; src < SOURCE_COUNT; src++)
		for (int st = 0; st < STREAM_COUNT; st++) {
			const struct profile_stream *s = &l->profile->streams[src][st];
			if (!s->present || s->time == TIME_SECONDS || s->time == ref->time)
				continue;
			snprintf(path, sizeof(path), "sources.%s.%s.time", canon_source_name(src), canon_stream_name(st));
			return fail_at(l, path,
				       "\"%s\" needs a reference: the labels hypnogram's onset written the same way "
				       "(sources.labels.hypnogram.time: \"%s\")",
				       time_names[s->time], time_names[s->time]);
		}
	return 0;
}

static int load_source(struct loader *l, enum source src, const cJSON *j)
{
	static const char *const streams[] = {"hypnogram", "respiratory", "position"};
	char path[PATH_MAX_TEXT];
	const cJSON *item;

	snprintf(path, sizeof(path), "sources.%s", canon_source_name(src));
	if (need_object(l, j, path) < 0 || known_keys(l, j, path, streams, STREAM_COUNT) < 0)
		return -1;
	cJSON_ArrayForEach(item, j)
		if (load_stream(l, src, (enum stream)canon_stream_find(item->string, strlen(item->string)), item) < 0)
			return -1;
	return 0;
}

static int load_sources(struct loader *l, const cJSON *root)
{
	static const char *const sources[] = {"labels", "predictions"};
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(root, "sources"), *item;

	if (!j)
		return fail_at(l, "sources", "missing; expected an object with \"labels\" and \"predictions\"");
	if (need_object(l, j, "sources") < 0 || known_keys(l, j, "sources", sources, SOURCE_COUNT) < 0)
		return -1;
	cJSON_ArrayForEach(item, j)
		if (load_source(l, (enum source)canon_source_find(item->string, strlen(item->string)), item) < 0)
			return -1;
	if (!l->profile->streams[SOURCE_LABELS][STREAM_HYPNOGRAM].present)
		return fail_at(l, "sources.labels.hypnogram", "missing; every night needs the labels hypnogram");
	return check_time_references(l);
}

/* ---- NUL characters ---- */

/* cJSON decodes "\u0000" (and takes a raw NUL byte) inside a string, then hands the string out as a
 * C string, cut there: a raw value "Wa\u0000ke" would silently map "Wa". So the text is scanned
 * for such strings first — after cJSON has accepted it, so it is well-formed JSON — keeping the
 * path of keys to name the one that holds it. Paths deeper than NUL_SCAN_DEPTH (no profile key is
 * deeper than 6) name their first levels only. */
#define NUL_SCAN_DEPTH 32

struct scan_frame {
	const char *key; /* the current member's name, raw JSON spelling (objects); NULL before one */
	size_t key_len;
	long index;      /* the current element (arrays) */
	bool is_object;
};

/* Whether the raw JSON string body s[0..n) decodes to text holding a NUL. */
static bool body_has_nul(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0')
			return true;
		if (s[i] == '\\' && i + 1 < n) {
			if (s[i + 1] == 'u' && i + 5 < n && memcmp(s + i + 2, "0000", 4) == 0)
				return true;
			i++;
		}
	}
	return false;
}

/* The raw body as a message shows it: JSON's own spelling, raw control bytes as \u00XX. */
static void body_shown(const char *s, size_t n, char *out, size_t size)
{
	char spelled[4 * SHOWN_KEY_MAX + 8];
	size_t o = 0;

	for (size_t i = 0; i < n && o + 7 < sizeof spelled; i++) {
		if ((unsigned char)s[i] < 0x20)
			o += (size_t)snprintf(spelled + o, sizeof spelled - o, "\\u%04x", (unsigned char)s[i]);
		else
			spelled[o++] = s[i];
	}
	utf8_shown(out, size, spelled, o, 0);
}

static void path_of(const struct scan_frame *f, int depth, char *out, size_t size)
{
	size_t at = 0;

	out[0] = '\0';
	for (int d = 0; d < depth && d < NUL_SCAN_DEPTH && at < size; d++) {
		if (f[d].is_object && f[d].key)
			at += (size_t)snprintf(out + at, size - at, "%s%.*s", at ? "." : "", (int)f[d].key_len, f[d].key);
		else if (!f[d].is_object)
			at += (size_t)snprintf(out + at, size - at, "[%ld]", f[d].index);
	}
	if (!out[0])
		snprintf(out, size, "(top level)");
}

static int refuse_nul_strings(struct loader *l, const char *text, size_t len)
{
	struct scan_frame f[NUL_SCAN_DEPTH] = {0};
	int depth = 0;
	bool expect_key = false;
	char path[PATH_MAX_TEXT], shown[SHOWN_KEY_MAX + 4];

	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '{' || c == '[') {
			if (depth < NUL_SCAN_DEPTH)
				f[depth] = (struct scan_frame){.is_object = c == '{'};
			depth++;
			expect_key = c == '{';
		} else if (c == '}' || c == ']') {
			depth--;
			expect_key = false;
		} else if (c == ',' && depth > 0 && depth <= NUL_SCAN_DEPTH) {
			expect_key = f[depth - 1].is_object;
			f[depth - 1].index++;
		} else if (c == ':') {
			expect_key = false;
		} else if (c == '"') {
			size_t start = ++i;
			while (i < len && text[i] != '"')
				i += text[i] == '\\' ? 2 : 1;
			size_t n = i - start;
			bool key = expect_key && depth > 0;
			if (key && depth <= NUL_SCAN_DEPTH) {
				f[depth - 1].key = text + start;
				f[depth - 1].key_len = n;
			}
			if (!body_has_nul(text + start, n))
				continue;
			path_of(f, key ? depth - 1 : depth, path, sizeof path);
			body_shown(text + start, n, shown, sizeof shown);
			if (key)
				return fail_at(l, path, "key \"%s\": expected text without NUL characters", shown);
			return fail_at(l, path, "expected text without NUL characters, got \"%s\"", shown);
		}
	}
	return 0;
}

/* 1-based line of the byte at `at` in text. */
static long line_of(const char *text, const char *at)
{
	long line = 1;

	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static int load_root(struct loader *l, const cJSON *root)
{
	static const char *const keys[] = {"epoch_seconds", "sources", "delimiter", "on_unknown_value"};

	if (!is_object(root))
		return ERR_AT(l->e, l->name, 0, 0, "expected a JSON object at the top level");
	if (known_keys(l, root, "(top level)", keys, 4) < 0)
		return -1;
	if (load_epoch_seconds(l, root) < 0 || load_options(l, root) < 0)
		return -1;
	return load_sources(l, root);
}

struct profile *profile_parse(const char *text, size_t len, const char *name, struct err *e)
{
	struct loader l = {name, calloc(1, sizeof(struct profile)), e};
	const char *end = NULL;
	cJSON *root;

	if (!l.profile) {
		ERR(e, "out of memory");
		return NULL;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM, as Windows editors write */
		text += 3;
		len -= 3;
	}
	/* cJSON checks that nothing follows the value by finding the NUL at text[len] */
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, true);
	if (!root) {
		ERR_AT(e, name, end ? line_of(text, end) : 0, 0, "not valid JSON");
		profile_free(l.profile);
		return NULL;
	}
	if (refuse_nul_strings(&l, text, len) < 0 || load_root(&l, root) < 0) {
		profile_free(l.profile);
		l.profile = NULL;
	}
	cJSON_Delete(root);
	return l.profile;
}

struct profile *profile_load(const char *path, struct err *e)
{
	size_t len = 0;
	char *text = fs_read_file(path, PROFILE_MAX_BYTES, &len, e);
	struct profile *p;

	if (!text)
		return NULL;
	p = profile_parse(text, len, path, e);
	free(text);
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (int src = 0; src < SOURCE_COUNT; src++)
		for (int st = 0; st < STREAM_COUNT; st++) {
			struct profile_stream *s = &p->streams[src][st];
			free(s->file);
			for (int f = 0; f < FIELD_COUNT; f++)
				free(s->columns[f]);
			table_free(s->values);
		}
	free(p);
}

const struct profile_stream *profile_stream(const struct profile *p, enum source source, enum stream stream)
{
	const struct profile_stream *s = &p->streams[source][stream];

	return s->present ? s : NULL;
}
