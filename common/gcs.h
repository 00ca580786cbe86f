/*
 * gcs.h — Cloud Storage through its JSON API: night folders under a prefix, object bytes, uploads.
 *
 * Owns: gs:// URIs, the endpoint (https://storage.googleapis.com, or $STORAGE_EMULATOR_HOST with
 * or without a scheme, as Google's client libraries take it — and then, like them, no credentials),
 * $NIGHTFAN_STORAGE_ENDPOINT (another endpoint, e.g. Private Service Connect, with credentials),
 * listing "folders" (objects.list with prefix, delimiter=/ and pageToken pagination) and streaming
 * an object (objects.get alt=media) to a callback without holding it in memory, and creating a
 * small object whose name fixes its bytes (media upload with ifGenerationMatch=0).
 * Not here: retries and timeouts (common/http.c), tokens (common/gauth.c), what the bytes mean.
 */
#ifndef NIGHTFAN_GCS_H
#define NIGHTFAN_GCS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "http.h"
#include "strlist.h"

/* Split "gs://bucket/some/prefix" into a bucket and a prefix without leading or trailing '/'
 * ("" for the bucket root). Both malloc'ed. -1 for anything that is not a gs:// URI with a bucket
 * name of 3-222 characters of [a-z0-9._-]. */
int gcs_parse_uri(const char *uri, char **bucket, char **prefix, struct err *e);

/* Whether a path names Cloud Storage (starts with "gs://"). */
bool gcs_is_uri(const char *path);

struct gcs;

/* A client. Credentials are looked up on the first request (none with an emulator). NULL on
 * failure. `policy` NULL: http_policy_default(). */
struct gcs *gcs_open(const struct http_policy *policy, struct err *e);
void gcs_close(struct gcs *g);

/* The underlying HTTP client, e.g. to attach a --verbose trace. */
struct http_client *gcs_http(struct gcs *g);

/* The names of the "folders" directly under gs://bucket/prefix/ (prefixes ending in '/', with the
 * prefix and the slash removed), in the API's (lexicographic) order, over every page.
 * into *names (initialised first; the caller releases it with strlist_release() after success or
 * failure). A prefix with no folders gives 0 names, not an error. -1, with *names empty, on failure,
 * and for a listing that would never end: a page token given a second time (at once or after other
 * pages) or more than 100,000 pages (100 million folders at 1,000 a page), both named with
 * gs://bucket/prefix/. */
int gcs_list_folders(struct gcs *g, const char *bucket, const char *prefix, struct strlist *names,
		     struct err *e);

/* Stream gs://bucket/object to `sink` chunk by chunk (resumed, not repeated, after a broken
 * transfer). If the sink returns -1 it must have filled `sink_err`; that error is returned as is.
 * A missing object is "gs://bucket/object: no such object". 0 or -1. */
int gcs_read_object(struct gcs *g, const char *bucket, const char *object, http_sink_fn sink, void *ctx,
		    struct err *sink_err, struct err *e);

/* Create gs://bucket/object holding the `len` bytes at `data`, for objects whose name fixes their
 * content (e.g. named by a hash of it): JSON API media upload,
 * POST {endpoint}/upload/storage/v1/b/BUCKET/o?uploadType=media&name=OBJECT&ifGenerationMatch=0
 * with "Content-Type: <content_type>" and credentials as every request.
 * ifGenerationMatch=0 ("only if no such object") makes the request idempotent, so it is retried
 * like a GET, and means an existing object is never replaced (nor is storage.objects.delete
 * permission needed). When the object exists (HTTP 412: an earlier upload, or our own attempt
 * whose answer was lost) its bytes are read back: the same bytes are success with *existed set,
 * other bytes are "gs://bucket/object: already exists with other content (N bytes, expected M)".
 * A stored size other than `len` in the answer is an error. 0 or -1. */
int gcs_create_object(struct gcs *g, const char *bucket, const char *object, const char *content_type,
		      const char *data, size_t len, bool *existed, struct err *e);

#endif
