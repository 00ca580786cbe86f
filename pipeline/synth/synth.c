/*
 * synth.c — writing sample nights and their profile (see synth.h).
 *
 * One night at a time: generate it (synth_night.c), render each file into a reusable buffer
 * (synth_write.c), write the files into `.N0001.tmp.<pid>` beside the final folder and publish it
 * with a rename (fsutil.h). The files are not fsync'ed: this is sample data, and syncing 1,000
 * files would cost more than generating them; a crash leaves only a dot-named staging folder,
 * which every reader ignores.
 */
#include "synth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "synth_night.h"

/* The SPEC's example profile, plus "Apnea": "A" (the vendor's unclassified apnea). */
#define PROFILE_SOURCES \
	"  \"sources\": {\n" \
	"    \"labels\": {\n" \
	"      \"hypnogram\": {\"file\": \"labels/hypnogram.csv\",\n" \
	"                    \"columns\": {\"onset\": \"Start [s]\", \"stage\": \"Sleep Stage\"},\n" \
	"                    \"values\": {\"stage\": {\"Wake\": \"W\", \"REM\": \"R\", \"Artifact\": \"?\"}}},\n" \
	"      \"respiratory\": {\"file\": \"labels/respiratory.csv\",\n" \
	"                      \"columns\": {\"onset\": \"Start [s]\", \"duration\": \"Duration [s]\", \"event\": \"Event Type\"},\n" \
	"                      \"values\": {\"event\": {\"Obstructive Apnea\": \"OA\", \"Central Apnea\": \"CA\",\n" \
	"                                           \"Mixed Apnea\": \"MA\", \"Hypopnea\": \"H\", \"Apnea\": \"A\"}}},\n" \
	"      \"position\": {\"file\": \"labels/position.csv\",\n" \
	"                   \"columns\": {\"time\": \"Time [s]\", \"position\": \"Body Position\", \"motion\": \"Head Motion\"},\n" \
	"                   \"values\": {\"position\": {\"Supine\": \"supine\", \"Left\": \"left\", \"Right\": \"right\",\n" \
	"                                             \"Prone\": \"prone\", \"Upright\": \"upright\"}}}\n" \
	"    },\n" \
	"    \"predictions\": {\n" \
	"      \"hypnogram\": {\"file\": \"predictions/hypnogram.csv\",\n" \
	"                    \"columns\": {\"onset\": \"onset\", \"stage\": \"stage\"},\n" \
	"                    \"values\": {\"stage\": {\"0\": \"W\", \"1\": \"N1\", \"2\": \"N2\", \"3\": \"N3\", \"4\": \"R\"}}},\n" \
	"      \"respiratory\": {\"file\": \"predictions/respiratory.csv\",\n" \
	"                      \"columns\": {\"onset\": \"onset\", \"duration\": \"duration\", \"event\": \"label\"}}\n" \
	"    }\n" \
	"  }\n" \
	"}\n"

const char *synth_profile_json(int messy)
{
	static const char clean[] = "{\n  \"epoch_seconds\": 30,\n" PROFILE_SOURCES;
	static const char unscored[] = "{\n  \"epoch_seconds\": 30,\n  \"on_unknown_value\": \"unscored\",\n"
		PROFILE_SOURCES;

	return messy ? unscored : clean;
}

void synth_night_id(long number, char *buf, size_t size)
{
	snprintf(buf, size, "N%04ld", number);
}

static int write_whole(const char *path, const char *data, size_t len, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return ERR_SYS(e, path, "cannot write");
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ERR_SYS(e, path, "cannot write");
			close(fd);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return ERR_SYS(e, path, "cannot write");
	return 0;
}

/* Everything one night needs, allocated once for the whole run. */
struct workspace {
	struct synth_night *night;
	struct synth_buf buf;
	char *path;           /* scratch for "<staged>/labels/hypnogram.csv" */
	size_t path_size;
};

static int make_subfolders(const char *staged, struct workspace *w, struct err *e)
{
	static const char *const sub[] = {"labels", "predictions"};

	for (int i = 0; i < 2; i++) {
		snprintf(w->path, w->path_size, "%s/%s", staged, sub[i]);
		if (mkdir(w->path, 0755) != 0)
			return ERR_SYS(e, w->path, "cannot create folder");
	}
	return 0;
}

static int write_files(const char *staged, const struct synth_style *style, struct workspace *w,
		       struct synth_defect *d, struct err *e)
{
	if (make_subfolders(staged, w, e) != 0)
		return -1;
	for (int f = 0; f < SYNTH_FILE_COUNT; f++) {
		if (synth_render(f, w->night, style, &w->buf, d, e) != 0)
			return -1;
		snprintf(w->path, w->path_size, "%s/%s", staged, synth_file_name(f));
		if (write_whole(w->path, w->buf.data, w->buf.len, e) != 0)
			return -1;
	}
	return 0;
}

static int write_night(const struct synth_options *o, long index, struct workspace *w,
		       synth_defect_fn *on_defect, void *ctx, struct err *e)
{
	long first_broken = o->nights - o->broken;
	struct synth_style style = {
		.messy = o->messy, .position_hz = o->position_hz, .seed = o->seed,
		.number = (uint64_t)(o->first_id + index), .defect = SYNTH_DEFECT_NONE,
	};
	struct synth_defect defect = {0};
	char id[24], *staged = NULL, *final = NULL;
	int rc = -1, published = 0;

	if (index >= first_broken)
		style.defect = 1 + (int)((index - first_broken) % (SYNTH_DEFECT_COUNT - 1));
	synth_night_id(o->first_id + index, id, sizeof id);
	synth_night_generate(w->night, o->seed, style.number);
	if (fs_stage_dir(o->out, id, &staged, e) != 0)
		return -1;
	if (asprintf(&final, "%s/%s", o->out, id) < 0) {
		final = NULL;
		ERR(e, "out of memory");
	} else if (write_files(staged, &style, w, &defect, e) == 0) {
		published = 1; /* fs_publish_dir moves the staged folder, or removes it on failure */
		rc = fs_publish_dir(staged, final, e);
	}
	if (!published) {
		struct err ignored;
		fs_remove_tree(staged, &ignored);
	}
	if (rc == 0 && style.defect != SYNTH_DEFECT_NONE && on_defect)
		on_defect(id, &defect, ctx);
	if (rc != 0)
		err_prefix(e, "night %s: ", id);
	free(staged);
	free(final);
	return rc;
}

static int write_profile(const struct synth_options *o, struct err *e)
{
	struct fs_atomic a;
	char *path = NULL;
	int rc;

	if (asprintf(&path, "%s/profile.json", o->out) < 0)
		return ERR(e, "out of memory");
	rc = fs_atomic_open(&a, path, e);
	free(path);
	if (rc != 0)
		return -1;
	fputs(synth_profile_json(o->messy), a.fp);
	return fs_atomic_commit(&a, e);
}

int synth_run(const struct synth_options *o, synth_defect_fn *on_defect, void *ctx, struct err *e)
{
	struct workspace w = {0};
	int rc = 0;

	if (fs_mkdir_p(o->out, e) != 0)
		return -1;
	w.night = malloc(sizeof *w.night);
	w.path_size = strlen(o->out) + 256;
	w.path = malloc(w.path_size);
	if (!w.night || !w.path)
		rc = ERR(e, "out of memory");
	for (long i = 0; rc == 0 && i < o->nights; i++)
		rc = write_night(o, i, &w, on_defect, ctx, e);
	if (rc == 0)
		rc = write_profile(o, e);
	free(w.night);
	free(w.path);
	synth_buf_free(&w.buf);
	return rc;
}
