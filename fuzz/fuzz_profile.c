/*
 * fuzz_profile.c — libFuzzer target for the mapping profile (common/profile.c) as the shard loads
 * it: the input is the profile's JSON text. A profile that loads must be usable: every stream it
 * names has a file and a value table, and looking values up (canonical, mapped, unknown, empty)
 * must not fail in any other way than returning -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

static void use_stream(const struct profile_stream *s)
{
	static const char *const raw[] = {"W", "N1", "R", "?", "Wake", "0", "4", "OA", "Hypopnea", "RERA",
					  "supine", "Supine", "unknown", "", "\xff", "stage"};

	if (!s->file || !s->file[0])
		abort();
	for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
		int v = profile_value(s, raw[i], strlen(raw[i]));
		if (v < -1 || v > 5)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct profile *p = profile_parse(text, size, "profile.json", &e);
	if (p) {
		if (!(p->epoch_seconds > 0))
			abort();
		for (int src = 0; src < SOURCE_COUNT; src++)
			for (int st = 0; st < STREAM_COUNT; st++) {
				const struct profile_stream *s = profile_stream(p, src, st);
				if (s)
					use_stream(s);
			}
		profile_free(p);
	} else if (!e.message[0]) {
		abort(); /* a refusal must say why */
	}
	free(text);
	return 0;
}
