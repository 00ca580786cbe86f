/*
 * merge.c — merge_run: nights in, outputs out (see merge.h).
 *
 * Order: open every output under a temporary name, read and check every night (the dataset's rows
 * are copied in as each night is read), compute, write the other outputs, and only when all of them
 * are complete rename them into place. A bad night therefore leaves an earlier run's outputs
 * untouched.
 */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "event_report.h"
#include "fsutil.h"
#include "night_page.h"
#include "nights.h"
#include "nights_csv.h"
#include "nights_table.h"
#include "report.h"
#include "report_html.h"
#include "report_json.h"
#include "staging_csv.h"

enum output { OUT_NIGHTS_CSV, OUT_REPORT_JSON, OUT_REPORT_HTML, OUT_DATASET_CSV, OUT_EVENTS_CSV, OUT_STAGING_CSV,
	      OUT_LINKED_REPORT, OUT_COUNT };

static const char *const output_names[OUT_COUNT] = {
	"nights.csv", "report.json", "report.html", "dataset.csv", "events_by_night.csv", "staging_by_night.csv",
	"report.html",
};

struct outputs {
	char *path[OUT_COUNT];          /* owned; NULL when the output is not wanted */
	struct fs_atomic file[OUT_COUNT];
	char *made;                     /* the shallowest folder of out_dir that this merge made, or NULL */
	char *pages_staged;             /* <out_dir>/.pages.tmp.<pid> while being written (owned) */
};

static const char *explicit_path(const struct merge_options *opt, enum output o)
{
	switch (o) {
	case OUT_NIGHTS_CSV: return opt->nights_csv_path;
	case OUT_REPORT_JSON: return opt->report_json_path;
	case OUT_REPORT_HTML: return opt->report_html_path;
	case OUT_DATASET_CSV: return opt->dataset_csv_path;
	case OUT_LINKED_REPORT: return opt->linked_report_path;
	default: return NULL;
	}
}

/* The shallowest folder of `dir` that does not exist yet (malloc'ed), or NULL when dir exists. */
static char *missing_top(const char *dir)
{
	char *top = NULL, *cut = strdup(dir), *slash;
	struct stat st;

	while (cut && cut[0] && stat(cut, &st) != 0) {
		free(top);
		top = strdup(cut);
		if (!(slash = strrchr(cut, '/')))
			break;
		*slash = '\0';
	}
	free(cut);
	return top;
}

/* A failed merge leaves no folder behind that it made: out_dir and the parents it created are
 * removed again, deepest first, as long as they are empty. */
static void unmake_folders(const char *out_dir, const char *made)
{
	char *cut = strdup(out_dir), *slash;

	while (cut && rmdir(cut) == 0 && strcmp(cut, made) != 0 && (slash = strrchr(cut, '/')))
		*slash = '\0';
	free(cut);
}

static int resolve_paths(const struct merge_options *opt, struct outputs *out, struct err *e)
{
	for (int o = 0; o < OUT_COUNT; o++) {
		const char *given = explicit_path(opt, o);
		if ((o == OUT_DATASET_CSV && !opt->dataset) || (o == OUT_LINKED_REPORT && !given))
			continue;
		if (given)
			out->path[o] = strdup(given);
		else if (!opt->out_dir)
			return ERR(e, "no output folder given for %s", output_names[o]);
		else if (asprintf(&out->path[o], "%s/%s", opt->out_dir, output_names[o]) < 0)
			out->path[o] = NULL;
		if (!out->path[o])
			return ERR(e, "out of memory");
	}
	if (!opt->out_dir)
		return 0;
	out->made = missing_top(opt->out_dir);
	return fs_mkdir_p(opt->out_dir, e);
}

static int open_outputs(struct outputs *out, struct err *e)
{
	for (int o = 0; o < OUT_COUNT; o++)
		if (out->path[o] && fs_atomic_open(&out->file[o], out->path[o], e) != 0)
			return -1;
	return 0;
}

/* Everything but the dataset, which was written while the nights were read. */
static int write_outputs(const struct merge_options *opt, struct outputs *out, const struct report *r,
			 const struct night_list *nights, struct err *e)
{
	if (out->path[OUT_LINKED_REPORT] &&
	    report_html_write_linked(out->file[OUT_LINKED_REPORT].fp, r, nights, opt->linked_pages, e) != 0)
		return -1;
	nights_csv_write(out->file[OUT_NIGHTS_CSV].fp, nights);
	event_report_csv_write(out->file[OUT_EVENTS_CSV].fp, nights);
	staging_csv_write(out->file[OUT_STAGING_CSV].fp, nights);
	if (report_json_write(out->file[OUT_REPORT_JSON].fp, r, nights, e) != 0)
		return -1;
	if (report_html_write(out->file[OUT_REPORT_HTML].fp, r, nights, e) != 0)
		return -1;
	return 0;
}

