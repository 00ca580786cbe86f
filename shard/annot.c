/*
 * annot.c — NSRR XML, Profusion XML and EDF+ annotation files into one list (see annot.h).
 *
 * XML: libxml2's xmlTextReader walks the document node by node (never a tree of the whole file);
 * a small stack of element names says where the reader is, so only the elements of the format's
 * paths are read (PSGAnnotation/ScoredEvents/ScoredEvent/{EventConcept,Start,Duration};
 * CMPStudyConfig/{EpochLength, ScoredEvents/ScoredEvent/{Name,Start,Duration},
 * SleepStages/SleepStage}) and everything else is passed over.
 * EDF+: EDFlib opens the bytes through a memory file (memfd), so a file streamed from Cloud
 * Storage reads like a local one and what is parsed is exactly what was hashed; the data record
 * of each annotation (EDFlib does not say) comes from a walk over the annotation signal's
 * time-stamped annotation lists (TALs) in each record.
 */
#include "annot.h"

#include <edflib.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "numparse.h"
#include "xml_dl.h"

/* ---- the list ---- */

static int push_text(struct annot_list *a, const char *s, size_t len, size_t *at, struct err *e)
{
	/* 4 KiB first (most files' labels fit), then room for the label and its NUL, copied in */
	if (!a->text.buf && strbuf_grow(&a->text, 4096 - 1, e) < 0)
		return -1;
	if (len + 1 >= a->text.alloc - a->text.len && strbuf_grow(&a->text, len + 1, e) < 0)
		return -1;
	*at = a->text.len;
	memcpy(a->text.buf + *at, s, len);
	a->text.buf[*at + len] = '\0';
	strbuf_setlen(&a->text, *at + len + 1);
	return 0;
}

static int push_item(struct annot_list *a, double onset, double duration, const char *label, size_t len,
		     long where, struct err *e)
{
	struct annot_item *item;

	if (a->n == (size_t)ANNOT_MAX_ITEMS)
		return ERR_AT(e, a->file, 0, 0, "more than %ld annotations", ANNOT_MAX_ITEMS);
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct annot_item *items = realloc(a->items, cap * sizeof(*items));
		if (!items)
			return ERR(e, "out of memory");
		a->items = items;
		a->cap = cap;
	}
	item = &a->items[a->n];
	if (push_text(a, label, len, &item->label, e) < 0)
		return -1;
	item->onset = onset;
	item->duration = duration;
	item->where = where;
	a->n++;
	return 0;
}

void annot_free(struct annot_list *a)
{
	free(a->file);
	free(a->items);
	strbuf_release(&a->text);
	memset(a, 0, sizeof(*a));
}

const char *annot_where_prefix(const struct annot_list *a, long where, char *buf, size_t size)
{
	if (a->format == FORMAT_EDF_PLUS && where > 0)
		snprintf(buf, size, "data record %ld: ", where);
	else
		buf[0] = '\0';
	return buf;
}

int annot_labels(const struct annot_list *a, struct annot_label_count **out, size_t *n, struct err *e)
{
	struct annot_label_count *labels = calloc(a->n ? a->n : 1, sizeof(*labels));

	*n = 0;
	*out = NULL;
	if (!labels)
		return ERR(e, "out of memory");
	/* quadratic in the distinct labels, which are a few dozen in a real file */
	for (size_t i = 0; i < a->n; i++) {
		const char *label = annot_label(a, i);
		size_t k = 0;
		while (k < *n && strcmp(labels[k].label, label) != 0)
			k++;
		if (k == *n)
			labels[(*n)++].label = label;
		labels[k].count++;
	}
	*out = labels;
	return 0;
}

/* ---- XML ---- */

#define NAME_MAX_LEN 32
#define STAGE_TO_PLACE (-2.0) /* a Profusion SleepStage's duration until EpochLength is known */

enum xml_field { XF_NONE, XF_LABEL, XF_START, XF_DURATION, XF_STAGE, XF_EPOCH_LENGTH };

