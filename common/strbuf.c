/*
 * strbuf.c — the growable byte buffer (see strbuf.h; the appends are inline there). Nothing here
 * prints.
 */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The smallest block a buffer gets: small strings take one allocation, large ones double from here. */
#define STRBUF_MIN_ALLOC 64

void strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof *sb);
}

int strbuf_grow(struct strbuf *sb, size_t extra, struct err *e)
{
	size_t want, cap;
	char *grown;

	if (extra > SIZE_MAX - 1 - sb->len)
		return ERR(e, "out of memory");
	want = sb->len + extra + 1;
	if (sb->buf && want <= sb->alloc)
		return 0;
	cap = sb->alloc ? sb->alloc : STRBUF_MIN_ALLOC;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (!(grown = realloc(sb->buf, cap)))
		return ERR(e, "out of memory");
	if (!sb->buf)
		grown[0] = '\0';
	sb->buf = grown;
	sb->alloc = cap;
	return 0;
}

int strbuf_vaddf(struct strbuf *sb, struct err *e, const char *fmt, va_list ap)
{
	size_t room = sb->buf ? sb->alloc - sb->len : 0;
	va_list again;
	int n;

	/* First try in the room there is; on overflow grow once to the exact size and format again. */
	va_copy(again, ap);
	n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, room, fmt, ap);
	if (n >= 0 && (size_t)n >= room) {
		if (strbuf_grow(sb, (size_t)n, e) < 0) {
			if (sb->buf)
				sb->buf[sb->len] = '\0'; /* undo the cut-off text vsnprintf left */
			va_end(again);
			return -1;
		}
		n = vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n < 0) {
		if (sb->buf)
			sb->buf[sb->len] = '\0';
		return ERR(e, "cannot format");
	}
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, struct err *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strbuf_vaddf(sb, e, fmt, ap);
	va_end(ap);
	return rc;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *out = sb->buf;

	if (len)
		*len = sb->buf ? sb->len : 0;
	if (!out && (out = malloc(1)))
		out[0] = '\0';
	strbuf_init(sb);
	return out;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}
