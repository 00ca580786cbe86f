/*
 * fuzz_shard.c — libFuzzer target for the whole shard read path: fuzzed CSV files put in a night
 * folder and run through shard_run() exactly as `nightfan-shard` runs them — input.c reads and
 * hashes, csv.c splits, the profile maps, streams.c/epochs.c/score.c compute, night.json and
 * epochs.csv are written (to a scratch folder on tmpfs, removed after every input).
 *
 * Input layout: byte 0 picks the profile (bits 0-1: 0 the SPEC's example profile, 1 the same with
 * "on_unknown_value": "unscored", 2 durations mapped and ';' as delimiter), the policy (bit 2:
 * --on-error=record) and the writing (bit 3: in_place, as the KFP task writes its artifact). The
 * rest is up to five files separated by lines "#####\n", in the order of FILES below; a file that
 * is not there is absent from the night. fuzz/make-seeds.sh builds seeds in this layout from the
 * tests' own nights.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "profile.h"
#include "shard.h"

#define SEPARATOR "#####\n"

static const char *const FILES[] = {"labels/hypnogram.csv", "labels/respiratory.csv", "labels/position.csv",
				    "predictions/hypnogram.csv", "predictions/respiratory.csv"};
#define N_FILES (sizeof FILES / sizeof *FILES)

#define LABELS_RESP_POS                                                                                   \
	"\"respiratory\": {\"file\": \"labels/respiratory.csv\", \"columns\": {\"onset\": \"Start [s]\", "  \
	"\"duration\": \"Duration [s]\", \"event\": \"Event Type\"}, \"values\": {\"event\": "             \
	"{\"Obstructive Apnea\": \"OA\", \"Central Apnea\": \"CA\", \"Mixed Apnea\": \"MA\", \"Hypopnea\": " \
	"\"H\"}}},"

#define EXAMPLE_SOURCES                                                                                   \
	"\"sources\": {\"labels\": {"                                                                     \
	"\"hypnogram\": {\"file\": \"labels/hypnogram.csv\", \"columns\": {\"onset\": \"Start [s]\", "      \
	"\"stage\": \"Sleep Stage\"}, \"values\": {\"stage\": {\"Wake\": \"W\", \"REM\": \"R\", "           \
	"\"Artifact\": \"?\"}}}," LABELS_RESP_POS                                                         \
	"\"position\": {\"file\": \"labels/position.csv\", \"columns\": {\"time\": \"Time [s]\", "          \
	"\"position\": \"Body Position\", \"motion\": \"Head Motion\"}, \"values\": {\"position\": "        \
	"{\"Supine\": \"supine\", \"Left\": \"left\", \"Right\": \"right\", \"Prone\": \"prone\", "         \
	"\"Upright\": \"upright\"}}}},"                                                                   \
	"\"predictions\": {"                                                                              \
	"\"hypnogram\": {\"file\": \"predictions/hypnogram.csv\", \"columns\": {\"onset\": \"onset\", "     \
	"\"stage\": \"stage\"}, \"values\": {\"stage\": {\"0\": \"W\", \"1\": \"N1\", \"2\": \"N2\", "       \
	"\"3\": \"N3\", \"4\": \"R\"}}},"                                                                 \
	"\"respiratory\": {\"file\": \"predictions/respiratory.csv\", \"columns\": {\"onset\": \"onset\", " \
	"\"duration\": \"duration\", \"event\": \"label\"}}}}"

static const char *const PROFILES[] = {
	"{\"epoch_seconds\": 30, " EXAMPLE_SOURCES "}",
	"{\"epoch_seconds\": 30, \"on_unknown_value\": \"unscored\", " EXAMPLE_SOURCES "}",
	"{\"epoch_seconds\": 30, \"delimiter\": \";\", \"sources\": {\"labels\": {"
	"\"hypnogram\": {\"file\": \"labels/hypnogram.csv\", \"columns\": {\"onset\": \"Start [s]\", "
	"\"duration\": \"Duration [s]\", \"stage\": \"Sleep Stage\"}, \"values\": {\"stage\": "
	"{\"Wake\": \"W\", \"REM\": \"R\"}}}," LABELS_RESP_POS
	"\"position\": {\"file\": \"labels/position.csv\", \"columns\": {\"time\": \"Time [s]\", "
	"\"duration\": \"Duration [s]\", \"position\": \"Body Position\"}}},"
	"\"predictions\": {\"hypnogram\": {\"file\": \"predictions/hypnogram.csv\", \"columns\": "
	"{\"onset\": \"onset\", \"duration\": \"duration\", \"stage\": \"stage\"}}}}}",
};
#define N_PROFILES (sizeof PROFILES / sizeof *PROFILES)

static char scratch[4096], input_root[4200], out_dir[4200], night_dir[4200];
static struct profile *profiles[N_PROFILES]; /* parsed once, as the KFP task does for a batch */

