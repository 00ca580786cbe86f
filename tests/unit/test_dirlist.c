/*
 * test_dirlist.c — common/dirlist.c: a folder's names without dot names, sorted; folders only
 * (a link to a folder counts, a dangling one does not); the exact error for a missing folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "dirlist.h"
#include "fsutil.h"

static char root[64];

/* A folder holding N0002/ N0001/ .N0003.tmp.1/ .hidden notes.txt zz-link -> N0001 dead -> nowhere */
static void make_tree(void)
{
	char path[256];
	FILE *fp;

	strcpy(root, "/tmp/nightfan-dirlist.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	const char *dirs[] = {"N0002", "N0001", ".N0003.tmp.1"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
		CHECK_INT(mkdir(path, 0755), 0);
	}
	const char *files[] = {".hidden", "notes.txt"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", root, files[i]);
		CHECK((fp = fopen(path, "w")) != NULL);
		if (fp)
			fclose(fp);
	}
	snprintf(path, sizeof path, "%s/zz-link", root);
	CHECK_INT(symlink("N0001", path), 0);
	snprintf(path, sizeof path, "%s/dead", root);
	CHECK_INT(symlink("nowhere", path), 0);
}

static void remove_tree(void)
{
	struct err e;
	CHECK_INT(fs_remove_tree(root, &e), 0);
}

TEST(dirlist_every_entry_but_dot_names_sorted)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};

	make_tree();
	CHECK_INT(dirlist_read(root, 0, NULL, &l, &e), 0);
	CHECK_INT(l.n, 5);
	if (l.n == 5) {
		CHECK_STR(l.v[0], "N0001");
		CHECK_STR(l.v[1], "N0002");
		CHECK_STR(l.v[2], "dead");
		CHECK_STR(l.v[3], "notes.txt");
		CHECK_STR(l.v[4], "zz-link");
	}
	CHECK(l.v && l.v[l.n] == NULL);
	strlist_release(&l);
	remove_tree();
}

TEST(dirlist_folders_only_follows_links)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};

	make_tree();
	CHECK_INT(dirlist_read(root, DIRLIST_DIRS, "cannot list the input root", &l, &e), 0);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_STR(l.v[0], "N0001");
		CHECK_STR(l.v[1], "N0002");
		CHECK_STR(l.v[2], "zz-link");
	}
	strlist_release(&l);
	remove_tree();
}

TEST(dirlist_empty_folder_is_an_empty_list)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};
	char dir[] = "/tmp/nightfan-dirlist.XXXXXX";

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(dirlist_read(dir, 0, NULL, &l, &e), 0);
	CHECK_INT(l.n, 0);
	CHECK(l.v == NULL);
	strlist_release(&l);
	CHECK_INT(rmdir(dir), 0);
}

TEST(dirlist_missing_folder_names_it)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};
	char text[256];

	CHECK_INT(dirlist_read("/nonexistent/nightfan-roots", 0, NULL, &l, &e), -1);
	CHECK_STR(err_format(&e, text, sizeof text), "/nonexistent/nightfan-roots: cannot list: No such file or directory");
	CHECK(l.v == NULL);
	CHECK_INT(l.n, 0);
	CHECK_INT(dirlist_read("/nonexistent/r", DIRLIST_DIRS, "cannot open the folder of nights", &l, &e), -1);
	CHECK_STR(e.file, "/nonexistent/r");
	CHECK_STR(e.message, "cannot open the folder of nights: No such file or directory");
	CHECK_INT(e.line, 0);
	strlist_release(&l);
}

TEST(dirlist_a_file_is_not_a_folder)
{
	struct strlist l = STRLIST_INIT;
	struct err e = {0};
	char path[256];

	make_tree();
	snprintf(path, sizeof path, "%s/notes.txt", root);
	CHECK_INT(dirlist_read(path, 0, NULL, &l, &e), -1);
	CHECK_STR(e.message, "cannot list: Not a directory");
	CHECK_STR(e.file, path);
	strlist_release(&l);
	remove_tree();
}
