/*
 * test_regress.c — every input the fuzz targets (fuzz/) ever found a fault with, replayed through
 * the same functions, with what the program must do instead. Each test names the target, the input
 * (kept byte for byte, also under fuzz/regress/<target>/ as a seed) and the fix. `make test
 * SANITIZE=1` runs them under ASan + UBSan, which is where most of these faults showed.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "profile.h"

/* ---- fuzz_csv ---------------------------------------------------------------------------- */

struct records {
	char text[1024];
	size_t len;
};

static int collect(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct records *c = ctx;

	(void)e;
	c->len += snprintf(c->text + c->len, sizeof c->text - c->len, "L%ld[", rec->line);
	for (size_t i = 0; i < rec->n_fields; i++)
		c->len += snprintf(c->text + c->len, sizeof c->text - c->len, "%s%.*s", i ? "|" : "",
				   (int)rec->fields[i].len, rec->fields[i].ptr);
	c->len += snprintf(c->text + c->len, sizeof c->text - c->len, "]");
	return 0;
}

/* Feed `input` in chunks of `chunk` bytes; the records as "L<line>[f1|f2]", or "ERR <message>". */
static const char *read_csv(const char *input, size_t len, char delim, size_t chunk)
{
	static char out[2048];
	struct records c = {.len = 0};
	struct err e = {0};
	struct csv_reader *r = csv_new("x.csv", delim, 0, collect, &c, &e);
	int rc = r ? 0 : -1;

	for (size_t off = 0; rc == 0 && off < len; off += chunk)
		rc = csv_feed(r, input + off, len - off < chunk ? len - off : chunk, &e);
	if (rc == 0)
		rc = csv_finish(r, &e);
	csv_free(r);
	if (rc < 0)
		snprintf(out, sizeof out, "ERR %s", err_format(&e, (char[ERR_MSG_MAX + 64]){0}, ERR_MSG_MAX + 64));
	else
		snprintf(out, sizeof out, "%s", c.text);
	return out;
}

/* fuzz/regress/csv/csv-null-buffer-tab (bytes 02 f6 09: delimiter tab, the file "\t"): a last
 * record made only of empty fields went through the copying path before any byte was copied, and
 * the field pointers were computed as NULL + 0 (UBSan: "applying zero offset to null pointer",
 * common/csv.c end_record). Fixed: empty fields point at "". */
TEST(regress_csv_record_of_empty_fields_without_line_end)
{
	CHECK_STR(read_csv("\t", 1, '\t', 1), "L1[|]");
	CHECK_STR(read_csv(",", 1, ',', 1), "L1[|]");
	CHECK_STR(read_csv("a,b\n,", 5, ',', 1), "L1[a|b]L2[|]");
}

/* fuzz/regress/csv/csv-null-buffer-empty-fields (delimiter ',', 8-byte chunks): the same fault,
 * reached through records of empty fields ended by bare CRs. */
TEST(regress_csv_empty_fields_ended_by_bare_cr)
{
	static const char input[] = "onset,\r,\rOAio2,\r0,OA\n";

	CHECK_STR(read_csv(input, sizeof input - 1, ',', 8), "L1[onset|]L2[|]L3[OAio2|]L4[0|OA]");
	CHECK_STR(read_csv(input, sizeof input - 1, ',', sizeof input - 1), "L1[onset|]L2[|]L3[OAio2|]L4[0|OA]");
}

/* ---- fuzz_profile ------------------------------------------------------------------------ */

/* fuzz/regress/profile/profile-stream-twice.json: a source naming the same stream twice (cJSON
 * keeps duplicate keys) loaded both, the second overwriting the first's file name and value table
 * (LeakSanitizer: leaks from load_file and table_new, common/profile.c). Fixed: refused. */
TEST(regress_profile_stream_given_twice)
{
	static const char text[] =
		"{\"epoch_seconds\": 30, \"sources\": {\"labels\": {"
		"\"hypnogram\": {\"file\": \"la.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {}},"
		"\"hypnogram\": {\"file\": \"lb.csv\", \"columns\": {\"stage\": \"S\"}, \"values\": {}}}}}";
	struct err e = {0};
	char msg[ERR_MSG_MAX + ERR_FILE_MAX];

	CHECK(profile_parse(text, sizeof text - 1, "profile.json", &e) == NULL);
	CHECK_STR(err_format(&e, msg, sizeof msg),
		  "profile.json: sources.labels.hypnogram: given twice; expected each stream once");
}
