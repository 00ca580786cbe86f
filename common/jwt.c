/*
 * jwt.c — RS256 JWT assertions for Google's token endpoint; see jwt.h.
 */
#include "jwt.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crypto_dl.h"

char *jwt_b64url(const void *data, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *in = data;
	char *out = malloc(len / 3 * 4 + 4 + 1);
	if (!out)
		return NULL;
	char *o = out;
	size_t i = 0;
	for (; i + 3 <= len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = alphabet[v >> 6 & 63];
		*o++ = alphabet[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
	} else if (len - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = alphabet[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

static char *print_and_free(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

char *jwt_header_json(const char *kid)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "alg", "RS256") || !cJSON_AddStringToObject(o, "typ", "JWT") ||
	    (kid && *kid && !cJSON_AddStringToObject(o, "kid", kid))) {
		cJSON_Delete(o);
		return NULL;
	}
	return print_and_free(o);
}

char *jwt_claims_json(const char *iss, const char *scope, const char *aud, long long iat)
{
	/* cJSON prints whole numbers below 2^53 exactly ("%1.15g" keeps 15 digits; a time is 10). */
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "iss", iss) || !cJSON_AddStringToObject(o, "scope", scope) ||
	    !cJSON_AddStringToObject(o, "aud", aud) ||
	    !cJSON_AddNumberToObject(o, "exp", (double)(iat + JWT_MAX_LIFETIME_S)) ||
	    !cJSON_AddNumberToObject(o, "iat", (double)iat)) {
		cJSON_Delete(o);
		return NULL;
	}
	return print_and_free(o);
}

char *jwt_sign_rs256(const char *pem, size_t pem_len, const char *input, size_t input_len, struct err *e)
{
	const struct crypto_dl *c = crypto_dl_get(e);
	if (!c)
		return NULL;
	if (pem_len > 1 << 20) {
		ERR(e, "expected a PEM RSA private key");
		return NULL;
	}
	char *out = NULL;
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	EVP_MD_CTX *ctx = NULL;
	BIO *bio = c->bio_new_mem_buf(pem, (int)pem_len);
	/* No passphrase callback: an encrypted key fails instead of prompting on the terminal. */
	static char no_pass[] = "";
	EVP_PKEY *key = bio ? c->pem_read_bio_privatekey(bio, NULL, NULL, no_pass) : NULL;
	if (!key || c->pkey_get_base_id(key) != EVP_PKEY_RSA) {
		ERR(e, "expected a PEM RSA private key");
		goto done;
	}
	ctx = c->md_ctx_new();
	if (!ctx || c->digest_sign_init(ctx, NULL, c->sha256(), NULL, key) != 1 ||
	    c->digest_sign(ctx, NULL, &sig_len, (const unsigned char *)input, input_len) != 1 ||
	    !(sig = malloc(sig_len)) ||
	    c->digest_sign(ctx, sig, &sig_len, (const unsigned char *)input, input_len) != 1) {
		ERR(e, "could not sign with the private key");
		goto done;
	}
	out = jwt_b64url(sig, sig_len);
	if (!out)
		ERR(e, "out of memory");
done:
	free(sig);
	if (ctx)
		c->md_ctx_free(ctx);
	if (key)
		c->pkey_free(key);
	if (bio)
		c->bio_free(bio);
	c->err_clear_error(); /* leave nothing of this key in OpenSSL's error queue */
	return out;
}

static char *b64url_str(const char *s)
{
	return s ? jwt_b64url(s, strlen(s)) : NULL;
}

char *jwt_assertion(const char *kid, const char *iss, const char *scope, const char *aud, long long iat,
		    const char *pem, size_t pem_len, struct err *e)
{
	char *header = jwt_header_json(kid), *claims = jwt_claims_json(iss, scope, aud, iat);
	char *h64 = b64url_str(header), *c64 = b64url_str(claims);
	char *input = NULL, *sig = NULL, *out = NULL;
	if (!h64 || !c64) {
		ERR(e, "out of memory");
		goto done;
	}
	size_t hn = strlen(h64), cn = strlen(c64);
	input = malloc(hn + 1 + cn + 1);
	if (!input) {
		ERR(e, "out of memory");
		goto done;
	}
	memcpy(input, h64, hn);
	input[hn] = '.';
	memcpy(input + hn + 1, c64, cn + 1);
	sig = jwt_sign_rs256(pem, pem_len, input, hn + 1 + cn, e);
	if (!sig)
		goto done;
	size_t sn = strlen(sig);
	out = malloc(hn + 1 + cn + 1 + sn + 1);
	if (!out) {
		ERR(e, "out of memory");
		goto done;
	}
	memcpy(out, input, hn + 1 + cn);
	out[hn + 1 + cn] = '.';
	memcpy(out + hn + 1 + cn + 1, sig, sn + 1);
done:
	free(header);
	free(claims);
	free(h64);
	free(c64);
	free(input);
	free(sig);
	return out;
}