/* An error while writing a page names it where the user will look: <out>/pages/N0001.html, not
 * <out>/.pages.tmp.<pid>/N0001.html. */
static void name_final_page(struct err *e, const char *staged, const char *out_dir)
{
	size_t n = strlen(staged);
	char file[ERR_FILE_MAX];

	if (strncmp(e->file, staged, n) == 0 && e->file[n] == '/') {
		snprintf(file, sizeof file, "%s/%s%s", out_dir, NIGHT_PAGE_DIR, e->file + n);
		memcpy(e->file, file, sizeof file);
	}
}

/* The night pages go to a staged folder, made before the nights are read (each page is written as
 * its night is read) and swapped in as <out_dir>/pages after the other outputs. */
static int stage_pages(const struct merge_options *opt, struct outputs *out, struct err *e)
{
	if (!opt->out_dir || opt->no_pages)
		return 0;
	return fs_stage_dir(opt->out_dir, NIGHT_PAGE_DIR, &out->pages_staged, e);
}

struct page_ctx {
	const char *staged, *out_dir;   /* staged: NULL without pages */
	struct nights_worst *worst;     /* report.html's worst nights, kept from the same read */
};

static int read_night_files(void *ctx, const struct night_record *r, int epochs_fd, int events_fd, struct err *e)
{
	const struct page_ctx *p = ctx;

	if (night_page_read(r, epochs_fd, events_fd, p->staged, p->worst, e) == 0)
		return 0;
	if (p->staged)
		name_final_page(e, p->staged, p->out_dir);
	return -1;
}

static int publish_pages(const struct merge_options *opt, struct outputs *out, struct err *e)
{
	char *final;
	int rc;

	if (!opt->out_dir || (!out->pages_staged && !opt->no_pages))
		return 0;
	if (asprintf(&final, "%s/%s", opt->out_dir, NIGHT_PAGE_DIR) < 0)
		return ERR(e, "out of memory");
	/* --no-pages: an earlier merge's pages would show other versions of the nights than the
	 * report beside them, so they go (report.html's links then find nothing rather than old pages) */
	rc = out->pages_staged ? fs_publish_dir(out->pages_staged, final, e) : fs_remove_tree(final, e);
	free(final);
	free(out->pages_staged);
	out->pages_staged = NULL;
	return rc;
}

/* Read every night; with a dataset, each ok night's rows go into it as the night is read, from the
 * epochs.csv opened together with its night.json (one version of the night, whatever the shard
 * republishes meanwhile). */
static int load_nights(const struct merge_options *opt, struct outputs *out, struct night_list *nights,
		       struct nights_worst *worst, struct err *e)
{
	struct dataset d = {0};
	struct page_ctx pages = {out->pages_staged, opt->out_dir, worst};
	night_page_fn page_fn = read_night_files; /* pages, and the worst nights' hypnograms in any case */
	int rc;

	if (!out->path[OUT_DATASET_CSV])
		return night_list_load(opt->nights_dirs, opt->n_nights_dirs, opt->base_dir, NULL, NULL, page_fn, &pages,
				       nights, e);
	rc = dataset_begin(&d, out->file[OUT_DATASET_CSV].fp, out->path[OUT_DATASET_CSV], e);
	if (rc == 0)
		rc = night_list_load(opt->nights_dirs, opt->n_nights_dirs, opt->base_dir, dataset_append, &d, page_fn,
				     &pages, nights, e);
	dataset_end(&d);
	return rc;
}

/* Rename every complete output into place; the dataset (the big one) first. Every output is
 * flushed to disk before the first rename, so a disk that fills up shows while nothing has been
 * replaced yet (otherwise a new dataset.csv could end up beside an old report). The renames happen
 * under out_dir's lock when asked: another merge into the folder waits for them, so the folder
 * ends with one merge's complete set, never a report of one and a dataset of another. */