struct xml_walk {
	const struct xml_dl *x;
	xmlTextReaderPtr reader;
	struct annot_list *out;
	struct err *e;
	const char *data;           /* the document */
	size_t len;
	bool nsrr;
	char names[ANNOT_MAX_DEPTH][NAME_MAX_LEN]; /* open elements, truncated names */
	/* libxml2's first error */
	bool xml_failed;
	long xml_line;
	char xml_msg[256];
	/* the text of the field being read */
	enum xml_field field;
	int field_depth;
	long field_line;
	struct strbuf text;
	/* the ScoredEvent being read */
	bool in_event;
	long event_line;
	bool has[XF_EPOCH_LENGTH + 1];
	double start, duration;
	size_t label_at;            /* its label, kept at the end of text while the event is read */
	char *label;
	size_t label_len;
	/* Profusion */
	double epoch_length;
	long epoch_length_line;
	size_t first_stage, n_stages; /* the SleepStage items: onsets set at the end */
};

static void on_xml_error(void *arg, xmlErrorPtr error)
{
	struct xml_walk *w = arg;
	size_t len;

	if (w->xml_failed || !error || error->level < XML_ERR_ERROR)
		return;
	w->xml_failed = true;
	w->xml_line = error->line;
	snprintf(w->xml_msg, sizeof(w->xml_msg), "%s", error->message ? error->message : "unknown error");
	len = strlen(w->xml_msg);
	while (len && (w->xml_msg[len - 1] == '\n' || w->xml_msg[len - 1] == ' '))
		w->xml_msg[--len] = '\0';
}

static long node_line(struct xml_walk *w)
{
	xmlNodePtr node = w->x->reader_current_node(w->reader);
	long line = node ? w->x->get_line_no(node) : 0;

	return line > 0 ? line : 0;
}

/* The line of the document's "<!DOCTYPE" (libxml2 keeps no line for it; its parser has read on). */
static long doctype_line(const struct xml_walk *w)
{
	const char *at = memmem(w->data, w->len, "<!DOCTYPE", 9);
	long line = 1;

	if (!at)
		return 0;
	for (const char *p = w->data; p < at; p++)
		line += *p == '\n';
	return line;
}

static bool is_name(const struct xml_walk *w, int depth, const char *name)
{
	return depth >= 0 && depth < ANNOT_MAX_DEPTH && strcmp(w->names[depth], name) == 0;
}

/* Which field an element at `depth` named names[depth] is, for this format (XF_NONE: not read). */
static enum xml_field field_of(const struct xml_walk *w, int depth)
{
	if (depth == 3 && is_name(w, 2, "ScoredEvent") && is_name(w, 1, "ScoredEvents")) {
		if (is_name(w, 3, w->nsrr ? "EventConcept" : "Name"))
			return XF_LABEL;
		if (is_name(w, 3, "Start"))
			return XF_START;
		if (is_name(w, 3, "Duration"))
			return XF_DURATION;
	}
	if (!w->nsrr && depth == 2 && is_name(w, 2, "SleepStage") && is_name(w, 1, "SleepStages"))
		return XF_STAGE;
	if (!w->nsrr && depth == 1 && is_name(w, 1, "EpochLength"))
		return XF_EPOCH_LENGTH;
	return XF_NONE;
}

static const char *const field_element[] = {
	[XF_LABEL] = "", [XF_START] = "Start", [XF_DURATION] = "Duration", [XF_STAGE] = "SleepStage",
	[XF_EPOCH_LENGTH] = "EpochLength",
};

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The field's text without the white space around it (in place). */
static const char *field_text(struct xml_walk *w, size_t *len)
{
	const char *s = strbuf_str(&w->text);
	size_t n = w->text.len;

	while (n && is_xml_space(*s))
		s++, n--;
	while (n && is_xml_space(s[n - 1]))
		n--;
	*len = n;
	return s;
}

static int append_text(struct xml_walk *w, const char *s, struct err *e)
{
	return strbuf_addstr(&w->text, s, e);
}

/* A number of seconds in <element>: non-negative (positive for EpochLength). */
static int seconds_in(struct xml_walk *w, const char *element, bool positive, double *out)
{
	size_t len;
	const char *s = field_text(w, &len);
	char shown[64];

	if (numparse_double(s, len, out) == 0 && (positive ? *out > 0 : *out >= 0))
		return 0;
	snprintf(shown, sizeof(shown), "%.*s%s", len > 40 ? 40 : (int)len, s, len > 40 ? "..." : "");
	return ERR_AT(w->e, w->out->file, w->field_line, 0, "expected a %s number of seconds in <%s>, got \"%s\"",
		      positive ? "positive" : "non-negative", element, shown);
}

