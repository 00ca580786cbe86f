/*
 * draft.c — a draft profile from one night's files (see draft.h).
 *
 * Each file of the night (sorted by path, at most DRAFT_MAX_DEPTH folders deep) is looked at once:
 * CSV-like files (.csv .tsv .txt) are sniffed; the value column decides the stream (stage →
 * hypnogram, event → respiratory, position → position); then the time, duration and motion
 * columns are picked among the rest. Annotation files (.xml, .edf) are recognised by their first
 * bytes (<PSGAnnotation, <CMPStudyConfig, EDF+C/EDF+D), read with the shard's reader, and each
 * label with a stage, event or position proposal becomes a value of that stream. The first file
 * found for a source's stream is used; a second one is listed in "_todo".
 */
#include "draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "canon.h"
#include "dirlist.h"
#include "nightdirs.h"
#include "profile.h"
#include "shard/annot.h"
#include "sniff.h"
#include "vocab.h"

#define DRAFT_MAX_DEPTH 4
#define DRAFT_MAX_FILES 1000
#define DEFAULT_EPOCH 30.0

struct draft {
	const char *root, *night;
	json_t *todo;                          /* array of strings */
	json_t *files;                         /* "_files" */
	json_t *streams[SOURCE_COUNT][STREAM_COUNT];
	enum profile_time time[SOURCE_COUNT][STREAM_COUNT];
	double step;                           /* the labels (else predictions) hypnogram's onset step */
	bool step_from_labels;
};

/* ---- the night's files ---- */

/* The regular files under dir_path (folders followed to DRAFT_MAX_DEPTH), as paths relative to the
 * night, into `files`; at most DRAFT_MAX_FILES of them. */
static int walk(const char *dir_path, const char *rel, int depth, struct strlist *files, struct err *e)
{
	struct strlist names;
	int rc = 0;

	if (dirlist_read(dir_path, 0, NULL, &names, e) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < names.n && files->n < DRAFT_MAX_FILES; i++) {
		char path[4096], sub[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir_path, names.v[i]);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", names.v[i]);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < DRAFT_MAX_DEPTH)
			rc = walk(path, sub, depth + 1, files, e);
		else if (S_ISREG(st.st_mode))
			rc = strlist_push(files, sub, e);
	}
	strlist_release(&names);
	return rc;
}

/* ---- helpers ---- */

