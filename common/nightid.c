/*
 * nightid.c — night id validation (see nightid.h).
 */
#include "nightid.h"

#include <stdio.h>
#include <string.h>

static bool is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool nightid_valid(const char *id)
{
	size_t n;

	if (!id || !is_alnum((unsigned char)id[0]))
		return false;
	for (n = 1; id[n]; n++) {
		unsigned char c = (unsigned char)id[n];
		if (n >= NIGHTID_MAX || !(is_alnum(c) || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Copy `id` into out with control and non-ASCII bytes shown as \xNN, cut to fit. */
static void escape_for_message(const char *id, char *out, size_t size)
{
	size_t o = 0;

	for (; *id && o + 5 < size; id++) {
		unsigned char c = (unsigned char)*id;
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	if (*id && o + 4 < size)
		o += (size_t)snprintf(out + o, size - o, "...");
	out[o] = '\0';
}

int nightid_check(const char *id, struct err *e)
{
	char shown[200];

	if (nightid_valid(id))
		return 0;
	escape_for_message(id ? id : "", shown, sizeof shown);
	return ERR(e, "invalid night id \"%s\": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, "
		   "starting with a letter or digit", shown);
}
