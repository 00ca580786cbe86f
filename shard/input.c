/*
 * input.c — reading one input file in chunks, hashing as it goes (see input.h).
 *
 * One read buffer for the process (INPUT_CHUNK bytes, allocated on first use): the shard reads its
 * files one after the other, and a steady buffer keeps the peak RSS flat.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

static char *chunk_buffer;

static const char *gs_prefix = "gs://";

static int open_local(const char *root, const char *night, const char *file, struct err *e)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", root, night, file) >= sizeof(path))
		return ERR_AT(e, file, 0, 0, "path under the input root is too long");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ERR_AT(e, file, 0, 0, "cannot open %s: %s", path, strerror(errno));
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return fd;
}

static void hex_digest(XXH3_state_t *state, char *out)
{
	XXH128_canonical_t canonical;

	XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state));
	for (size_t i = 0; i < sizeof(canonical.digest); i++)
		snprintf(out + 2 * i, 3, "%02x", canonical.digest[i]);
}

/* Read fd to its end through fn. 0 or -1. */
static int pump(int fd, const char *file, input_chunk_fn fn, void *ctx, struct input_digest *digest,
		struct err *e)
{
	XXH3_state_t *state = XXH3_createState();
	int rc = 0;

	if (!state)
		return ERR(e, "out of memory");
	XXH3_128bits_reset(state);
	digest->bytes = 0;
	for (;;) {
		ssize_t n = read(fd, chunk_buffer, INPUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ERR_AT(e, file, 0, 0, "cannot read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		XXH3_128bits_update(state, chunk_buffer, (size_t)n);
		digest->bytes += (uint64_t)n;
		if ((rc = fn(ctx, chunk_buffer, (size_t)n, e)) < 0)
			break;
	}
	if (rc == 0)
		hex_digest(state, digest->xxh128);
	XXH3_freeState(state);
	return rc;
}

int input_read(const char *root, const char *night, const char *file, input_chunk_fn fn, void *ctx,
	       struct input_digest *digest, struct err *e)
{
	int fd, rc;

	if (strncmp(root, gs_prefix, strlen(gs_prefix)) == 0)
		return ERR(e, "%s: gs:// input roots are not supported by this build; mount the bucket "
			   "and use /gcs/<bucket>/<prefix>", root);
	if (!chunk_buffer && !(chunk_buffer = malloc(INPUT_CHUNK)))
		return ERR(e, "out of memory");
	if ((fd = open_local(root, night, file, e)) < 0)
		return -1;
	rc = pump(fd, file, fn, ctx, digest, e);
	close(fd);
	return rc;
}
