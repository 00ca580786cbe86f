/*
 * profcheck.c — `nightfan profile check` (see profcheck.h).
 *
 * Per night: the profile's files that are missing; then, when none is, every CSV value column's
 * raw values through profile_value() (the shard's mapping), counting those with none; then the
 * night read by the shard's code with "on_unknown_value" set to "unscored", so that one unmapped
 * value does not hide the errors after it (its values are counted above); then whether the
 * predicted hypnogram lines up with the labels one.
 */
#include "profcheck.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shard/shard.h"
#include "shard/streams.h"
#include "canon.h"

#define SHOW_NIGHTS 10

struct nights {
	char **ids;  /* not owned */
	size_t n, cap;
};

struct unmapped {
	char *file, *value;
	enum profile_field field;
	long count;
	struct nights nights;
};

struct missing {
	char *file;
	struct nights nights;
};

struct problem {
	char *night;  /* not owned */
	char *text;
};

struct report {
	struct unmapped *unmapped;
	size_t n_unmapped, cap_unmapped;
	struct missing *missing;
	size_t n_missing, cap_missing;
	struct problem *times, *errors;
	size_t n_times, cap_times, n_errors, cap_errors;
	char **failed;
	size_t n_failed;
};

static int grow(void **items, size_t *cap, size_t n, size_t size, struct err *e)
{
	void *p;

	if (n < *cap)
		return 0;
	if (!(p = realloc(*items, (*cap = *cap ? *cap * 2 : 16) * size)))
		return ERR(e, "out of memory");
	*items = p;
	return 0;
}

static int nights_add(struct nights *l, char *night, struct err *e)
{
	if (l->n && l->ids[l->n - 1] == night)
		return 0;
	if (grow((void **)&l->ids, &l->cap, l->n, sizeof(*l->ids), e) < 0)
		return -1;
	l->ids[l->n++] = night;
	return 0;
}

static int add_problem(struct problem **items, size_t *n, size_t *cap, char *night, const char *text, struct err *e)
{
	if (grow((void **)items, cap, *n, sizeof(**items), e) < 0)
		return -1;
	if (!((*items)[*n].text = strdup(text)))
		return ERR(e, "out of memory");
	(*items)[(*n)++].night = night;
	return 0;
}

/* ---- missing files ---- */

static int add_missing(struct report *r, const char *file, char *night, struct err *e)
{
	size_t i;

	for (i = 0; i < r->n_missing && strcmp(r->missing[i].file, file) != 0; i++)
		;
	if (i == r->n_missing) {
		if (grow((void **)&r->missing, &r->cap_missing, r->n_missing, sizeof(*r->missing), e) < 0)
			return -1;
		r->missing[i] = (struct missing){.file = strdup(file)};
		if (!r->missing[i].file)
			return ERR(e, "out of memory");
		r->n_missing++;
	}
	return nights_add(&r->missing[i].nights, night, e);
}

/* The profile's files missing in the night, added to the report; *any when one is. */
static int check_files(struct report *r, const struct profile *p, const char *root, char *night, bool *any,
		       struct err *e)
{
	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++) {
			const struct profile_stream *ps = profile_stream(p, s, st);
			char path[8192];
			struct stat sb;
			if (!ps)
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", root, night, ps->file);
			if (stat(path, &sb) == 0)
				continue;
			*any = true;
			if (add_missing(r, ps->file, night, e) < 0)
				return -1;
		}
	return 0;
}

/* ---- unmapped values ---- */

struct scan {
	struct report *r;
	const struct profile_stream *s;
	char *night;
	long found;
	struct err *fail;  /* out of memory, the one error that stops the check */
};

