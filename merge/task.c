/*
 * task.c — nightfan-merge's KFP task (see task.h), run in the scaffold of common/task.h: the
 * merge into the dataset artifact, the night folders copied beside it, and the metadata KFP's UI
 * renders, built from the merge's own summary (merge.h), not from report.json read back.
 */
#include "task.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dirlist.h"
#include "executor.h"
#include "fsutil.h"
#include "log.h"
#include "merge.h"
#include "nights.h"
#include "numfmt.h"
#include "report.h"
#include "scorekeys.h"
#include "specnames.h"
#include "strlist.h"
#include "utf8.h"
#include "common/task.h" /* the scaffold; "task.h" is this file's own header */

/* Headline agreement figures for system.Metrics: these score keys, these statistics. */
static const char *const headline_keys[] = {"AHI", "RDI", "TST", "SE", "WASO", "SOL", "N3", "REM",
					    "supine_pct", NULL};
enum headline_stat { STAT_ICC, STAT_BIAS, STAT_MAE, STAT_COUNT };
static const char *const headline_stats[STAT_COUNT] = {"icc", "bias", "mae"};

/* ---- copying night folders into the dataset ----------------------------------------------- */

/* Copy every night folder of `from` not yet under `to` (names starting with '.' and plain files
 * skipped, as the merge skips them). */
static int copy_nights(const char *from, const char *to, struct err *e)
{
	struct strlist names;
	int rc = dirlist_read(from, DIRLIST_DIRS, NULL, &names, e);

	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *src = fs_join(from, names.v[i], e);
		char *dst = src ? fs_join(to, names.v[i], e) : NULL;
		rc = !dst ? -1 : access(dst, F_OK) != 0 ? task_copy_folder(src, dst, e) : 0;
		free(src);
		free(dst);
	}
	strlist_release(&names);
	return rc;
}

/* <dataset>/nights/: every night of the inputs, then those of the base only it has. Written in
 * place, not staged and renamed: a folder rename may be refused on /gcs/, and KFP hands the
 * artifact on only after the task succeeded. */
static int publish_nights(const char *const *dirs, size_t n, const char *base, const char *dataset,
			  struct err *e)
{
	char *final;
	int rc;

	if (asprintf(&final, "%s/nights", dataset) < 0)
		return ERR(e, "out of memory");
	rc = fs_remove_tree(final, e) == 0 ? fs_mkdir_p(final, e) : -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = copy_nights(dirs[i], final, e);
	if (rc == 0 && base)
		rc = copy_nights(base, final, e);
	free(final);
	return rc;
}

/* ---- metadata ----------------------------------------------------------------------------- */

/* A figure as report.json holds it: the number it prints (numfmt_double), parsed back, or
 * nothing when it is null there. */
static void add_number(cJSON *meta, const char *name, struct stat_num v)
{
	char text[NUMFMT_MAX];

	if (v.known && numfmt_double(v.value, text) > 0)
		cJSON_AddNumberToObject(meta, name, strtod(text, NULL));
}

static void add_count(cJSON *meta, const char *name, double count)
{
	add_number(meta, name, (struct stat_num){count, true});
}

static struct stat_num headline_stat(const struct stat_agreement *a, enum headline_stat s)
{
	return s == STAT_ICC ? a->icc : s == STAT_BIAS ? a->bias : a->mae;
}

/* v1.1: the headline uncertainty (AHI bias and ICC 95 % CIs) and the per-night staging kappa.
 * A bias CI is null in report.json when the key's extended agreement is unknown (n < 3, or every
 * difference 0); either CI is null unless both its ends are known. */
static void add_headline_cis(cJSON *meta, const struct report *r)
{
	const struct agreement_ext *x = &r->agreement_ext[SK_AHI];
	bool bias = x->known && x->bias_ci.low.known && x->bias_ci.high.known;
	bool icc = x->icc_ci.low.known && x->icc_ci.high.known;

	if (bias) {
		add_number(meta, "AHI_bias_ci_low", x->bias_ci.low);
		add_number(meta, "AHI_bias_ci_high", x->bias_ci.high);
	}
	if (icc) {
		add_number(meta, "AHI_icc_ci_low", x->icc_ci.low);
		add_number(meta, "AHI_icc_ci_high", x->icc_ci.high);
	}
	add_number(meta, "staging_kappa_night_mean", r->staging_by_night.kappa.mean);
}

