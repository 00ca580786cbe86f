/*
 * adc.h — Application Default Credentials files, as Google's auth libraries find and use them.
 *
 * Owns: which file (the one $GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's
 * $CLOUDSDK_CONFIG/application_default_credentials.json, CLOUDSDK_CONFIG defaulting to
 * ~/.config/gcloud — "How Application Default Credentials works",
 * cloud.google.com/docs/authentication/application-default-credentials), what it holds
 * ("service_account" keys and "authorized_user" refresh tokens; every other type refused by name)
 * and trading it for an access token at the OAuth token endpoint: the JWT bearer grant (RFC 7523
 * §2.1) at the key's token_uri, or the refresh-token grant (RFC 6749 §6) at
 * https://oauth2.googleapis.com/token ($NIGHTFAN_OAUTH_TOKEN_ENDPOINT replaces it, e.g. for
 * tests). Keys, secrets, refresh tokens, assertions and access tokens are never put in a message;
 * the buffers that held them are wiped.
 * Not here: the order of all token sources and caching (common/gauth.c), the JWT itself
 * (common/jwt.c), HTTP (common/http.c).
 */
#ifndef NIGHTFAN_ADC_H
#define NIGHTFAN_ADC_H

#include <stdbool.h>

#include "err.h"

/* The OAuth scope nightfan asks for: Vertex AI and Cloud Storage are both under it. */
#define ADC_SCOPE "https://www.googleapis.com/auth/cloud-platform"
#define ADC_DEFAULT_TOKEN_URI "https://oauth2.googleapis.com/token"

enum adc_type { ADC_SERVICE_ACCOUNT, ADC_AUTHORIZED_USER };

/* The credentials file to use. 1 with *path (malloc'ed) and *from_env set when there is one;
 * 0 when there is none (GOOGLE_APPLICATION_CREDENTIALS unset or empty and no gcloud file);
 * -1 when GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read
 * ("GOOGLE_APPLICATION_CREDENTIALS=FILE: cannot read: No such file or directory") — never a
 * silent fall-through to the next source. */
int adc_find_file(char **path, bool *from_env, struct err *e);

/* gcloud's file: $CLOUDSDK_CONFIG/application_default_credentials.json, CLOUDSDK_CONFIG
 * defaulting to $HOME/.config/gcloud. malloc'ed; NULL when there is no home folder. */
char *adc_gcloud_file(void);

/* Read the credentials file `path` and trade it for an access token. 0 with *token (malloc'ed;
 * wipe before freeing), *expires_in (seconds as the endpoint said, 0 when it did not) and *type;
 * -1 with e naming the file and what was wrong ("FILE: credentials of type \"external_account\"
 * are not supported: ...", "FILE: POST https://oauth2.googleapis.com/token: HTTP 400:
 * invalid_grant: Invalid JWT Signature."). */
int adc_fetch_token(const char *path, char **token, long *expires_in, enum adc_type *type, struct err *e);

/* "service account key" / "gcloud user credentials" — for messages. */
const char *adc_type_name(enum adc_type t);

#endif
