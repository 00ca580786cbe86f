/*
 * shard.c — one night from input files to night.json + epochs.csv (see shard.h).
 *
 * Data flows one way: read every stream (streams.c) → place events and build per-epoch values
 * (epochs.c) → scores per source (score.c) → write (nightjson.c, epochscsv.c) into a staged folder
 * that is swapped in whole (fsutil.h), so no reader ever sees half a night.
 *
 * The SPEC's borrowing rules live here: a stream the predictions lack is the labels' — except the
 * hypnogram, whose absence makes the predictions' sleep keys null and their other scores use the
 * labels' epochs. Events are checked against (and placed on) the grid of the hypnogram that scores
 * them; positions for predicted epochs come from the labels epoch with the same onset.
 */
#include "shard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epochs.h"
#include "epochscsv.h"
#include "executor.h"
#include "eventscsv.h"
#include "fsutil.h"
#include "nightid.h"
#include "nightjson.h"
#include "pairing.h"
#include "profile.h"
#include "score.h"
#include "streams.h"

#define L SOURCE_LABELS
#define P SOURCE_PREDICTIONS

struct night {
	const struct shard_options *o;
	const struct profile *profile;
	struct streams_night where;
	struct streams_reference reference;        /* clock times and date-times count from it */
	struct annot_cache annotations;            /* annotation files, each read once */

	struct streams_file_info inputs[SOURCE_COUNT][STREAM_COUNT]; /* read when has[][] */

	bool has[SOURCE_COUNT][STREAM_COUNT];      /* the source has the stream of its own */
	struct hypnogram hyp[SOURCE_COUNT];
	struct event_list events[SOURCE_COUNT];
	struct position_epochs pos[SOURCE_COUNT];  /* on the source's scoring grid */

	struct epochs_alignment alignment;          /* predicted hypnogram vs labels hypnogram */
	uint8_t *positions[SOURCE_COUNT];          /* per epoch of the scoring grid, or NULL */
	struct score_event *placed[SOURCE_COUNT];
	size_t n_placed[SOURCE_COUNT];
	uint8_t *first_event[SOURCE_COUNT];        /* per labels epoch, for epochs.csv */
	struct score_set scores[SOURCE_COUNT];
	long confusion[STAGE_COUNT][STAGE_COUNT];
	struct pairing_result pairing;             /* when has[P][STREAM_RESPIRATORY] */
};

/* ---- reading ---- */

/* The hypnogram that scores source s: its own, else the labels'. */
static const struct hypnogram *scoring_grid(const struct night *n, enum source s)
{
	return n->has[s][STREAM_HYPNOGRAM] ? &n->hyp[s] : &n->hyp[L];
}

static int read_hypnograms(struct night *n, struct err *e)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct profile_stream *ps = profile_stream(n->profile, s, STREAM_HYPNOGRAM);
		if (!ps)
			continue;
		if (streams_read_hypnogram(&n->where, ps, &n->hyp[s], &n->inputs[s][STREAM_HYPNOGRAM], e) < 0)
			return -1;
		n->has[s][STREAM_HYPNOGRAM] = true;
	}
	return 0;
}

static int read_respiratory(struct night *n, struct err *e)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct profile_stream *ps = profile_stream(n->profile, s, STREAM_RESPIRATORY);
		if (!ps)
			continue;
		if (streams_read_respiratory(&n->where, ps, &n->events[s], &n->inputs[s][STREAM_RESPIRATORY], e) < 0)
			return -1;
		n->has[s][STREAM_RESPIRATORY] = true;
	}
	return 0;
}

static int read_positions(struct night *n, struct err *e)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct profile_stream *ps = profile_stream(n->profile, s, STREAM_POSITION);
		if (!ps)
			continue;
		if (streams_read_position(&n->where, ps, scoring_grid(n, s), n->profile->epoch_seconds, &n->pos[s],
					  &n->inputs[s][STREAM_POSITION], e) < 0)
			return -1;
		n->has[s][STREAM_POSITION] = true;
	}
	return 0;
}

/* ---- epochs ---- */