static const char *extension(const char *rel)
{
	const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* A path naming the model's output: a folder or file name with "pred" or "model" in it. */
static enum source source_of(const char *rel)
{
	char lower[4096];
	size_t i;

	for (i = 0; rel[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)((rel[i] >= 'A' && rel[i] <= 'Z') ? rel[i] + 32 : rel[i]);
	lower[i] = '\0';
	return strstr(lower, "pred") || strstr(lower, "model") ? SOURCE_PREDICTIONS : SOURCE_LABELS;
}

static void todo(struct draft *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void todo(struct draft *d, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_array_append_new(d->todo, json_string(text));
}

static void note_file(struct draft *d, const char *rel, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note_file(struct draft *d, const char *rel, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_object_set_new(d->files, rel, json_string(text));
}

static const char *value_canon_list(enum profile_field f)
{
	return f == FIELD_STAGE ? "W, N1, N2, N3, R, ?" : f == FIELD_EVENT ? "OA, CA, MA, A, H, RERA"
	       : "supine, prone, left, right, upright, unknown";
}

static enum stream stream_of(enum profile_field f)
{
	return f == FIELD_STAGE ? STREAM_HYPNOGRAM : f == FIELD_EVENT ? STREAM_RESPIRATORY : STREAM_POSITION;
}

/* ---- values ---- */

/* values[field] = {raw: proposal} for every raw value that is not canonical already; "TODO" (and a
 * question in _todo) for one with no proposal. `codes` reads bare integer stages. */
struct ranked {
	size_t index;    /* first-seen order */
	int rank;        /* the proposal's place in the canonical order; after them, no proposal */
};

static int compare_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank - y->rank;
	return (x->index > y->index) - (x->index < y->index);
}

static int canon_rank(enum profile_field f, const char *p)
{
	if (!p)
		return 100;
	return f == FIELD_STAGE ? canon_stage_find(p, strlen(p)) : f == FIELD_EVENT ? canon_event_find(p, strlen(p))
	       : canon_position_find(p, strlen(p));
}

/* In the canonical order of the proposals (W N1 N2 N3 R ?, ...), undecided ones last; ties in the
 * order the file has them. */
static json_t *value_map(struct draft *d, const char *rel, enum profile_field f, const struct sniff_value *v,
			 size_t n, enum vocab_codes codes)
{
	json_t *map = json_object();
	struct ranked *order = malloc((n ? n : 1) * sizeof(*order));

	if (!order)
		return map;
	for (size_t i = 0; i < n; i++)
		order[i] = (struct ranked){i, canon_rank(f, vocab_propose(f, v[i].text, codes))};
	qsort(order, n, sizeof(*order), compare_ranked);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k].index;
		const char *p = vocab_propose(f, v[i].text, codes);
		if (p && strcmp(p, v[i].text) == 0)
			continue; /* canonical already: passes unchanged */
		if (!p)
			todo(d, "%s: %s value \"%s\" (%ld %s): map it to one of %s", rel, profile_field_name(f), v[i].text,
			     v[i].count, v[i].count == 1 ? "time" : "times", value_canon_list(f));
		json_object_set_new(map, v[i].text, json_string(p ? p : "TODO"));
	}
	free(order);
	return map;
}

static enum vocab_codes stage_codes(const struct sniff_value *v, size_t n, bool psg)
{
	const char **texts = malloc((n ? n : 1) * sizeof(*texts));
	enum vocab_codes codes;

	if (!texts)
		return VOCAB_CODES_NONE;
	for (size_t i = 0; i < n; i++)
		texts[i] = v[i].text;
	codes = vocab_stage_codes(texts, (int)n, psg);
	free(texts);
	return codes;
}

/* ---- CSV files ---- */

/* How well column c holds field f's values: 1 per name match, plus the share of its distinct values
 * that have a proposal; < 0 when it cannot. */
static double value_score(const struct sniff_column *c, enum profile_field f)
{
	enum vocab_codes codes;
	size_t proposed = 0;
	bool named = vocab_header_is(f, c->name);

	/* an increasing column is a time, unless its header names the field (a short night's codes) */
	if (!c->values || c->n_values == 0 || (c->increasing && !named))
		return -1;
	/* a column named as another field (onset, duration, motion) is not a value column */
	if (!named && (vocab_header_is(FIELD_ONSET, c->name) || vocab_header_is(FIELD_DURATION, c->name)
		       || vocab_header_is(FIELD_MOTION, c->name)))
		return -1;
	if (c->kind == SNIFF_NUMBER && !(c->integers && (named || f == FIELD_STAGE)))
		return -1;
	if (c->kind == SNIFF_CLOCK || c->kind == SNIFF_DATETIME)
		return -1;
	codes = f == FIELD_STAGE ? stage_codes(c->values, c->n_values, false) : VOCAB_CODES_NONE;
	for (size_t i = 0; i < c->n_values; i++)
		proposed += vocab_propose(f, c->values[i].text, codes) != NULL;
	return (named ? 1.0 : 0.0) + (double)proposed / (double)c->n_values;
}

static bool is_time_kind(const struct sniff_column *c)
{
	return c->kind == SNIFF_NUMBER || c->kind == SNIFF_CLOCK || c->kind == SNIFF_DATETIME;
}

static int find_named(const struct sniff_csv *s, enum profile_field f, const bool *used, bool times_only)
{
	for (size_t i = 0; i < s->n_columns; i++)
		if (!used[i] && vocab_header_is(f, s->columns[i].name) && (!times_only || is_time_kind(&s->columns[i])))
			return (int)i;
	return -1;
}

static int find_increasing(const struct sniff_csv *s, const bool *used)
{
	for (size_t i = 0; i < s->n_columns; i++)
		if (!used[i] && is_time_kind(&s->columns[i]) && s->columns[i].increasing)
			return (int)i;
	return -1;
}

static int find_number(const struct sniff_csv *s, const bool *used)
{
	for (size_t i = 0; i < s->n_columns; i++)
		if (!used[i] && s->columns[i].kind == SNIFF_NUMBER)
			return (int)i;
	return -1;
}

static enum profile_time time_of(const struct sniff_column *c)
{
	return c->kind == SNIFF_CLOCK ? TIME_CLOCK : c->kind == SNIFF_DATETIME ? TIME_DATETIME : TIME_SECONDS;
}

static void set_column(json_t *columns, enum profile_field f, const struct sniff_csv *s, int i, bool *used)
{
	json_object_set_new(columns, profile_field_name(f), json_string(s->columns[i].name));
	used[i] = true;
}

static void dialect_keys(json_t *stream, const struct sniff_csv *s, enum profile_time t)
{
	char delim[2] = {s->delimiter, '\0'};

	if (s->delimiter != ',')
		json_object_set_new(stream, "delimiter", json_string(delim));
	if (s->decimal != '.')
		json_object_set_new(stream, "decimal", json_string(","));
	if (s->encoding != ENCODING_UTF8)
		json_object_set_new(stream, "encoding", json_string(profile_encoding_name(s->encoding)));
	if (t != TIME_SECONDS)
		json_object_set_new(stream, "time", json_string(profile_time_name(t)));
	if (s->trim)
		json_object_set_new(stream, "trim", json_true());
}

/* Claim (source, stream) for `rel`; false (and a question) when an earlier file has it. */
static bool claim(struct draft *d, enum source src, enum stream st, const char *rel)
{
	if (!d->streams[src][st])
		return true;
	todo(d, "%s: another %s %s; the draft reads %s", rel, canon_source_name(src), canon_stream_name(st),
	     json_string_value(json_object_get(d->streams[src][st], "file")));
	note_file(d, rel, "not used: a second %s %s", canon_source_name(src), canon_stream_name(st));
	return false;
}

static void draft_csv_stream(struct draft *d, const char *rel, const struct sniff_csv *s, int value_col,
			     enum profile_field vf)
{
	enum source src = source_of(rel);
	enum stream st = stream_of(vf);
	bool *used = calloc(s->n_columns ? s->n_columns : 1, sizeof(bool));
	json_t *stream, *columns = json_object(), *values = json_object();
	enum profile_field tf = st == STREAM_POSITION ? FIELD_TIME : FIELD_ONSET;
	enum profile_time t = TIME_SECONDS;
	const struct sniff_column *vc = &s->columns[value_col];
	enum vocab_codes codes;
	int i;

	if (!used || !claim(d, src, st, rel)) {
		free(used);
		json_decref(columns);
		json_decref(values);
		return;
	}
	used[value_col] = true;
	/* time: by name, else the first increasing column of numbers or times */
	if ((i = find_named(s, tf, used, true)) < 0)
		i = find_increasing(s, used);
	if (i >= 0) {
		t = time_of(&s->columns[i]);
		set_column(columns, tf, s, i, used);
		if (st == STREAM_HYPNOGRAM && s->columns[i].step > 0 && (src == SOURCE_LABELS || d->step == 0)) {
			d->step = s->columns[i].step;
			d->step_from_labels = src == SOURCE_LABELS;
		}
	} else if (st != STREAM_HYPNOGRAM) {
		json_object_set_new(columns, profile_field_name(tf), json_string("TODO"));
		todo(d, "%s: which column holds the %s (seconds, clock times or date-times)?", rel, profile_field_name(tf));
	}
	/* duration: by name; events need one (else the first other column of numbers) */
	if ((i = find_named(s, FIELD_DURATION, used, true)) < 0 && st == STREAM_RESPIRATORY)
		i = find_number(s, used);
	if (i >= 0)
		set_column(columns, FIELD_DURATION, s, i, used);
	else if (st == STREAM_RESPIRATORY) {
		json_object_set_new(columns, "duration", json_string("TODO"));
		todo(d, "%s: which column holds the duration (seconds)?", rel);
	}
	json_object_set_new(columns, profile_field_name(vf), json_string(vc->name));
	/* motion: by name, else another column of numbers */
	if (st == STREAM_POSITION && ((i = find_named(s, FIELD_MOTION, used, true)) >= 0 || (i = find_number(s, used)) >= 0))
		set_column(columns, FIELD_MOTION, s, i, used);

	codes = vf == FIELD_STAGE ? stage_codes(vc->values, vc->n_values, false) : VOCAB_CODES_NONE;
	json_t *map = value_map(d, rel, vf, vc->values, vc->n_values, codes);
	if (json_object_size(map))
		json_object_set_new(values, profile_field_name(vf), map);
	else
		json_decref(map);

	stream = json_object();
	json_object_set_new(stream, "file", json_string(rel));
	dialect_keys(stream, s, t);
	json_object_set_new(stream, "columns", columns);
	if (json_object_size(values))
		json_object_set_new(stream, "values", values);
	else
		json_decref(values);
	d->streams[src][st] = stream;
	d->time[src][st] = t;
	if (codes == VOCAB_CODES_MODEL)
		note_file(d, rel, "%s %s: CSV, %ld rows; stage codes read as 0 W, 1 N1, 2 N2, 3 N3, 4 R",
			  canon_source_name(src), canon_stream_name(st), s->rows);
	else if (codes == VOCAB_CODES_PSG)
		note_file(d, rel, "%s %s: CSV, %ld rows; stage codes read as 0 W, 1 N1, 2 N2, 3 N3, 4 N3, 5 R, 9 ?",
			  canon_source_name(src), canon_stream_name(st), s->rows);
	else
		note_file(d, rel, "%s %s: CSV, %ld rows", canon_source_name(src), canon_stream_name(st), s->rows);
	free(used);
}

static int draft_csv(struct draft *d, const char *rel, struct err *e)
{
	static const enum profile_field fields[] = {FIELD_STAGE, FIELD_EVENT, FIELD_POSITION};
	char path[8192];
	struct sniff_csv s;
	int best = -1;
	enum profile_field best_field = FIELD_STAGE;
	double best_score = 0.5;

	snprintf(path, sizeof(path), "%s/%s/%s", d->root, d->night, rel);
	if (sniff_csv(path, rel, &s, e) < 0) {
		char text[ERR_FILE_MAX + ERR_MSG_MAX + 8];
		note_file(d, rel, "not used: %s", err_format(e, text, sizeof(text)));
		sniff_free(&s);
		return 0;
	}
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
		for (size_t i = 0; i < s.n_columns; i++) {
			double score = value_score(&s.columns[i], fields[f]);
			if (score > best_score) {
				best_score = score;
				best = (int)i;
				best_field = fields[f];
			}
		}
	if (best < 0)
		note_file(d, rel, "not used: no column of stages, events or positions");
	else
		draft_csv_stream(d, rel, &s, best, best_field);
	sniff_free(&s);
	return 0;
}

/* ---- annotation files ---- */

/* What an .xml or .edf file is, from its first bytes: FORMAT_CSV when none nightfan reads. */
static enum profile_format annotation_format(const struct draft *d, const char *rel, const char *ext)
{
	char head[4096], path[8192];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s/%s", d->root, d->night, rel);
	if (!(fp = fopen(path, "rb")))
		return FORMAT_CSV;
	n = fread(head, 1, sizeof(head) - 1, fp);
	fclose(fp);
	head[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (head[i] == '\0')
			head[i] = ' ';
	if (strcasecmp(ext, "edf") == 0)
		/* EDF+: the header's reserved field (bytes 192..235) starts "EDF+C" or "EDF+D" */
		return n >= 256 && (memcmp(head + 192, "EDF+C", 5) == 0 || memcmp(head + 192, "EDF+D", 5) == 0)
			       ? FORMAT_EDF_PLUS : FORMAT_CSV;
	if (strstr(head, "<PSGAnnotation"))
		return FORMAT_NSRR_XML;
	if (strstr(head, "<CMPStudyConfig"))
		return FORMAT_PROFUSION_XML;
	return FORMAT_CSV;
}

static const char *format_words(enum profile_format f)
{
	return f == FORMAT_NSRR_XML ? "NSRR XML" : f == FORMAT_PROFUSION_XML ? "Compumedics Profusion XML" : "EDF+";
}

/* An annotation label that is about body position: among other kinds of annotation "left" and
 * "right" mostly name a leg ("Limb Movement (Left)"), so the label must say it is a position, or be
 * one of the position words alone. */
static bool position_label(const char *label)
{
	static const char *const alone[] = {"supine", "prone", "left", "right", "upright", "back", "links", "rechts",
					    "rückenlage", "bauchlage", "aufrecht", NULL};

	if (strcasestr(label, "position") || strcasestr(label, "lage"))
		return true;
	for (const char *const *w = alone; *w; w++)
		if (strcasecmp(label, *w) == 0)
			return true;
	return false;
}

/* The field a label is proposed for (its stage, event or position), its proposal into *canon;
 * FIELD_COUNT when none. */
static enum profile_field label_field(const char *label, enum vocab_codes codes, const char **canon)
{
	if ((*canon = vocab_propose(FIELD_STAGE, label, codes)))
		return FIELD_STAGE;
	if ((*canon = vocab_propose(FIELD_EVENT, label, codes)))
		return FIELD_EVENT;
	if (position_label(label) && (*canon = vocab_propose(FIELD_POSITION, label, codes)))
		return FIELD_POSITION;
	return FIELD_COUNT;
}

/* The shortest stage annotation, when every other one is a whole number of it: the epoch. */
static double annotation_epoch(const struct annot_list *a, enum vocab_codes codes)
{
	double shortest = 0;
	const char *canon;

	for (size_t i = 0; i < a->n; i++)
		if (label_field(annot_label(a, i), codes, &canon) == FIELD_STAGE && a->items[i].duration > 0
		    && (shortest == 0 || a->items[i].duration < shortest))
			shortest = a->items[i].duration;
	for (size_t i = 0; shortest > 0 && i < a->n; i++)
		if (label_field(annot_label(a, i), codes, &canon) == FIELD_STAGE && a->items[i].duration > 0) {
			double k = a->items[i].duration / shortest;
			if (k - (double)(long)k > 1e-6)
				return 0;
		}
	return shortest;
}

static int draft_annotation(struct draft *d, const char *rel, enum profile_format format, struct err *e)
{
	enum source src = source_of(rel);
	struct annot_list a;
	struct annot_label_count *labels = NULL;
	size_t n = 0;
	const char **texts = NULL;
	json_t *maps[FIELD_COUNT] = {0};
	char what[2048] = "", passed[2048] = "";
	size_t at = 0, at_passed = 0;
	enum vocab_codes codes;
	struct ranked *order = NULL;
	int n_texts = 0;

	if (annot_read(d->root, d->night, rel, format, &a, e) < 0 || annot_labels(&a, &labels, &n, e) < 0) {
		char text[ERR_FILE_MAX + ERR_MSG_MAX + 8];
		note_file(d, rel, "not used: %s", err_format(e, text, sizeof(text)));
		annot_free(&a);
		free(labels);
		err_clear(e);
		return 0;
	}
	/* bare integer labels are stage codes: Profusion's always, else by vocab_stage_codes' rule */
	if ((texts = malloc((n ? n : 1) * sizeof(*texts))))
		for (size_t i = 0; i < n; i++) {
			const char *c = labels[i].label;
			c += *c == '-';
			if (*c && strspn(c, "0123456789") == strlen(c))
				texts[n_texts++] = labels[i].label;
		}
	codes = texts ? vocab_stage_codes(texts, n_texts, format == FORMAT_PROFUSION_XML) : VOCAB_CODES_NONE;
	free(texts);
	/* in the canonical order of the proposals (W N1 N2 N3 R ?, OA CA ...), ties in file order */
	if ((order = malloc((n ? n : 1) * sizeof(*order)))) {
		for (size_t i = 0; i < n; i++) {
			const char *canon;
			enum profile_field f = label_field(labels[i].label, codes, &canon);
			order[i] = (struct ranked){i, f == FIELD_COUNT ? 100 : canon_rank(f, canon)};
		}
		qsort(order, n, sizeof(*order), compare_ranked);
	}
	for (size_t k = 0; order && k < n; k++) {
		size_t i = order[k].index;
		const char *canon;
		enum profile_field f = label_field(labels[i].label, codes, &canon);
		if (f == FIELD_COUNT) {
			/* clamped: a long list is cut (the note is bounded anyway), never written past */
			at_passed += (size_t)snprintf(passed + at_passed, sizeof passed - at_passed, "%s\"%s\" ×%ld",
						      at_passed ? ", " : "", labels[i].label, labels[i].count);
			if (at_passed >= sizeof passed)
				at_passed = sizeof passed - 1;
			continue;
		}
		if (!maps[f])
			maps[f] = json_object();
		if (strcmp(canon, labels[i].label) != 0)
			json_object_set_new(maps[f], labels[i].label, json_string(canon));
	}
	for (enum profile_field f = FIELD_STAGE; f <= FIELD_POSITION; f++) {
		enum stream st;
		json_t *stream, *values;
		if (f != FIELD_STAGE && f != FIELD_EVENT && f != FIELD_POSITION)
			continue;
		if (!maps[f])
			continue;
		st = stream_of(f);
		if (!claim(d, src, st, rel)) {
			json_decref(maps[f]);
			continue;
		}
		stream = json_object();
		json_object_set_new(stream, "file", json_string(rel));
		json_object_set_new(stream, "format", json_string(profile_format_name(format)));
		if (json_object_size(maps[f])) {
			values = json_object();
			json_object_set_new(values, profile_field_name(f), maps[f]);
			json_object_set_new(stream, "values", values);
		} else {
			json_decref(maps[f]); /* every label canonical already */
		}
		d->streams[src][st] = stream;
		d->time[src][st] = TIME_SECONDS;
		at += (size_t)snprintf(what + at, sizeof what - at, "%s%s", at ? ", " : "", canon_stream_name(st));
		if (at >= sizeof what)
			at = sizeof what - 1;
		if (st == STREAM_HYPNOGRAM) {
			double epoch = annotation_epoch(&a, codes);
			if (epoch > 0 && (src == SOURCE_LABELS || d->step == 0)) {
				d->step = epoch;
				d->step_from_labels = src == SOURCE_LABELS;
			}
		}
	}
	if (at == 0)
		note_file(d, rel, "not used: %s, %zu annotations, none a stage, event or position%s%s", format_words(format),
			  a.n, at_passed ? "; labels: " : "", passed);
	else
		note_file(d, rel, "%s %s: %s, %zu annotations%s%s", canon_source_name(src), what, format_words(format), a.n,
			  at_passed ? "; passed over: " : "", passed);
	annot_free(&a);
	free(labels);
	free(order);
	return 0;
}

/* ---- the draft ---- */

static int draft_file(struct draft *d, const char *rel, struct err *e)
{
	const char *ext = extension(rel);

	if (strcasecmp(ext, "csv") == 0 || strcasecmp(ext, "tsv") == 0 || strcasecmp(ext, "txt") == 0)
		return draft_csv(d, rel, e);
	if (strcasecmp(ext, "xml") == 0 || strcasecmp(ext, "edf") == 0) {
		enum profile_format format = annotation_format(d, rel, ext);
		if (format != FORMAT_CSV)
			return draft_annotation(d, rel, format, e);
		note_file(d, rel, "not used: not an annotation file nightfan reads (NSRR XML, Profusion XML, EDF+)");
		return 0;
	}
	note_file(d, rel, "not used: not a CSV export");
	return 0;
}

/* Clock times and date-times count from the labels hypnogram's first row (SPEC §1): a stream that
 * writes them needs a labels hypnogram that does too. */
static void check_references(struct draft *d)
{
	enum profile_time ref = d->streams[SOURCE_LABELS][STREAM_HYPNOGRAM] ? d->time[SOURCE_LABELS][STREAM_HYPNOGRAM]
									    : TIME_SECONDS;

	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++)
			if (d->streams[s][st] && d->time[s][st] != TIME_SECONDS && d->time[s][st] != ref)
				todo(d, "%s: writes %s times, but the labels hypnogram %s: clock times and date-times "
				     "count from the labels hypnogram's first row, written the same way",
				     json_string_value(json_object_get(d->streams[s][st], "file")),
				     profile_time_name(d->time[s][st]),
				     d->streams[SOURCE_LABELS][STREAM_HYPNOGRAM] ? "does not" : "is missing");
	if (!d->streams[SOURCE_LABELS][STREAM_HYPNOGRAM])
		todo(d, "no labels hypnogram found: a night needs one (sources.labels.hypnogram)");
}

static json_t *assemble(struct draft *d)
{
	json_t *root = json_object(), *sources = json_object();
	double epoch = d->step > 0 ? d->step : DEFAULT_EPOCH;

	if (json_array_size(d->todo))
		json_object_set(root, "_todo", d->todo);
	json_object_set(root, "_files", d->files);
	json_object_set_new(root, "epoch_seconds", epoch == (double)(long)epoch ? json_integer((long)epoch)
										: json_real(epoch));
	for (int s = 0; s < SOURCE_COUNT; s++) {
		json_t *src = NULL;
		for (int st = 0; st < STREAM_COUNT; st++) {
			if (!d->streams[s][st])
				continue;
			if (!src)
				src = json_object();
			json_object_set(src, canon_stream_name(st), d->streams[s][st]);
		}
		if (src)
			json_object_set_new(sources, canon_source_name(s), src);
	}
	json_object_set_new(root, "sources", sources);
	return root;
}

static int pick_night(struct draft *d, const char *root, const char *night, char **owned, struct err *e)
{
	struct strlist ids = STRLIST_INIT;
	int rc;

	if (night) {
		d->night = night;
		return nightdirs_check(root, night, e);
	}
	if ((rc = nightdirs_list(root, &ids, e)) == 0 && ids.n == 0)
		rc = ERR(e, "%s: no night folder in it", root);
	if (rc == 0 && !(*owned = strdup(ids.v[0])))
		rc = ERR(e, "out of memory");
	if (rc == 0)
		d->night = *owned;
	strlist_release(&ids);
	return rc;
}

json_t *draft_profile(const char *root, const char *night, struct err *e)
{
	struct draft d = {.root = root, .todo = json_array(), .files = json_object()};
	struct strlist f = STRLIST_INIT;
	char *owned = NULL, dir[4096];
	json_t *out = NULL;
	bool any = false;

	if (pick_night(&d, root, night, &owned, e) < 0)
		goto done;
	snprintf(dir, sizeof(dir), "%s/%s", root, d.night);
	if (walk(dir, "", 1, &f, e) < 0)
		goto done;
	strlist_sort(&f);
	for (size_t i = 0; i < f.n; i++)
		if (draft_file(&d, f.v[i], e) < 0)
			goto done;
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++)
			any |= d.streams[s][st] != NULL;
	if (!any) {
		ERR(e, "%s: no file of the night holds a stage, event or position column", d.night);
		goto done;
	}
	check_references(&d);
	out = assemble(&d);
done:
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++)
			json_decref(d.streams[s][st]);
	json_decref(d.todo);
	json_decref(d.files);
	strlist_release(&f);
	free(owned);
	return out;
}

