/*
 * provenance.h — where a report comes from: the input root, the profile's digest, the nightfan
 * version and the compiled spec's name, written into report.json ("provenance") and at the top of
 * report.html. No timestamps: the same inputs give the same bytes.
 *
 * Owns: the provenance record, the profile digest and its two renderings. The writers
 * (merge/report_json.c, merge/report_html.c) only call provenance_json() / provenance_html().
 */
#ifndef NIGHTFAN_PROVENANCE_H
#define NIGHTFAN_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define PROVENANCE_TEXT_MAX 4096

struct provenance {
	bool has_input_root, has_profile, has_spec;
	char input_root[PROVENANCE_TEXT_MAX]; /* as the run named it (a folder or gs://...) */
	char profile_xxh128[33];              /* XXH3-128 of the profile's bytes, canonical hex */
	char spec[256];                       /* pipelineInfo.name of the compiled spec */
};

/* Fill *p; any argument may be NULL (unknown: null in report.json, left out of report.html).
 * profile/profile_len: the profile's bytes as the shards read them (the file nightfan-shard
 * --profile named, or the text of the spec's `profile` parameter in a pipeline run). */
void provenance_set(struct provenance *p, const char *input_root, const char *profile, size_t profile_len,
		    const char *spec);

/* {"input_root": ..., "profile_xxh128": ..., "nightfan_version": ..., "spec": ...}; NULL when out
 * of memory. */
cJSON *provenance_json(const struct provenance *p);

/* One <p class="provenance"> line, HTML-escaped. */
void provenance_html(FILE *fp, const struct provenance *p);

#endif
