/*
 * yamlio.c — YAML <-> jansson (see yamlio.h). Parsing walks libyaml's event stream recursively;
 * emitting feeds libyaml's emitter the events PyYAML would produce for the same tree.
 */
#include "yamlio.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fsutil.h"
#include "numfmt.h"
#include "strbuf.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_FILE (256u << 20)

/* ---- scalar resolution -------------------------------------------------------------------- */

static int is_one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", "", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON",
					 "y", "Y", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off",
					  "OFF", "n", "N", NULL};
static const char *const special_real_words[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
						 "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
						 NULL};

/* [-+]?[0-9]+ — what we read as an integer. */
static int is_decimal_integer(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* strtod reads all of it and it holds a digit (so "inf", "nan", "0x1p3" are not numbers here). */
static int is_real(const char *s, double *out)
{
	char *end;
	int has_digit = 0;

	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			has_digit = 1;
		else if (!strchr("+-.eE_", *p))
			return 0;
	}
	if (!has_digit)
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && end != s;
}

/* PyYAML's YAML 1.1 int and float resolvers (yaml/resolver.py), as POSIX extended regexes. */
static const char yaml11_number_pattern[] =
	"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
	"|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
	"|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?"
	"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*)$";

static int looks_like_yaml11_number(const char *s)
{
	static regex_t re;
	static int compiled; /* 1 ok, -1 failed: the pattern is a constant, so this cannot change */

	if (!compiled)
		compiled = regcomp(&re, yaml11_number_pattern, REG_EXTENDED | REG_NOSUB) == 0 ? 1 : -1;
	if (compiled < 0)
		return 1; /* quote everything number-like rather than risk a wrong type */
	return strcmp(s, ".") != 0 && regexec(&re, s, 0, NULL, 0) == 0;
}

int yaml_plain_is_special(const char *s)
{
	double d;

	return is_one_of(s, null_words) || is_one_of(s, true_words) || is_one_of(s, false_words) ||
	       is_one_of(s, special_real_words) || is_decimal_integer(s) || is_real(s, &d) ||
	       looks_like_yaml11_number(s);
}

static json_t *resolve_plain(const char *s)
{
	double d;

	if (is_one_of(s, null_words))
		return json_null();
	if (is_one_of(s, true_words))
		return json_true();
	if (is_one_of(s, false_words))
		return json_false();
	if (is_decimal_integer(s)) {
		errno = 0;
		long long v = strtoll(s, NULL, 10);
		if (errno == 0)
			return json_integer(v);
	}
	if (is_one_of(s, special_real_words))
		return json_string(s); /* JSON has no infinities; keep the text */
	if (is_real(s, &d) && isfinite(d))
		return json_real(d);
	return json_string(s);
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct reader {
	yaml_parser_t parser;
	const char *name;
	struct err *e;
};

static int parse_error(struct reader *r)
{
	yaml_parser_t *p = &r->parser;
	const char *problem = p->problem ? p->problem : "malformed YAML";

	return ERR_AT(r->e, r->name, (long)p->problem_mark.line + 1, (long)p->problem_mark.column + 1,
		      "%s%s%s", problem, p->context ? " " : "", p->context ? p->context : "");
}

static int next_event(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev))
		return parse_error(r);
	return 0;
}

static json_t *parse_node(struct reader *r, yaml_event_t *ev, int depth);

static int event_error(struct reader *r, const yaml_event_t *ev, const char *message)
{
	return ERR_AT(r->e, r->name, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1, "%s",
		      message);
}

static json_t *parse_scalar(struct reader *r, yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	json_t *v;

	if (tag && strcmp(tag, YAML_STR_TAG) != 0 && strcmp(tag, "!") != 0) {
		event_error(r, ev, "tags are not supported in pipeline specs");
		return NULL;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag)
		v = resolve_plain(text);
	else
		v = json_stringn(text, ev->data.scalar.length);
	if (!v)
		event_error(r, ev, "expected UTF-8 text in a scalar");
	return v;
}

static json_t *parse_sequence(struct reader *r, int depth)
{
	json_t *arr = json_array();
	yaml_event_t ev;

	for (;;) {
		if (next_event(r, &ev) < 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return arr;
		}
		json_t *item = parse_node(r, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item || json_array_append_new(arr, item) < 0)
			goto fail;
	}
fail:
	json_decref(arr);
	return NULL;
}