static int end_field(struct xml_walk *w)
{
	enum xml_field f = w->field;
	size_t len;
	const char *s;

	w->field = XF_NONE;
	switch (f) {
	case XF_LABEL:
		s = field_text(w, &len);
		free(w->label);
		if (!(w->label = strndup(s, len)))
			return ERR(w->e, "out of memory");
		w->label_len = len;
		break;
	case XF_START:
		if (seconds_in(w, "Start", false, &w->start) < 0)
			return -1;
		break;
	case XF_DURATION:
		if (seconds_in(w, "Duration", false, &w->duration) < 0)
			return -1;
		break;
	case XF_STAGE:
		s = field_text(w, &len);
		/* placed when the file is read: EpochLength may come after the stages */
		if (push_item(w->out, (double)w->n_stages, STAGE_TO_PLACE, s, len, w->field_line, w->e) < 0)
			return -1;
		if (w->n_stages++ == 0)
			w->first_stage = w->out->n - 1;
		return 0;
	case XF_EPOCH_LENGTH:
		w->epoch_length_line = w->field_line;
		return seconds_in(w, "EpochLength", true, &w->epoch_length);
	case XF_NONE:
		return 0;
	}
	w->has[f] = true;
	return 0;
}

static int end_event(struct xml_walk *w)
{
	static const enum xml_field needed[] = {XF_LABEL, XF_START, XF_DURATION};

	w->in_event = false;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!w->has[needed[i]])
			return ERR_AT(w->e, w->out->file, w->event_line, 0, "expected <%s> in <ScoredEvent>",
				      needed[i] == XF_LABEL ? (w->nsrr ? "EventConcept" : "Name") : field_element[needed[i]]);
	return push_item(w->out, w->start, w->duration, w->label, w->label_len, w->event_line, w->e);
}

static int start_element(struct xml_walk *w, int depth)
{
	const char *name = (const char *)w->x->reader_const_local_name(w->reader);
	const char *root = w->nsrr ? "PSGAnnotation" : "CMPStudyConfig";

	if (depth >= ANNOT_MAX_DEPTH)
		return ERR_AT(w->e, w->out->file, node_line(w), 0, "elements nested deeper than %d; expected an %s file",
			      ANNOT_MAX_DEPTH, w->nsrr ? "NSRR XML" : "Profusion XML");
	snprintf(w->names[depth], NAME_MAX_LEN, "%s", name ? name : "");
	if (depth == 0 && strcmp(w->names[0], root) != 0)
		return ERR_AT(w->e, w->out->file, node_line(w), 0,
			      "expected <%s> as the root element (\"format\": \"%s\"), got <%s>", root,
			      profile_format_name(w->out->format), w->names[0]);
	if (depth == 2 && is_name(w, 2, "ScoredEvent") && is_name(w, 1, "ScoredEvents")) {
		w->in_event = true;
		w->event_line = node_line(w);
		memset(w->has, 0, sizeof(w->has));
		if (w->x->reader_is_empty_element(w->reader) == 1)
			return end_event(w);
		return 0;
	}
	if ((w->field = field_of(w, depth)) != XF_NONE) {
		w->field_depth = depth;
		w->field_line = node_line(w);
		strbuf_reset(&w->text);
		if (w->x->reader_is_empty_element(w->reader) == 1)
			return end_field(w);
	}
	return 0;
}

static int xml_node(struct xml_walk *w)
{
	int type = w->x->reader_node_type(w->reader), depth = w->x->reader_depth(w->reader);
	const xmlChar *value;

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		return start_element(w, depth);
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		if (w->field == XF_NONE)
			return 0;
		value = w->x->reader_const_value(w->reader);
		return value ? append_text(w, (const char *)value, w->e) : 0;
	case XML_READER_TYPE_END_ELEMENT:
		if (w->field != XF_NONE && depth == w->field_depth)
			return end_field(w);
		if (w->in_event && depth == 2)
			return end_event(w);
		return 0;
	case XML_READER_TYPE_DOCUMENT_TYPE:
		return ERR_AT(w->e, w->out->file, doctype_line(w), 0,
			      "a document type declaration (<!DOCTYPE>) is not accepted in an annotation file");
	case XML_READER_TYPE_ENTITY_REFERENCE:
		return ERR_AT(w->e, w->out->file, node_line(w), 0, "entity references are not accepted in an annotation file");
	default:
		return 0;
	}
}

