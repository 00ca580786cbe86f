/*
 * test_csv.c — the CSV reader: RFC 4180 syntax, line numbers, BOM, every error message, and the
 * same records whatever the chunk size (every input is fed whole, byte by byte, and in 2, 3, 5 and
 * 7-byte chunks).
 */
#include "check.h"
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct collected {
	char text[4096];   /* "L<line>[f1|f2]" per record */
	size_t len;
	long stop_at;      /* fail the callback at this record index (0 = never) */
};

static int collect(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct collected *c = ctx;

	if (c->stop_at && rec->index == c->stop_at)
		return ERR_AT(e, "x.csv", rec->line, 2, "stopped");
	c->len += snprintf(c->text + c->len, sizeof(c->text) - c->len, "L%ld[", rec->line);
	for (size_t i = 0; i < rec->n_fields; i++)
		c->len += snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s%.*s", i ? "|" : "",
				   (int)rec->fields[i].len, rec->fields[i].ptr);
	c->len += snprintf(c->text + c->len, sizeof(c->text) - c->len, "]");
	return 0;
}

/* Feed len bytes to r in chunks of `chunk` bytes (0 = whole), then finish. 0 or -1. */
static int feed_in_chunks(struct csv_reader *r, const char *input, size_t len, size_t chunk, struct err *e)
{
	int rc = 0;

	if (!chunk)
		chunk = len ? len : 1;
	for (size_t at = 0; rc == 0 && at < len; at += chunk) {
		/* a private copy per chunk, so slices that outlive their chunk would show under ASan */
		size_t n = len - at < chunk ? len - at : chunk;
		char *piece = malloc(n);
		memcpy(piece, input + at, n);
		rc = csv_feed(r, piece, n, e);
		free(piece);
	}
	return rc == 0 ? csv_finish(r, e) : rc;
}

/* Parse `input` in chunks of `chunk` bytes (0 = whole). Returns the records, or "ERR <message>". */
static char *parse_chunked(const char *input, size_t len, size_t chunk, char delim, size_t max)
{
	static char out[4096 + ERR_MSG_MAX + 64];
	struct collected c = {.len = 0};
	struct err e;
	struct csv_reader *r = csv_new("x.csv", delim, max, collect, &c, &e);

	if (feed_in_chunks(r, input, len, chunk, &e) == 0) {
		snprintf(out, sizeof(out), "%s", c.text);
	} else {
		char msg[ERR_MSG_MAX + 64];
		snprintf(out, sizeof(out), "ERR %s", err_format(&e, msg, sizeof(msg)));
	}
	csv_free(r);
	return out;
}

/* Every chunking must give the same answer; returns it. */
static char *parse_all_ways(const char *input, char delim)
{
	static char first[4096 + ERR_MSG_MAX + 64];
	size_t len = strlen(input);
	static const size_t chunks[] = {1, 2, 3, 5, 7};

	snprintf(first, sizeof(first), "%s", parse_chunked(input, len, 0, delim, 0));
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		const char *got = parse_chunked(input, len, chunks[i], delim, 0);
		if (strcmp(got, first) != 0)
			check_fail(__FILE__, __LINE__, "chunk %zu: \"%s\" vs whole \"%s\"", chunks[i], got, first);
	}
	return first;
}

TEST(plain_records_with_lf)
{
	CHECK_STR(parse_all_ways("a,b\n1,2\n3,4\n", ','), "L1[a|b]L2[1|2]L3[3|4]");
}

TEST(crlf_and_bare_cr_end_lines)
{
	CHECK_STR(parse_all_ways("a,b\r\n1,2\r\n3,4\r\n", ','), "L1[a|b]L2[1|2]L3[3|4]");
	CHECK_STR(parse_all_ways("a,b\r1,2\r3,4", ','), "L1[a|b]L2[1|2]L3[3|4]");
	CHECK_STR(parse_all_ways("a,b\n1,2\r\n3,4\r5,6\n", ','), "L1[a|b]L2[1|2]L3[3|4]L4[5|6]");
}

TEST(last_line_without_line_end)
{
	CHECK_STR(parse_all_ways("a,b\n1,2", ','), "L1[a|b]L2[1|2]");
}

TEST(empty_fields)
{
	CHECK_STR(parse_all_ways("a,b,c\n,,\n1,,3\n", ','), "L1[a|b|c]L2[||]L3[1||3]");
	CHECK_STR(parse_all_ways("a,b\n1,", ','), "L1[a|b]L2[1|]");
}

