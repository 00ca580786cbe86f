/*
 * fuzz_night.c — libFuzzer target for night.json as the merge reads it (merge/nights.c,
 * night_parse): the input is the file's text, read for night "N0001". A night that parses must
 * hold what the report relies on (a status, sane counts); a refusal must name the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct night_record r;
	struct err e = {0};
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&r, 0, sizeof r);
	strcpy(r.id, "N0001");
	int rc = night_parse(text, "nights/N0001/night.json", "N0001", &r, &e);
	if (rc < 0 && (!e.message[0] || !strstr(e.file[0] ? e.file : e.message, "N0001")))
		abort(); /* every refusal names the night's file */
	if (rc == 0 && !r.failed && r.epochs < 0)
		abort();
	night_record_free(&r);
	free(text);
	return 0;
}