/* Profusion: SleepStage i is the annotation (i × EpochLength, EpochLength). */
static int place_stages(struct xml_walk *w)
{
	if (w->n_stages == 0)
		return 0;
	if (w->epoch_length <= 0)
		return ERR_AT(w->e, w->out->file, w->out->items[w->first_stage].where, 0,
			      "expected <EpochLength> in <CMPStudyConfig> for the <SleepStages>");
	for (size_t i = w->first_stage; i < w->out->n; i++) {
		struct annot_item *item = &w->out->items[i];
		if (item->duration != STAGE_TO_PLACE)
			continue;
		item->onset *= w->epoch_length;
		item->duration = w->epoch_length;
	}
	return 0;
}

static int parse_xml(const char *data, size_t len, struct annot_list *out, struct err *e)
{
	const struct xml_dl *x = xml_dl_get(e);
	/* no XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_DTDLOAD, no network */
	const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA;
	struct xml_walk w = {.x = x, .out = out, .e = e, .data = data, .len = len, .nsrr = out->format == FORMAT_NSRR_XML};
	int rc = 0, more;

	if (!x)
		return -1;
	/* refused before libxml2 reads a byte of it: a DTD is where entity bombs and external
	 * entities live, and neither format has one (a "<!DOCTYPE" in a comment is refused too) */
	if (doctype_line(&w) > 0)
		return ERR_AT(e, out->file, doctype_line(&w), 0,
			      "a document type declaration (<!DOCTYPE>) is not accepted in an annotation file");
	if (!(w.reader = x->reader_for_memory(data, (int)len, NULL, NULL, options))) {
		return ERR(e, "out of memory");
	}
	x->reader_set_structured_error_handler(w.reader, on_xml_error, &w);
	while (rc == 0 && (more = x->reader_read(w.reader)) == 1)
		rc = xml_node(&w);
	if (rc == 0 && (more < 0 || w.xml_failed))
		rc = ERR_AT(e, out->file, w.xml_line, 0, "not well-formed XML: %s", w.xml_failed ? w.xml_msg : "unknown error");
	if (rc == 0 && !w.names[0][0])
		rc = ERR_AT(e, out->file, 0, 0, "no root element: expected an %s file", w.nsrr ? "NSRR XML" : "Profusion XML");
	if (rc == 0)
		rc = place_stages(&w);
	x->free_reader(w.reader);
	strbuf_release(&w.text);
	free(w.label);
	return rc;
}

/* ---- EDF+ ---- */

#define EDF_HEADER 256

