/*
 * sniff.c — a CSV export's dialect and column contents (see sniff.h).
 *
 * Encoding: a UTF-16 byte order mark says UTF-16; valid UTF-8 is UTF-8; anything else is taken as
 * windows-1252 when it has bytes 0x80-0x9f that windows-1252 defines (curly quotes, dashes, €),
 * else Latin-1. Delimiter: of , ; TAB | (outside quotes), the one found the same number of times
 * (at least once) on each of the first lines, the most frequent winning; a file with none is one
 * column. Decimal comma: with a delimiter other than ',', numbers written `12,5` and none `12.5`.
 */
#include "sniff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shard/dialect.h"
#include "csv.h"
#include "fsutil.h"
#include "strbuf.h"

#define SNIFF_LINES 50

/* The decoder's sink: the UTF-8 text into a struct strbuf. */
static int text_put(void *ctx, const char *buf, size_t len, struct err *e)
{
	return strbuf_add(ctx, buf, len, e);
}

static enum profile_encoding guess_encoding(const char *p, size_t len)
{
	bool c1 = false;

	if (len >= 2 && (((unsigned char)p[0] == 0xff && (unsigned char)p[1] == 0xfe)
			 || ((unsigned char)p[0] == 0xfe && (unsigned char)p[1] == 0xff)))
		return ENCODING_UTF16;
	if (dialect_utf8_invalid(p, len) < 0)
		return ENCODING_UTF8;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		/* 0x81 0x8d 0x8f 0x90 0x9d: undefined in windows-1252 */
		if (c >= 0x80 && c <= 0x9f && c != 0x81 && c != 0x8d && c != 0x8f && c != 0x90 && c != 0x9d)
			c1 = true;
	}
	return c1 ? ENCODING_WINDOWS1252 : ENCODING_LATIN1;
}

/* The text as UTF-8 into *t. */
static int decode(const char *raw, size_t len, enum profile_encoding enc, const char *name, struct strbuf *t,
		  struct err *e)
{
	struct dialect_decoder *d;
	int rc;

	if (enc == ENCODING_UTF8) {
		if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
			raw += 3;
			len -= 3;
		}
		return text_put(t, raw, len, e);
	}
	if (!(d = dialect_decoder_new(enc, name, text_put, t, e)))
		return -1;
	rc = dialect_decode(d, raw, len, e) < 0 || dialect_decode_finish(d, e) < 0 ? -1 : 0;
	dialect_decoder_free(d);
	if (rc == 0)
		rc = strbuf_grow(t, 0, e); /* "" when nothing was decoded: a string either way */
	return rc;
}

/* How often c occurs outside quotes on the line at p (up to its end); *next the next line. */
static long count_on_line(const char *p, char c, const char **next)
{
	bool quoted = false;
	long n = 0;

	for (; *p && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == c && !quoted)
			n++;
	}
	while (*p == '\r' || *p == '\n')
		p++;
	*next = p;
	return n;
}

static char guess_delimiter(const char *text)
{
	static const char candidates[] = {',', ';', '\t', '|'};
	char best = ',';
	long best_count = 0;

	for (size_t i = 0; i < sizeof candidates; i++) {
		const char *p = text, *next;
		long header = count_on_line(p, candidates[i], &next);
		bool same = header > 0;
		for (int line = 1; same && line < SNIFF_LINES && *next; line++) {
			p = next;
			same = count_on_line(p, candidates[i], &next) == header;
		}
		if (same && header > best_count) {
			best = candidates[i];
			best_count = header;
		}
	}
	return best;
}

/* ---- collecting the columns ---- */

struct collect {
	struct sniff_csv *s;
	char ***cells;   /* per column, per row: the value (NULL when empty) */
	size_t cap;
};

static char *dup_trimmed(const char *p, size_t len, bool *had_space)
{
	size_t a = 0, b = len;
	char *out;

	while (a < b && (p[a] == ' ' || p[a] == '\t'))
		a++;
	while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
		b--;
	if (a > 0 || b < len)
		*had_space = true;
	if ((out = malloc(b - a + 1))) {
		memcpy(out, p + a, b - a);
		out[b - a] = '\0';
	}
	return out;
}

