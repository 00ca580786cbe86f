/*
 * kfp.c — nightfan-merge's KFP executor mode (see kfp.h).
 */
#include "kfp.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executor.h"
#include "fsutil.h"
#include "log.h"
#include "merge.h"

#define REPORT_MAX_BYTES (64u << 20)
#define COPY_CHUNK (1u << 16)

/* Headline agreement figures for system.Metrics: these score keys, these statistics. */
static const char *const headline_keys[] = {"AHI", "RDI", "TST", "SE", "WASO", "SOL", "N3", "REM",
					    "supine_pct", NULL};
static const char *const headline_stats[] = {"icc", "bias", "mae", NULL};

/* ---- copying night folders into the dataset ----------------------------------------------- */

static int copy_file(const char *from, const char *to, struct err *e)
{
	char buf[COPY_CHUNK];
	struct fs_atomic a;
	ssize_t got;
	int fd;

	if (link(from, to) == 0)
		return 0; /* same file system: no copy needed, the shard never rewrites in place */
	if ((fd = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return ERR_SYS(e, from, "cannot read");
	if (fs_atomic_open(&a, to, e) < 0) {
		close(fd);
		return -1;
	}
	while ((got = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)got, a.fp) != (size_t)got)
			break;
	close(fd);
	if (got != 0) {
		fs_atomic_abort(&a);
		return ERR_SYS(e, from, "cannot copy");
	}
	return fs_atomic_commit(&a, e);
}

static int copy_night(const char *from_dir, const char *night, const char *to_dir, struct err *e)
{
	static const char *const files[] = {"night.json", "epochs.csv", "events.csv"};
	char *dst_dir, *src, *dst;
	int rc = 0;

	if (asprintf(&dst_dir, "%s/%s", to_dir, night) < 0)
		return ERR(e, "out of memory");
	rc = fs_mkdir_p(dst_dir, e);
	for (int i = 0; rc == 0 && i < 3; i++) {
		if (asprintf(&src, "%s/%s/%s", from_dir, night, files[i]) < 0)
			return ERR(e, "out of memory");
		if (asprintf(&dst, "%s/%s", dst_dir, files[i]) < 0) {
			free(src);
			return ERR(e, "out of memory");
		}
		if (access(src, F_OK) == 0) /* a failed night has no epochs.csv; older nights no events.csv */
			rc = copy_file(src, dst, e);
		free(src);
		free(dst);
	}
	free(dst_dir);
	return rc;
}

/* Copy every night folder of `from` not yet under `to` (names starting with '.' skipped). */
static int copy_nights(const char *from, const char *to, struct err *e)
{
	DIR *dir = opendir(from);
	struct dirent *d;
	int rc = 0;

	if (!dir)
		return ERR_SYS(e, from, "cannot list");
	while (rc == 0 && (d = readdir(dir))) {
		char *there;
		if (d->d_name[0] == '.')
			continue;
		if (asprintf(&there, "%s/%s", to, d->d_name) < 0) {
			rc = ERR(e, "out of memory");
			break;
		}
		bool done = access(there, F_OK) == 0;
		free(there);
		if (!done)
			rc = copy_night(from, d->d_name, to, e);
	}
	closedir(dir);
	return rc;
}

/* Written in place, not staged and renamed: a folder rename may be refused on /gcs/, and KFP hands
 * the artifact on only after the task succeeded. */
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

static cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void add_number(cJSON *meta, const char *name, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(meta, name, v->valuedouble);
}

/* v1.1: the headline uncertainty (AHI bias and ICC 95 % CIs) and the per-night staging kappa. */
static void add_headline_cis(cJSON *meta, const cJSON *report)
{
	const cJSON *ahi = get(get(report, "scores"), "AHI");
	const cJSON *bias_ci = get(ahi, "bias_ci"), *icc_ci = get(ahi, "icc_ci");

	add_number(meta, "AHI_bias_ci_low", cJSON_GetArrayItem(bias_ci, 0));
	add_number(meta, "AHI_bias_ci_high", cJSON_GetArrayItem(bias_ci, 1));
	add_number(meta, "AHI_icc_ci_low", cJSON_GetArrayItem(icc_ci, 0));
	add_number(meta, "AHI_icc_ci_high", cJSON_GetArrayItem(icc_ci, 1));
	add_number(meta, "staging_kappa_night_mean",
		   get(get(get(get(report, "staging"), "by_night"), "kappa"), "mean"));
}

static cJSON *metrics_metadata(const cJSON *report)
{
	cJSON *meta = cJSON_CreateObject();
	char name[96];

	add_number(meta, "nights_total", get(get(report, "nights"), "total"));
	add_number(meta, "nights_ok", get(get(report, "nights"), "ok"));
	add_number(meta, "nights_failed", get(get(report, "nights"), "failed"));
	for (int k = 0; headline_keys[k]; k++)
		for (int s = 0; headline_stats[s]; s++) {
			snprintf(name, sizeof name, "%s_%s", headline_keys[k], headline_stats[s]);
			add_number(meta, name, get(get(get(report, "scores"), headline_keys[k]), headline_stats[s]));
		}
	add_number(meta, "severity_accuracy", get(get(report, "severity"), "accuracy"));
	add_number(meta, "severity_kappa", get(get(report, "severity"), "kappa"));
	add_number(meta, "staging_accuracy", get(get(report, "staging"), "accuracy"));
	add_number(meta, "staging_kappa", get(get(report, "staging"), "kappa"));
	add_headline_cis(meta, report);
	/* the AHI limits of agreement too: `nightfan run` prints its summary from these metrics */
	add_number(meta, "AHI_loa_low", get(get(get(report, "scores"), "AHI"), "loa_low"));
	add_number(meta, "AHI_loa_high", get(get(get(report, "scores"), "AHI"), "loa_high"));
	return meta;
}

/* {"confusionMatrix": {"annotationSpecs": [{"displayName": L}], "rows": [{"row": [counts]}]}},
 * as the KFP SDK's ClassificationMetrics.log_confusion_matrix writes it. */
static cJSON *confusion_metadata(const cJSON *block)
{
	cJSON *meta = cJSON_CreateObject(), *matrix = cJSON_AddObjectToObject(meta, "confusionMatrix");
	cJSON *specs = cJSON_AddArrayToObject(matrix, "annotationSpecs");
	cJSON *rows = cJSON_AddArrayToObject(matrix, "rows");
	const cJSON *label, *row;

	cJSON_ArrayForEach(label, get(block, "labels")) {
		cJSON *spec = cJSON_CreateObject();
		cJSON_AddStringToObject(spec, "displayName", cJSON_IsString(label) ? label->valuestring : "");
		cJSON_AddItemToArray(specs, spec);
	}
	cJSON_ArrayForEach(row, get(block, "confusion")) {
		cJSON *r = cJSON_CreateObject(), *cells = cJSON_AddArrayToObject(r, "row");
		const cJSON *cell;
		cJSON_ArrayForEach(cell, row)
			cJSON_AddItemToArray(cells, cJSON_CreateNumber(cJSON_IsNumber(cell) ? cell->valuedouble : 0));
		cJSON_AddItemToArray(rows, r);
	}
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

/* How many nights failed, as a warning naming each (file:line: message), so that a run with
 * failures stands out in the task's log; an info line when none did. */
static void log_nights(const cJSON *report)
{
	const cJSON *nights = get(report, "nights"), *f;
	double total = cJSON_GetNumberValue(get(nights, "total")), failed = cJSON_GetNumberValue(get(nights, "failed"));

	if (!(failed > 0)) {
		log_info(NULL, "%.0f nights merged, none failed", total);
		return;
	}
	log_warn(NULL, "%.0f of %.0f nights failed and are in no statistic", failed, total);
	cJSON_ArrayForEach(f, get(report, "failed")) {
		const cJSON *err = get(f, "error");
		const char *file = cJSON_GetStringValue(get(err, "file"));
		const cJSON *line = get(err, "line");
		char where[600] = "";
		if (file && cJSON_IsNumber(line))
			snprintf(where, sizeof where, "%s:%.0f: ", file, line->valuedouble);
		else if (file)
			snprintf(where, sizeof where, "%s: ", file);
		log_warn(cJSON_GetStringValue(get(f, "night")), "failed: %s%s", where,
			 cJSON_GetStringValue(get(err, "message")) ?: "");
	}
}

static int set_outputs_metadata(struct executor *ex, const char *dataset, struct err *e)
{
	char *path, *text;
	cJSON *report, *summary;
	int rc;

	if (asprintf(&path, "%s/report.json", dataset) < 0)
		return ERR(e, "out of memory");
	text = fs_read_file(path, REPORT_MAX_BYTES, NULL, e);
	report = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!report) {
		rc = e->message[0] ? -1 : ERR_AT(e, path, 0, 0, "expected the merge's report.json");
		free(path);
		return rc;
	}
	free(path);
	log_nights(report);
	summary = cJSON_Duplicate(get(report, "nights"), 1);
	rc = put_metadata(ex, "metrics", metrics_metadata(report), e);
	if (rc == 0)
		rc = put_metadata(ex, "staging_confusion", confusion_metadata(get(report, "staging")), e);
	if (rc == 0)
		rc = put_metadata(ex, "severity_confusion", confusion_metadata(get(report, "severity")), e);
	if (rc == 0)
		rc = executor_set_artifact_metadata(ex, "dataset", summary ? summary : cJSON_CreateObject(), e);
	else
		cJSON_Delete(summary);
	cJSON_Delete(report);
	return rc;
}

/* ---- the task ----------------------------------------------------------------------------- */

/* A string parameter the task may not have: its value, or NULL. */
static const char *optional_param(const struct executor *ex, const char *name)
{
	struct err ignored;

	return executor_has_param(ex, name) ? executor_param_string(ex, name, &ignored) : NULL;
}

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

static int merge_task(struct executor *ex, struct err *e)
{
	const struct executor_artifact *inputs, *report, *dataset;
	const char *base_uri = NULL;
	char *base = NULL, *html = NULL, *pages = NULL;
	const char **dirs = NULL;
	size_t n;
	int rc = -1;

	if (executor_input_artifacts(ex, "nights", &inputs, &n, e) < 0 ||
	    !(report = executor_output_artifact(ex, "report", e)) ||
	    !(dataset = executor_output_artifact(ex, "dataset", e)))
		return -1;
	if (executor_has_param(ex, "base_nights") && !(base_uri = executor_param_string(ex, "base_nights", e)))
		return -1;
	if (base_uri && base_uri[0] && !(base = executor_uri_to_path(base_uri, EXECUTOR_URI_FOLDER, e)))
		return err_prefix(e, "base_nights");
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
	o.input_root = optional_param(ex, "input_root");
	o.profile = optional_param(ex, "profile");
	o.profile_len = o.profile ? strlen(o.profile) : 0;
	o.spec_name = optional_param(ex, "pipeline_name");
	if (asprintf(&html, "%s/report.html", dataset->path) < 0)
		ERR(e, "out of memory");
	else if (merge_check_outputs(&o, e) == 0 && fs_mkdir_p(dataset->path, e) == 0 && merge_run(&o, e) == 0 &&
		 (pages || copy_file(html, report->path, e) == 0) &&
		 publish_nights(dirs, n, base, dataset->path, e) == 0 &&
		 set_outputs_metadata(ex, dataset->path, e) == 0 && executor_write_output(ex, e) == 0) {
		log_info(NULL, "merged %zu night folders%s%s into %s", n, base ? " and base " : "",
			 base ? base : "", dataset->path);
		rc = 0;
	}
	free(html);
	free(pages);
	free(dirs);
	free(base);
	return rc;
}

int merge_kfp_main(const char *json)
{
	struct err e = {0};
	char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	struct executor *ex;
	int rc;

	log_init("nightfan-merge", true);
	if (!(ex = executor_parse(json, &e))) {
		log_error(NULL, "%s", err_format(&e, msg, sizeof msg));
		return 1;
	}
	rc = merge_task(ex, &e);
	if (rc < 0)
		log_error(NULL, "%s", err_format(&e, msg, sizeof msg));
	executor_free(ex);
	return rc < 0 ? 1 : 0;
}
