/*
 * nightid.c — night id validation (see nightid.h).
 */
#include "nightid.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

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

int nightid_check(const char *id, struct err *e)
{
	char shown[200];

	if (nightid_valid(id))
		return 0;
	id = id ? id : "";
	/* control and non-ASCII bytes, quotes and backslashes as \xNN, cut to fit */
	utf8_shown(shown, sizeof shown, id, strlen(id), UTF8_ESC_CONTROL | UTF8_ESC_NONASCII);
	return ERR(e, "invalid night id \"%s\": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, "
		   "starting with a letter or digit", shown);
}
