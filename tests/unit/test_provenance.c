/*
 * test_provenance.c — merge/provenance.c: the digest (XXH3-128 test vector of xxHash's own
 * xxhsum -H2: the empty input gives 99aa06d3014798d86001c324468d497f), the JSON and HTML forms.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "merge/provenance.h"

TEST(profile_digest_is_xxh3_128_canonical_hex)
{
	struct provenance p;

	provenance_set(&p, NULL, "", 0, NULL);
	CHECK_STR(p.profile_xxh128, "99aa06d3014798d86001c324468d497f");
}

TEST(json_has_nulls_for_what_is_unknown)
{
	struct provenance p;

	provenance_set(&p, NULL, NULL, 0, NULL);
	cJSON *o = provenance_json(&p);
	char *text = cJSON_PrintUnformatted(o);
	CHECK_STR(text, "{\"input_root\":null,\"profile_xxh128\":null,\"nightfan_version\":\"" NIGHTFAN_VERSION
			"\",\"spec\":null}");
	free(text);
	cJSON_Delete(o);
	provenance_set(&p, "gs://b/study", "", 0, "weekly");
	o = provenance_json(&p);
	text = cJSON_PrintUnformatted(o);
	CHECK_STR(text, "{\"input_root\":\"gs://b/study\",\"profile_xxh128\":\"99aa06d3014798d86001c324468d497f\","
			"\"nightfan_version\":\"" NIGHTFAN_VERSION "\",\"spec\":\"weekly\"}");
	free(text);
	cJSON_Delete(o);
}

TEST(html_line_is_escaped)
{
	struct provenance p;
	char buf[1024] = "";
	FILE *fp = fmemopen(buf, sizeof buf, "w");

	provenance_set(&p, "/data/<a&b>", NULL, 0, "x\"y");
	provenance_html(fp, &p);
	fclose(fp);
	CHECK_STR(buf, "<p class=\"provenance\">spec <code>x&quot;y</code> \xc2\xb7 input <code>/data/&lt;a&amp;b&gt;</code> "
		       "\xc2\xb7 nightfan " NIGHTFAN_VERSION "</p>\n");
}