/* bench/30-nights.sh builds a shard without event-by-event agreement (no pairing, no events.csv)
 * to measure what it costs; no other build defines this. */
#ifdef SHARD_BENCH_NO_EVENTS
#define EVENTS_ON false
#else
#define EVENTS_ON true
#endif

/* Event-by-event agreement needs the predictions' own events: borrowed ones would pair with
 * themselves. */
static bool has_event_agreement(const struct night *n)
{
	return EVENTS_ON && n->has[P][STREAM_RESPIRATORY];
}

/* Each source's own events (NULL: it has no respiratory stream). */
static void own_events(const struct night *n, const struct event_list *out[SOURCE_COUNT])
{
	for (int s = 0; s < SOURCE_COUNT; s++)
		out[s] = n->has[s][STREAM_RESPIRATORY] ? &n->events[s] : NULL;
}

/* The events that score source s: its own, else the labels' (NULL when neither has any). */
static const struct event_list *scoring_events(const struct night *n, enum source s)
{
	if (n->has[s][STREAM_RESPIRATORY])
		return &n->events[s];
	return n->has[L][STREAM_RESPIRATORY] ? &n->events[L] : NULL;
}

static int place_events(struct night *n, struct err *e)
{
	double epoch = n->profile->epoch_seconds;

	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct event_list *ev = scoring_events(n, s);
		if (!ev)
			continue;
		/* a source's own events must lie within its recording; borrowed ones are only left out */
		if (epochs_place_events(ev, scoring_grid(n, s), epoch, n->has[s][STREAM_RESPIRATORY], &n->placed[s],
					&n->n_placed[s], e) < 0)
			return -1;
	}
	for (int s = 0; s < SOURCE_COUNT; s++) {
		if (!(n->first_event[s] = malloc(n->hyp[L].n)))
			return ERR(e, "out of memory");
		if (epochs_first_events(scoring_events(n, s), &n->hyp[L], epoch, n->first_event[s], e) < 0)
			return -1;
	}
	return 0;
}

static int build_positions(struct night *n, struct err *e)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct hypnogram *grid = scoring_grid(n, s);
		if (!n->has[s][STREAM_POSITION] && !n->has[L][STREAM_POSITION])
			continue;
		if (!(n->positions[s] = malloc(grid->n)))
			return ERR(e, "out of memory");
		if (n->has[s][STREAM_POSITION])
			epochs_positions(&n->pos[s], n->positions[s]);
		else if (n->has[s][STREAM_HYPNOGRAM])
			epochs_positions_by_onset(&n->alignment, n->positions[L], n->positions[s]);
		else
			memcpy(n->positions[s], n->positions[L], grid->n);
	}
	return 0;
}

static void compute_scores(struct night *n)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		const struct hypnogram *grid = scoring_grid(n, s);
		struct score_input in = {
			.epoch_seconds = n->profile->epoch_seconds,
			.n_epochs = grid->n,
			.stages = grid->stages,
			.own_hypnogram = n->has[s][STREAM_HYPNOGRAM],
			.positions = n->positions[s],
			.events = n->placed[s],
			.n_events = n->n_placed[s],
			.has_respiratory = scoring_events(n, s) != NULL,
		};
		score_compute(&in, &n->scores[s]);
	}
}

static int process(struct night *n, struct err *e)
{
	if (read_hypnograms(n, e) < 0 || read_respiratory(n, e) < 0 || read_positions(n, e) < 0)
		return -1;
	epochs_align(&n->hyp[L], &n->hyp[P], n->profile->epoch_seconds, &n->alignment);
	if (place_events(n, e) < 0 || build_positions(n, e) < 0)
		return -1;
	compute_scores(n);
	if (n->has[P][STREAM_HYPNOGRAM])
		epochs_confusion(&n->hyp[L], &n->hyp[P], &n->alignment, n->confusion);
	if (has_event_agreement(n)) {
		const struct event_list *own[SOURCE_COUNT];
		own_events(n, own);
		if (pairing_compute(own[L], own[P], &n->pairing, e) < 0)
			return -1;
	}
	return 0;
}

