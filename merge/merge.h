/*
 * merge.h — nightfan-merge: every night's shard output in, the run's outputs out (SPEC §3):
 * nights.csv, report.json, report.html, events_by_night.csv, staging_by_night.csv and, on request, dataset.csv.
 *
 * Owns the options, the one entry point and what it hands back (struct merge_summary). main.c
 * parses the command line, merge/task.c a KFP ExecutorInput, into struct merge_options. Finding and reading nights: merge/nights.h; statistics:
 * merge/stats.h, merge/report.h; the writers: merge/nights_csv.h, merge/report_json.h,
 * merge/report_html.h, merge/dataset.h.
 */
#ifndef NIGHTFAN_MERGE_H
#define NIGHTFAN_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct night_list;
struct report;

struct merge_options {
	const char *const *nights_dirs; /* folders holding <night id>/night.json (and epochs.csv) */
	size_t n_nights_dirs;           /* >= 1 */
	const char *base_dir;           /* an earlier run's night folders, used for nights absent from
	                                   every nights_dir; NULL: none */
	const char *out_dir;            /* outputs go to <out_dir>/<name> unless named below; created */
	bool dataset;                   /* also write dataset.csv */
	bool lock_out_dir;              /* hold out_dir's lock (common/fsutil.h fs_lock_dir) while the
	                                   outputs are renamed into place, so that merges into one
	                                   folder at once leave the complete set of one of them (the
	                                   command line; a KFP task's outputs are its own) */
	bool no_pages;                  /* no <out_dir>/pages/ (the night pages) */
	/* Explicit output paths (KFP hands each artifact its own path); NULL: <out_dir>/<name>. When
	 * every needed one is given, out_dir may be NULL. */
	const char *nights_csv_path;
	const char *report_json_path;
	const char *report_html_path;
	const char *dataset_csv_path;
	/* Provenance (merge/provenance.h); each NULL when unknown. */
	const char *input_root;
	const char *profile;            /* the profile's bytes (profile_len of them) */
	size_t profile_len;
	const char *spec_name;
	/* A second report.html at this path whose night links go to linked_pages + <night>.html
	 * (KFP: the report artifact beside the dataset artifact, linking into "dataset/pages/");
	 * NULL: none. */
	const char *linked_report_path;
	const char *linked_pages;
};

/* Refuse an out_dir that is, lies inside or contains one of the nights_dirs or base_dir, compared
 * by real path (common/fsutil.h fs_relate): the outputs would be written among the nights they are
 * made of. Reads and writes nothing. 0, or -1 naming both folders as given. merge_run() checks it
 * first too. */
int merge_check_outputs(const struct merge_options *opt, struct err *e);

/* What a merge computed, for its caller to use instead of reading report.json back (merge/task.c:
 * the ExecutorOutput's metrics and the log lines naming failed nights): the report exactly as
 * report.json was written from it (merge/report.h) and every night read, failed ones with their
 * error (merge/nights.h). Owned; release with merge_summary_free. The report's provenance points
 * into the merge_options' strings (borrowed: they must outlive the summary). */
struct merge_summary {
	struct report *report;
	struct night_list *nights;
};
/* Free what s holds and zero it (safe on a zeroed or partly filled summary, NULL fine). */
void merge_summary_free(struct merge_summary *s);

/* Read every night (sorted by id, byte order), compute the report and write the outputs, each under
 * a temporary name renamed into place only once all of them are complete (a bad night or a full
 * disk leaves an earlier run's outputs untouched). Each night's night.json and epochs.csv are read
 * as one version of it, even while the shard republishes it (merge/nights.h night_open). 0 on success; -1 with *e naming
 * the night, folder or file at fault (a missing/corrupt night.json, a wrong schema, a night found
 * twice, an epochs.csv that disagrees with its night.json, an output that cannot be written).
 * summary: NULL, or zeroed and, on success, filled (the caller frees it with merge_summary_free,
 * after failure as after success). */
int merge_run(const struct merge_options *opt, struct merge_summary *summary, struct err *e);

#endif