static cJSON *metrics_metadata(const struct report *r)
{
	cJSON *meta = cJSON_CreateObject();
	char name[96];

	add_count(meta, SPEC_METRIC_NIGHTS_TOTAL, (double)r->total);
	add_count(meta, SPEC_METRIC_NIGHTS_OK, (double)r->ok);
	add_count(meta, SPEC_METRIC_NIGHTS_FAILED, (double)r->failed);
	for (int k = 0; headline_keys[k]; k++)
		for (int s = 0; s < STAT_COUNT; s++) {
			snprintf(name, sizeof name, "%s_%s", headline_keys[k], headline_stats[s]);
			add_number(meta, name, headline_stat(&r->agreement[scorekey_find(headline_keys[k])], s));
		}
	add_number(meta, SPEC_METRIC_SEVERITY_ACCURACY, r->severity_accuracy);
	add_number(meta, SPEC_METRIC_SEVERITY_KAPPA, r->severity_kappa);
	add_number(meta, SPEC_METRIC_STAGING_ACCURACY, r->staging_accuracy);
	add_number(meta, SPEC_METRIC_STAGING_KAPPA, r->staging_kappa);
	add_headline_cis(meta, r);
	/* the AHI limits of agreement too: `nightfan run` prints its summary from these metrics */
	add_number(meta, SPEC_METRIC_AHI_LOA_LOW, r->agreement[SK_AHI].loa_low);
	add_number(meta, SPEC_METRIC_AHI_LOA_HIGH, r->agreement[SK_AHI].loa_high);
	return meta;
}

/* {"confusionMatrix": {"annotationSpecs": [{"displayName": L}], "rows": [{"row": [counts]}]}},
 * as the KFP SDK's ClassificationMetrics.log_confusion_matrix writes it; k labels, a k x k table
 * of counts, row-major. */
static cJSON *confusion_metadata(const char *const *labels, const uint64_t *table, int k)
{
	cJSON *meta = cJSON_CreateObject(), *matrix = cJSON_AddObjectToObject(meta, "confusionMatrix");
	cJSON *specs = cJSON_AddArrayToObject(matrix, "annotationSpecs");
	cJSON *rows = cJSON_AddArrayToObject(matrix, "rows");

	for (int i = 0; i < k; i++) {
		cJSON *spec = cJSON_CreateObject();
		cJSON_AddStringToObject(spec, "displayName", labels[i]);
		cJSON_AddItemToArray(specs, spec);
	}
	for (int i = 0; i < k; i++) {
		cJSON *r = cJSON_CreateObject(), *cells = cJSON_AddArrayToObject(r, "row");
		for (int j = 0; j < k; j++)
			cJSON_AddItemToArray(cells, cJSON_CreateNumber((double)table[i * k + j]));
		cJSON_AddItemToArray(rows, r);
	}
	return meta;
}

/* report.json's "nights" block: the dataset artifact's metadata. */
static cJSON *nights_metadata(const struct report *r)
{
	cJSON *meta = cJSON_CreateObject();

	add_count(meta, "total", (double)r->total);
	add_count(meta, "ok", (double)r->ok);
	add_count(meta, "failed", (double)r->failed);
	add_count(meta, "from_base", (double)r->from_base);
	return meta;
}

/* Set the artifact's metadata and write the same JSON into its file (for people browsing the
 * bucket; KFP reads the metadata from the ExecutorOutput). */
static int put_metadata(struct executor *ex, const char *name, cJSON *meta, struct err *e)
{
	const struct executor_artifact *a = executor_output_artifact(ex, name, e);
	char *text = meta ? cJSON_Print(meta) : NULL;
	struct fs_atomic f;
	int rc = -1;

	if (!a || !text) {
		cJSON_Delete(meta);
		free(text);
		return a ? ERR(e, "out of memory") : -1;
	}
	if (fs_atomic_open(&f, a->path, e) == 0) {
		fprintf(f.fp, "%s\n", text);
		rc = fs_atomic_commit(&f, e);
	}
	free(text);
	if (rc < 0) {
		cJSON_Delete(meta);
		return -1;
	}
	return executor_set_artifact_metadata(ex, name, meta, e);
}

/* One failed night's warning: "failed: FILE:LINE: MESSAGE", its text shown as report.json shows
 * it (common/utf8.h). */
static void log_failed_night(const struct night_record *n)
{
	char *file = n->error_file ? utf8_escape_dup(n->error_file, 0) : NULL;
	char *message = utf8_escape_dup(n->error_message ? n->error_message : "", 0);
	char where[600] = "";

	if (file && n->error_line >= 0)
		snprintf(where, sizeof where, "%s:%ld: ", file, n->error_line);
	else if (file)
		snprintf(where, sizeof where, "%s: ", file);
	log_warn(n->id, "failed: %s%s", where, message ? message : "");
	free(file);
	free(message);
}

/* How many nights failed, as a warning naming each (file:line: message), so that a run with
 * failures stands out in the task's log; an info line when none did. */
static void log_nights(const struct merge_summary *s)
{
	const struct report *r = s->report;

	if (r->failed == 0) {
		log_info(NULL, "%zu nights merged, none failed", r->total);
		return;
	}
	log_warn(NULL, "%zu of %zu nights failed and are in no statistic", r->failed, r->total);
	for (size_t i = 0; i < s->nights->n; i++)
		if (s->nights->v[i].failed)
			log_failed_night(&s->nights->v[i]);
}

