/*
 * fuzz_edf.c — libFuzzer target for the EDF+ annotation reader (shard/annot.c through EDFlib and
 * the data-record walk over the TALs), in memory.
 *
 * Input: the file's bytes (fuzz/make-seeds.sh writes seeds with EDFlib's own writer). The reader
 * must either give a list whose every item has a finite onset, a duration that is given (>= 0) or
 * not (-1), a data record within the file's (or 0) and a label inside the list's text, or fail with
 * a message naming the file.
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
	int rc = annot_parse((const char *)data, size, "f.edf", FORMAT_EDF_PLUS, &a, &e);

	if (rc < 0 && (!e.message[0] || strcmp(e.file, "f.edf") != 0))
		abort();
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		const struct annot_item *item = &a.items[i];
		if (!isfinite(item->onset) || !isfinite(item->duration) || (item->duration < 0 && item->duration != -1) ||
		    item->where < 0 || item->label >= a.text.len || strlen(annot_label(&a, i)) + item->label >= a.text.len)
			abort();
	}
	annot_free(&a);
	return 0;
}
