/*
 * err.c — filling and formatting struct err (see err.h). Nothing here prints.
 */
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

int err_setv(struct err *e, const char *src_file, int src_line, const char *file, long line,
	     long column, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	char text[2 * ERR_MSG_MAX]; /* longer than any message kept: a cut here is never reached */
	int n;

	file = file ? file : "";
	utf8_shown(e->file, sizeof e->file, file, strlen(file), 0);
	e->line = line;
	e->column = column;
	n = vsnprintf(text, sizeof text, fmt, ap);
	utf8_shown(e->message, sizeof e->message, text, n < 0 ? 0 : strlen(text), 0);
	e->src_file = src_file;
	e->src_line = src_line;
	return -1;
}

int err_set(struct err *e, const char *src_file, int src_line, const char *file, long line,
	    long column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_setv(e, src_file, src_line, file, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct err *e, const char *src_file, int src_line, const char *path, const char *fmt, ...)
{
	int saved = errno;
	char what[2 * ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, src_file, src_line, path, 0, 0, "%s: %s", what, strerror(saved));
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[2 * ERR_MSG_MAX], text[2 * ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	snprintf(text, sizeof text, "%s: %s", prefix, e->message);
	utf8_shown(e->message, sizeof e->message, text, strlen(text), 0);
	return -1;
}

void err_clear(struct err *e)
{
	memset(e, 0, sizeof *e);
}

char *err_format(const struct err *e, char *buf, unsigned long size)
{
	char whole[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	int n = 0;

	if (size == 0)
		return buf;
	whole[0] = '\0';
	if (e->file[0]) {
		n = snprintf(whole, sizeof whole, "%s:", e->file);
		if (e->line > 0)
			n += snprintf(whole + n, sizeof whole - n, "%ld:", e->line);
		if (e->line > 0 && e->column > 0)
			n += snprintf(whole + n, sizeof whole - n, "%ld:", e->column);
		n += snprintf(whole + n, sizeof whole - n, " ");
	}
	snprintf(whole + n, sizeof whole - n, "%s", e->message);
	/* into buf cut between characters: a short buffer never ends inside one */
	utf8_escape(buf, size, whole, strlen(whole), 0);
	return buf;
}
