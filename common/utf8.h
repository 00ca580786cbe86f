/*
 * utf8.h — bytes we did not write, made fit for an error message, a JSON output or a log line.
 *
 * Owns the one rule for showing text that comes from a file, an argument or a server (CSV values,
 * profile names, night.json strings, page tokens): valid UTF-8 characters (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) are kept; every byte that is not part of one is
 * written as the four characters \xNN (lowercase hex); and text is only ever cut between
 * characters, an escape counting as one. So what comes out is always valid UTF-8, and a JSON
 * writer (cJSON, jansson) gives a file every strict reader takes. Flags add what else a caller
 * shows as \xNN. JSON escaping itself stays the JSON library's; HTML escaping is merge/html's.
 * Used by err.c (every message and file name), log.c (every line), night.json, report.json,
 * night-id and CSV-value messages.
 */
#ifndef NIGHTFAN_UTF8_H
#define NIGHTFAN_UTF8_H

#include <stdbool.h>
#include <stddef.h>

enum {
	UTF8_ESC_CONTROL = 1u << 0,  /* also C0 controls, DEL, '"' and '\\' (a value quoted in a message) */
	UTF8_ESC_NONASCII = 1u << 1, /* also every byte over 0x7f, valid characters too (ASCII-only text) */
};

/* The length (1-4) of the valid UTF-8 character starting at s (n bytes available, n > 0); 0 when
 * the bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a
 * character cut short by the end). NUL is a valid one-byte character. */
size_t utf8_char_len(const char *s, size_t n);

/* True when the n bytes at s are valid UTF-8 throughout. */
bool utf8_valid(const char *s, size_t n);

/* Copy the n bytes at s into out (size > 0; always NUL-terminated) under the rule above, as many
 * whole characters as fit. Returns the number of bytes of s taken: n when all of it fit. */
size_t utf8_escape(char *out, size_t size, const char *s, size_t n, unsigned flags);

/* utf8_escape, and "..." at the end when s did not fit (room is kept for it). Returns out. */
char *utf8_shown(char *out, size_t size, const char *s, size_t n, unsigned flags);

/* The whole NUL-terminated string s under the rule, malloc'ed (caller frees); NULL when out of
 * memory. */
char *utf8_escape_dup(const char *s, unsigned flags);

#endif
