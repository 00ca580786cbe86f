/*
 * shard.h — nightfan-shard as a function: one night in, OUT/<night>/{night.json,epochs.csv} out.
 *
 * Owns the run of one night: read the streams, build the epochs, compute the scores, write the
 * outputs atomically. main.c parses options into struct shard_options and loads the profile (the
 * KFP task, shard/task.c, fills the same struct once per batch, with the profile parsed once for
 * every night of it).
 */
#ifndef NIGHTFAN_SHARD_SHARD_H
#define NIGHTFAN_SHARD_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct profile;

enum shard_on_error {
	SHARD_ON_ERROR_FAIL,    /* a bad night: error out, write nothing */
	SHARD_ON_ERROR_RECORD,  /* a bad night: write night.json with status "failed", succeed */
};

struct shard_options {
	const char *input;      /* input root: a local folder or /gcs/<bucket>/<prefix> */
	const char *night;      /* night id (checked here again: nothing is built from an unchecked id) */
	const struct profile *profile; /* the parsed profile (common/profile.h), borrowed */
	const char *out;        /* output folder; the night goes to <out>/<night>/ */
	bool in_place;          /* false: the night is filled in a staging folder <out>/.<night>.tmp.<pid>
	                           and swapped in whole (fs_stage_dir, fs_publish_dir), so a reader never
	                           sees half a night and a failure keeps an older night as it was.
	                           true: whatever <out>/<night>/ held is removed and the files are
	                           written straight into it — no rename, which a Cloud Storage FUSE
	                           mount may refuse; only for an output no one reads before the writer
	                           is done (a KFP output artifact: KFP hands it on only after the task
	                           succeeded). Every file is a new one, so a hard link to an older
	                           night's file elsewhere keeps its bytes. */
	enum shard_on_error on_error;
	struct err *recorded;   /* NULL, or filled with the night's error when it was recorded as
	                           failed (SHARD_ON_ERROR_RECORD) and cleared otherwise */
};

/* Refuse an output night folder <out>/<night> that is, contains or lies inside the input night
 * folder <input>/<night>, compared by real path (common/fsutil.h fs_relate; a gs:// root by its
 * /gcs/ mount path, common/executor.h's one URI rule — a root the rule refuses is read only
 * through the Cloud Storage API and overlaps nothing here): writing there would replace or mix into the recordings. Reads and writes
 * nothing. 0, or -1 with e naming both folders as given. shard_run() checks it first too. */
int shard_check_output(const struct shard_options *o, struct err *e);

/* Run one night. 0 when the night was written (as "ok", or as "failed" under
 * SHARD_ON_ERROR_RECORD); -1 with e filled otherwise, and then nothing of this run is left in
 * `out` (staged: an older <out>/<night>/ is kept as it was; in_place: <out>/<night>/ is gone). Errors
 * that are not the night's data (an invalid night id, an unwritable output) are never recorded:
 * they fail under either policy (a bad profile never gets here: the caller's profile_load or
 * profile_parse refuses it first). */
int shard_run(const struct shard_options *o, struct err *e);

/* ---- a night read as the shard reads it, nothing written (nightfan profile check / show) ---- */

struct shard_night;

/* Read and process night `night` of `input` exactly as shard_run() does (the same streams, mapping,
 * epochs and scores), writing nothing. NULL with e filled (the error shard_run() would report);
 * free with shard_night_free(). */
struct shard_night *shard_night_read(const char *input, const char *night, const struct profile *p,
				     struct err *e);
void shard_night_free(struct shard_night *n);

/* What one labels epoch holds: a row of epochs.csv. -1 for "none" (stage_pred, events). */
struct shard_epoch {
	double onset;
	int stage_label, stage_pred;  /* enum stage */
	int position;                 /* enum position */
	int has_motion;
	double motion;
	int event_label, event_pred;  /* enum event */
};
size_t shard_night_epochs(const struct shard_night *n);
void shard_night_epoch(const struct shard_night *n, size_t k, struct shard_epoch *out);

/* How the predicted hypnogram lines up with the labels one (SPEC §1: matched by onset). */
struct shard_timing {
	double labels_t0;
	size_t labels_epochs;
	int has_pred;                 /* the predictions have a hypnogram of their own */
	double pred_t0;
	size_t pred_epochs;
	size_t matched;               /* predicted epochs with a labels epoch of the same onset */
};
void shard_night_timing(const struct shard_night *n, struct shard_timing *out);

#endif