TEST(quoted_fields)
{
	CHECK_STR(parse_all_ways("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", ','), "L1[a|b]L2[x,y|say \"hi\"]");
	CHECK_STR(parse_all_ways("a,b\n\"\",\"\"\n", ','), "L1[a|b]L2[|]");
}

TEST(quoted_line_breaks_count_physical_lines)
{
	CHECK_STR(parse_all_ways("a,b\n\"two\nlines\",1\n\"cr\r\nlf\",2\n3,4\n", ','),
		  "L1[a|b]L2[two\nlines|1]L4[cr\r\nlf|2]L6[3|4]");
}

TEST(quote_inside_unquoted_field_is_literal)
{
	CHECK_STR(parse_all_ways("a,b\n12\" screen,x\n", ','), "L1[a|b]L2[12\" screen|x]");
}

TEST(blank_lines_are_skipped_but_counted)
{
	CHECK_STR(parse_all_ways("a,b\n\n1,2\r\n\r\n3,4\n\n", ','), "L1[a|b]L3[1|2]L5[3|4]");
}

TEST(bom_is_skipped)
{
	CHECK_STR(parse_all_ways("\xEF\xBB\xBF" "a,b\n1,2\n", ','), "L1[a|b]L2[1|2]");
	CHECK_STR(parse_all_ways("\xEF\xBB" "a,b\n1,2\n", ','), "L1[\xEF\xBB" "a|b]L2[1|2]");
}

TEST(other_delimiters)
{
	CHECK_STR(parse_all_ways("a;b\n1,5;\"2;3\"\n", ';'), "L1[a|b]L2[1,5|2;3]");
	CHECK_STR(parse_all_ways("a\tb\n1\t2\n", '\t'), "L1[a|b]L2[1|2]");
}

TEST(error_empty_file)
{
	CHECK_STR(parse_all_ways("", ','), "ERR x.csv: empty file: expected a header line");
	CHECK_STR(parse_all_ways("\xEF\xBB\xBF\n\n", ','), "ERR x.csv: empty file: expected a header line");
}

TEST(header_only_is_fine)
{
	CHECK_STR(parse_all_ways("a,b\n", ','), "L1[a|b]");
}

TEST(error_unterminated_quote)
{
	CHECK_STR(parse_all_ways("a,b\n1,2\n3,\"open\n4,5\n", ','),
		  "ERR x.csv:3:2: unterminated quoted field: end of file inside quotes");
}

TEST(error_text_after_closing_quote)
{
	CHECK_STR(parse_all_ways("a,b\n\"x\"y,2\n", ','),
		  "ERR x.csv:2:1: expected a delimiter or line end after the closing quote");
}

TEST(error_wrong_field_count)
{
	CHECK_STR(parse_all_ways("a,b\n1,2\n1,2,3\n", ','), "ERR x.csv:3: expected 2 fields, got 3");
	CHECK_STR(parse_all_ways("a,b,c\n1,2\n4,5,6\n", ','), "ERR x.csv:2: expected 3 fields, got 2");
}

TEST(error_truncated_last_line)
{
	CHECK_STR(parse_all_ways("a,b,c\n1,2,3\n4,5", ','),
		  "ERR x.csv:3: truncated last line: expected 3 fields, got 2");
}

TEST(error_record_too_long)
{
	const char *input = "a,b\n1,0123456789012345678901234567890123456789\n";

	CHECK_STR(parse_chunked(input, strlen(input), 0, ',', 16), "ERR x.csv:2: record longer than 16 bytes");
	CHECK_STR(parse_chunked(input, strlen(input), 3, ',', 16), "ERR x.csv:2: record longer than 16 bytes");
}

TEST(callback_error_stops_reading)
{
	struct collected c = {.stop_at = 2};
	struct err e;
	struct csv_reader *r = csv_new("x.csv", ',', 0, collect, &c, &e);
	const char *input = "a,b\n1,2\n3,4\n5,6\n";

	CHECK_INT(csv_feed(r, input, strlen(input), &e), -1);
	CHECK_STR(e.message, "stopped");
	CHECK_INT(e.line, 3);
	CHECK_INT(csv_data_records(r), 1);
	csv_free(r);
}

TEST(counts_data_records)
{
	struct collected c = {.stop_at = 0};
	struct err e;
	struct csv_reader *r = csv_new("x.csv", ',', 0, collect, &c, &e);

	CHECK_INT(csv_feed(r, "h\n1\n2\n3", 7, &e), 0);
	CHECK_INT(csv_finish(r, &e), 0);
	CHECK_INT(csv_data_records(r), 3);
	csv_free(r);
}

