/*
 * input.c — reading one input file in chunks, hashing as it goes (see input.h).
 *
 * A regular file is mapped window by window (no copy: measured -0.09 ms a night against read()); a
 * file that shrinks meanwhile is an error naming it, never a SIGBUS (on_sigbus);
 * the rest goes through one read buffer for the process (INPUT_CHUNK bytes, allocated on first
 * use): the shard reads its files one after the other, and a steady buffer keeps the RSS flat.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#define XXH_INLINE_ALL /* libxxhash's header-only mode: no libxxhash.so to load at start */
#include <xxhash.h>

#include "executor.h"
#include "gcs.h"

static char *chunk_buffer;
static struct gcs *gcs_client; /* gs:// roots: one client (and connection) for all the night's files */

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

#define MAP_WINDOW (1024 * 1024)

/* One chunk on its way: into the digest and the byte count, then to fn. fn's answer. */
static int hand_on(XXH3_state_t *state, struct input_digest *digest, input_chunk_fn fn, void *ctx,
		   const char *buf, size_t len, struct err *e)
{
	XXH3_128bits_update(state, buf, len);
	digest->bytes += (uint64_t)len;
	return fn(ctx, buf, len, e);
}

/* A file that shrinks while it is mapped makes reading its lost pages raise SIGBUS. While a window
 * is mapped, on_sigbus answers a fault inside it by mapping zero pages over the rest of the window
 * (so the faulting read, and the parser after it, go on with zeros: no jump out of the middle of
 * the parser) and noting it; the caller then reports the file as changed. A SIGBUS anywhere else
 * goes to the handler that was there before. */
static char *volatile window_start;
static volatile size_t window_len;
static volatile sig_atomic_t window_lost;
static size_t page_size;
static struct sigaction previous_sigbus;

static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
	char *at = info->si_addr, *start = window_start;
	size_t page = page_size;

	(void)sig;
	(void)uctx;
	if (start && at >= start && at < start + window_len) {
		char *from = start + (size_t)(at - start) / page * page;
		if (mmap(from, (size_t)(start + window_len - from), PROT_READ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0) != MAP_FAILED) {
			window_lost = 1;
			return; /* the read is retried, and finds zeros */
		}
	}
	sigaction(SIGBUS, &previous_sigbus, NULL); /* not ours: the fault comes again, to the old handler */
}

/* The mapped file's size now differs from `size` (or a window lost pages): an error naming it,
 * whatever the parser made of the bytes. 0 when it did not change. */
static int check_unchanged(int fd, const char *file, off_t size, struct err *e)
{
	struct stat now;

	if (fstat(fd, &now) != 0)
		return ERR_AT(e, file, 0, 0, "cannot read: %s", strerror(errno));
	if (!window_lost && now.st_size == size)
		return 0;
	return ERR_AT(e, file, 0, 0, "changed while it was read: it was %lld bytes, now %lld",
		      (long long)size, (long long)now.st_size);
}

/* A regular file through mmap windows, each handed on in INPUT_CHUNK slices. 0, -1, or 1: not
 * mappable (nothing handed on yet). */
static int pump_mapped(int fd, const char *file, input_chunk_fn fn, void *ctx, XXH3_state_t *state,
		       struct input_digest *digest, struct err *e)
{
	struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};
	struct stat st;
	int rc = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 1;
	sigemptyset(&sa.sa_mask);
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	window_lost = 0;
	sigaction(SIGBUS, &sa, &previous_sigbus);
	for (off_t at = 0; at < st.st_size && rc == 0; at += MAP_WINDOW) {
		size_t len = st.st_size - at < MAP_WINDOW ? (size_t)(st.st_size - at) : MAP_WINDOW;
		char *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, at);
		if (map == MAP_FAILED) {
			rc = at == 0 ? 1 : ERR_AT(e, file, 0, 0, "cannot map: %s", strerror(errno));
			break;
		}
		window_len = len;
		window_start = map;
		for (size_t off = 0; off < len && rc == 0; off += INPUT_CHUNK)
			rc = hand_on(state, digest, fn, ctx, map + off, len - off < INPUT_CHUNK ? len - off : INPUT_CHUNK, e);
		window_start = NULL;
		munmap(map, len);
		if (window_lost)
			break;
	}
	sigaction(SIGBUS, &previous_sigbus, NULL);
	/* a shrunk file explains whatever the parser said of the zeros it was given */
	if (rc <= 0 && check_unchanged(fd, file, st.st_size, e) < 0)
		return -1;
	return rc;
}