static void night_free(struct night *n)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		streams_hypnogram_free(&n->hyp[s]);
		streams_events_free(&n->events[s]);
		streams_position_free(&n->pos[s]);
		free(n->positions[s]);
		free(n->placed[s]);
		free(n->first_event[s]);
	}
	pairing_free(&n->pairing);
	annot_cache_free(&n->annotations);
}

/* ---- writing ---- */

static int write_text(const char *dir, const char *name, const char *text, struct err *e)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "w")))
		return ERR_SYS(e, path, "cannot create");
	fputs(text, fp);
	fputc('\n', fp);
	if (ferror(fp) | fclose(fp))
		return ERR_SYS(e, path, "cannot write");
	return 0;
}

/* stdio's buffer for epochs.csv and then events.csv (written one after the other): one buffer, so
 * the second file's rows land in pages the first has already touched (three page faults fewer). */
static char out_buffer[1 << 16];

static int write_epochs_csv(const struct night *n, const char *dir, struct err *e)
{
	char path[4096];
	struct epochscsv_night table = {
		.night = n->o->night,
		.labels = &n->hyp[L],
		.epoch_seconds = n->profile->epoch_seconds,
		.pred = n->has[P][STREAM_HYPNOGRAM] ? &n->hyp[P] : NULL,
		.alignment = &n->alignment,
		.positions = n->positions[L],
		.motion = n->has[L][STREAM_POSITION] ? &n->pos[L] : NULL,
		.event_label = n->first_event[L],
		.event_pred = n->first_event[P],
	};
	uint8_t *unknown = NULL;
	FILE *fp;

	if (!table.positions) {
		if (!(unknown = malloc(n->hyp[L].n)))
			return ERR(e, "out of memory");
		memset(unknown, POS_UNKNOWN, n->hyp[L].n);
		table.positions = unknown;
	}
	snprintf(path, sizeof(path), "%s/epochs.csv", dir);
	if (!(fp = fopen(path, "w"))) {
		free(unknown);
		return ERR_SYS(e, path, "cannot create");
	}
	setvbuf(fp, out_buffer, _IOFBF, sizeof(out_buffer));
	epochscsv_write(fp, &table);
	free(unknown);
	if (ferror(fp) | fclose(fp))
		return ERR_SYS(e, path, "cannot write");
	return 0;
}

static int write_events_csv(const struct night *n, const char *dir, struct err *e)
{
	const struct event_list *own[SOURCE_COUNT];
	char path[4096];
	FILE *fp;

	own_events(n, own);
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	if (!(fp = fopen(path, "w")))
		return ERR_SYS(e, path, "cannot create");
	setvbuf(fp, out_buffer, _IOFBF, sizeof(out_buffer)); /* a night's events in one write */
	eventscsv_write(fp, own, has_event_agreement(n) ? &n->pairing : NULL);
	if (ferror(fp) | fclose(fp))
		return ERR_SYS(e, path, "cannot write");
	return 0;
}

/* The files read, source by source, stream by stream (night.json's order), each once: several
 * streams may take their annotations from one file. Returns how many. */
static size_t files_read(const struct night *n, struct streams_file_info *inputs)
{
	size_t count = 0;

	for (int s = 0; s < SOURCE_COUNT; s++)
		for (int st = 0; st < STREAM_COUNT; st++) {
			bool seen = false;
			if (!n->has[s][st])
				continue;
			for (size_t i = 0; i < count && !seen; i++)
				seen = strcmp(inputs[i].file, n->inputs[s][st].file) == 0;
			if (!seen)
				inputs[count++] = n->inputs[s][st];
		}
	return count;
}