TEST(refuses_quote_as_delimiter)
{
	struct err e;

	CHECK(csv_new("x.csv", '"', 0, collect, NULL, &e) == NULL);
}

TEST(many_fields_grow_the_table_once)
{
	char input[2048];
	size_t len = 0;

	for (int line = 0; line < 2; line++) {
		for (int i = 0; i < 100; i++)
			len += snprintf(input + len, sizeof(input) - len, "%s%d", i ? "," : "", i);
		input[len++] = '\n';
	}
	input[len] = '\0';
	CHECK(strncmp(parse_all_ways(input, ','), "L1[0|1|2|", 9) == 0);
}

/* Random inputs over the alphabet that matters (delimiter, quote, CR, LF, BOM bytes, text): every
 * chunking gives the same records or the same error as one whole feed. */
TEST(random_inputs_parse_the_same_in_any_chunks)
{
	static const char alphabet[] = "ab,,\"\"\r\n\n\xEF";
	char input[200];

	srand(4242);
	for (int round = 0; round < 3000; round++) {
		size_t len = (size_t)(rand() % 60);
		for (size_t i = 0; i < len; i++)
			input[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		input[len] = '\0';
		parse_all_ways(input, ',');
	}
}


/* ---- bulk reading of plain records (csv_set_bulk_fn, csv_plain_records) ---- */

#define LISTED_MAX 128

/* Records as a list: the line each came on (BULK_LINE: taken by the bulk function, which is told no
 * line) and its fields joined by '|'. */
#define BULK_LINE (-1L)
struct listed {
	struct csv_reader *reader;
	bool offer_bulk;
	size_t n, bulk_fields;
	long line[LISTED_MAX];
	char text[LISTED_MAX][64];
};

static void list_record(struct listed *l, long line, const struct csv_field *fields, size_t n_fields)
{
	size_t at = 0;

	if (l->n == LISTED_MAX)
		return;
	for (size_t i = 0; i < n_fields; i++)
		at += (size_t)snprintf(l->text[l->n] + at, sizeof(l->text[0]) - at, "%s%.*s", i ? "|" : "",
				       (int)fields[i].len, fields[i].ptr);
	l->line[l->n++] = line;
}

/* The test's bulk row: takes every plain record except those whose first field is "x". */
static bool bulk_row(void *ctx, const struct csv_field *fields)
{
	struct listed *l = ctx;

	if (fields[0].len == 1 && fields[0].ptr[0] == 'x')
		return false;
	list_record(l, BULK_LINE, fields, l->bulk_fields);
	return true;
}

static const char *bulk_take(void *ctx, const struct csv_plain_syntax *syntax, const char *p, const char *end,
			     long *records)
{
	struct listed *l = ctx;
	struct csv_field fields[16];

	l->bulk_fields = syntax->n_fields;
	*records = 0;
	if (syntax->n_fields > 16)
		return p;
	return csv_plain_records(syntax, p, end, fields, bulk_row, l, records);
}

static int list_each(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct listed *l = ctx;

	(void)e;
	list_record(l, rec->line, rec->fields, rec->n_fields);
	if (rec->index == 0 && l->offer_bulk)
		csv_set_bulk_fn(l->reader, bulk_take, l);
	return 0;
}

/* Parse input in chunks (0: whole) into *l, with or without the bulk function. The error message,
 * or "" ; *data = the data records the reader counted. */
static const char *parse_listed(const char *input, size_t chunk, bool bulk, struct listed *l, long *data)
{
	static char msg[ERR_MSG_MAX + 64];
	size_t len = strlen(input);
	struct err e;
	int rc;

	memset(l, 0, sizeof(*l));
	l->offer_bulk = bulk;
	l->reader = csv_new("x.csv", ',', 0, list_each, l, &e);
	rc = feed_in_chunks(l->reader, input, len, chunk, &e);
	msg[0] = '\0';
	if (rc != 0)
		err_format(&e, msg, sizeof(msg));
	*data = csv_data_records(l->reader);
	csv_free(l->reader);
	return msg;
}

/* With the bulk function, in any chunking: the same records in the same order, the same count and
 * the same error as record by record, and every record it did not take on the same line. Returns
 * how many records it took fed whole. */
static long check_bulk_matches(const char *input)
{
	static struct listed plain, bulk;
	static const size_t chunks[] = {0, 1, 7, 64, 100, 333};
	char plain_msg[ERR_MSG_MAX + 64];
	long plain_data, bulk_data, taken_whole = 0;

	snprintf(plain_msg, sizeof(plain_msg), "%s", parse_listed(input, 0, false, &plain, &plain_data));
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		CHECK_STR(parse_listed(input, chunks[c], true, &bulk, &bulk_data), plain_msg);
		CHECK_INT(bulk_data, plain_data);
		CHECK_INT(bulk.n, plain.n);
		for (size_t i = 0; i < bulk.n && i < plain.n; i++) {
			CHECK_STR(bulk.text[i], plain.text[i]);
			if (bulk.line[i] != BULK_LINE)
				CHECK_INT(bulk.line[i], plain.line[i]);
			else if (chunks[c] == 0)
				taken_whole++;
		}
	}
	return taken_whole;
}

