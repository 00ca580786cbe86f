/*
 * nights.h — finding the nights of a run and reading each one's night.json (DEVELOPING.md format)
 * into a small record: status, error, the two score sets and the staging confusion.
 *
 * Owns discovery (--nights folders, --base fallback, id checks, duplicates, byte-order sorting),
 * opening a night's files as one version (night_open) and validation of night.json. It never reads
 * epochs.csv or events.csv: it hands each ok night's open files to the caller, as the night is read
 * (merge/night_page.h draws the night's page from both, merge/dataset.h streams the epochs). Memory
 * is a fixed ~2.3 KB per night, whatever the length of the recordings.
 */
#ifndef NIGHTFAN_MERGE_NIGHTS_H
#define NIGHTFAN_MERGE_NIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "err.h"
#include "night_events.h"
#include "nightid.h"
#include "scorekeys.h"
#include "stats.h"

#define NIGHT_SCHEMA "nightfan.night/1"

/* One score as read: number (severity as its class 0..3, positional as 0/1) or null. */
struct night_score {
	double value;
	bool known;
};

struct night_record {
	char id[NIGHTID_MAX + 1];
	char *dir;                      /* "<folder as given>/<id>" (owned) */
	bool from_base;                 /* found only under --base */
	bool failed;                    /* "status": "failed" */
	/* failed nights: the shard's error; file NULL / line, column -1 when null in night.json */
	char *error_file;               /* owned */
	char *error_message;            /* owned */
	long error_line, error_column;
	/* ok nights */
	long epochs;
	struct night_score scores[SOURCE_COUNT][SCORE_KEY_COUNT];
	bool has_staging;               /* staging_confusion was not null */
	uint64_t staging[STAGE_COUNT][STAGE_COUNT]; /* rows labels, columns predictions, W N1 N2 N3 R ? */
	struct night_events events;     /* event_agreement (known = false: null or absent) */
};

struct nights_worst; /* merge/nights_table.h */

struct night_list {
	struct night_record *v;
	size_t n;
	size_t n_failed, n_from_base;
	/* The worst nights' hypnograms, kept by the caller as the nights were read (borrowed; set by
	 * the caller after the load, NULL when none were kept). */
	const struct nights_worst *worst;
};

/* Called once per ok night, in id order, right after its night.json was read, with its epochs.csv
 * open (epochs_fd, which the callee owns and closes): the same version of the night as the record.
 * 0, or -1 with e filled to stop the load. */
typedef int (*night_epochs_fn)(void *ctx, const struct night_record *r, int epochs_fd, struct err *e);

/* Called for each ok night as it is read, before night_epochs_fn, with the night's epochs.csv and
 * events.csv opened with its night.json (one version of the night; -1 for a file the folder does
 * not hold). It must not close them and leaves epochs_fd at offset 0 (night_epochs_fn reads it
 * next). */
typedef int (*night_page_fn)(void *ctx, const struct night_record *r, int epochs_fd, int events_fd,
			     struct err *e);

/* Find every night under dirs[0..n_dirs) (names starting with '.' and plain files ignored; every
 * other entry must be a folder named by a valid night id), add the nights of base_dir (may be NULL) that
 * none of them has, sort by id and read every night.json; with epochs_fn (may be NULL), hand it
 * every ok night's epochs.csv (a missing one is an error naming it). 0, or -1 naming the folder or
 * file at fault; on failure *list is left empty. Free with night_list_free. */
int night_list_load(const char *const *dirs, size_t n_dirs, const char *base_dir, night_epochs_fn epochs_fn,
		    void *ctx, night_page_fn page_fn, void *page_ctx, struct night_list *list, struct err *e);

/* A night folder's files, opened through one descriptor of the folder. */
struct night_files {
	int json;          /* night.json */
	int epochs;        /* epochs.csv; -1 when not asked for or not openable (see epochs_errno) */
	int epochs_errno;  /* why epochs.csv could not be opened (ENOENT for a failed night's), or 0 */
	int events;        /* events.csv, opened with epochs.csv; -1 when not asked for or not openable */
	int events_errno;  /* why events.csv could not be opened (ENOENT: an older shard's night), or 0 */
};

/* Open <dir>/night.json and, with want_epochs, <dir>/epochs.csv and <dir>/events.csv as files of one version of the
 * night. The shard publishes a night by swapping whole folders (common/fsutil.h) and never writes
 * into a published one, so files opened through one descriptor of the folder belong together;
 * when the folder is swapped away and emptied between opening it and opening its files, the open
 * starts over with the folder now there (NIGHT_OPEN_TRIES times at most). 0 with f->json open
 * (the caller closes the ones open), or -1 naming <dir>/night.json. */
#define NIGHT_OPEN_TRIES 1000
int night_open(const char *dir, bool want_epochs, struct night_files *f, struct err *e);

/* Read and check <r->dir>/night.json into *r (r->dir and r->id already set). With epochs_fd
 * non-NULL, *epochs_fd gets the night's epochs.csv and *events_fd its events.csv, opened with it
 * (night_open): -1 for a failed night, or for a file the folder does not hold; a missing
 * epochs.csv of an ok night is an error naming it when need_epochs. 0, or -1 with *e naming the file
 * and what was expected; whatever it allocated is freed by night_record_free. */
int night_read(struct night_record *r, int *epochs_fd, int *events_fd, bool need_epochs, struct err *e);

/* Parse a night.json held in `text` (NUL-terminated; borrowed) for night `id` (the folder's name)
 * into *r, checked as night_read checks it; `path` names it in messages. Only the fields parsed from
 * the JSON are set: *r must come zeroed, except r->id and r->dir (malloc'ed or NULL), which are left
 * as the caller set them. 0, or -1 with *e naming `path` (and line:column for a JSON syntax error);
 * on both, the caller releases *r with night_record_free (which frees r->dir too; safe on a partly
 * filled *r). Used by night_read and by tests. */
int night_parse(const char *text, const char *path, const char *id, struct night_record *r,
		struct err *e);

void night_record_free(struct night_record *r);

/* The night's staging agreement over the epochs both sides scored W..R (its staging_confusion):
 * accuracy and Cohen's kappa; unknown for a failed night, without a predicted hypnogram or such
 * epochs. (Shown on its page and in report.html's table of nights.) */
void night_staging(const struct night_record *r, struct stat_num *accuracy, struct stat_num *kappa);
void night_list_free(struct night_list *list);

#endif
