/*
 * utf8.c — UTF-8 validation, \xNN escaping and cutting between characters (see utf8.h).
 */
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* RFC 3629 section 4: the byte after the lead byte has a narrower range for E0, ED, F0 and F4
 * (which keeps out overlong forms, surrogates and code points above U+10FFFF). */
size_t utf8_char_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		len = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (n < len || u[1] < lo || u[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (!continuation(u[i]))
			return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0, len; i < n; i += len)
		if ((len = utf8_char_len(s + i, n - i)) == 0)
			return false;
	return true;
}

static bool escaped(unsigned char c, size_t len, unsigned flags)
{
	if (len == 0)
		return true;
	if ((flags & UTF8_ESC_NONASCII) && c >= 0x80)
		return true;
	return (flags & UTF8_ESC_CONTROL) && (c < 0x20 || c == 0x7f || c == '"' || c == '\\');
}

size_t utf8_escape(char *out, size_t size, const char *s, size_t n, unsigned flags)
{
	size_t i = 0, o = 0;

	if (size == 0)
		return 0;
	while (i < n) {
		size_t len = utf8_char_len(s + i, n - i);
		bool esc = escaped((unsigned char)s[i], len, flags);
		size_t bytes = len ? len : 1; /* an invalid byte is escaped alone */
		size_t need = esc ? 4 * bytes : bytes;
		if (o + need >= size)
			break;
		for (size_t k = 0; k < bytes; k++) {
			if (esc)
				o += (size_t)snprintf(out + o, size - o, "\\x%02x", (unsigned char)s[i + k]);
			else
				out[o++] = s[i + k];
		}
		i += bytes;
	}
	out[o] = '\0';
	return i;
}

char *utf8_shown(char *out, size_t size, const char *s, size_t n, unsigned flags)
{
	if (utf8_escape(out, size, s, n, flags) == n || size < 4)
		return out;
	utf8_escape(out, size - 3, s, n, flags);
	strcat(out, "...");
	return out;
}

char *utf8_escape_dup(const char *s, unsigned flags)
{
	size_t n = strlen(s);
	char *out = malloc(4 * n + 1); /* every byte escaped is the most it can take */

	if (out)
		utf8_escape(out, 4 * n + 1, s, n, flags);
	return out;
}