static int set_outputs_metadata(struct executor *ex, const struct merge_summary *s, struct err *e)
{
	static const char *const stages[REPORT_STAGES] = {"W", "N1", "N2", "N3", "R"};
	const struct report *r = s->report;
	int rc;

	log_nights(s);
	rc = put_metadata(ex, SPEC_ARTIFACT_METRICS, metrics_metadata(r), e);
	if (rc == 0)
		rc = put_metadata(ex, SPEC_ARTIFACT_STAGING_CONFUSION,
				  confusion_metadata(stages, &r->staging[0][0], REPORT_STAGES), e);
	if (rc == 0)
		rc = put_metadata(ex, SPEC_ARTIFACT_SEVERITY_CONFUSION,
				  confusion_metadata(scorekey_severity_names, &r->severity[0][0], SEVERITY_COUNT), e);
	if (rc == 0)
		rc = executor_set_artifact_metadata(ex, SPEC_ARTIFACT_DATASET, nights_metadata(r), e);
	return rc;
}

/* ---- the task ----------------------------------------------------------------------------- */

/* The night links of the report artifact: KFP and Vertex AI put a task's output artifacts side by
 * side (<task dir>/report, <task dir>/dataset/), so "dataset/pages/" reaches the pages the merge
 * writes into the dataset artifact. Elsewhere the report is a plain copy of dataset/report.html
 * (NULL), whose links are relative to the dataset folder. Caller frees. */
static char *pages_beside(const char *report, const char *dataset)
{
	const char *r = strrchr(report, '/'), *d = strrchr(dataset, '/');
	char *prefix;

	if (!r || !d || r - report != d - dataset || strncmp(report, dataset, (size_t)(r - report)) != 0 || !d[1])
		return NULL;
	return asprintf(&prefix, "%s/pages/", d + 1) < 0 ? NULL : prefix;
}

/* The report artifact as a copy of dataset/report.html (when it is not beside the dataset). */
static int copy_report(const char *dataset, const char *report, struct err *e)
{
	char *html;
	int rc;

	if (asprintf(&html, "%s/report.html", dataset) < 0)
		return ERR(e, "out of memory");
	rc = task_copy_file(html, report, e);
	free(html);
	return rc;
}

static int merge_task(struct executor *ex, char night[NIGHTID_MAX + 1], struct err *e)
{
	const struct executor_artifact *inputs, *report, *dataset;
	const char *base_uri = NULL;
	struct merge_summary summary = {0};
	char *base = NULL, *pages = NULL;
	const char **dirs = NULL;
	size_t n;
	int rc = -1;

	(void)night;
	if (executor_input_artifacts(ex, SPEC_ARTIFACT_NIGHTS, &inputs, &n, e) < 0 ||
	    !(report = executor_output_artifact(ex, SPEC_ARTIFACT_REPORT, e)) ||
	    !(dataset = executor_output_artifact(ex, SPEC_ARTIFACT_DATASET, e)))
		return -1;
	if (executor_has_param(ex, SPEC_PARAM_BASE_NIGHTS) &&
	    !(base_uri = executor_param_string(ex, SPEC_PARAM_BASE_NIGHTS, e)))
		return -1;
	if (base_uri && base_uri[0] && !(base = task_param_path(SPEC_PARAM_BASE_NIGHTS, base_uri, EXECUTOR_URI_FOLDER, e)))
		return -1;
	if (!(dirs = calloc(n + 1, sizeof *dirs))) {
		free(base);
		return ERR(e, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		dirs[i] = inputs[i].path;
	pages = pages_beside(report->path, dataset->path);
	struct merge_options o = {.nights_dirs = dirs, .n_nights_dirs = n, .base_dir = base,
				  .out_dir = dataset->path, .dataset = true,
				  .linked_report_path = pages ? report->path : NULL, .linked_pages = pages};
	/* provenance, from the parameters the spec passes the merge (a spec without them: unknown) */
	o.input_root = task_param_optional(ex, SPEC_PARAM_INPUT_ROOT);
	o.profile = task_param_optional(ex, SPEC_PARAM_PROFILE);
	o.profile_len = o.profile ? strlen(o.profile) : 0;
	o.spec_name = task_param_optional(ex, SPEC_PARAM_PIPELINE_NAME);
	if (merge_check_outputs(&o, e) == 0 && task_output_folder(ex, SPEC_ARTIFACT_DATASET, e) &&
	    merge_run(&o, &summary, e) == 0 && (pages || copy_report(dataset->path, report->path, e) == 0) &&
	    publish_nights(dirs, n, base, dataset->path, e) == 0 && set_outputs_metadata(ex, &summary, e) == 0) {
		log_info(NULL, "merged %zu night folders%s%s into %s", n, base ? " and base " : "",
			 base ? base : "", dataset->path);
		rc = 0;
	}
	merge_summary_free(&summary);
	free(pages);
	free(dirs);
	free(base);
	return rc;
}

int merge_task_main(const char *json)
{
	return task_main("nightfan-merge", json, merge_task);
}