static json_t *parse_mapping(struct reader *r, int depth)
{
	json_t *obj = json_object();
	yaml_event_t ev;

	for (;;) {
		if (next_event(r, &ev) < 0)
			goto fail;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return obj;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			event_error(r, &ev, "expected a plain text mapping key");
			yaml_event_delete(&ev);
			goto fail;
		}
		char *key = strdup((const char *)ev.data.scalar.value);
		long line = (long)ev.start_mark.line + 1, col = (long)ev.start_mark.column + 1;
		yaml_event_delete(&ev);
		if (!key) {
			ERR(r->e, "out of memory");
			goto fail;
		}
		if (json_object_get(obj, key)) {
			ERR_AT(r->e, r->name, line, col, "duplicate key \"%s\"", key);
			free(key);
			goto fail;
		}
		if (next_event(r, &ev) < 0) {
			free(key);
			goto fail;
		}
		json_t *value = parse_node(r, &ev, depth + 1);
		yaml_event_delete(&ev);
		int rc = value ? json_object_set_new(obj, key, value) : -1;
		free(key);
		if (rc < 0)
			goto fail;
	}
fail:
	json_decref(obj);
	return NULL;
}

/* The node starting with *ev (which the caller deletes). */
static json_t *parse_node(struct reader *r, yaml_event_t *ev, int depth)
{
	if (depth > YAML_MAX_DEPTH) {
		event_error(r, ev, "nesting deeper than 64 levels");
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(r, ev);
	case YAML_SEQUENCE_START_EVENT:
		return parse_sequence(r, depth);
	case YAML_MAPPING_START_EVENT:
		return parse_mapping(r, depth);
	case YAML_ALIAS_EVENT:
		event_error(r, ev, "aliases (*name) are not supported in pipeline specs");
		return NULL;
	default:
		event_error(r, ev, "expected a value");
		return NULL;
	}
}

/* Skip STREAM_START and DOCUMENT_START, parse the one document, check nothing follows. */
static json_t *parse_document(struct reader *r)
{
	yaml_event_t ev;
	json_t *root = NULL;

	for (;;) {
		if (next_event(r, &ev) < 0)
			return NULL;
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			ERR_AT(r->e, r->name, 0, 0, "expected a YAML document, the file is empty");
			return NULL;
		}
		break;
	}
	root = parse_node(r, &ev, 0);
	yaml_event_delete(&ev);
	if (!root)
		return NULL;
	if (next_event(r, &ev) < 0)
		goto fail;
	int type = ev.type;
	yaml_event_delete(&ev);
	if (type == YAML_DOCUMENT_END_EVENT) {
		if (next_event(r, &ev) < 0)
			goto fail;
		type = ev.type;
		if (type != YAML_STREAM_END_EVENT)
			event_error(r, &ev, "expected one YAML document, found another");
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			return root;
	}
fail:
	json_decref(root);
	return NULL;
}

json_t *yaml_parse(const char *text, size_t len, const char *name, struct err *e)
{
	struct reader r = {.name = name, .e = e};
	json_t *root;

	if (!yaml_parser_initialize(&r.parser)) {
		ERR(e, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
	root = parse_document(&r);
	yaml_parser_delete(&r.parser);
	return root;
}

json_t *yaml_read_file(const char *path, struct err *e)
{
	size_t len;
	char *text = fs_read_file(path, YAML_MAX_FILE, &len, e);
	json_t *root;

	if (!text)
		return NULL;
	root = yaml_parse(text, len, path, e);
	free(text);
	return root;
}

/* ---- emitting ----------------------------------------------------------------------------- */

/* The YAML text; a failed append is remembered, so that the end says "out of memory". */
struct outbuf {
	struct strbuf sb;
	int failed;
};

/* 1, or 0 (libyaml's failure) once an append failed. */
static int outbuf_append(struct outbuf *b, const void *bytes, size_t n)
{
	if (!b->failed && strbuf_add(&b->sb, bytes, n, NULL) < 0)
		b->failed = 1;
	return !b->failed;
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	return outbuf_append(data, buffer, size);
}

struct writer {
	yaml_emitter_t emitter;
	struct err *e;
};

static int emit(struct writer *w, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(&w->emitter, ev))
		return ERR(w->e, "cannot write YAML: %s",
			   w->emitter.problem ? w->emitter.problem : "emitter failure");
	return 0;
}

static int emit_scalar(struct writer *w, const char *text, int may_be_plain)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
					  may_be_plain, 1, YAML_ANY_SCALAR_STYLE))
		return ERR(w->e, "out of memory");
	return emit(w, &ev);
}

