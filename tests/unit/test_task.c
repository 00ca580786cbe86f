/*
 * test_task.c — common/task.c: the one folder copy (which files, replaced files, hard links,
 * a missing source with its message) and the parameter URI rule with its parameter-named
 * messages. task_main itself runs in the CLI tests (every --executor-input run).
 */
#include "check.h"
#include "fsutil.h"
#include "common/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[256];

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", scratch, rel);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static char *slurp(const char *rel)
{
	struct err e = {0};
	char path[512];

	snprintf(path, sizeof path, "%s/%s", scratch, rel);
	return fs_read_file(path, 1 << 20, NULL, &e);
}

static bool exists(const char *rel)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", scratch, rel);
	return access(path, F_OK) == 0;
}

static void make_scratch(void)
{
	struct err e = {0};
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch, sizeof scratch, "%s/test_task.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	CHECK(mkdtemp(scratch) != NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/from/sub", scratch);
	CHECK_INT(fs_mkdir_p(path, &e), 0);
}

TEST(copy_folder_files_only)
{
	struct err e = {0};
	char from[512], to[512], *text;
	struct stat st;

	make_scratch();
	put("from/night.json", "{\"night\": \"N0001\"}\n");
	put("from/epochs.csv", "epoch,onset\n0,0\n");
	put("from/.staged", "skip me");
	put("from/sub/inner.csv", "not copied");
	snprintf(from, sizeof from, "%s/from", scratch);
	snprintf(to, sizeof to, "%s/out/deep/N0001", scratch);
	CHECK_INT(task_copy_folder(from, to, &e), 0);
	CHECK_STR((text = slurp("out/deep/N0001/night.json")), "{\"night\": \"N0001\"}\n");
	free(text);
	CHECK_STR((text = slurp("out/deep/N0001/epochs.csv")), "epoch,onset\n0,0\n");
	free(text);
	CHECK(!exists("out/deep/N0001/.staged"));
	CHECK(!exists("out/deep/N0001/sub"));
	/* same file system: a hard link, no bytes copied */
	snprintf(to, sizeof to, "%s/out/deep/N0001/night.json", scratch);
	CHECK_INT(stat(to, &st), 0);
	CHECK_INT((int)st.st_nlink, 2);
	fs_remove_tree(scratch, &e);
}

TEST(copy_file_replaces_without_touching_the_old_file)
{
	struct err e = {0};
	char from[512], to[512], keep[512], *text;

	make_scratch();
	put("from/night.json", "new\n");
	put("old.json", "old\n");
	snprintf(keep, sizeof keep, "%s/old.json", scratch);
	snprintf(to, sizeof to, "%s/dst.json", scratch);
	CHECK_INT(link(keep, to), 0); /* dst.json is another name of old.json */
	snprintf(from, sizeof from, "%s/from/night.json", scratch);
	CHECK_INT(task_copy_file(from, to, &e), 0);
	CHECK_STR((text = slurp("dst.json")), "new\n");
	free(text);
	CHECK_STR((text = slurp("old.json")), "old\n");
	free(text);
	fs_remove_tree(scratch, &e);
}

TEST(copy_folder_missing_source)
{
	struct err e = {0};
	char from[512], to[512], want[700];

	make_scratch();
	snprintf(from, sizeof from, "%s/nowhere", scratch);
	snprintf(to, sizeof to, "%s/out", scratch);
	CHECK_INT(task_copy_folder(from, to, &e), -1);
	CHECK_STR(e.file, from);
	snprintf(want, sizeof want, "cannot list: No such file or directory");
	CHECK_STR(e.message, want);
	fs_remove_tree(scratch, &e);
}

TEST(param_paths)
{
	struct err e = {0};
	char *p;

	CHECK_STR((p = task_param_path("base_nights", "gs://b/run/nights", EXECUTOR_URI_FOLDER, &e)), "/gcs/b/run/nights");
	free(p);
	CHECK_STR((p = task_param_path("base_nights", "/data/run/nights", EXECUTOR_URI_FOLDER, &e)), "/data/run/nights");
	free(p);
	CHECK(task_param_path("base_nights", "gs://b/..", EXECUTOR_URI_FOLDER, &e) == NULL);
	CHECK_STR(e.message, "base_nights: expected a URI without \".\" or \"..\" path segments, got \"gs://b/..\" "
		  "(it would lead out of /gcs/)");
	/* a gs:// parameter maps whether mounted or not (the shard reads an unmounted one through the API) */
	CHECK_STR((p = task_param_mounted_path("input_root", "gs://no-such-bucket-here/in", EXECUTOR_URI_FOLDER, &e)),
		  "/gcs/no-such-bucket-here/in");
	free(p);
	CHECK(task_param_mounted_path("nights_manifest", "s3://no-such-bucket-here/m.json", EXECUTOR_URI_OBJECT, &e) == NULL);
	CHECK_STR(e.message, "nights_manifest: \"s3://no-such-bucket-here/m.json\": a Kubeflow Pipelines launcher fetches "
		  "input artifacts, never parameters, and no volume mounts the bucket here; pass a gs:// URI (read "
		  "through the Cloud Storage API)");
}