/* The n-byte ASCII field at s as a non-negative integer, or -1. */
static long edf_int(const char *s, size_t n)
{
	long v = 0;
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i == n)
		return -1;
	for (; i < n && s[i] != ' '; i++) {
		if (!numparse_is_digit(s[i]) || v > 100000000)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * The 1-based data record each annotation EDFlib lists comes from, into records[0..n) (n =
 * EDFlib's count): the annotation signals' bytes of every record, split into TALs
 * ("+onset[\x15duration]\x14text\x14...\x14\0"), each non-empty text one annotation (the empty
 * first text of a record's first TAL keeps time). Returns 0 when the walk found exactly n, else -1
 * (the records then stay unknown: messages name the annotation without its record).
 */
static int edf_records(const char *data, size_t len, long *records, size_t n)
{
	long ns = len >= EDF_HEADER ? edf_int(data + 252, 4) : -1, header, record_bytes = 0, n_records;
	int sample_bytes = len > 0 && (unsigned char)data[0] == 0xFF ? 3 : 2; /* BDF+ starts with 0xFF */
	size_t found = 0;

	if (ns <= 0 || ns > EDFLIB_MAXSIGNALS + 1)
		return -1;
	header = EDF_HEADER * (ns + 1);
	if ((size_t)header > len || (n_records = edf_int(data + 236, 8)) < 0)
		return -1;
	for (long i = 0; i < ns; i++) {
		long samples = edf_int(data + EDF_HEADER + 216 * ns + 8 * i, 8);
		if (samples < 0)
			return -1;
		record_bytes += samples * sample_bytes;
	}
	for (long r = 0; r < n_records; r++) {
		long offset = 0;
		for (long i = 0; i < ns; i++) {
			const char *label = data + EDF_HEADER + 16 * i;
			long bytes = edf_int(data + EDF_HEADER + 216 * ns + 8 * i, 8) * sample_bytes;
			const char *p = data + header + r * record_bytes + offset, *end = p + bytes;
			offset += bytes;
			if (strncmp(label + 1, "DF Annotations", 14) != 0 || (size_t)(end - data) > len)
				continue;
			while (p < end) { /* one TAL, or padding */
				const char *tal_end = memchr(p, '\0', (size_t)(end - p));
				const char *q = memchr(p, 0x14, (size_t)((tal_end ? tal_end : end) - p));
				if (!tal_end || !q)
					break;
				for (q++; q < tal_end;) {
					const char *text_end = memchr(q, 0x14, (size_t)(tal_end - q));
					if (!text_end)
						break;
					if (text_end > q) {
						if (found == n)
							return -1;
						records[found++] = r + 1;
					}
					q = text_end + 1;
				}
				p = tal_end + 1;
			}
		}
	}
	return found == n ? 0 : -1;
}

static const char *edflib_error(int code)
{
	switch (code) {
	case EDFLIB_MALLOC_ERROR:
		return "out of memory";
	case EDFLIB_FILE_CONTAINS_FORMAT_ERRORS:
		return "not a valid EDF+ file (EDFlib found format errors in its header or annotations)";
	case EDFLIB_FILE_READ_ERROR:
		return "not a valid EDF+ file (shorter than the header it needs, or not EDF at all)";
	case EDFLIB_FILETYPE_ERROR:
		return "not an EDF or BDF file";
	case EDFLIB_NUMBER_OF_SIGNALS_INVALID:
		return "not a valid EDF+ file (invalid number of signals)";
	case EDFLIB_FILE_IS_DISCONTINUOUS:
		return "a discontinuous EDF+D file, which EDFlib does not read; expected EDF+C";
	default:
		return "not readable by EDFlib";
	}
}

static int parse_edf(const char *data, size_t len, struct annot_list *out, struct err *e)
{
	struct edf_hdr_struct *hdr = calloc(1, sizeof(*hdr));
	struct edf_annotation_struct annot;
	long *records = NULL;
	char path[64], prefix[48];
	int fd = memfd_create("nightfan-edf", MFD_CLOEXEC), rc = 0;
	bool known;

	if (!hdr || fd < 0) {
		free(hdr);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? ERR_AT(e, out->file, 0, 0, "cannot make a memory file for EDFlib: %s", strerror(errno))
			      : ERR(e, "out of memory");
	}
	for (size_t at = 0; at < len && rc == 0;) {
		ssize_t n = write(fd, data + at, len - at);
		if (n < 0 && errno != EINTR)
			rc = ERR_AT(e, out->file, 0, 0, "cannot write the memory file for EDFlib: %s", strerror(errno));
		at += n > 0 ? (size_t)n : 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (rc == 0 && edfopen_file_readonly(path, hdr, EDFLIB_READ_ALL_ANNOTATIONS) < 0)
		rc = ERR_AT(e, out->file, 0, 0, "%s", edflib_error(hdr->filetype));
	close(fd);
	if (rc < 0) {
		free(hdr);
		return -1;
	}
	if (hdr->filetype != EDFLIB_FILETYPE_EDFPLUS && hdr->filetype != EDFLIB_FILETYPE_BDFPLUS)
		rc = ERR_AT(e, out->file, 0, 0, "a plain %s file, which has no annotations; expected EDF+ (\"EDF+C\" in the header)",
			    hdr->filetype == EDFLIB_FILETYPE_BDF ? "BDF" : "EDF");
	size_t n = rc == 0 && hdr->annotations_in_file > 0 ? (size_t)hdr->annotations_in_file : 0;
	if (n > (size_t)ANNOT_MAX_ITEMS)
		rc = ERR_AT(e, out->file, 0, 0, "more than %ld annotations", ANNOT_MAX_ITEMS);
	else if (n && !(records = calloc(n, sizeof(*records))))
		rc = ERR(e, "out of memory");
	known = rc == 0 && n && edf_records(data, len, records, n) == 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		double duration = -1;
		long where = known ? records[i] : 0;
		if (edf_get_annotation(hdr->handle, (int)i, &annot) < 0) {
			rc = ERR_AT(e, out->file, 0, 0, "%sEDFlib cannot read annotation %zu", annot_where_prefix(out, where, prefix, sizeof(prefix)), i + 1);
			break;
		}
		if (annot.duration[0] && numparse_double(annot.duration, strlen(annot.duration), &duration) < 0)
			rc = ERR_AT(e, out->file, 0, 0, "%sexpected a number of seconds as the duration of \"%s\", got \"%s\"",
				    annot_where_prefix(out, where, prefix, sizeof(prefix)), annot.annotation, annot.duration);
		if (rc == 0)
			rc = push_item(out, (double)annot.onset / EDFLIB_TIME_DIMENSION, duration, annot.annotation,
				       strlen(annot.annotation), where, e);
	}
	edfclose_file(hdr->handle);
	free(records);
	free(hdr);
	return rc;
}

/* ---- reading ---- */

int annot_parse(const char *data, size_t len, const char *file, enum profile_format format,
		struct annot_list *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->format = format;
	if (!(out->file = strdup(file)))
		return ERR(e, "out of memory");
	if (len > (size_t)ANNOT_MAX_BYTES)
		return ERR_AT(e, file, 0, 0, "larger than %ld MiB", ANNOT_MAX_BYTES >> 20);
	if (len == 0)
		return ERR_AT(e, file, 0, 0, "empty file: expected %s", format == FORMAT_EDF_PLUS ? "an EDF+ file" : "an XML document");
	switch (format) {
	case FORMAT_NSRR_XML:
	case FORMAT_PROFUSION_XML:
		return parse_xml(data, len, out, e);
	case FORMAT_EDF_PLUS:
		return parse_edf(data, len, out, e);
	default:
		return ERR_AT(e, file, 0, 0, "not an annotation format: \"%s\"", profile_format_name(format));
	}
}

struct whole_file {
	const char *file;
	struct strbuf data;
};

static int take_chunk(void *ctx, const char *buf, size_t len, struct err *e)
{
	struct whole_file *w = ctx;

	if (w->data.len + len > (size_t)ANNOT_MAX_BYTES)
		return ERR_AT(e, w->file, 0, 0, "larger than %ld MiB", ANNOT_MAX_BYTES >> 20);
	/* 64 KiB first, as annotation files are rarely smaller, then doubling */
	if (!w->data.buf && strbuf_grow(&w->data, 64 * 1024 - 1, e) < 0)
		return -1;
	return strbuf_add(&w->data, buf, len, e);
}

int annot_read(const char *root, const char *night, const char *file, enum profile_format format,
	       struct annot_list *out, struct err *e)
{
	struct whole_file w = {.file = file};
	struct input_digest digest;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = input_read(root, night, file, take_chunk, &w, &digest, e);
	if (rc == 0)
		rc = annot_parse(strbuf_str(&w.data), w.data.len, file, format, out, e);
	out->digest = digest;
	strbuf_release(&w.data);
	return rc;
}

/* ---- one night's files ---- */

const struct annot_list *annot_cache_get(struct annot_cache *c, const char *root, const char *night,
					 const char *file, enum profile_format format, struct err *e)
{
	struct annot_list *lists;

	for (size_t i = 0; i < c->n; i++)
		if (c->lists[i].format == format && strcmp(c->lists[i].file, file) == 0)
			return &c->lists[i];
	if (!(lists = realloc(c->lists, (c->n + 1) * sizeof(*lists)))) {
		ERR(e, "out of memory");
		return NULL;
	}
	c->lists = lists;
	if (annot_read(root, night, file, format, &c->lists[c->n], e) < 0) {
		annot_free(&c->lists[c->n]);
		return NULL;
	}
	return &c->lists[c->n++];
}

void annot_cache_free(struct annot_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		annot_free(&c->lists[i]);
	free(c->lists);
	memset(c, 0, sizeof(*c));
}