/* Any file descriptor through read() and the process's one buffer. 0 or -1. */
static int pump_read(int fd, const char *file, input_chunk_fn fn, void *ctx, XXH3_state_t *state,
		     struct input_digest *digest, struct err *e)
{
	for (;;) {
		ssize_t n = read(fd, chunk_buffer, INPUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ERR_AT(e, file, 0, 0, "cannot read: %s", strerror(errno));
		if (n == 0)
			return 0;
		if (hand_on(state, digest, fn, ctx, chunk_buffer, (size_t)n, e) < 0)
			return -1;
	}
}

/* Read fd to its end through fn: mapped when it can be, read() otherwise. 0 or -1. */
static int pump(int fd, const char *file, input_chunk_fn fn, void *ctx, struct input_digest *digest,
		struct err *e)
{
	XXH3_state_t *state = XXH3_createState();
	int rc;

	if (!state)
		return ERR(e, "out of memory");
	XXH3_128bits_reset(state);
	digest->bytes = 0;
	rc = pump_mapped(fd, file, fn, ctx, state, digest, e);
	if (rc > 0)
		rc = pump_read(fd, file, fn, ctx, state, digest, e);
	if (rc == 0)
		hex_digest(state, digest->xxh128);
	XXH3_freeState(state);
	return rc;
}

/* gs:// roots whose bucket is not mounted under /gcs/: the bytes stream from the Cloud Storage
 * JSON API (common/gcs.h), hashed and handed on chunk by chunk like a local file's. */
struct gcs_pump {
	input_chunk_fn fn;
	void *ctx;
	XXH3_state_t *state;
	struct input_digest *digest;
	struct err *e;
};

static int gcs_chunk(const char *data, size_t len, void *arg)
{
	struct gcs_pump *p = arg;
	return hand_on(p->state, p->digest, p->fn, p->ctx, data, len, p->e);
}

static int read_gcs(const char *root, const char *night, const char *file, input_chunk_fn fn, void *ctx,
		    struct input_digest *digest, struct err *e)
{
	char *bucket, *prefix, *object = NULL;
	if (gcs_parse_uri(root, &bucket, &prefix, e) < 0)
		return -1;
	XXH3_state_t *state = XXH3_createState();
	int rc = -1;
	if (!state || asprintf(&object, "%s%s%s/%s", prefix, *prefix ? "/" : "", night, file) < 0) {
		object = NULL;
		ERR(e, "out of memory");
	} else if (gcs_client || (gcs_client = gcs_open(NULL, e))) {
		struct gcs_pump p = {fn, ctx, state, digest, e};
		XXH3_128bits_reset(state);
		digest->bytes = 0;
		rc = gcs_read_object(gcs_client, bucket, object, gcs_chunk, &p, e, e);
		if (rc == 0)
			hex_digest(state, digest->xxh128);
	}
	if (rc != 0 && !e->file[0])
		snprintf(e->file, sizeof e->file, "%s", file);
	XXH3_freeState(state);
	free(object);
	free(bucket);
	free(prefix);
	return rc;
}

/* gs://bucket/prefix read through a Cloud Storage FUSE mount at /gcs/bucket when there is one: the
 * path by the one URI rule (common/executor.h), so a URI it refuses (a "." or ".." segment would
 * lead out of the mount) is never read through the mount, only through the API, where object
 * names are taken literally. */
static const char *mounted_root(const char *root, char *buf, size_t size)
{
	struct err ignored;
	char *path = executor_uri_to_path(root, EXECUTOR_URI_FOLDER, &ignored);
	bool mounted = path && executor_path_mounted(path) && strlen(path) < size;

	if (mounted)
		memcpy(buf, path, strlen(path) + 1);
	free(path);
	return mounted ? buf : NULL;
}

int input_read(const char *root, const char *night, const char *file, input_chunk_fn fn, void *ctx,
	       struct input_digest *digest, struct err *e)
{
	int fd, rc;
	char mounted[4096];

	if (strncmp(root, gs_prefix, strlen(gs_prefix)) == 0) {
		if (!mounted_root(root, mounted, sizeof mounted))
			return read_gcs(root, night, file, fn, ctx, digest, e);
		root = mounted;
	}
	if (!chunk_buffer && !(chunk_buffer = malloc(INPUT_CHUNK)))
		return ERR(e, "out of memory");
	if ((fd = open_local(root, night, file, e)) < 0)
		return -1;
	rc = pump(fd, file, fn, ctx, digest, e);
	close(fd);
	return rc;
}