/* ---- text ---- */

/* Objects nested deeper than a stream object (columns, values) go on one line. */
static void emit(FILE *fp, const json_t *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_object(v) && depth < 4) {
		bool first = true;
		fputs("{", fp);
		json_object_foreach((json_t *)v, key, item) {
			json_t *name = json_string(key);
			char *k = json_dumps(name, JSON_ENCODE_ANY);
			fprintf(fp, "%s\n%*s%s: ", first ? "" : ",", 2 * (depth + 1), "", k ? k : "\"\"");
			free(k);
			json_decref(name);
			emit(fp, item, depth + 1);
			first = false;
		}
		fprintf(fp, "\n%*s}", 2 * depth, "");
	} else if (json_is_array(v) && json_array_size(v)) {
		fputs("[", fp);
		json_array_foreach(v, i, item) {
			fprintf(fp, "%s\n%*s", i ? "," : "", 2 * (depth + 1), "");
			emit(fp, item, depth + 1);
		}
		fprintf(fp, "\n%*s]", 2 * depth, "");
	} else {
		char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
		bool in_string = false;
		/* jansson's compact form has no space after ':' and ','; one reads better */
		for (const char *p = text; p && *p; p++) {
			fputc(*p, fp);
			if (*p == '\\' && in_string && p[1])
				fputc(*++p, fp);
			else if (*p == '"')
				in_string = !in_string;
			else if (!in_string && (*p == ':' || *p == ','))
				fputc(' ', fp);
		}
		free(text);
	}
}

char *draft_text(const json_t *draft)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	emit(fp, draft, 0);
	fputc('\n', fp);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
