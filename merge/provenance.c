/*
 * provenance.c — the report's provenance record and its JSON and HTML forms; see provenance.h.
 */
#include "provenance.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

void provenance_set(struct provenance *p, const char *input_root, const char *profile, size_t profile_len,
		    const char *spec)
{
	memset(p, 0, sizeof *p);
	if ((p->has_input_root = input_root && *input_root))
		snprintf(p->input_root, sizeof p->input_root, "%s", input_root);
	if ((p->has_spec = spec && *spec))
		snprintf(p->spec, sizeof p->spec, "%s", spec);
	if ((p->has_profile = profile != NULL)) {
		XXH128_canonical_t c;
		XXH128_canonicalFromHash(&c, XXH3_128bits(profile, profile_len));
		for (size_t i = 0; i < sizeof c.digest; i++)
			snprintf(p->profile_xxh128 + 2 * i, 3, "%02x", c.digest[i]);
	}
}

static cJSON *string_or_null(bool has, const char *s)
{
	return has ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *provenance_json(const struct provenance *p)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToObject(o, "input_root", string_or_null(p->has_input_root, p->input_root)) ||
	    !cJSON_AddItemToObject(o, "profile_xxh128", string_or_null(p->has_profile, p->profile_xxh128)) ||
	    !cJSON_AddItemToObject(o, "nightfan_version", cJSON_CreateString(NIGHTFAN_VERSION)) ||
	    !cJSON_AddItemToObject(o, "spec", string_or_null(p->has_spec, p->spec))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static void escaped(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
}

void provenance_html(FILE *fp, const struct provenance *p)
{
	fputs("<p class=\"provenance\">", fp);
	if (p->has_spec) {
		fputs("spec <code>", fp);
		escaped(fp, p->spec);
		fputs("</code> \xc2\xb7 ", fp);
	}
	if (p->has_input_root) {
		fputs("input <code>", fp);
		escaped(fp, p->input_root);
		fputs("</code> \xc2\xb7 ", fp);
	}
	if (p->has_profile)
		fprintf(fp, "profile xxh128 <code>%s</code> \xc2\xb7 ", p->profile_xxh128);
	fprintf(fp, "nightfan %s</p>\n", NIGHTFAN_VERSION);
}