static int write_ok(const struct night *n, const char *dir, struct err *e)
{
	struct streams_file_info inputs[SOURCE_COUNT * STREAM_COUNT];
	size_t n_inputs = files_read(n, inputs);
	struct nightjson_ok ok = {
		.night = n->o->night,
		.epoch_seconds = n->profile->epoch_seconds,
		.epochs = n->hyp[L].n,
		.inputs = inputs,
		.n_inputs = n_inputs,
		.scores = {&n->scores[L], &n->scores[P]},
		.confusion = n->has[P][STREAM_HYPNOGRAM] ? (const long (*)[STAGE_COUNT])n->confusion : NULL,
		.pairing = has_event_agreement(n) ? &n->pairing : NULL,
	};
	char *text = nightjson_ok(&ok, e);
	int rc;

	if (!text)
		return -1;
	rc = write_text(dir, "night.json", text, e);
	free(text);
	if (rc < 0 || write_epochs_csv(n, dir, e) < 0)
		return -1;
	return EVENTS_ON ? write_events_csv(n, dir, e) : 0;
}

static int write_failed(const struct shard_options *o, double epoch_seconds, const struct err *failure,
			const char *dir, struct err *e)
{
	char *text = nightjson_failed(o->night, epoch_seconds, failure, e);
	int rc;

	if (!text)
		return -1;
	rc = write_text(dir, "night.json", text, e);
	free(text);
	return rc;
}

/* An error while filling the staged folder names the file where the user will look for it:
 * <out>/<night>/epochs.csv, not <out>/.<night>.tmp.<pid>/epochs.csv. */
static void name_final_path(struct err *e, const char *staged, const char *final)
{
	size_t n = strlen(staged);
	char file[ERR_FILE_MAX];

	if (strncmp(e->file, staged, n) == 0 && e->file[n] == '/') {
		snprintf(file, sizeof(file), "%s%s", final, e->file + n);
		memcpy(e->file, file, sizeof(file));
	}
}

/* <out>/<night>/ emptied and filled in place (shard.h: in_place); removed again on failure. */
static int write_in_place(const struct shard_options *o, const struct night *n, const struct err *failure,
			  struct err *e)
{
	char final[4096];
	int rc;

	snprintf(final, sizeof(final), "%s/%s", o->out, o->night);
	if (fs_remove_tree(final, e) < 0 || fs_mkdir_p(final, e) < 0)
		return -1;
	rc = failure ? write_failed(o, n->profile->epoch_seconds, failure, final, e) : write_ok(n, final, e);
	if (rc < 0)
		fs_remove_tree(final, &(struct err){0});
	return rc;
}

/* Stage <out>/.<night>.tmp.<pid>, fill it, swap it in as <out>/<night>. */
static int publish(const struct shard_options *o, const struct night *n, const struct err *failure,
		   struct err *e)
{
	char *staged = NULL, final[4096];
	int rc;

	if (o->in_place)
		return write_in_place(o, n, failure, e);
	if (fs_stage_dir(o->out, o->night, &staged, e) < 0)
		return -1;
	rc = failure ? write_failed(o, n->profile->epoch_seconds, failure, staged, e) : write_ok(n, staged, e);
	snprintf(final, sizeof(final), "%s/%s", o->out, o->night);
	if (rc == 0) {
		rc = fs_publish_dir(staged, final, e);
	} else {
		name_final_path(e, staged, final);
		fs_remove_tree(staged, &(struct err){0});
	}
	free(staged);
	return rc;
}

static bool ends_with_slash(const char *path)
{
	return path[0] && path[strlen(path) - 1] == '/';
}

int shard_check_output(const struct shard_options *o, struct err *e)
{
	bool gs = strncmp(o->input, "gs://", 5) == 0;
	char *in_night = NULL, *in_local = NULL, *out_night = NULL;
	struct err refused;
	enum fs_relation rel = FS_APART;
	int rc = -1;

	if (asprintf(&in_night, "%s%s%s", o->input, ends_with_slash(o->input) ? "" : "/", o->night) < 0)
		return ERR(e, "out of memory");
	if (asprintf(&out_night, "%s%s%s", o->out, ends_with_slash(o->out) ? "" : "/", o->night) < 0)
		out_night = NULL;
	/* a gs:// root is read under its /gcs/ path by the one URI rule when its bucket is mounted
	 * there (shard/input.c); one the rule refuses is read through the API only: nothing local */
	in_local = gs ? executor_uri_to_path(in_night, EXECUTOR_URI_FOLDER, &refused) : strdup(in_night);
	if (gs && !in_local && strcmp(refused.message, "out of memory") != 0) {
		rc = 0;
		goto done;
	}
	if (!out_night || !in_local) {
		ERR(e, "out of memory");
		goto done;
	}
	rc = fs_relate(out_night, in_local, &rel, e);
	if (rc == 0 && rel != FS_APART)
		rc = ERR(e, "the output night folder %s %s the input night folder %s: refusing to write over "
			 "the recordings", out_night, fs_relation_words(rel), in_night);
done:
	free(in_night);
	free(in_local);
	free(out_night);
	return rc;
}

