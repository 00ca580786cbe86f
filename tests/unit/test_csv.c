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

/* Parse `input` in chunks of `chunk` bytes (0 = whole). Returns the records, or "ERR <message>". */
static char *parse_chunked(const char *input, size_t len, size_t chunk, char delim, size_t max)
{
	static char out[4096 + ERR_MSG_MAX + 64];
	struct collected c = {.len = 0};
	struct err e;
	struct csv_reader *r = csv_new("x.csv", delim, max, collect, &c, &e);
	int rc = 0;

	if (!chunk)
		chunk = len ? len : 1;
	for (size_t at = 0; rc == 0 && at < len; at += chunk) {
		/* a private copy per chunk, so slices that outlive their chunk would show under ASan */
		size_t n = len - at < chunk ? len - at : chunk;
		char *piece = malloc(n);
		memcpy(piece, input + at, n);
		rc = csv_feed(r, piece, n, &e);
		free(piece);
	}
	if (rc == 0)
		rc = csv_finish(r, &e);
	if (rc == 0) {
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
