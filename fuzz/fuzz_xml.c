/*
 * fuzz_xml.c — libFuzzer target for the XML annotation readers (shard/annot.c through libxml2's
 * streaming reader), in memory.
 *
 * Input: byte 0 picks the format (bit 0: 0 nsrr-xml, 1 profusion-xml); the rest is the document.
 * Whatever the bytes, the reader must end (no loop, no blow-up: entity bombs and deep nesting
 * are refused), and either give a list whose every item has a finite onset and duration >= 0 and a
 * label inside the list's text, or fail with a message naming the file.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct annot_list a;
	struct err e = {0};

	if (size < 1)
		return 0;
	enum profile_format format = data[0] & 1 ? FORMAT_PROFUSION_XML : FORMAT_NSRR_XML;
	int rc = annot_parse((const char *)data + 1, size - 1, "f.xml", format, &a, &e);
	if (rc < 0 && (!e.message[0] || strcmp(e.file, "f.xml") != 0))
		abort();
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		const struct annot_item *item = &a.items[i];
		if (!isfinite(item->onset) || !isfinite(item->duration) || item->duration < 0 || item->label >= a.text.len ||
		    strlen(annot_label(&a, i)) + item->label >= a.text.len)
			abort();
	}
	annot_free(&a);
	return 0;
}
