/*
 * jwt.h — the signed JWT a Google service account trades for an access token (RFC 7523 §2.1).
 *
 * Owns: base64url without padding (RFC 7515 §2, RFC 4648 §5), the JOSE header
 * {"alg":"RS256","typ":"JWT","kid":KEY_ID}, the claim set Google's token endpoint asks for
 * (iss = the account's email, scope, aud = the token URI, iat, exp = iat + 3600: "Using OAuth 2.0
 * for Server to Server Applications", developers.google.com/identity/protocols/oauth2/service-account)
 * and the RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) through libcrypto.
 * Not here: reading key files and asking the token endpoint (common/adc.c).
 */
#ifndef NIGHTFAN_JWT_H
#define NIGHTFAN_JWT_H

#include <stddef.h>

#include "err.h"

/* Google accepts assertions valid for at most one hour. */
#define JWT_MAX_LIFETIME_S 3600

/* base64url of `len` bytes, no '=' padding. malloc'ed, NULL when out of memory. */
char *jwt_b64url(const void *data, size_t len);

/* The header JSON, compact: {"alg":"RS256","typ":"JWT","kid":"<kid>"} ("kid" left out when kid is
 * NULL or ""). malloc'ed, NULL when out of memory. */
char *jwt_header_json(const char *kid);

/* The claim set JSON, compact, in the order Google's page lists them:
 * {"iss":"<iss>","scope":"<scope>","aud":"<aud>","exp":<iat+3600>,"iat":<iat>}.
 * malloc'ed, NULL when out of memory. */
char *jwt_claims_json(const char *iss, const char *scope, const char *aud, long long iat);

/* base64url of the RS256 signature of `input` with the PEM private key (PKCS#8 "PRIVATE KEY" or
 * PKCS#1 "RSA PRIVATE KEY", unencrypted). malloc'ed, or NULL with e saying "expected a PEM RSA
 * private key" / "could not sign" (never quoting the key). */
char *jwt_sign_rs256(const char *pem, size_t pem_len, const char *input, size_t input_len, struct err *e);

/* The whole assertion: b64url(header) "." b64url(claims) "." b64url(signature). malloc'ed (wipe
 * before freeing: it is a credential for an hour), or NULL and e as jwt_sign_rs256. */
char *jwt_assertion(const char *kid, const char *iss, const char *scope, const char *aud, long long iat,
		    const char *pem, size_t pem_len, struct err *e);

#endif
