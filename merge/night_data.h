/*
 * night_data.h — what a night's page draws, read back from the shard's files: per epoch the two
 * stages and the position (epochs.csv), and each source's events with whether they paired
 * (events.csv).
 *
 * Owns reading those two files for one night at a time (the merge never holds more than one
 * night's epochs). The formats are docs/DEVELOPING.md's; numbers are parsed with common/numparse.
 */
#ifndef NIGHTFAN_MERGE_NIGHT_DATA_H
#define NIGHTFAN_MERGE_NIGHT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "err.h"

#define NIGHT_DATA_NO_STAGE 0xff        /* stage_pred empty: no predicted epoch */

struct night_data_event {
	double onset, duration;
	uint8_t type;                   /* enum event */
	bool paired;
};

struct night_data {
	bool has_epochs;                /* epochs.csv was there (else n = 0: no figure) */
	size_t n;                       /* epochs */
	double t0, epoch_seconds;       /* onset of epoch 0; epoch length (from the onsets; 30 for one epoch) */
	uint8_t *label, *pred;          /* n enum stage; pred NIGHT_DATA_NO_STAGE where empty */
	uint8_t *position;              /* n enum position */
	bool any_pred;                  /* some epoch has a predicted stage */
	bool has_events;                /* events.csv was there */
	struct night_data_event *events[SOURCE_COUNT];
	size_t n_events[SOURCE_COUNT];
};

/* Read <dir>/epochs.csv and <dir>/events.csv by path (each optional: a night folder copied without
 * its epochs.csv gets a page without figure; older shards wrote no events.csv) into *d (zeroed
 * first). For tests: the merge reads the files it opened with the night's night.json
 * (night_data_read_fds). 0, or -1 with *e naming the file and line; free with night_data_free either
 * way. */
int night_data_read(const char *dir, struct night_data *d, struct err *e);

/* The same from the two files already open (-1: the folder holds none; merge/nights.h opens them
 * with the night's night.json, one version of the night); dir names them in messages. The fds stay
 * open, epochs_fd back at offset 0. */
int night_data_read_fds(int epochs_fd, int events_fd, const char *dir, struct night_data *d, struct err *e);

void night_data_free(struct night_data *d);

#endif
