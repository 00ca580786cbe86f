/*
 * annot.h — annotation files (SPEC §1, "Annotation files"): NSRR XML, Compumedics Profusion XML and
 * EDF+, each read into one list of (onset, duration, label).
 *
 * Owns the formats: XML through libxml2's streaming reader (shard/xml_dl.h: no DTD, no network, no
 * entity expansion; a document with a <!DOCTYPE> is refused outright, so neither billion laughs nor
 * external entities get anywhere), EDF+ through EDFlib. What a stream takes from the list (which
 * labels, runs of epochs, events, intervals) is shard/streams.c's business.
 *
 * Messages name the file as the profile does and, for XML, the line the offending element starts
 * on (`labels/annotations.xml:17: expected a number of seconds in <Start>, got "abc"`); for EDF+,
 * the data record (`labels/night.edf: data record 3: ...`).
 */
#ifndef NIGHTFAN_SHARD_ANNOT_H
#define NIGHTFAN_SHARD_ANNOT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "input.h"
#include "profile.h"
#include "strbuf.h"

/* Bounded memory: the file is read whole (XML into memory, EDF+ into a memory file for EDFlib). */
#define ANNOT_MAX_BYTES (256L * 1024 * 1024)
/* XML elements nested deeper than this are refused (the formats need 4). */
#define ANNOT_MAX_DEPTH 16
/* More annotations than this are refused (bounded memory). */
#define ANNOT_MAX_ITEMS (1L << 22)

struct annot_item {
	double onset;               /* seconds on the file's own clock */
	double duration;            /* seconds; < 0 when the file gives none (EDF+ may leave it out) */
	size_t label;               /* offset of the label (UTF-8, NUL-terminated) in the list's text */
	long where;                 /* XML: line of the element; EDF+: 1-based data record, 0 unknown */
};

struct annot_list {
	char *file;                 /* as the profile names it (owned) */
	enum profile_format format;
	struct annot_item *items;   /* in file order (owned) */
	size_t n, cap;
	struct strbuf text;         /* the labels, each with its NUL, one after another (owned) */
	struct input_digest digest; /* of the file as stored (annot_read only) */
};

/* Read <root>/<night>/<file> (a checked relative path) in `format` into *out (zeroed first).
 * 0, or -1 with e filled; free *out with annot_free() either way. */
int annot_read(const char *root, const char *night, const char *file, enum profile_format format,
	       struct annot_list *out, struct err *e);
/* The same from len bytes in memory; `file` names it in messages. (The fuzz targets' entry.) */
int annot_parse(const char *data, size_t len, const char *file, enum profile_format format,
		struct annot_list *out, struct err *e);
void annot_free(struct annot_list *a);

static inline const char *annot_label(const struct annot_list *a, size_t i)
{
	return a->text.buf + a->items[i].label;
}

/* "17" for a line, "data record 3" style prefixes: how messages say where item i is. Writes into
 * buf (size >= 48) "<file>:<line>" is the caller's; this gives the EDF+ prefix "data record N: " or
 * "" (XML, whose place is the error's line). */
const char *annot_where_prefix(const struct annot_list *a, long where, char *buf, size_t size);

/* A distinct label and how many annotations carry it. */
struct annot_label_count {
	const char *label;          /* points into the list's text */
	long count;
};
/* The distinct labels of a list in first-seen order into *out (allocated; free() it), their number
 * into *n. For a profile tool that lists what a file holds. 0 or -1 (out of memory). */
int annot_labels(const struct annot_list *a, struct annot_label_count **out, size_t *n, struct err *e);

/* Several streams naming the same file read it once: the lists read so far for one night. */
struct annot_cache {
	struct annot_list *lists;
	size_t n;
};
/* The list of (file, format), read on the first call. NULL with e filled on failure. */
const struct annot_list *annot_cache_get(struct annot_cache *c, const char *root, const char *night,
					 const char *file, enum profile_format format, struct err *e);
void annot_cache_free(struct annot_cache *c);

#endif
