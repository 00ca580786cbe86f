/*
 * input.h — the one place the shard reads input files: the seam where storage plugs in.
 *
 * Owns turning (root, night, file) into bytes: it hands the file to the caller (the CSV reader) in
 * chunks of at most INPUT_CHUNK bytes, hashing every byte (XXH3-128) first. A regular file is
 * mapped (1 MiB windows, so memory stays flat; one that changes size while read is an error naming
 * it, "changed while it was read", where a shrunk mapping would otherwise end in SIGBUS), anything
 * else read with read(). Roots today:
 * a local folder, or /gcs/<bucket>/<prefix> (Cloud Storage FUSE, which is a local folder too).
 * gs://<bucket>/<prefix> roots will stream through common/gcs.h here, behind the same function.
 * What the bytes mean is the caller's business.
 */
#ifndef NIGHTFAN_SHARD_INPUT_H
#define NIGHTFAN_SHARD_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* 64 KiB: measured ~0.15 ms/night faster than 256 KiB, and than whole mapped windows (the slice
 * stays in L2 between the digest and the parse) */
#define INPUT_CHUNK (64 * 1024)
#define INPUT_HASH_HEX 33   /* 32 lowercase hex digits + NUL */

/* Called once per chunk, in order. Return 0, or -1 after filling e to stop reading. */
typedef int (*input_chunk_fn)(void *ctx, const char *buf, size_t len, struct err *e);

struct input_digest {
	uint64_t bytes;               /* the file's size in bytes */
	char xxh128[INPUT_HASH_HEX];  /* XXH3-128 of its bytes, canonical (big-endian) hex */
};

/* Read <root>/<night>/<file> from start to end through fn, filling *digest. `night` must already
 * be a checked night id and `file` a checked relative path (profile.h). Errors name `file` as the
 * user knows it ("labels/hypnogram.csv: cannot open: No such file or directory"). 0 or -1. */
int input_read(const char *root, const char *night, const char *file, input_chunk_fn fn, void *ctx,
	       struct input_digest *digest, struct err *e);

#endif