static void die(const char *what, const struct err *e)
{
	char msg[2048];
	fprintf(stderr, "fuzz_shard setup: %s: %s\n", what, err_format(e, msg, sizeof msg));
	abort();
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		abort();
	}
}

static void remove_scratch(void)
{
	struct err e = {0};
	fs_remove_tree(scratch, &e);
}

/* One scratch folder per process: <tmpfs>/nightfan-fuzz-shard.<pid>/{in/F1/{labels,predictions},out};
 * the three profiles parsed. */
static void setup(void)
{
	struct err e = {0};
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ?: "/tmp");
	char path[4300];

	snprintf(scratch, sizeof scratch, "%s/nightfan-fuzz-shard.%d", base, (int)getpid());
	snprintf(input_root, sizeof input_root, "%s/in", scratch);
	snprintf(night_dir, sizeof night_dir, "%s/F1", input_root);
	snprintf(out_dir, sizeof out_dir, "%s/out", scratch);
	for (const char *sub = "labels"; sub; sub = strcmp(sub, "labels") == 0 ? "predictions" : NULL) {
		snprintf(path, sizeof path, "%s/%s", night_dir, sub);
		if (fs_mkdir_p(path, &e) < 0)
			die(path, &e);
	}
	for (size_t i = 0; i < N_PROFILES; i++)
		if (!(profiles[i] = profile_parse(PROFILES[i], strlen(PROFILES[i]), "profile.json", &e)))
			die("profile", &e);
	atexit(remove_scratch);
}

/* Split data into the night's files (a missing section: the file is absent). */
static void lay_out_night(const char *data, size_t size)
{
	const char *p = data, *end = data + size;
	char path[4300];

	for (size_t i = 0; i < N_FILES; i++) {
		snprintf(path, sizeof path, "%s/%s", night_dir, FILES[i]);
		if (!p) {
			unlink(path);
			continue;
		}
		const char *sep = memmem(p, (size_t)(end - p), SEPARATOR, strlen(SEPARATOR));
		write_file(path, p, (size_t)((sep ? sep : end) - p));
		p = sep ? sep + strlen(SEPARATOR) : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct err e = {0};
	char out_night[4300];

	if (size < 1)
		return 0;
	if (!ready) {
		setup();
		ready = 1;
	}
	lay_out_night((const char *)data + 1, size - 1);
	struct shard_options o = {
		.input = input_root,
		.night = "F1",
		.profile = profiles[(data[0] & 3) % N_PROFILES],
		.out = out_dir,
		.on_error = data[0] & 4 ? SHARD_ON_ERROR_RECORD : SHARD_ON_ERROR_FAIL,
		.in_place = data[0] & 8,
	};
	int rc = shard_run(&o, &e);
	snprintf(out_night, sizeof out_night, "%s/F1", out_dir);
	int written = access(out_night, F_OK) == 0;
	if (rc < 0 && (!e.message[0] || written))
		abort(); /* a refusal says why and leaves nothing behind */
	if (rc == 0 && !written)
		abort();
	if (fs_remove_tree(out_dir, &e) < 0)
		die(out_dir, &e);
	return 0;
}
