/*
 * spec_read.c — a spec file read back and checked, root parameters typed (see spec_read.h).
 */
#include "spec_read.h"

#include <string.h>

#include "yamlio.h"

json_t *spec_read_file(const char *path, struct err *e)
{
	json_t *spec = yaml_read_file(path, e);

	if (spec && !json_is_object(spec)) {
		json_decref(spec);
		ERR_AT(e, path, 0, 0, "expected a KFP pipeline spec (a mapping)");
		return NULL;
	}
	if (spec && !json_object_get(spec, "root")) {
		json_decref(spec);
		ERR_AT(e, path, 0, 0, "expected a KFP pipeline spec with a \"root\"");
		return NULL;
	}
	return spec;
}

int spec_type_matches(const char *type, const json_t *v)
{
	if (strcmp(type, "STRING") == 0)
		return json_is_string(v);
	if (strcmp(type, "LIST") == 0)
		return json_is_array(v);
	if (strcmp(type, "STRUCT") == 0)
		return json_is_object(v);
	if (strcmp(type, "NUMBER_INTEGER") == 0)
		return json_is_integer(v) || (json_is_real(v) && json_real_value(v) == (long long)json_real_value(v));
	if (strcmp(type, "NUMBER_DOUBLE") == 0)
		return json_is_number(v);
	if (strcmp(type, "BOOLEAN") == 0)
		return json_is_boolean(v);
	return 1;
}

json_t *spec_param_value(const json_t *spec, const char *name, const char *text, struct err *e)
{
	const json_t *root = json_object_get(spec, "root");
	const json_t *def = json_object_get(json_object_get(json_object_get(root, "inputDefinitions"), "parameters"), name);
	const char *type;
	json_error_t jerr;
	json_t *v;

	if (!def) {
		ERR(e, "--param %s: the pipeline has no such parameter", name);
		return NULL;
	}
	type = json_string_value(json_object_get(def, "parameterType"));
	if (!type || strcmp(type, "STRING") == 0)
		return json_string(text);
	v = json_loads(text, JSON_DECODE_ANY, &jerr);
	/* Typed by a person, an integer is written as one: "3.0" is refused here, though spec
	 * defaults written by other tools may say 3.0 (spec_type_matches lets those through). */
	if (!v || !spec_type_matches(type, v) || (strcmp(type, "NUMBER_INTEGER") == 0 && !json_is_integer(v))) {
		json_decref(v);
		ERR(e, "--param %s: expected a JSON %s value, got \"%s\"", name, type, text);
		return NULL;
	}
	return v;
}
