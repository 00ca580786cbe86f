/*
 * test_common.c — the foundation modules: err, nightid, numfmt, canon, scorekeys, fsutil.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "check.h"
#include "err.h"
#include "fsutil.h"
#include "nightid.h"
#include "numfmt.h"
#include "scorekeys.h"

/* ---- err ---- */

TEST(err_format_with_file_line_and_column)
{
	struct err e;
	char buf[256];

	CHECK_INT(ERR_AT(&e, "labels/hypnogram.csv", 17, 2, "expected a number, got \"%s\"", "abc"), -1);
	CHECK_STR(err_format(&e, buf, sizeof buf), "labels/hypnogram.csv:17:2: expected a number, got \"abc\"");
	CHECK(e.src_file != NULL && e.src_line > 0);
}

TEST(err_format_leaves_out_unknown_parts)
{
	struct err e;
	char buf[256];

	ERR_AT(&e, "profile.json", 0, 0, "not valid JSON");
	CHECK_STR(err_format(&e, buf, sizeof buf), "profile.json: not valid JSON");
	ERR_AT(&e, "labels/position.csv", 3, 0, "truncated");
	CHECK_STR(err_format(&e, buf, sizeof buf), "labels/position.csv:3: truncated");
	ERR(&e, "out of memory");
	CHECK_STR(err_format(&e, buf, sizeof buf), "out of memory");
}

TEST(err_format_truncates_to_buffer)
{
	struct err e;
	char buf[8];

	ERR_AT(&e, "abcdefghij", 1, 1, "message");
	CHECK_STR(err_format(&e, buf, sizeof buf), "abcdefg");
}

TEST(err_prefix_adds_context)
{
	struct err e;
	char buf[256];

	ERR(&e, "no such file");
	CHECK_INT(err_prefix(&e, "night %s", "N0001"), -1);
	CHECK_STR(err_format(&e, buf, sizeof buf), "night N0001: no such file");
}

TEST(err_sys_appends_strerror)
{
	struct err e;
	char buf[256];

	CHECK(fopen("/nonexistent/x", "r") == NULL);
	ERR_SYS(&e, "/nonexistent/x", "cannot read");
	CHECK_STR(err_format(&e, buf, sizeof buf), "/nonexistent/x: cannot read: No such file or directory");
}

/* ---- nightid ---- */

TEST(nightid_accepts_the_spec_pattern)
{
	char longest[129];

	CHECK(nightid_valid("N0001"));
	CHECK(nightid_valid("a"));
	CHECK(nightid_valid("0.night_2-b"));
	memset(longest, 'x', 128);
	longest[128] = '\0';
	CHECK(nightid_valid(longest));
}

TEST(nightid_refuses_everything_else)
{
	char too_long[130];
	const char *bad[] = {"", ".", "..", "../x", "a/b", "-x", "_x", ".hidden", "a b", "a\"b",
			     "$(rm -rf /)", "a\nb", "a;b", "n\xc3\xa9", "a\\b", "a*"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!nightid_valid(bad[i]));
	CHECK(!nightid_valid(NULL));
	memset(too_long, 'x', 129);
	too_long[129] = '\0';
	CHECK(!nightid_valid(too_long));
}

TEST(nightid_check_message_escapes_the_id)
{
	struct err e;
	char buf[512];

	CHECK_INT(nightid_check("N1", &e), 0);
	CHECK_INT(nightid_check("a\nb", &e), -1);
	CHECK_STR(err_format(&e, buf, sizeof buf),
		  "invalid night id \"a\\x0ab\": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, "
		  "starting with a letter or digit");
}

/* ---- numfmt ---- */

static const char *fmt(double x)
{
	static char buf[NUMFMT_MAX];
	numfmt_double(x, buf);
	return buf;
}

