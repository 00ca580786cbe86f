/*
 * crypto_dl.h — OpenSSL's libcrypto, loaded with dlopen() the first time a key must sign.
 *
 * Owns: the one table of libcrypto entry points common/jwt.c calls through. Types come from
 * <openssl/evp.h> and <openssl/pem.h> (pkg-config --cflags libcrypto); no binary links libcrypto.
 * Why not plain linking: the same reason as libcurl (curl_dl.h). Measured 2026-12-04 on the
 * shared 2-core VM: a trivial program linked with -lcrypto starts in 1.26 ms vs 0.65 ms (best of
 * 300), and every nightfan-shard process would pay that for a feature only a service-account key
 * file uses. When it is used, libcurl (OpenSSL flavour) has usually loaded libcrypto already, so
 * the dlopen() costs next to nothing.
 * Not here: what is signed and how it is encoded (common/jwt.c).
 */
#ifndef NIGHTFAN_CRYPTO_DL_H
#define NIGHTFAN_CRYPTO_DL_H

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "err.h"

/* The libcrypto functions nightfan uses, with OpenSSL 3's own signatures. */
struct crypto_dl {
	BIO *(*bio_new_mem_buf)(const void *buf, int len);
	int (*bio_free)(BIO *b);
	EVP_PKEY *(*pem_read_bio_privatekey)(BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u);
	void (*pkey_free)(EVP_PKEY *pkey);
	int (*pkey_get_base_id)(const EVP_PKEY *pkey);
	EVP_MD_CTX *(*md_ctx_new)(void);
	void (*md_ctx_free)(EVP_MD_CTX *ctx);
	const EVP_MD *(*sha256)(void);
	int (*digest_sign_init)(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type, ENGINE *e,
				EVP_PKEY *pkey);
	int (*digest_sign)(EVP_MD_CTX *ctx, unsigned char *sig, size_t *siglen, const unsigned char *tbs,
			   size_t tbslen);
	void (*err_clear_error)(void);
};

/* Debian's libssl3 (OpenSSL 3). */
#define CRYPTO_DL_SONAME "libcrypto.so.3"

/* libcrypto's table, loading CRYPTO_DL_SONAME on the first call. On failure, the same error every
 * call: "signing with a service account key needs libcrypto: cannot load libcrypto.so.3:
 * <dlerror>; install Debian's libssl3". The library stays loaded until exit. Not thread-safe
 * (nightfan asks for tokens from one thread). */
const struct crypto_dl *crypto_dl_get(struct err *e);

#endif