/* Python's repr of a float: shortest round trip, always with a '.' ("2.0", "1.0e-07"). */
static void format_real(double x, char *buf)
{
	char digits[NUMFMT_MAX];
	size_t n = numfmt_double(x, digits);
	char *exp = strchr(digits, 'e');

	if (n == 0) {
		strcpy(buf, ".nan");
		return;
	}
	if (strchr(digits, '.')) {
		strcpy(buf, digits);
		return;
	}
	if (exp) {
		*exp = '\0';
		sprintf(buf, "%s.0e%s", digits, exp + 1);
	} else {
		sprintf(buf, "%s.0", digits);
	}
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int emit_value(struct writer *w, const json_t *v);

static int emit_object(struct writer *w, const json_t *obj)
{
	size_t n = json_object_size(obj), i = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	const char *key;
	json_t *child;
	yaml_event_t ev;
	int rc = 0;

	if (!keys)
		return ERR(w->e, "out of memory");
	json_object_foreach((json_t *)obj, key, child)
		keys[i++] = key;
	qsort(keys, n, sizeof *keys, compare_keys);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    n ? YAML_BLOCK_MAPPING_STYLE : YAML_FLOW_MAPPING_STYLE);
	rc = emit(w, &ev);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = emit_scalar(w, keys[i], !yaml_plain_is_special(keys[i]));
		if (rc == 0)
			rc = emit_value(w, json_object_get(obj, keys[i]));
	}
	free(keys);
	if (rc == 0) {
		yaml_mapping_end_event_initialize(&ev);
		rc = emit(w, &ev);
	}
	return rc;
}

static int emit_array(struct writer *w, const json_t *arr)
{
	size_t i;
	json_t *child;
	yaml_event_t ev;
	int rc;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
					     json_array_size(arr) ? YAML_BLOCK_SEQUENCE_STYLE
								  : YAML_FLOW_SEQUENCE_STYLE);
	rc = emit(w, &ev);
	json_array_foreach(arr, i, child) {
		if (rc == 0)
			rc = emit_value(w, child);
	}
	if (rc == 0) {
		yaml_sequence_end_event_initialize(&ev);
		rc = emit(w, &ev);
	}
	return rc;
}

static int emit_value(struct writer *w, const json_t *v)
{
	char buf[64];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return emit_object(w, v);
	case JSON_ARRAY:
		return emit_array(w, v);
	case JSON_STRING: {
		const char *s = json_string_value(v);
		return emit_scalar(w, s, !yaml_plain_is_special(s));
	}
	case JSON_INTEGER:
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		return emit_scalar(w, buf, 1);
	case JSON_REAL:
		format_real(json_real_value(v), buf);
		return emit_scalar(w, buf, 1);
	case JSON_TRUE:
		return emit_scalar(w, "true", 1);
	case JSON_FALSE:
		return emit_scalar(w, "false", 1);
	case JSON_NULL:
	default:
		return emit_scalar(w, "null", 1);
	}
}

static int emit_document(struct writer *w, const json_t *value)
{
	yaml_event_t ev;

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (emit(w, &ev) < 0)
		return -1;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (emit(w, &ev) < 0 || emit_value(w, value) < 0)
		return -1;
	yaml_document_end_event_initialize(&ev, 1);
	if (emit(w, &ev) < 0)
		return -1;
	yaml_stream_end_event_initialize(&ev);
	return emit(w, &ev);
}

char *yaml_emit(const json_t *value, const char *header, size_t *len, struct err *e)
{
	struct writer w = {.e = e};
	struct outbuf out = {STRBUF_INIT, 0};
	int rc;

	if (header)
		outbuf_append(&out, header, strlen(header));
	if (!yaml_emitter_initialize(&w.emitter)) {
		ERR(e, "out of memory");
		strbuf_release(&out.sb);
		return NULL;
	}
	yaml_emitter_set_output(&w.emitter, write_handler, &out);
	yaml_emitter_set_unicode(&w.emitter, 1);
	yaml_emitter_set_width(&w.emitter, 80);
	yaml_emitter_set_indent(&w.emitter, 2);
	rc = emit_document(&w, value);
	if (rc == 0 && !yaml_emitter_flush(&w.emitter))
		rc = ERR(e, "cannot write YAML");
	yaml_emitter_delete(&w.emitter);
	if (rc == 0 && out.failed)
		rc = ERR(e, "out of memory");
	if (rc < 0) {
		strbuf_release(&out.sb);
		return NULL;
	}
	char *text = strbuf_detach(&out.sb, len);
	if (!text)
		ERR(e, "out of memory");
	return text;
}
