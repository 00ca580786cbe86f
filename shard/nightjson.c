/*
 * nightjson.c — building night.json with cJSON (see nightjson.h).
 *
 * Numbers go in as raw JSON text from numfmt_double, so every output writes a number the same way
 * (cJSON's own printing is not always the shortest round-trip form). Text that comes from outside
 * (file names from the profile, error messages) goes in through text() / add_keyed(), which show
 * bytes that are not UTF-8 as \xNN (common/utf8.h): night.json is always valid UTF-8.
 */
#include "nightjson.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "utf8.h"

/* A JSON string of outside text; NULL when out of memory. */
static cJSON *text(const char *s)
{
	char *t = utf8_escape_dup(s, 0);
	cJSON *v = t ? cJSON_CreateString(t) : NULL;

	free(t);
	return v;
}

/* obj[key] = item, for a key that is outside text; item is freed if it cannot be added. */
static void add_keyed(cJSON *obj, const char *key, cJSON *item)
{
	char *k = utf8_escape_dup(key, 0);

	if (!k || !cJSON_AddItemToObject(obj, k, item))
		cJSON_Delete(item);
	free(k);
}

static cJSON *number(double x)
{
	char text[NUMFMT_MAX];

	numfmt_double(x, text);
	return cJSON_CreateRaw(text);
}

static cJSON *integer(long long x)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", x);
	return cJSON_CreateRaw(text);
}

static cJSON *score_value(const struct score_value *v)
{
	switch (v->kind) {
	case SCORE_IS_NUMBER:
		return number(v->number);
	case SCORE_IS_BOOL:
		return cJSON_CreateBool(v->boolean);
	case SCORE_IS_STRING:
		return cJSON_CreateString(v->string);
	case SCORE_NULL:
		break;
	}
	return cJSON_CreateNull();
}

static cJSON *score_object(const struct score_set *set)
{
	cJSON *obj = cJSON_CreateObject();

	for (int k = 0; obj && k < SCORE_KEY_COUNT; k++)
		cJSON_AddItemToObject(obj, scorekey_name((enum score_key)k), score_value(&set->v[k]));
	return obj;
}

/* The same file may back two streams; it is listed once. */
static bool listed_before(const struct nightjson_ok *n, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(n->inputs[j].file, n->inputs[i].file) == 0)
			return true;
	return false;
}

static cJSON *inputs_object(const struct nightjson_ok *n)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; obj && i < n->n_inputs; i++) {
		const struct streams_file_info *in = &n->inputs[i];
		cJSON *file;
		if (listed_before(n, i))
			continue;
		file = cJSON_CreateObject();
		cJSON_AddItemToObject(file, "bytes", integer((long long)in->digest.bytes));
		cJSON_AddItemToObject(file, "rows", integer(in->rows));
		cJSON_AddStringToObject(file, "xxh128", in->digest.xxh128);
		add_keyed(obj, in->file, file);
	}
	return obj;
}

static cJSON *unmapped_object(const struct nightjson_ok *n)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; obj && i < n->n_inputs; i++) {
		long total = 0;
		if (listed_before(n, i))
			continue;
		for (size_t j = i; j < n->n_inputs; j++)
			if (strcmp(n->inputs[j].file, n->inputs[i].file) == 0)
				total += n->inputs[j].unmapped;
		if (total > 0)
			add_keyed(obj, n->inputs[i].file, integer(total));
	}
	return obj;
}

static cJSON *confusion_array(const long (*confusion)[STAGE_COUNT])
{
	cJSON *rows;

	if (!confusion)
		return cJSON_CreateNull();
	rows = cJSON_CreateArray();
	for (int r = 0; rows && r < STAGE_COUNT; r++) {
		cJSON *row = cJSON_CreateArray();
		for (int c = 0; c < STAGE_COUNT; c++)
			cJSON_AddItemToArray(row, integer(confusion[r][c]));
		cJSON_AddItemToArray(rows, row);
	}
	return rows;
}

/* tp / (tp + other) as a number, null on 0 / 0. */
static cJSON *share(long tp, long other)
{
	return tp + other > 0 ? number((double)tp / (double)(tp + other)) : cJSON_CreateNull();
}