static int add_unmapped(struct scan *sc, const char *raw, size_t len)
{
	struct report *r = sc->r;
	size_t i;

	for (i = 0; i < r->n_unmapped; i++) {
		struct unmapped *u = &r->unmapped[i];
		if (strcmp(u->file, sc->s->file) == 0 && strlen(u->value) == len && memcmp(u->value, raw, len) == 0)
			break;
	}
	if (i == r->n_unmapped) {
		if (grow((void **)&r->unmapped, &r->cap_unmapped, r->n_unmapped, sizeof(*r->unmapped), sc->fail) < 0)
			return -1;
		r->unmapped[i] = (struct unmapped){.file = strdup(sc->s->file), .value = strndup(raw, len),
						   .field = sc->s->value_field};
		if (!r->unmapped[i].file || !r->unmapped[i].value)
			return ERR(sc->fail, "out of memory");
		r->n_unmapped++;
	}
	r->unmapped[i].count++;
	return nights_add(&r->unmapped[i].nights, sc->night, sc->fail);
}

static int scan_row(void *ctx, const struct streams_row *row, struct err *e)
{
	struct scan *sc = ctx;
	const struct csv_field *f = row->fields[sc->s->value_field];

	(void)e;
	if (!f || profile_value(sc->s, f->ptr, f->len) >= 0)
		return 0;
	sc->found++;
	return add_unmapped(sc, f->ptr, f->len);
}

/* Every CSV stream's raw values with no mapping, the labels hypnogram first (it sets the reference
 * clock times count from). A stream that cannot be read is left to the shard's own read. */
static int scan_values(struct report *r, const struct profile *p, const char *root, char *night, long *found,
		       struct err *e)
{
	struct streams_reference reference = {0};
	struct streams_night where = {root, night, p, &reference, NULL};

	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++) {
			const struct profile_stream *ps = profile_stream(p, s, st);
			struct streams_file_info info = {0};
			struct scan sc = {r, ps, night, 0, e};
			struct err ignored;
			if (!ps || ps->format != FORMAT_CSV || !ps->columns[ps->value_field])
				continue;
			err_clear(e);
			if (streams_read_rows(&where, ps, scan_row, &sc, &info, &ignored) < 0 && e->message[0])
				return -1;
			*found += sc.found;
		}
	return 0;
}

/* ---- the night as the shard reads it ---- */

static void describe_timing(const struct shard_timing *t, const struct profile *p, char *out, size_t size)
{
	const char *lf = profile_stream(p, SOURCE_LABELS, STREAM_HYPNOGRAM)->file;
	const char *pf = profile_stream(p, SOURCE_PREDICTIONS, STREAM_HYPNOGRAM)->file;

	snprintf(out, size, "%s starts at %g s, %s at %g s: %zu of its %zu epochs have a labels epoch's onset",
		 pf, t->pred_t0, lf, t->labels_t0, t->matched, t->pred_epochs);
}

static int check_night(struct report *r, struct profile *p, const char *root, char *night, bool *failed,
		       struct err *e)
{
	bool missing = false, unscored = p->unknown_unscored;
	long unmapped = 0;
	struct shard_night *sn;
	struct err night_err;
	char text[ERR_FILE_MAX + ERR_MSG_MAX + 64];

	if (check_files(r, p, root, night, &missing, e) < 0)
		return -1;
	if (missing) {
		*failed = true;
		return 0;
	}
	if (scan_values(r, p, root, night, &unmapped, e) < 0)
		return -1;
	*failed = unmapped > 0 && !unscored;
	p->unknown_unscored = true;
	sn = shard_night_read(root, night, p, &night_err);
	p->unknown_unscored = unscored;
	if (!sn) {
		*failed = true;
		return add_problem(&r->errors, &r->n_errors, &r->cap_errors, night,
				   err_format(&night_err, text, sizeof(text)), e);
	}
	struct shard_timing t;
	shard_night_timing(sn, &t);
	shard_night_free(sn);
	if (t.has_pred && t.matched * 2 < t.pred_epochs) {
		*failed = true;
		describe_timing(&t, p, text, sizeof(text));
		return add_problem(&r->times, &r->n_times, &r->cap_times, night, text, e);
	}
	return 0;
}

/* ---- the report ---- */