static int on_record(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct collect *c = ctx;
	struct sniff_csv *s = c->s;

	if (rec->index == 0) {
		if (!(s->columns = calloc(rec->n_fields, sizeof(*s->columns)))
		    || !(c->cells = calloc(rec->n_fields, sizeof(*c->cells))))
			return ERR(e, "out of memory");
		s->n_columns = rec->n_fields;
		for (size_t i = 0; i < rec->n_fields; i++)
			if (!(s->columns[i].name = dup_trimmed(rec->fields[i].ptr, rec->fields[i].len, &s->trim)))
				return ERR(e, "out of memory");
		return 0;
	}
	if ((size_t)s->rows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		for (size_t i = 0; i < s->n_columns; i++) {
			char **p = realloc(c->cells[i], c->cap * sizeof(*p));
			if (!p)
				return ERR(e, "out of memory");
			c->cells[i] = p;
		}
	}
	for (size_t i = 0; i < s->n_columns; i++) {
		char *v = dup_trimmed(rec->fields[i].ptr, rec->fields[i].len, &s->trim);
		if (!v)
			return ERR(e, "out of memory");
		if (!*v) {
			free(v);
			v = NULL;
		}
		c->cells[i][s->rows] = v;
	}
	s->rows++;
	return 0;
}

/* ---- what a column holds ---- */

static bool is_number(const char *v, char decimal, double *x)
{
	char buf[64], *end;
	size_t len = strlen(v);

	if (len == 0 || len >= sizeof buf || strspn(v, "+-0123456789.,eE") != len)
		return false;
	memcpy(buf, v, len + 1);
	for (char *p = buf; *p; p++)
		if (*p == decimal)
			*p = '.';
		else if (*p == '.' || *p == ',')
			return false;
	*x = strtod(buf, &end);
	return *end == '\0' && isfinite(*x);
}

/* The decimal mark of the file: ',' when some value reads as a number only with a decimal comma
 * and none has a decimal point (needs a delimiter other than ','). */
static char guess_decimal(const struct collect *c)
{
	bool comma = false, point = false;

	if (c->s->delimiter == ',')
		return '.';
	for (size_t i = 0; i < c->s->n_columns; i++)
		for (long r = 0; r < c->s->rows; r++) {
			const char *v = c->cells[i][r];
			double x;
			if (!v)
				continue;
			if (strchr(v, ',') && is_number(v, ',', &x))
				comma = true;
			else if (strchr(v, '.') && is_number(v, '.', &x))
				point = true;
		}
	return comma && !point ? ',' : '.';
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The most common of the differences (rounded to ms). */
static double common_step(double *d, size_t n)
{
	double best = 0;
	size_t run = 0, best_run = 0;

	for (size_t i = 0; i < n; i++)
		d[i] = round(d[i] * 1000) / 1000;
	qsort(d, n, sizeof(*d), compare_double);
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && d[i] == d[i - 1] ? run + 1 : 1;
		if (run > best_run) {
			best_run = run;
			best = d[i];
		}
	}
	return best;
}

/* A value as a time or number in seconds; false when it is not one of `kind`. */
static bool value_seconds(const char *v, enum sniff_kind kind, char decimal, double *x)
{
	char buf[64];
	long day;

	/* "00:00:25,5": a clock time's seconds in the file's decimal mark */
	if (kind != SNIFF_NUMBER && decimal == ',' && strlen(v) < sizeof buf) {
		size_t i;
		for (i = 0; v[i]; i++)
			buf[i] = v[i] == ',' ? '.' : v[i] == '.' ? 'x' : v[i];
		buf[i] = '\0';
		v = buf;
	}
	switch (kind) {
	case SNIFF_NUMBER: return is_number(v, decimal, x);
	case SNIFF_CLOCK: return dialect_parse_clock(v, strlen(v), x) == 0;
	case SNIFF_DATETIME:
		if (dialect_parse_datetime(v, strlen(v), &day, x) < 0)
			return false;
		*x += (double)day * DIALECT_DAY_SECONDS;
		return true;
	default: return false;
	}
}

static enum sniff_kind column_kind(char **cells, long rows, char decimal)
{
	static const enum sniff_kind kinds[] = {SNIFF_NUMBER, SNIFF_CLOCK, SNIFF_DATETIME};
	bool any = false;

	for (long r = 0; r < rows; r++)
		any |= cells[r] != NULL;
	if (!any)
		return SNIFF_EMPTY;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		bool all = true;
		double x;
		for (long r = 0; all && r < rows; r++)
			all = !cells[r] || value_seconds(cells[r], kinds[k], decimal, &x);
		if (all)
			return kinds[k];
	}
	return SNIFF_TEXT;
}

