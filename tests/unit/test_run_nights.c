/*
 * test_run_nights.c — pipeline/local/run_nights.c: the nights index's relative links, a night's
 * status, and a failed night's error as the merge reports it (bytes that are not UTF-8 as \xNN).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fsutil.h"
#include "pipeline/local/run_nights.h"

static char *tmp_root(void)
{
	char tmpl[] = "/tmp/nightfan-test-run-nights-XXXXXX";
	char *dir = mkdtemp(tmpl);

	return dir ? strdup(dir) : NULL;
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp) {
		fwrite(text, 1, n, fp);
		fclose(fp);
	}
}

/* A shard task "shard-N1" under root with nights N1 and N2 (only N1's folder made). */
struct fake_task {
	struct plan_task t;
	struct plan_output out;
	char *nights[3];
	char uri[PATH_MAX];
};

static void fake_task(struct fake_task *f, const char *root)
{
	char dir[PATH_MAX + 16];
	struct err e = {0};

	memset(f, 0, sizeof *f);
	snprintf(f->uri, sizeof f->uri, "%s/shard-N1/nights", root);
	f->out = (struct plan_output){"nights", f->uri};
	f->nights[0] = "N1";
	f->nights[1] = "N2";
	f->t = (struct plan_task){.id = "shard-N1", .outputs = &f->out, .n_outputs = 1, .nights = f->nights,
				  .n_nights = 2};
	snprintf(dir, sizeof dir, "%s/N1", f->uri);
	fs_mkdir_p(dir, &e);
}

TEST(run_nights_links_each_present_night_relative_to_the_index)
{
	char *root = tmp_root(), path[PATH_MAX + 32], target[PATH_MAX];
	struct fake_task f;
	struct err e = {0};

	fake_task(&f, root);
	CHECK_INT(run_nights_link(root, &f.t, &e), 0);
	snprintf(path, sizeof path, "%s/nights/N1", root);
	ssize_t n = readlink(path, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	CHECK_STR(target, "../shard-N1/nights/N1");
	snprintf(path, sizeof path, "%s/nights/N2", root);
	CHECK(access(path, F_OK) != 0); /* no folder, no link */
	/* the task's folder emptied: the link points nowhere and goes */
	snprintf(path, sizeof path, "%s/shard-N1", root);
	fs_remove_tree(path, &e);
	run_nights_unlink_dangling(root, &f.t);
	snprintf(path, sizeof path, "%s/nights/N1", root);
	struct stat st;
	CHECK(lstat(path, &st) != 0);
	char *dir = run_nights_dir(&f.t, "N1");
	snprintf(path, sizeof path, "%s/shard-N1/nights/N1", root);
	CHECK_STR(dir, path);
	free(dir);
	fs_remove_tree(root, &e);
	free(root);
}

TEST(run_nights_reads_a_failed_nights_error_as_the_merge_shows_it)
{
	char *root = tmp_root(), path[PATH_MAX + 32];
	struct run_night_error err;
	struct err e = {0};

	/* a raw Latin-1 byte and a cut euro sign (hand-made: the shard writes neither), a JSON escape */
	static const char night[] = "{\"schema\": \"nightfan.night/1\", \"night\": \"N1\", \"status\": \"failed\",\n"
				    " \"error\": {\"file\": \"labels/h.csv\", \"line\": 17, \"column\": 2,"
				    " \"message\": \"got \xc9veil \xe2\x82 cut \\u00e9\"}}\n";
	snprintf(path, sizeof path, "%s/night.json", root);
	write_file(path, night, sizeof night - 1);
	CHECK(run_nights_failed(root));
	CHECK_INT(run_nights_error(root, &err, &e), 0);
	CHECK_STR(err.file, "labels/h.csv");
	CHECK_INT(err.line, 17);
	CHECK_STR(err.message, "got \\xc9veil \\xe2\\x82 cut \xc3\xa9");
	run_night_error_free(&err);

	static const char no_file[] = "{\"status\": \"failed\", \"error\": {\"file\": null, \"line\": null,"
				      " \"message\": \"no recording\"}}";
	write_file(path, no_file, sizeof no_file - 1);
	CHECK_INT(run_nights_error(root, &err, &e), 0);
	CHECK(err.file == NULL);
	CHECK_INT(err.line, 0);
	CHECK_STR(err.message, "no recording");
	run_night_error_free(&err);

	static const char ok[] = "{\"schema\": \"nightfan.night/1\", \"night\": \"N1\", \"status\": \"ok\", \"error\": null}";
	write_file(path, ok, sizeof ok - 1);
	CHECK(!run_nights_failed(root));
	CHECK_INT(run_nights_error(root, &err, &e), -1);
	CHECK_STR(e.message, "a failed night needs an \"error\" object");
	run_night_error_free(&err);
	fs_remove_tree(root, &e);
	free(root);
}