TEST(numfmt_shortest_round_trip)
{
	CHECK_STR(fmt(960), "960");
	CHECK_STR(fmt(0.1), "0.1");
	CHECK_STR(fmt(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(fmt(-2.5), "-2.5");
	CHECK_STR(fmt(1e-7), "1e-07");
	CHECK_STR(fmt(-0.0), "0");
	CHECK_STR(fmt(1.0 / 3.0), "0.3333333333333333");
	CHECK_STR(fmt(0.0 / 0.0), "");
}

TEST(numfmt_round_trips_random_values)
{
	char buf[NUMFMT_MAX];
	unsigned long long state = 42;

	for (int i = 0; i < 10000; i++) {
		double x;
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		memcpy(&x, &state, sizeof x);
		if (x != x || x - x != 0) /* NaN or infinity */
			continue;
		numfmt_double(x, buf);
		CHECK(strtod(buf, NULL) == x);
	}
}

/* The definition numfmt_double must match: the first of %.15g, %.16g, %.17g that reads back. */
static void reference_fmt(double x, char *buf)
{
	if (x == 0)
		x = 0;
	for (int precision = 15; precision <= 17; precision++) {
		snprintf(buf, NUMFMT_MAX, "%.*g", precision, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

static unsigned long long next_random(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 11;
}

/* Compare with the definition; count mismatches (CHECK_STR on the first only, to keep output short). */
static int agree(double x)
{
	char got[NUMFMT_MAX], want[NUMFMT_MAX];
	size_t n = numfmt_double(x, got);
	reference_fmt(x, want);
	if (strcmp(got, want) != 0 || n != strlen(want)) {
		fprintf(stderr, "numfmt_double(%a): got \"%s\", want \"%s\"\n", x, got, want);
		return 1;
	}
	return 0;
}

TEST(numfmt_matches_the_printf_definition_exactly)
{
	/* ties at 15 digits go to even like printf; 2^k boundaries; carries 9.99.. -> 10; styles */
	CHECK_STR(fmt(123456789012345.5), "123456789012345.5"); /* %.15g ties (to even) fail, 16 digits */
	CHECK_STR(fmt(12345678901234.25), "12345678901234.25");
	CHECK_STR(fmt(0.125), "0.125");
	CHECK_STR(fmt(1e15), "1e+15");
	CHECK_STR(fmt(123456789012345.6), "123456789012345.6");
	CHECK_STR(fmt(9.9999999999999982), "9.999999999999998"); /* the double below 10 */
	CHECK_STR(fmt(0.99999999999999994), "0.9999999999999999");
	CHECK_STR(fmt(999999999999999.875), "999999999999999.9");
	CHECK_STR(fmt(0.1 + 0.7), "0.7999999999999999");
	CHECK_STR(fmt(0.0001), "0.0001");
	CHECK_STR(fmt(0.00001234), "1.234e-05");
	CHECK_STR(fmt(1e-300), "1e-300"); /* the libc path */
	CHECK_STR(fmt(1.0000000000000002e300), "1.0000000000000002e+300");
	CHECK_STR(fmt(4.9406564584124654e-324), "4.94065645841247e-324"); /* subnormal */
	CHECK_STR(fmt(-123.456), "-123.456");
	CHECK_STR(fmt(0.12883333333333336), "0.12883333333333336");
	CHECK_STR(fmt(1152921504606846976.0), "1.152921504606847e+18");

	int mismatches = 0;
	unsigned long long state = 7;
	for (int i = 0; i < 60000; i++) {
		unsigned long long r = next_random(&state);
		double unit = (double)r / 9007199254740992.0; /* [0, 1) */
		double bits;
		unsigned long long raw = r << 11 | next_random(&state) >> 42;
		memcpy(&bits, &raw, sizeof bits);
		if (bits == bits && bits - bits == 0)
			mismatches += agree(bits);
		mismatches += agree(unit);
		mismatches += agree(unit * 30000);
		mismatches += agree(ldexp(1.0, (int)(r % 200) - 100)); /* powers of two */
		mismatches += agree((double)(r % 100000) / 12.0);      /* means of short decimals */
		mismatches += agree((double)(r % 1000000000000000ULL) + 0.5); /* exact 15-digit ties */
		char text[40];
		snprintf(text, sizeof text, "%.*e", (int)(r % 17), unit * pow(10, (int)(r % 40) - 20));
		mismatches += agree(strtod(text, NULL)); /* short decimals: shortest form is short */
		mismatches += agree(nextafter(strtod(text, NULL), 1e300));
	}
	for (double x = 1e-9; x < 1e17; x *= 10) { /* around every power of ten */
		mismatches += agree(x) + agree(nextafter(x, 0)) + agree(nextafter(x, 1e300));
		mismatches += agree(-x) + agree(x * 9.999999999999999) + agree(x * 0.9999999999999999);
	}
	CHECK_INT(mismatches, 0);
}

/* ---- canon and scorekeys ---- */

TEST(canon_names_and_lookup_agree)
{
	CHECK_STR(canon_stage_name(STAGE_UNSCORED), "?");
	CHECK_INT(canon_stage_find("N3", 2), STAGE_N3);
	CHECK_INT(canon_stage_find("N3x", 2), STAGE_N3); /* only len bytes count */
	CHECK_INT(canon_stage_find("REM", 3), -1);
	CHECK_INT(canon_position_find("unknown", 7), POS_UNKNOWN);
	CHECK_INT(canon_event_find("RERA", 4), EVENT_RERA);
	CHECK_INT(canon_stream_find("position", 8), STREAM_POSITION);
	CHECK_INT(canon_source_find("predictions", 11), SOURCE_PREDICTIONS);
	CHECK(canon_is_sleep(STAGE_R) && !canon_is_sleep(STAGE_W) && !canon_is_sleep(STAGE_UNSCORED));
}

TEST(scorekeys_follow_spec_order)
{
	CHECK_INT(SCORE_KEY_COUNT, 38);
	CHECK_STR(scorekey_name(SK_TIB), "TIB");
	CHECK_STR(scorekey_name(SK_SOL_5MIN), "SOL_5min");
	CHECK_STR(scorekey_name(SK_SME), "SME");
	CHECK_STR(scorekey_name(SK_OA), "OA");
	CHECK_STR(scorekey_name(SK_SEVERITY), "severity");
	CHECK_STR(scorekey_name(SK_POSITIONAL), "positional");
	CHECK_INT(scorekey_find("AHI_nonsupine"), SK_AHI_NONSUPINE);
	CHECK_INT(scorekey_find("ahi"), -1);
	CHECK_INT(scorekey_kind(SK_SEVERITY), SCORE_STRING);
	CHECK_INT(scorekey_kind(SK_POSITIONAL), SCORE_BOOL);
	CHECK_INT(scorekey_kind(SK_AHI), SCORE_NUMBER);
}

/* ---- fsutil ---- */

static char *scratch(void)
{
	char *dir = strdup("/tmp/nightfan-unit.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	return dir;
}

static char *slurp(const char *path)
{
	struct err e;
	return fs_read_file(path, 1 << 20, NULL, &e);
}

TEST(fs_atomic_file_appears_only_on_commit)
{
	char *dir = scratch(), path[256];
	struct fs_atomic a;
	struct err e;

	snprintf(path, sizeof path, "%s/sub/out.txt", dir);
	CHECK_INT(fs_atomic_open(&a, path, &e), -1); /* no parent folder: nothing made */
	snprintf(path, sizeof path, "%s/out.txt", dir);
	CHECK_INT(fs_atomic_open(&a, path, &e), 0);
	fputs("hello", a.fp);
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(fs_atomic_commit(&a, &e), 0);
	char *got = slurp(path);
	CHECK_STR(got, "hello");
	free(got);

	CHECK_INT(fs_atomic_open(&a, path, &e), 0);
	fputs("half", a.fp);
	fs_atomic_abort(&a);
	got = slurp(path);
	CHECK_STR(got, "hello"); /* the old file is untouched */
	free(got);
	CHECK_INT(fs_remove_tree(dir, &e), 0);
	free(dir);
}

TEST(fs_publish_dir_replaces_whole_folder)
{
	char *dir = scratch(), final[256], file[300];
	char *staged;
	struct err e;
	FILE *fp;

	snprintf(final, sizeof final, "%s/out/N1", dir);
	for (int round = 0; round < 2; round++) {
		CHECK_INT(fs_stage_dir(dir, "N1", &staged, &e), 0);
		snprintf(file, sizeof file, "%s/night.json", staged);
		fp = fopen(file, "w");
		CHECK(fp != NULL);
		fprintf(fp, "round %d", round);
		fclose(fp);
		if (round == 0)
			CHECK_INT(fs_mkdir_p(final, &e), 0); /* an empty folder is already there */
		CHECK_INT(fs_publish_dir(staged, final, &e), 0);
		CHECK(access(staged, F_OK) != 0);
		free(staged);
		snprintf(file, sizeof file, "%s/night.json", final);
		char *got = slurp(file);
		CHECK_STR(got, round == 0 ? "round 0" : "round 1");
		free(got);
	}
	CHECK_INT(fs_remove_tree(dir, &e), 0);
	CHECK(access(dir, F_OK) != 0);
	free(dir);
}

TEST(fs_read_file_limits_size)
{
	char *dir = scratch(), path[256], buf[256];
	struct err e;
	size_t len = 0;
	FILE *fp;

	snprintf(path, sizeof path, "%s/f", dir);
	fp = fopen(path, "w");
	fputs("0123456789", fp);
	fclose(fp);
	char *got = fs_read_file(path, 10, &len, &e);
	CHECK_STR(got, "0123456789");
	CHECK_INT(len, 10);
	free(got);
	CHECK(fs_read_file(path, 9, &len, &e) == NULL);
	err_format(&e, buf, sizeof buf);
	CHECK(strstr(buf, "file is larger than 9 bytes") != NULL);
	fs_remove_tree(dir, &e);
	free(dir);
}

TEST(fs_mkdir_p_refuses_a_file_in_the_way)
{
	char *dir = scratch(), path[256], buf[512];
	struct err e;
	FILE *fp;

	snprintf(path, sizeof path, "%s/a", dir);
	fp = fopen(path, "w");
	fclose(fp);
	snprintf(path, sizeof path, "%s/a/b/c", dir);
	CHECK_INT(fs_mkdir_p(path, &e), -1);
	err_format(&e, buf, sizeof buf);
	CHECK(strstr(buf, "cannot create folder: Not a directory") != NULL);
	fs_remove_tree(dir, &e);
	free(dir);
}

TEST(fs_join_puts_one_slash_between)
{
	struct err e;
	char *got = fs_join("out/nights", "N0001", &e);

	CHECK_STR(got, "out/nights/N0001");
	free(got);
	got = fs_join("/", "gcs", &e); /* as given: no slash is folded */
	CHECK_STR(got, "//gcs");
	free(got);
}

/* fs_resolve(path) compared with want, a path under the (real) scratch folder `real`. */
static void check_resolves(const char *real, const char *path, const char *want_under)
{
	struct err e;
	char want[512];
	char *got = fs_resolve(path, &e);

	snprintf(want, sizeof want, "%s%s", real, want_under);
	CHECK_STR(got, want);
	free(got);
}

TEST(fs_resolve_names_what_a_path_is_or_will_be)
{
	char *dir = scratch(), *real = realpath(dir, NULL), path[512], cwd[4096];
	struct err e;

	snprintf(path, sizeof path, "%s/same", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/link", dir);
	CHECK_INT(symlink("same", path), 0);
	snprintf(path, sizeof path, "%s/same/.", dir);
	check_resolves(real, path, "/same");
	snprintf(path, sizeof path, "%s/same///", dir);
	check_resolves(real, path, "/same");
	snprintf(path, sizeof path, "%s/link/", dir);
	check_resolves(real, path, "/same");
	snprintf(path, sizeof path, "%s/link/new/deeper", dir); /* not there yet: resolved as created */
	check_resolves(real, path, "/same/new/deeper");
	snprintf(path, sizeof path, "%s/missing/../link/./N1/", dir);
	check_resolves(real, path, "/same/N1");
	snprintf(path, sizeof path, "%s/missing/../../", dir);
	char *parent = strdup(real);
	*strrchr(parent, '/') = '\0';
	char *got = fs_resolve(path, &e);
	CHECK_STR(got, parent[0] ? parent : "/");
	free(got);
	free(parent);
	/* relative paths start at the working folder */
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	CHECK_INT(chdir(dir), 0);
	check_resolves(real, "", "");
	check_resolves(real, "link/x/..", "/same");
	check_resolves(real, "nothing/here", "/nothing/here");
	CHECK_INT(chdir(cwd), 0);
	got = fs_resolve("/", &e);
	CHECK_STR(got, "/");
	free(got);
	got = fs_resolve("/../..", &e);
	CHECK_STR(got, "/");
	free(got);
	fs_remove_tree(dir, &e);
	free(real);
	free(dir);
}

TEST(fs_relate_compares_real_locations)
{
	char *dir = scratch(), a[512], b[512];
	struct err e;
	enum fs_relation rel;

	snprintf(a, sizeof a, "%s/same/N1", dir);
	CHECK_INT(fs_mkdir_p(a, &e), 0);
	snprintf(a, sizeof a, "%s/link", dir);
	CHECK_INT(symlink("same", a), 0);
	static const struct {
		const char *a, *b;
		enum fs_relation rel;
	} cases[] = {
		{"same/N1", "same/N1", FS_SAME},
		{"same/./N1/", "same/N1", FS_SAME},
		{"link/N1", "same/N1", FS_SAME},
		{"link/N1/out/N1", "same/N1", FS_INSIDE},      /* out not there yet */
		{"same", "link/N1", FS_CONTAINS},
		{"same/N10", "same/N1", FS_APART},            /* a common prefix is not a folder */
		{"same/N1", "same/N10", FS_APART},
		{"other/N1", "same/N1", FS_APART},
		{"/", "same", FS_CONTAINS},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(a, sizeof a, "%s%s%s", cases[i].a[0] == '/' ? "" : dir, cases[i].a[0] == '/' ? "" : "/",
			 cases[i].a);
		snprintf(b, sizeof b, "%s/%s", dir, cases[i].b);
		rel = (enum fs_relation)-1;
		CHECK_INT(fs_relate(a, b, &rel, &e), 0);
		if (rel != cases[i].rel)
			check_fail(__FILE__, __LINE__, "%s vs %s: got %s, want %s", cases[i].a, cases[i].b,
				   fs_relation_words(rel), fs_relation_words(cases[i].rel));
	}
	CHECK_STR(fs_relation_words(FS_SAME), "is");
	CHECK_STR(fs_relation_words(FS_INSIDE), "lies inside");
	CHECK_STR(fs_relation_words(FS_CONTAINS), "contains");
	fs_remove_tree(dir, &e);
	free(dir);
}
