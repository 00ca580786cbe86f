/*
 * curl_dl.c — libcurl loaded on first use; see curl_dl.h for why and the contract.
 */
#include "curl_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define LOAD_HINT "; install Debian's libcurl4"
#define NEEDS "HTTP (gs://, cloud commands) needs libcurl: "

/* dlsym() into a function pointer of the field's own type (ISO C has no void * to function
 * pointer conversion; POSIX guarantees the representation). */
#define LOAD(field, symbol)                                                                     \
	do {                                                                                    \
		void *sym = dlsym(handle, symbol);                                              \
		if (!sym) {                                                                     \
			ERR(e, NEEDS "%s has no %s" LOAD_HINT, soname, symbol);                 \
			dlclose(handle);                                                        \
			return NULL;                                                            \
		}                                                                               \
		memcpy(&out->field, &sym, sizeof sym);                                          \
	} while (0)

const struct curl_dl *curl_dl_open(const char *soname, struct curl_dl *out, struct err *e)
{
	void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *why = dlerror();
		ERR(e, NEEDS "cannot load %s: %s" LOAD_HINT, soname, why ? why : "unknown reason");
		return NULL;
	}
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_reset, "curl_easy_reset");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	LOAD(getdate, "curl_getdate");
	return out;
}

static struct curl_dl loaded;
static bool loaded_ok;
static struct err load_error;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void)
{
	if (!curl_dl_open(CURL_DL_SONAME, &loaded, &load_error))
		return;
	if (loaded.global_init(CURL_GLOBAL_DEFAULT) != 0) {
		ERR(&load_error, "could not initialise libcurl");
		return;
	}
	loaded_ok = true;
}

const struct curl_dl *curl_dl_get(struct err *e)
{
	pthread_once(&load_once, load);
	if (!loaded_ok) {
		if (e)
			*e = load_error;
		return NULL;
	}
	return &loaded;
}
