/*
 * err.h — the one error type every layer below main() returns.
 *
 * Owns: struct err (what went wrong, where in the user's input, and where in our code) and the
 * helpers that fill and format it. Printing is not here: only main() prints, via err_format().
 * Convention everywhere else in nightfan: a function that can fail takes `struct err *e` last and
 * returns -1 (or NULL) after filling it, 0 (or a value) on success. It never prints or exits.
 *
 * Memory, beside it (docs/DEVELOPING.md, "Memory"): what a function returns is either OWNED — the
 * caller frees it with the function its header names (free(), json_decref(), cJSON_Delete(),
 * X_free()) — or BORROWED — it points into an argument or a static table and lives as long as that;
 * every header says which. Arguments are borrowed: a function keeps no pointer to them after it
 * returns unless its header says so. A struct a function fills (`struct x *out`) is zeroed by it
 * first and, on failure as on success, released by the one X_free() its header names, which is safe
 * on a zeroed or partly filled struct; a function that returns -1/NULL with no such struct has
 * freed whatever it allocated.
 */
#ifndef NIGHTFAN_ERR_H
#define NIGHTFAN_ERR_H

#include <stdarg.h>

#define ERR_FILE_MAX 512
#define ERR_MSG_MAX 1024

struct err {
	char file[ERR_FILE_MAX];  /* input the error is about, as the user names it
	                             ("labels/hypnogram.csv", "profile.json"); "" when none */
	long line;                /* 1-based physical line in that file; 0 when not applicable */
	long column;              /* 1-based column (field number in CSV); 0 when not applicable */
	char message[ERR_MSG_MAX];/* what was expected, in words, no trailing period */
	const char *src_file;     /* where in nightfan's source it was raised (for --verbose) */
	int src_line;
};

/* Fill *e and return -1. `file` may be NULL. The file name and the formatted message are kept as
 * valid UTF-8 (common/utf8.h: invalid bytes as \xNN), cut between characters with "..." when too
 * long, so every message can go into JSON and logs as is. Use through ERR()/ERR_AT() so src_* are recorded. */
int err_set(struct err *e, const char *src_file, int src_line, const char *file, long line,
	    long column, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
int err_setv(struct err *e, const char *src_file, int src_line, const char *file, long line,
	     long column, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* An error about no particular input location: ERR(e, "out of memory"). Returns -1. */
#define ERR(e, ...) err_set((e), __FILE__, __LINE__, NULL, 0, 0, __VA_ARGS__)
/* An error about FILE at LINE:COL (0 = unknown): ERR_AT(e, f, 17, 2, "expected ..."). Returns -1. */
#define ERR_AT(e, file, line, col, ...) err_set((e), __FILE__, __LINE__, (file), (line), (col), __VA_ARGS__)
/* An error from a failed system call on PATH: appends ": <strerror(errno)>". Returns -1. */
#define ERR_SYS(e, path, ...) err_sys((e), __FILE__, __LINE__, (path), __VA_ARGS__)
int err_sys(struct err *e, const char *src_file, int src_line, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Prefix the message with more context ("while reading night N0001: ..."). Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear *e (no error). */
void err_clear(struct err *e);

/* Format as "file:line:col: message" (parts that are unknown are left out) into buf (always
 * NUL-terminated, truncated to size between characters). Returns buf. */
char *err_format(const struct err *e, char *buf, unsigned long size);

#endif
