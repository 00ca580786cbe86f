/*
 * err.c — filling and formatting struct err (see err.h). Nothing here prints.
 */
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int err_setv(struct err *e, const char *src_file, int src_line, const char *file, long line,
	     long column, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->column = column;
	vsnprintf(e->message, sizeof e->message, fmt, ap);
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
	char what[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, src_file, src_line, path, 0, 0, "%s: %s", what, strerror(saved));
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->message, sizeof old);
	snprintf(e->message, sizeof e->message, "%s: %s", prefix, old);
	return -1;
}

void err_clear(struct err *e)
{
	memset(e, 0, sizeof *e);
}

char *err_format(const struct err *e, char *buf, unsigned long size)
{
	int n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (e->file[0]) {
		n = snprintf(buf, size, "%s:", e->file);
		if (n >= 0 && (unsigned long)n < size && e->line > 0)
			n += snprintf(buf + n, size - n, "%ld:", e->line);
		if (n >= 0 && (unsigned long)n < size && e->line > 0 && e->column > 0)
			n += snprintf(buf + n, size - n, "%ld:", e->column);
		if (n >= 0 && (unsigned long)n < size)
			n += snprintf(buf + n, size - n, " ");
	}
	if (n >= 0 && (unsigned long)n < size)
		snprintf(buf + n, size - n, "%s", e->message);
	return buf;
}