static int commit_outputs(const struct merge_options *opt, struct outputs *out, struct err *e)
{
	static const enum output order[OUT_COUNT] = {
		OUT_DATASET_CSV, OUT_NIGHTS_CSV, OUT_EVENTS_CSV, OUT_STAGING_CSV, OUT_REPORT_JSON, OUT_REPORT_HTML,
		OUT_LINKED_REPORT,
	};
	int lock = -1, rc = 0;

	for (int o = 0; o < OUT_COUNT; o++) {
		FILE *fp = out->file[o].fp;
		if (fp && (fflush(fp) != 0 || fsync(fileno(fp)) != 0))
			return ERR_SYS(e, out->path[o], "cannot write");
	}
	if (opt->lock_out_dir && opt->out_dir && (lock = fs_lock_dir(opt->out_dir, true, e)) < 0)
		return -1;
	for (int i = 0; rc == 0 && i < OUT_COUNT; i++)
		if (out->file[order[i]].fp && fs_atomic_commit(&out->file[order[i]], e) != 0)
			rc = -1;
	if (lock >= 0)
		close(lock);
	return rc;
}

static void close_outputs(const struct merge_options *opt, struct outputs *out, bool failed)
{
	if (out->pages_staged) {
		fs_remove_tree(out->pages_staged, &(struct err){0});
		free(out->pages_staged);
	}
	for (int o = 0; o < OUT_COUNT; o++) {
		fs_atomic_abort(&out->file[o]);
		free(out->path[o]);
	}
	if (failed && out->made)
		unmake_folders(opt->out_dir, out->made);
	free(out->made);
}

static int check_apart(const char *out_dir, const char *dir, const char *what, struct err *e)
{
	enum fs_relation rel;

	if (fs_relate(out_dir, dir, &rel, e) < 0)
		return -1;
	if (rel != FS_APART)
		return ERR(e, "the output folder %s %s the %s %s: refusing to write among the nights",
			   out_dir, fs_relation_words(rel), what, dir);
	return 0;
}

int merge_check_outputs(const struct merge_options *opt, struct err *e)
{
	if (!opt->out_dir)
		return 0;
	for (size_t i = 0; i < opt->n_nights_dirs; i++)
		if (check_apart(opt->out_dir, opt->nights_dirs[i], "nights folder", e) < 0)
			return -1;
	return opt->base_dir ? check_apart(opt->out_dir, opt->base_dir, "base nights folder", e) : 0;
}

void merge_summary_free(struct merge_summary *s)
{
	if (!s)
		return;
	free(s->report);
	if (s->nights)
		night_list_free(s->nights);
	free(s->nights);
	memset(s, 0, sizeof *s);
}

/* Hand the report and the nights over to *summary (the caller's now) when it asks for them;
 * summary->nights was allocated before anything was written, so this cannot fail. */
static void hand_over(struct merge_summary *summary, struct report **report, struct night_list *nights)
{
	if (!summary)
		return;
	*summary->nights = *nights;
	memset(nights, 0, sizeof *nights);
	summary->report = *report;
	*report = NULL;
}

int merge_run(const struct merge_options *opt, struct merge_summary *summary, struct err *e)
{
	struct night_list nights;
	struct nights_worst worst = {0};
	struct report *report = NULL;
	struct outputs out;
	int rc = -1;

	memset(&out, 0, sizeof out);
	memset(&nights, 0, sizeof nights);
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (merge_check_outputs(opt, e) != 0)
		return -1;
	if (summary && !(summary->nights = calloc(1, sizeof *summary->nights)))
		return ERR(e, "out of memory");
	if (!(report = malloc(sizeof *report))) {
		ERR(e, "out of memory");
		goto done;
	}
	if (resolve_paths(opt, &out, e) != 0 || open_outputs(&out, e) != 0 || stage_pages(opt, &out, e) != 0 ||
	    load_nights(opt, &out, &nights, &worst, e) != 0 ||
	    report_compute(&nights, report, e) != 0)
		goto done;
	nights.worst = &worst;
	provenance_set(&report->provenance, opt->input_root, opt->profile, opt->profile_len, opt->spec_name);
	if (write_outputs(opt, &out, report, &nights, e) != 0 ||
	    commit_outputs(opt, &out, e) != 0 || publish_pages(opt, &out, e) != 0)
		goto done;
	hand_over(summary, &report, &nights);
	rc = 0;
done:
	close_outputs(opt, &out, rc != 0);
	free(report);
	nights_worst_free(&worst);
	night_list_free(&nights);
	return rc;
}
