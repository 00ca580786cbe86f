/*
 * crypto_dl.c — libcrypto loaded on first use; see crypto_dl.h for why and the contract.
 */
#include "crypto_dl.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

#define NEEDS "signing with a service account key needs libcrypto: "
#define LOAD_HINT "; install Debian's libssl3"

/* dlsym() into a function pointer of the field's own type (as curl_dl.c does). */
#define LOAD(field, symbol)                                                                     \
	do {                                                                                    \
		void *sym = dlsym(handle, symbol);                                              \
		if (!sym) {                                                                     \
			ERR(e, NEEDS "%s has no %s" LOAD_HINT, soname, symbol);                 \
			dlclose(handle);                                                        \
			return -1;                                                              \
		}                                                                               \
		memcpy(&out->field, &sym, sizeof sym);                                          \
	} while (0)

static int open_table(const char *soname, struct crypto_dl *out, struct err *e)
{
	void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *why = dlerror();
		return ERR(e, NEEDS "cannot load %s: %s" LOAD_HINT, soname, why ? why : "unknown reason");
	}
	LOAD(bio_new_mem_buf, "BIO_new_mem_buf");
	LOAD(bio_free, "BIO_free");
	LOAD(pem_read_bio_privatekey, "PEM_read_bio_PrivateKey");
	LOAD(pkey_free, "EVP_PKEY_free");
	LOAD(pkey_get_base_id, "EVP_PKEY_get_base_id");
	LOAD(md_ctx_new, "EVP_MD_CTX_new");
	LOAD(md_ctx_free, "EVP_MD_CTX_free");
	LOAD(sha256, "EVP_sha256");
	LOAD(digest_sign_init, "EVP_DigestSignInit");
	LOAD(digest_sign, "EVP_DigestSign");
	LOAD(err_clear_error, "ERR_clear_error");
	return 0;
}

const struct crypto_dl *crypto_dl_get(struct err *e)
{
	static struct crypto_dl table;
	static struct err load_error;
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	if (state == 0)
		state = open_table(CRYPTO_DL_SONAME, &table, &load_error) == 0 ? 1 : -1;
	if (state < 0) {
		if (e)
			*e = load_error;
		return NULL;
	}
	return &table;
}
