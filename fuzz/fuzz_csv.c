/*
 * fuzz_csv.c — libFuzzer target for the CSV reader (common/csv.c) on its own, in memory.
 *
 * Input: byte 0 picks the delimiter (',', ';', '\t', '|'), byte 1 a chunk size (1..256), the rest
 * is the file. The file is read twice — whole in one feed, then in chunks of that size — and both
 * reads must hand over the same records (same fields, lines, indexes) or fail with the same
 * message: records spanning chunk boundaries are where an incremental reader breaks. A small
 * max_record (4 KiB) keeps the "record longer than" path reachable. The whole shard read path,
 * profile applied, is fuzz_shard.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include <xxhash.h>

struct digest {
	XXH3_state_t *state;
	long records;
};

static int on_record(void *ctx, const struct csv_record *rec, struct err *e)
{
	struct digest *d = ctx;
	long head[3] = {rec->line, rec->index, (long)rec->n_fields};

	(void)e;
	XXH3_128bits_update(d->state, head, sizeof head);
	for (size_t i = 0; i < rec->n_fields; i++) {
		size_t len = rec->fields[i].len;
		XXH3_128bits_update(d->state, &len, sizeof len);
		XXH3_128bits_update(d->state, rec->fields[i].ptr, len);
	}
	d->records++;
	return 0;
}

/* Read data[0..size) in chunks of `chunk` bytes; the digest of every record plus the outcome. */
static XXH128_hash_t read_all(const uint8_t *data, size_t size, char delim, size_t chunk, char *msg,
			      size_t msg_size, long *records)
{
	struct digest d = {.state = XXH3_createState()};
	struct err e = {0};
	struct csv_reader *r;
	int rc = 0;

	XXH3_128bits_reset(d.state);
	r = csv_new("fuzz.csv", delim, 4096, on_record, &d, &e);
	if (!r)
		abort();
	for (size_t off = 0; rc == 0 && off < size; off += chunk)
		rc = csv_feed(r, (const char *)data + off, size - off < chunk ? size - off : chunk, &e);
	if (rc == 0)
		rc = csv_finish(r, &e);
	if (rc == 0 && csv_data_records(r) != (d.records ? d.records - 1 : 0))
		abort(); /* the header is record 0; csv_data_records counts the rest */
	csv_free(r);
	err_format(&e, msg, msg_size);
	if (rc < 0 && !msg[0])
		abort(); /* a failure must say why */
	XXH128_hash_t h = XXH3_128bits_digest(d.state);
	XXH3_freeState(d.state);
	*records = d.records;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {',', ';', '\t', '|'};
	char msg_whole[ERR_MSG_MAX + ERR_FILE_MAX + 64], msg_chunked[sizeof msg_whole];
	long n_whole, n_chunked;

	if (size < 2)
		return 0;
	char delim = delims[data[0] & 3];
	size_t chunk = (size_t)data[1] + 1;
	data += 2;
	size -= 2;
	XXH128_hash_t whole = read_all(data, size, delim, size ? size : 1, msg_whole, sizeof msg_whole, &n_whole);
	XXH128_hash_t chunked = read_all(data, size, delim, chunk, msg_chunked, sizeof msg_chunked, &n_chunked);
	/* Same outcome and the same records (before the error, too) whatever the chunking. */
	if (strcmp(msg_whole, msg_chunked) != 0) {
		fprintf(stderr, "whole: %s\nchunked (%zu): %s\n", msg_whole, chunk, msg_chunked);
		abort();
	}
	if ((n_whole != n_chunked || !XXH128_isEqual(whole, chunked))) {
		fprintf(stderr, "records differ: whole %ld, chunked (%zu) %ld\n", n_whole, chunk, n_chunked);
		abort();
	}
	return 0;
}
