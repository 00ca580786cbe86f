/*
 * profshow.c — the first epochs of a night as the shard sees them (see profshow.h).
 *
 *     night D1: 6 epochs of 30 s from 0 s; showing 1-6
 *     epoch  onset  stage_label  stage_pred  position  motion  event_label  event_pred
 *         0      0  W                        left           2
 */
#include "profshow.h"

#include <stdlib.h>
#include <string.h>

#include "shard/shard.h"
#include "canon.h"
#include "numfmt.h"

#define COLUMNS 8

static const char *const headers[COLUMNS] = {"epoch", "onset", "stage_label", "stage_pred", "position",
					      "motion", "event_label", "event_pred"};

/* Numbers right-aligned, names left-aligned. */
static const int right[COLUMNS] = {1, 1, 0, 0, 0, 1, 0, 0};

static void cells_of(size_t k, const struct shard_epoch *ep, char cells[COLUMNS][NUMFMT_MAX])
{
	snprintf(cells[0], NUMFMT_MAX, "%zu", k);
	numfmt_double(ep->onset, cells[1]);
	snprintf(cells[2], NUMFMT_MAX, "%s", canon_stage_name(ep->stage_label));
	snprintf(cells[3], NUMFMT_MAX, "%s", ep->stage_pred < 0 ? "" : canon_stage_name(ep->stage_pred));
	snprintf(cells[4], NUMFMT_MAX, "%s", canon_position_name(ep->position));
	if (ep->has_motion) /* a mean: 4 significant digits read better than epochs.csv's 17 */
		snprintf(cells[5], NUMFMT_MAX, "%.4g", ep->motion);
	else
		cells[5][0] = '\0';
	snprintf(cells[6], NUMFMT_MAX, "%s", ep->event_label < 0 ? "" : canon_event_name(ep->event_label));
	snprintf(cells[7], NUMFMT_MAX, "%s", ep->event_pred < 0 ? "" : canon_event_name(ep->event_pred));
}

static void print_row(FILE *out, char cells[COLUMNS][NUMFMT_MAX], const int *width)
{
	char line[COLUMNS * (NUMFMT_MAX + 2) + 2];
	size_t at = 0;

	for (int c = 0; c < COLUMNS; c++)
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%*s", c ? "  " : "",
				       right[c] ? width[c] : -width[c], cells[c]);
	while (at > 0 && line[at - 1] == ' ')
		at--;
	line[at] = '\0';
	fprintf(out, "%s\n", line);
}

int profshow_print(const struct profile *p, const char *root, const char *night, size_t epochs, FILE *out,
		   struct err *e)
{
	struct shard_night *sn = shard_night_read(root, night, p, e);
	char (*cells)[COLUMNS][NUMFMT_MAX];
	int width[COLUMNS];
	char head[COLUMNS][NUMFMT_MAX];
	size_t total, shown;
	struct shard_epoch ep;
	char t0[NUMFMT_MAX], len[NUMFMT_MAX];

	if (!sn)
		return -1;
	total = shard_night_epochs(sn);
	shown = epochs < total ? epochs : total;
	if (!(cells = calloc(shown ? shown : 1, sizeof(*cells)))) {
		shard_night_free(sn);
		return ERR(e, "out of memory");
	}
	for (int c = 0; c < COLUMNS; c++) {
		snprintf(head[c], NUMFMT_MAX, "%s", headers[c]);
		width[c] = (int)strlen(headers[c]);
	}
	for (size_t k = 0; k < shown; k++) {
		shard_night_epoch(sn, k, &ep);
		cells_of(k, &ep, cells[k]);
		for (int c = 0; c < COLUMNS; c++)
			if ((int)strlen(cells[k][c]) > width[c])
				width[c] = (int)strlen(cells[k][c]);
	}
	if (total > 0) {
		shard_night_epoch(sn, 0, &ep);
		numfmt_double(ep.onset, t0);
	} else
		snprintf(t0, sizeof(t0), "0");
	numfmt_double(p->epoch_seconds, len);
	fprintf(out, "night %s: %zu epoch%s of %s s from %s s; the first %zu as the shard sees them\n", night, total,
		total == 1 ? "" : "s", len, t0, shown);
	print_row(out, head, width);
	for (size_t k = 0; k < shown; k++)
		print_row(out, cells[k], width);
	free(cells);
	shard_night_free(sn);
	return 0;
}
