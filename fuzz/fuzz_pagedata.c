/*
 * fuzz_pagedata.c — libFuzzer target for a night's epochs.csv and events.csv as the merge reads
 * them for the night's page and the worst nights' hypnograms (merge/night_data.c,
 * night_data_read_fds: whole-file reads split eight bytes at a time). The input is the two files'
 * text split at the first "#####\n" (none: no events.csv), read through memfds as the merge reads
 * through the descriptors it opened. What must hold: a read that succeeds holds what the figure
 * draws (at least one epoch, stages and positions in range, a positive epoch length, events of known
 * classes with finite times); a refusal names one of the two files; neither descriptor's offset
 * moves (the dataset reads epochs.csv next, from the start).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "night_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding len bytes at p, offset 0; -1 when none could be made. */
static int file_of(const uint8_t *p, size_t len)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if ((len && write(fd, p, len) != (ssize_t)len) || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char split[] = "#####\n";
	const uint8_t *cut = memmem(data, size, split, sizeof split - 1);
	size_t epochs_len = cut ? (size_t)(cut - data) : size;
	int epochs_fd = file_of(data, epochs_len), events_fd = -1;
	struct night_data d;
	struct err e = {0};
	int rc;

	if (cut)
		events_fd = file_of(cut + sizeof split - 1, size - epochs_len - (sizeof split - 1));
	if (epochs_fd < 0 || (cut && events_fd < 0))
		abort(); /* the harness itself */
	rc = night_data_read_fds(epochs_fd, events_fd, "nights/N0001", &d, &e);
	if (lseek(epochs_fd, 0, SEEK_CUR) != 0 || (events_fd >= 0 && lseek(events_fd, 0, SEEK_CUR) != 0))
		abort();
	if (rc < 0 && strcmp(e.message, "out of memory") != 0 && strcmp(e.file, "nights/N0001/epochs.csv") != 0 &&
	    strcmp(e.file, "nights/N0001/events.csv") != 0)
		abort(); /* every refusal names the file */
	if (rc == 0) {
		if (!d.has_epochs || d.n == 0 || !(d.epoch_seconds > 0) || d.has_events != (events_fd >= 0))
			abort();
		for (size_t k = 0; k < d.n; k++)
			if (d.label[k] >= STAGE_COUNT || (d.pred[k] >= STAGE_COUNT && d.pred[k] != NIGHT_DATA_NO_STAGE) ||
			    d.position[k] >= POS_COUNT)
				abort();
		for (int s = 0; s < SOURCE_COUNT; s++)
			for (size_t i = 0; i < d.n_events[s]; i++)
				if (d.events[s][i].type >= EVENT_COUNT || !(d.events[s][i].onset - d.events[s][i].onset == 0) ||
				    !(d.events[s][i].duration - d.events[s][i].duration == 0))
					abort();
	}
	night_data_free(&d);
	close(epochs_fd);
	if (events_fd >= 0)
		close(events_fd);
	return 0;
}