static void print_nights(FILE *out, const struct nights *l)
{
	fprintf(out, "%zu night%s (", l->n, l->n == 1 ? "" : "s");
	for (size_t i = 0; i < l->n && i < SHOW_NIGHTS; i++)
		fprintf(out, "%s%s", i ? ", " : "", l->ids[i]);
	if (l->n > SHOW_NIGHTS)
		fprintf(out, ", and %zu more", l->n - SHOW_NIGHTS);
	fputc(')', out);
}

static void print_problems(FILE *out, const char *title, const struct problem *items, size_t n)
{
	if (!n)
		return;
	fprintf(out, "\n%s\n", title);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s: %s\n", items[i].night, items[i].text);
}

static void print_report(FILE *out, const struct report *r, const struct profile *p, size_t n_nights)
{
	fprintf(out, "nightfan profile check: %zu night%s read, ", n_nights, n_nights == 1 ? "" : "s");
	if (r->n_failed == 0)
		fprintf(out, "%s would pass\n", n_nights == 1 ? "it" : n_nights == 2 ? "both" : "every one");
	else {
		fprintf(out, "%zu would fail:", r->n_failed);
		for (size_t i = 0; i < r->n_failed && i < SHOW_NIGHTS; i++)
			fprintf(out, " %s", r->failed[i]);
		if (r->n_failed > SHOW_NIGHTS)
			fprintf(out, " and %zu more", r->n_failed - SHOW_NIGHTS);
		fputc('\n', out);
	}
	if (r->n_unmapped) {
		fprintf(out, "\nraw values with no mapping%s\n",
			p->unknown_unscored ? " (\"on_unknown_value\": \"unscored\": counted in night.json, not failing)" : "");
		for (size_t i = 0; i < r->n_unmapped; i++) {
			const struct unmapped *u = &r->unmapped[i];
			fprintf(out, "  %s %s \"%s\": %ld row%s in ", u->file, profile_field_name(u->field), u->value,
				u->count, u->count == 1 ? "" : "s");
			print_nights(out, &u->nights);
			fputc('\n', out);
		}
	}
	if (r->n_missing) {
		fputs("\nfiles missing\n", out);
		for (size_t i = 0; i < r->n_missing; i++) {
			fprintf(out, "  %s: in ", r->missing[i].file);
			print_nights(out, &r->missing[i].nights);
			fputc('\n', out);
		}
	}
	print_problems(out, "times that disagree", r->times, r->n_times);
	print_problems(out, "other errors", r->errors, r->n_errors);
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n_unmapped; i++) {
		free(r->unmapped[i].file);
		free(r->unmapped[i].value);
		free(r->unmapped[i].nights.ids);
	}
	free(r->unmapped);
	for (size_t i = 0; i < r->n_missing; i++) {
		free(r->missing[i].file);
		free(r->missing[i].nights.ids);
	}
	free(r->missing);
	for (size_t i = 0; i < r->n_times; i++)
		free(r->times[i].text);
	free(r->times);
	for (size_t i = 0; i < r->n_errors; i++)
		free(r->errors[i].text);
	free(r->errors);
	free(r->failed);
}

size_t profcheck_sample(size_t n, size_t sample, size_t *pick)
{
	size_t count = sample >= n ? n : sample;

	for (size_t i = 0; i < count; i++)
		pick[i] = sample >= n ? i : i * n / sample;
	return count;
}

int profcheck_run(struct profile *p, const char *root, char *const *nights, size_t n, FILE *out,
		  bool *all_pass, struct err *e)
{
	struct report r = {0};
	int rc = 0;

	if (!(r.failed = calloc(n ? n : 1, sizeof(*r.failed))))
		return ERR(e, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool failed = false;
		rc = check_night(&r, p, root, nights[i], &failed, e);
		if (failed)
			r.failed[r.n_failed++] = nights[i];
	}
	if (rc == 0) {
		print_report(out, &r, p, n);
		*all_pass = r.n_failed == 0;
	}
	report_free(&r);
	return rc;
}
