/*
 * gauth.h — a Google OAuth access token, found where users expect it.
 *
 * Owns: the lookup order — GOOGLE_OAUTH_ACCESS_TOKEN (a token given outright); then Application
 * Default Credentials in Google's order: the file $GOOGLE_APPLICATION_CREDENTIALS names, gcloud's
 * application_default_credentials.json (common/adc.c), the GCE/GKE/Vertex metadata server at
 * $GCE_METADATA_HOST (default metadata.google.internal); last, outside ADC, `gcloud auth
 * print-access-token` — keeping tokens until 60 s before they expire (in struct gauth and in one
 * per-process cache, so several clients of one process ask once), and refreshing after a 401.
 * The token lives only in struct gauth, the cache and the Authorization header built from it: it
 * is never put in a message, a trace or a URL.
 * Not here: credentials files and the token endpoint (common/adc.c); sending requests
 * (common/http.c); Kubeflow tokens (pipeline/cloud/kfp_rest.c).
 */
#ifndef NIGHTFAN_GAUTH_H
#define NIGHTFAN_GAUTH_H

#include <time.h>

#include "err.h"
#include "http.h"

enum gauth_source { GAUTH_NONE, GAUTH_ENV, GAUTH_FILE, GAUTH_METADATA, GAUTH_GCLOUD };

/* Seconds before its announced expiry that a token stops being used. */
#define GAUTH_EXPIRY_MARGIN_S 60

struct gauth {
	enum gauth_source source;
	char *header;       /* "Authorization: Bearer <token>" (malloc'ed, wiped on free) */
	time_t expires_at;  /* when the source said it expires; 0: not said (env, gcloud) */
	char *file;         /* GAUTH_FILE: the credentials file, for messages (malloc'ed) */
};

/* Make sure g holds a token good for GAUTH_EXPIRY_MARGIN_S more seconds: the one it holds, the
 * process's cached one, or a new one from the first source that has credentials. 0, or -1:
 * - a source that is there but fails ends the search with its own error (GOOGLE_OAUTH_ACCESS_TOKEN
 *   unusable; GOOGLE_APPLICATION_CREDENTIALS naming a missing file; a credentials file of another
 *   type, or that the token endpoint refuses) — never a silent fall-through;
 * - when no source answers: "no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set; no
 *   Application Default Credentials file (GOOGLE_APPLICATION_CREDENTIALS is not set and there is
 *   no PATH); metadata server: ...; gcloud: ...".
 * The metadata server is asked with a short timeout and at most 3 attempts, so a machine without
 * one falls through to gcloud quickly. */
int gauth_get(struct gauth *g, struct err *e);

/* After a 401: fetch a new token from the same source (not the cache). -1 when the source cannot
 * refresh (a token given in GOOGLE_OAUTH_ACCESS_TOKEN) or the refresh fails. */
int gauth_refresh(struct gauth *g, struct err *e);

/* What a user should know when a token was refused ("the token in GOOGLE_OAUTH_ACCESS_TOKEN was
 * refused; it may have expired"). Never contains the token. */
const char *gauth_refused_hint(const struct gauth *g);

/* Append " (<gauth_refused_hint>)" to e's message after a 401. Returns -1. */
int gauth_explain_refusal(const struct gauth *g, struct err *e);

/* Wipe and free the token. Safe on a zeroed struct. */
void gauth_clear(struct gauth *g);

/* Tests: forget the per-process cache (wiping it). */
void gauth_forget_cache(void);

#endif
