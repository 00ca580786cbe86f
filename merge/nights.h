/*
 * nights.h — finding the nights of a run and reading each one's night.json (DEVELOPING.md format)
 * into a small record: status, error, the two score sets and the staging confusion.
 *
 * Owns discovery (--nights folders, --base fallback, id checks, duplicates, byte-order sorting) and
 * validation of night.json. It never reads epochs.csv (merge/dataset.h streams those). Memory is a
 * fixed ~2.3 KB per night, whatever the length of the recordings.
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

struct night_list {
	struct night_record *v;
	size_t n;
	size_t n_failed, n_from_base;
};

/* Find every night under dirs[0..n_dirs) (names starting with '.' and plain files ignored; every
 * other entry must be a folder named by a valid night id), add the nights of base_dir (may be NULL) that
 * none of them has, sort by id and read every night.json. 0, or -1 naming the folder or file at
 * fault; on failure *list is left empty. Free with night_list_free. */
int night_list_load(const char *const *dirs, size_t n_dirs, const char *base_dir,
		    struct night_list *list, struct err *e);

/* Read and check <r->dir>/night.json into *r (r->dir and r->id already set). 0, or -1 with *e
 * naming the file and what was expected; whatever it allocated is freed by night_record_free. */
int night_read(struct night_record *r, struct err *e);

/* Parse a night.json held in `text` for night `id` (the folder's name); `path` names it in
 * messages. Used by night_read and by tests. */
int night_parse(const char *text, const char *path, const char *id, struct night_record *r,
		struct err *e);

void night_record_free(struct night_record *r);
void night_list_free(struct night_list *list);

#endif
