/*
 * test_plan_cache.c — pipeline/plan_cache: what changes a task's cache key and what does not, and
 * the record a finished task leaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fsutil.h"
#include "pipeline/local/plan_cache.h"

static char root[] = "/tmp/nightfan-test-cache-XXXXXX";

static void write_text(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static void key_of(const struct plan_task *t, const char *const *deps, char key[PLAN_KEY_HEX])
{
	struct err e = {0};

	if (plan_cache_key(t, deps, NULL, key, &e) < 0)
		check_fail(__FILE__, __LINE__, "plan_cache_key: %s", e.message);
}

TEST(key_follows_inputs_and_file_bytes)
{
	char night[600], *paths[2] = {night, NULL};
	struct plan_task t = {.id = "shard-N1", .cache_inputs = "{\"parameters\":{\"batch\":\"N1\"}}",
			      .input_paths = paths, .n_input_paths = 1};
	char a[PLAN_KEY_HEX], b[PLAN_KEY_HEX], c[PLAN_KEY_HEX];
	struct err e = {0};

	if (!mkdtemp(root))
		return;
	snprintf(night, sizeof night, "%s/N1", root);
	mkdir(night, 0755);
	write_text("N1/a.csv", "1,2\n");
	key_of(&t, NULL, a);
	CHECK_INT(strlen(a), 32);
	key_of(&t, NULL, b);
	CHECK_STR(b, a); /* same inputs, same key */
	write_text("N1/.a.csv.tmp.1", "staging files do not count");
	key_of(&t, NULL, b);
	CHECK_STR(b, a);
	write_text("N1/a.csv", "1,3\n");
	key_of(&t, NULL, b);
	CHECK(strcmp(b, a) != 0); /* one byte of one file */
	t.cache_inputs = "{\"parameters\":{\"batch\":\"N1\",\"on_error\":\"fail\"}}";
	key_of(&t, NULL, c);
	CHECK(strcmp(c, b) != 0); /* a parameter */
	const char *deps[] = {"0123456789abcdef0123456789abcdef"};
	t.n_deps = 1;
	key_of(&t, deps, a);
	CHECK(strcmp(a, c) != 0); /* an upstream task's key */
	t.n_deps = 0;
	/* the record */
	CHECK(!plan_cache_hit(root, c));
	CHECK_INT(plan_cache_record(root, c, &e), 0);
	CHECK(plan_cache_hit(root, c));
	CHECK(!plan_cache_hit(root, a));
	plan_cache_forget(root);
	CHECK(!plan_cache_hit(root, c));
	fs_remove_tree(root, &e);
}

TEST(missing_input_makes_the_key_unverified)
{
	char *paths[2] = {"/nonexistent/nightfan/N9", NULL};
	struct plan_task t = {.id = "shard-N9", .cache_inputs = "{}", .input_paths = paths, .n_input_paths = 1};
	char a[PLAN_KEY_HEX];
	struct err e = {0};

	CHECK_INT(plan_cache_key(&t, NULL, NULL, a, &e), 1);
	CHECK_INT(strlen(a), 32);
}
