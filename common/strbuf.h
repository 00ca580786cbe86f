/*
 * strbuf.h — a growable byte buffer, in the manner of git's strbuf.h and redis's sds.
 *
 * Owns: bytes appended at the end of one malloc'ed block that grows as needed (doubling, so n
 * appends cost O(n) copies), kept NUL-terminated so the contents can be read as a C string, and
 * handed over to the caller when done (strbuf_detach). What goes into it is the callers' business;
 * a list of strings is common/strlist.h.
 *
 *     struct strbuf sb = STRBUF_INIT;
 *     if (strbuf_addstr(&sb, "night ", e) < 0 || strbuf_addf(&sb, e, "%s: %d epochs", id, n) < 0) {
 *             strbuf_release(&sb);
 *             return -1;
 *     }
 *     char *text = strbuf_detach(&sb, &len);   // the caller's now; sb is empty again
 *
 * Memory: the buffer owns `buf`; strbuf_release() frees it, strbuf_detach() gives it away. A zeroed
 * struct strbuf (STRBUF_INIT, `= {0}`) is an empty buffer, and releasing it is a no-op.
 * Failure: a function that adds returns -1 with "out of memory" in *e (e may be NULL) and leaves the
 * buffer's contents and length as they were before the call (only strbuf_addf's rare format error
 * can leave the allocation grown); the caller still releases it.
 */
#ifndef NIGHTFAN_STRBUF_H
#define NIGHTFAN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "err.h"

struct strbuf {
	char *buf;    /* the bytes; NULL until the first byte is added or room is made, then always
	                 NUL-terminated at buf[len] (the bytes themselves may hold NULs) */
	size_t len;   /* bytes held, the NUL not counted */
	size_t alloc; /* bytes allocated at buf (0 while buf is NULL) */
};

#define STRBUF_INIT {0}

/* An empty buffer (the same as STRBUF_INIT); nothing is allocated. */
void strbuf_init(struct strbuf *sb);

/* Room for at least `extra` more bytes plus the NUL, so that the next adds of that many bytes in
 * total cannot fail. 0, or -1 ("out of memory", also when len + extra overflows) with sb unchanged.
 * Afterwards buf is never NULL. */
int strbuf_grow(struct strbuf *sb, size_t extra, struct err *e);

/* Append `len` bytes (any bytes, NULs included). 0, or -1 with sb unchanged. Inline: when the
 * bytes fit, it is a copy and no call (readers append a few bytes per XML node or HTTP chunk). */
static inline int strbuf_add(struct strbuf *sb, const void *data, size_t len, struct err *e)
{
	if ((!sb->buf || len >= sb->alloc - sb->len) && strbuf_grow(sb, len, e) < 0)
		return -1;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}
/* Append a C string (without its NUL). 0, or -1 with sb unchanged. */
static inline int strbuf_addstr(struct strbuf *sb, const char *s, struct err *e)
{
	return strbuf_add(sb, s, strlen(s), e);
}
/* Append one byte. 0, or -1 with sb unchanged. */
static inline int strbuf_addch(struct strbuf *sb, char c, struct err *e)
{
	return strbuf_add(sb, &c, 1, e);
}
/* Append printf-style formatted text. 0, or -1 with sb unchanged (also when the format itself
 * fails, e.g. EILSEQ on a bad wide character: then *e says "cannot format"). `e` comes before the
 * format so the arguments can follow it. */
int strbuf_addf(struct strbuf *sb, struct err *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int strbuf_vaddf(struct strbuf *sb, struct err *e, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* Set the length to `len` and NUL-terminate there; the allocation is kept. `len` is at most
 * sb->len (cutting the contents), or, after strbuf_grow(), sb->len plus the room made: the way to
 * count bytes the caller wrote at buf + len itself. A len beyond the allocation is cut to what fits
 * (alloc - 1); on a buffer with nothing allocated it does nothing. */
static inline void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->buf)
		return;
	sb->len = len < sb->alloc ? len : sb->alloc - 1;
	sb->buf[sb->len] = '\0';
}
/* Empty the buffer, keeping its allocation for reuse (strbuf_setlen(sb, 0)). */
static inline void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

/* The contents as a malloc'ed NUL-terminated string the caller frees with free(); *len (when not
 * NULL) is its length. The buffer is left empty (as after strbuf_init) and needs no release. Never
 * NULL except when the buffer held nothing and a 1-byte string cannot be allocated (then NULL, *len
 * 0, and the buffer is empty as before). */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Free the contents and leave the buffer empty (as after strbuf_init). Safe on a zeroed buffer. */
void strbuf_release(struct strbuf *sb);

/* The contents as a C string: buf, or "" (a static empty string, borrowed) while buf is NULL. */
static inline const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

#endif