/* `rows` position-like records after a header, with an odd record at some of them. */
static void position_like(char *out, size_t size, int rows, const char *(*odd)(int row))
{
	size_t at = (size_t)snprintf(out, size, "time,pos,motion\n");

	for (int i = 0; i < rows; i++) {
		const char *special = odd ? odd(i) : NULL;
		if (special)
			at += (size_t)snprintf(out + at, size - at, "%s", special);
		else
			at += (size_t)snprintf(out + at, size - at, "%d.25,supine,0.%03d\n", i, i);
	}
}

static const char *mixed_rows(int row)
{
	switch (row) {
	case 10: return "x,refused,1\n";
	case 12: return "\"12.5\",quoted,2\n";
	case 14: return "\n";                         /* blank: no record, one line */
	case 16: return "16.25,crlf,0.5\r\n";
	case 18: return "18.5,bare-cr,0.5\r";
	case 20: return "20,,\n";                      /* empty fields */
	case 22: return "\"two\nlines\",q,3\n";       /* a quoted line break */
	default: return NULL;
	}
}

TEST(bulk_takes_plain_records_and_keeps_lines)
{
	static struct listed l;
	char input[4096];
	long data;

	position_like(input, sizeof(input), 40, mixed_rows);
	CHECK(check_bulk_matches(input) >= 25);
	/* fed whole: rows 0-9 taken; the refused and the quoted one come on their lines */
	CHECK_STR(parse_listed(input, 0, true, &l, &data), "");
	CHECK_INT(data, 39);
	for (int i = 1; i <= 10; i++)
		CHECK_INT(l.line[i], BULK_LINE);
	CHECK_STR(l.text[11], "x|refused|1");
	CHECK_INT(l.line[11], 12);
	CHECK_STR(l.text[13], "12.5|quoted|2");
	CHECK_INT(l.line[13], 14);
	CHECK_STR(l.text[22], "two\nlines|q|3");
	CHECK_INT(l.line[22], 24); /* blank line 16 and the quoted line break counted */
	CHECK_INT(l.line[23], BULK_LINE);
}

static const char *too_many_fields(int row)
{
	return row == 30 ? "30,supine,1,extra\n" : NULL;
}

static const char *too_few_fields(int row)
{
	return row == 25 ? "25,supine\n" : NULL;
}

TEST(bulk_leaves_bad_records_to_the_reader)
{
	static struct listed l;
	char input[4096];
	long data;

	position_like(input, sizeof(input), 40, too_many_fields);
	check_bulk_matches(input);
	CHECK_STR(parse_listed(input, 0, true, &l, &data), "x.csv:32: expected 3 fields, got 4");
	position_like(input, sizeof(input), 40, too_few_fields);
	check_bulk_matches(input);
	CHECK_STR(parse_listed(input, 0, true, &l, &data), "x.csv:27: expected 3 fields, got 2");
	/* a last line cut short, and one without a line end */
	position_like(input, sizeof(input), 30, NULL);
	snprintf(input + strlen(input), 64, "30.25,sup");
	check_bulk_matches(input);
	CHECK_STR(parse_listed(input, 0, true, &l, &data), "x.csv:32: truncated last line: expected 3 fields, got 2");
	position_like(input, sizeof(input), 30, NULL);
	snprintf(input + strlen(input), 64, "30.25,supine,1");
	CHECK(check_bulk_matches(input) > 20);
}

/* Random position-like inputs with random odd bytes: bulk reading never changes an answer. */
TEST(bulk_random_inputs_match_record_by_record)
{
	static const char alphabet[] = "0123456789.,\"\r\n\nsx";
	char input[4096];

	srand(777);
	for (int round = 0; round < 300; round++) {
		position_like(input, sizeof(input), 30 + rand() % 30, NULL);
		size_t len = strlen(input);
		for (int k = rand() % 4; k > 0; k--)
			input[16 + (size_t)rand() % (len - 16)] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		check_bulk_matches(input);
	}
}
