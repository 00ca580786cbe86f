/*
 * curl_dl.h — libcurl, loaded with dlopen() the first time a request needs it.
 *
 * Owns: the one table of libcurl entry points common/http.c calls through. Types and constants
 * still come from <curl/curl.h> (pkg-config --cflags libcurl); no binary links libcurl.
 * Why not plain linking: libcurl pulls ~30 shared libraries (openssl, nghttp2, krb5, ldap, ...)
 * whose loading and relocation cost every process ~4-5 ms CPU and ~6.5 MB of peak RSS before
 * main(). Measured 2026-11-24 on the shared 2-core VM (bench/10-shard.sh, 60 synth nights): a
 * trivial program linked with -lcurl peaks at 7.4 MB vs 0.95 MB without; `nightfan-shard
 * --version` 5.32 -> 1.14 ms CPU and 8.3 -> 2.2 MB; a whole night 12.61 -> 8.55 ms and 8.9 -> 2.6
 * MB. Only gs:// roots and the cloud commands make requests, so a local night never pays for it.
 * Not here: requests, retries, errors about them (common/http.c).
 */
#ifndef NIGHTFAN_CURL_DL_H
#define NIGHTFAN_CURL_DL_H

#include <curl/curl.h>
#include <time.h>

#include "err.h"

/* The libcurl functions nightfan uses, with libcurl's own signatures. */
struct curl_dl {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *curl);
	void (*easy_reset)(CURL *curl);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
	void (*slist_free_all)(struct curl_slist *list);
	time_t (*getdate)(const char *date, const time_t *unused);
};

/* The soname loaded: Debian's libcurl4 (OpenSSL flavour; libcurl3-gnutls is another soname). */
#define CURL_DL_SONAME "libcurl.so.4"

/* libcurl's table, loading CURL_DL_SONAME and running curl_global_init() on the first call (safe
 * from several threads at once). On failure, the same error every call:
 * "HTTP (gs://, cloud commands) needs libcurl: cannot load libcurl.so.4: <dlerror>; install
 * Debian's libcurl4". The library stays loaded until exit. */
const struct curl_dl *curl_dl_get(struct err *e);

/* The loading itself, from a given soname, for tests: a fresh table, or NULL and *e as above.
 * Does not run curl_global_init(); the handle is never closed. */
const struct curl_dl *curl_dl_open(const char *soname, struct curl_dl *out, struct err *e);

#endif