static cJSON *agreement_counts(const struct pairing_counts *c)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddItemToObject(obj, "tp", integer(c->tp));
	cJSON_AddItemToObject(obj, "fp", integer(c->fp));
	cJSON_AddItemToObject(obj, "fn", integer(c->fn));
	cJSON_AddItemToObject(obj, "sensitivity", share(c->tp, c->fn));
	cJSON_AddItemToObject(obj, "ppv", share(c->tp, c->fp));
	cJSON_AddItemToObject(obj, "f1", share(2 * c->tp, c->fp + c->fn));
	cJSON_AddItemToObject(obj, "onset_mae",
			      c->tp > 0 ? number(c->onset_abs_sum / (double)c->tp) : cJSON_CreateNull());
	return obj;
}

/* SPEC §2 event_agreement: AH, then each class; null without a predicted respiratory stream. */
static cJSON *event_agreement(const struct pairing_result *p)
{
	cJSON *obj;

	if (!p)
		return cJSON_CreateNull();
	obj = cJSON_CreateObject();
	for (int k = 0; obj && k < PAIRING_CLASSES; k++)
		cJSON_AddItemToObject(obj, pairing_key_name(k), agreement_counts(&p->counts[k]));
	return obj;
}

static cJSON *tool_object(void)
{
	cJSON *tool = cJSON_CreateObject();

	cJSON_AddStringToObject(tool, "name", NIGHTJSON_TOOL);
	cJSON_AddStringToObject(tool, "version", NIGHTFAN_VERSION);
	return tool;
}

/* Print and free root; NULL with e filled when anything failed to allocate on the way. */
static char *finish(cJSON *root, struct err *e)
{
	char *text = root ? cJSON_Print(root) : NULL;

	cJSON_Delete(root);
	if (!text)
		ERR(e, "out of memory");
	return text;
}

char *nightjson_ok(const struct nightjson_ok *n, struct err *e)
{
	cJSON *root = cJSON_CreateObject(), *scores = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "schema", NIGHTJSON_SCHEMA);
	cJSON_AddStringToObject(root, "night", n->night);
	cJSON_AddStringToObject(root, "status", "ok");
	cJSON_AddNullToObject(root, "error");
	cJSON_AddItemToObject(root, "epochs", integer((long long)n->epochs));
	cJSON_AddItemToObject(root, "epoch_seconds", number(n->epoch_seconds));
	cJSON_AddItemToObject(root, "inputs", inputs_object(n));
	cJSON_AddItemToObject(root, "unmapped", unmapped_object(n));
	for (int s = 0; s < SOURCE_COUNT; s++)
		cJSON_AddItemToObject(scores, canon_source_name(s), score_object(n->scores[s]));
	cJSON_AddItemToObject(root, "scores", scores);
	cJSON_AddItemToObject(root, "staging_confusion", confusion_array(n->confusion));
	cJSON_AddItemToObject(root, "event_agreement", event_agreement(n->pairing));
	cJSON_AddItemToObject(root, "tool", tool_object());
	return finish(root, e);
}

static cJSON *error_object(const struct err *failure)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddItemToObject(obj, "file", failure->file[0] ? text(failure->file) : cJSON_CreateNull());
	cJSON_AddItemToObject(obj, "line", failure->line > 0 ? integer(failure->line) : cJSON_CreateNull());
	cJSON_AddItemToObject(obj, "column", failure->column > 0 ? integer(failure->column) : cJSON_CreateNull());
	cJSON_AddItemToObject(obj, "message", text(failure->message));
	return obj;
}

char *nightjson_failed(const char *night, double epoch_seconds, const struct err *failure, struct err *e)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "schema", NIGHTJSON_SCHEMA);
	cJSON_AddStringToObject(root, "night", night);
	cJSON_AddStringToObject(root, "status", "failed");
	cJSON_AddItemToObject(root, "error", error_object(failure));
	cJSON_AddNullToObject(root, "epochs");
	cJSON_AddItemToObject(root, "epoch_seconds", epoch_seconds > 0 ? number(epoch_seconds) : cJSON_CreateNull());
	cJSON_AddItemToObject(root, "inputs", cJSON_CreateObject());
	cJSON_AddItemToObject(root, "unmapped", cJSON_CreateObject());
	cJSON_AddNullToObject(root, "scores");
	cJSON_AddNullToObject(root, "staging_confusion");
	cJSON_AddNullToObject(root, "event_agreement");
	cJSON_AddItemToObject(root, "tool", tool_object());
	return finish(root, e);
}