struct shard_night {
	struct night n;
};

struct shard_night *shard_night_read(const char *input, const char *night, const struct profile *p,
				     struct err *e)
{
	struct shard_night *sn;

	if (nightid_check(night, e) < 0)
		return NULL;
	if (!(sn = calloc(1, sizeof(*sn)))) {
		ERR(e, "out of memory");
		return NULL;
	}
	sn->n.profile = p;
	sn->n.where = (struct streams_night){input, night, p, &sn->n.reference, &sn->n.annotations};
	if (process(&sn->n, e) < 0) {
		shard_night_free(sn);
		return NULL;
	}
	return sn;
}

void shard_night_free(struct shard_night *sn)
{
	if (!sn)
		return;
	night_free(&sn->n);
	free(sn);
}

size_t shard_night_epochs(const struct shard_night *sn)
{
	return sn->n.hyp[L].n;
}

/* The same values write_epochs_csv() writes for epoch k. */
void shard_night_epoch(const struct shard_night *sn, size_t k, struct shard_epoch *out)
{
	const struct night *n = &sn->n;
	long j = n->has[P][STREAM_HYPNOGRAM] ? epochs_pred_of_label(&n->alignment, k) : EPOCHS_NO_MATCH;

	out->onset = n->hyp[L].t0 + (double)k * n->profile->epoch_seconds;
	out->stage_label = n->hyp[L].stages[k];
	out->stage_pred = j == EPOCHS_NO_MATCH ? -1 : n->hyp[P].stages[j];
	out->position = n->positions[L] ? n->positions[L][k] : POS_UNKNOWN;
	out->has_motion = n->has[L][STREAM_POSITION] && epochs_motion(&n->pos[L], k, &out->motion);
	if (!out->has_motion)
		out->motion = 0;
	out->event_label = n->first_event[L][k] == EPOCHS_NO_EVENT ? -1 : n->first_event[L][k];
	out->event_pred = n->first_event[P][k] == EPOCHS_NO_EVENT ? -1 : n->first_event[P][k];
}

void shard_night_timing(const struct shard_night *sn, struct shard_timing *out)
{
	const struct night *n = &sn->n;

	*out = (struct shard_timing){
		.labels_t0 = n->hyp[L].t0,
		.labels_epochs = n->hyp[L].n,
		.has_pred = n->has[P][STREAM_HYPNOGRAM],
		.pred_t0 = n->hyp[P].t0,
		.pred_epochs = n->hyp[P].n,
	};
	if (out->has_pred)
		for (size_t j = 0; j < n->hyp[P].n; j++)
			out->matched += epochs_label_of_pred(&n->alignment, j) != EPOCHS_NO_MATCH;
}

int shard_run(const struct shard_options *o, struct err *e)
{
	struct night n = {.o = o};
	struct err failure;
	int rc;

	if (nightid_check(o->night, e) < 0 || shard_check_output(o, e) < 0)
		return -1;
	n.profile = o->profile;
	n.where = (struct streams_night){o->input, o->night, o->profile, &n.reference, &n.annotations};
	err_clear(&failure);
	if (o->recorded)
		err_clear(o->recorded);
	if (process(&n, &failure) == 0)
		rc = publish(o, &n, NULL, e);
	else if (o->on_error == SHARD_ON_ERROR_RECORD) {
		rc = publish(o, &n, &failure, e);
		if (rc == 0 && o->recorded)
			*o->recorded = failure;
	} else {
		*e = failure;
		rc = -1;
	}
	night_free(&n);
	return rc;
}
