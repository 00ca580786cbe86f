/*
 * test_log.c — common/log.c: the exact plain and JSON lines, escaping included.
 */
#include "check.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>

/* Everything written to the log stream by `emit`, as a malloc'ed string. */
static char *capture(void (*emit)(void))
{
	FILE *fp = tmpfile();
	char *text;
	long size;

	if (!fp)
		return NULL;
	log_set_stream(fp);
	emit();
	log_set_stream(NULL);
	size = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)size + 1);
	if (text && fread(text, 1, (size_t)size, fp) != (size_t)size) {
		free(text);
		text = NULL;
	}
	fclose(fp);
	return text;
}

static void plain_lines(void)
{
	log_init("nightfan-shard", false);
	log_info("N0001", "scored %d epochs", 960);
	log_info(NULL, "starting");
	log_warn("N0002", "%s", "1 unmapped value");
	log_error("N0003", "labels/hypnogram.csv:17:2: expected a number");
}

TEST(plain_text_lines)
{
	char *got = capture(plain_lines);

	CHECK_STR(got, "nightfan-shard: N0001: scored 960 epochs\n"
		       "nightfan-shard: starting\n"
		       "nightfan-shard: N0002: warning: 1 unmapped value\n"
		       "nightfan-shard: N0003: error: labels/hypnogram.csv:17:2: expected a number\n");
	free(got);
}

static void json_lines(void)
{
	log_init("nightfan-merge", true);
	log_info("N0001", "scored %d epochs", 960);
	log_warn(NULL, "no nights under %s", "/gcs/b/x");
	log_error("N0042", "quote \" backslash \\ newline \n tab \t bell \a é");
	log_init("nightfan", false);
}

TEST(json_lines_with_cloud_logging_keys)
{
	char *got = capture(json_lines);

	CHECK_STR(got, "{\"severity\":\"INFO\",\"message\":\"scored 960 epochs\",\"night\":\"N0001\"}\n"
		       "{\"severity\":\"WARNING\",\"message\":\"no nights under /gcs/b/x\"}\n"
		       "{\"severity\":\"ERROR\",\"message\":\"quote \\\" backslash \\\\ newline \\n tab \\t "
		       "bell \\u0007 é\",\"night\":\"N0042\"}\n");
	free(got);
}

/* Bytes that are not UTF-8 in a message come out as \xNN, in plain and JSON lines (issue 17, item 5). */
static void latin1_lines(void)
{
	log_init("nightfan-shard", true);
	log_error("N0001", "labels/hypnogram.csv:3:2: got \"%s\"", "\xc9veil \xc3\x89veil");
	log_init("nightfan-shard", false);
	log_warn("N0001", "got \"%s\"", "\xc9veil");
}

TEST(log_lines_stay_utf8)
{
	char *got = capture(latin1_lines);

	CHECK_STR(got, "{\"severity\":\"ERROR\",\"message\":\"labels/hypnogram.csv:3:2: got \\\"\\\\xc9veil "
		       "\xc3\x89veil\\\"\",\"night\":\"N0001\"}\n"
		       "nightfan-shard: N0001: warning: got \"\\xc9veil\"\n");
	free(got);
}
