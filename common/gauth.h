/*
 * gauth.h — a Google OAuth access token, found where users expect it.
 *
 * Owns: the lookup order (GOOGLE_OAUTH_ACCESS_TOKEN; the GCE/GKE/Vertex metadata server at
 * $GCE_METADATA_HOST, default metadata.google.internal; `gcloud auth print-access-token`) and
 * refreshing after a 401. The token lives only in struct gauth and in the Authorization header
 * built from it: it is never put in a message, a trace or a URL.
 * Not here: sending requests (common/http.c); Kubeflow tokens (pipeline/kfp.c).
 */
#ifndef NIGHTFAN_GAUTH_H
#define NIGHTFAN_GAUTH_H

#include "err.h"
#include "http.h"

enum gauth_source { GAUTH_NONE, GAUTH_ENV, GAUTH_METADATA, GAUTH_GCLOUD };

struct gauth {
	enum gauth_source source;
	char *header;   /* "Authorization: Bearer <token>" (malloc'ed, wiped on free) */
};

/* Find a token, trying the sources in order. 0, or -1 saying what each source answered
 * ("no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set; metadata server: ...; gcloud:
 * ..."). The metadata server is asked with a short timeout and at most 3 attempts, so a machine
 * without one falls through to gcloud quickly. */
int gauth_get(struct gauth *g, struct err *e);

/* After a 401: fetch a new token from the same source. -1 when the source cannot refresh (a token
 * given in GOOGLE_OAUTH_ACCESS_TOKEN) or the refresh fails. */
int gauth_refresh(struct gauth *g, struct err *e);

/* What a user should know when a token was refused ("the token in GOOGLE_OAUTH_ACCESS_TOKEN was
 * refused; it may have expired"). Never contains the token. */
const char *gauth_refused_hint(const struct gauth *g);

/* Append " (<gauth_refused_hint>)" to e's message after a 401. Returns -1. */
int gauth_explain_refusal(const struct gauth *g, struct err *e);

/* Wipe and free the token. Safe on a zeroed struct. */
void gauth_clear(struct gauth *g);

#endif