static int time_profile(struct sniff_column *col, char **cells, long rows, char decimal, struct err *e)
{
	double *d = malloc(sizeof(double) * (size_t)(rows > 0 ? rows : 1)), prev = 0, wrap = 0;
	size_t n_d = 0;
	bool first = true, wrapped = false;

	if (!d)
		return ERR(e, "out of memory");
	col->increasing = true;
	col->integers = col->kind == SNIFF_NUMBER;
	for (long r = 0; r < rows; r++) {
		double x;
		if (!cells[r] || !value_seconds(cells[r], col->kind, decimal, &x))
			continue;
		if (col->kind == SNIFF_NUMBER && x != floor(x))
			col->integers = false;
		x += wrap;
		if (!first && x <= prev && col->kind == SNIFF_CLOCK && !wrapped) {
			wrap = DIALECT_DAY_SECONDS; /* past midnight, once */
			wrapped = true;
			x += wrap;
		}
		if (!first) {
			if (x <= prev)
				col->increasing = false;
			d[n_d++] = x - prev;
		}
		prev = x;
		first = false;
	}
	col->step = n_d ? common_step(d, n_d) : 0;
	free(d);
	return 0;
}

static int distinct_values(struct sniff_column *col, char **cells, long rows, struct err *e)
{
	size_t cap = 0;

	for (long r = 0; r < rows; r++) {
		size_t i;
		if (!cells[r])
			continue;
		col->n++;
		if (col->n_values > SNIFF_MAX_DISTINCT)
			continue;
		for (i = 0; i < col->n_values && strcmp(col->values[i].text, cells[r]) != 0; i++)
			;
		if (i < col->n_values) {
			col->values[i].count++;
			continue;
		}
		if (col->n_values == cap) {
			struct sniff_value *p = realloc(col->values, (cap = cap ? cap * 2 : 16) * sizeof(*p));
			if (!p)
				return ERR(e, "out of memory");
			col->values = p;
		}
		if (!(col->values[col->n_values].text = strdup(cells[r])))
			return ERR(e, "out of memory");
		col->values[col->n_values++].count = 1;
	}
	if (col->n_values > SNIFF_MAX_DISTINCT) {
		for (size_t i = 0; i < col->n_values; i++)
			free(col->values[i].text);
		free(col->values);
		col->values = NULL;
		col->n_values = 0;
	}
	return 0;
}

static int analyse(struct collect *c, struct err *e)
{
	struct sniff_csv *s = c->s;

	s->decimal = guess_decimal(c);
	for (size_t i = 0; i < s->n_columns; i++) {
		struct sniff_column *col = &s->columns[i];
		col->kind = column_kind(c->cells[i], s->rows, s->decimal);
		if (col->kind != SNIFF_TEXT && col->kind != SNIFF_EMPTY
		    && time_profile(col, c->cells[i], s->rows, s->decimal, e) < 0)
			return -1;
		if (distinct_values(col, c->cells[i], s->rows, e) < 0)
			return -1;
	}
	return 0;
}

static void collect_free(struct collect *c)
{
	for (size_t i = 0; c->cells && i < c->s->n_columns; i++) {
		for (long r = 0; c->cells[i] && r < c->s->rows; r++)
			free(c->cells[i][r]);
		free(c->cells[i]);
	}
	free(c->cells);
}

int sniff_csv(const char *path, const char *name, struct sniff_csv *out, struct err *e)
{
	struct strbuf t = STRBUF_INIT;
	struct collect c = {.s = out};
	struct csv_reader *r = NULL;
	size_t len = 0;
	char *raw;
	int rc = -1;

	*out = (struct sniff_csv){.delimiter = ',', .decimal = '.'};
	if (!(raw = fs_read_file(path, SNIFF_MAX_BYTES, &len, e))) {
		snprintf(e->file, sizeof(e->file), "%s", name);
		return -1;
	}
	out->encoding = guess_encoding(raw, len);
	if (decode(raw, len, out->encoding, name, &t, e) < 0)
		goto done;
	out->delimiter = guess_delimiter(t.buf);
	if (!(r = csv_new(name, out->delimiter, 0, on_record, &c, e)))
		goto done;
	if (csv_feed(r, t.buf, t.len, e) < 0 || csv_finish(r, e) < 0)
		goto done;
	rc = analyse(&c, e);
done:
	csv_free(r);
	collect_free(&c);
	strbuf_release(&t);
	free(raw);
	return rc;
}

void sniff_free(struct sniff_csv *s)
{
	for (size_t i = 0; i < s->n_columns; i++) {
		free(s->columns[i].name);
		for (size_t k = 0; k < s->columns[i].n_values; k++)
			free(s->columns[i].values[k].text);
		free(s->columns[i].values);
	}
	free(s->columns);
	*s = (struct sniff_csv){0};
}
