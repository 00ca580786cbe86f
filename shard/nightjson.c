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

/* Text appended to a fixed buffer (event_agreement's, sized for its worst case). */
struct text {
	char s[4096];
	size_t len;
};

static void add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	memcpy(t->s + t->len, s, n);
	t->len += n;
}

static void add_count(struct text *t, long v)
{
	char digits[24];
	size_t n = 0;
	unsigned long u = v < 0 ? 0 - (unsigned long)v : (unsigned long)v;

	do
		digits[sizeof digits - ++n] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		digits[sizeof digits - ++n] = '-';
	memcpy(t->s + t->len, digits + sizeof digits - n, n);
	t->len += n;
}

/* num / den as numfmt writes it, null on den = 0. */
static void add_ratio(struct text *t, double num, double den)
{
	if (den > 0)
		t->len += numfmt_double(num / den, t->s + t->len);
	else
		add(t, "null");
}

/* SPEC §2 event_agreement: AH, then each class; null without a predicted respiratory stream.
 * Built as the text cJSON_Print writes for it where it stands (one level deep: members two tabs in,
 * the closing brace one) and put in as one raw item: as 7 objects of 7 members it took ~170
 * allocations to build, print and free, a third of what event agreement added to the shard's
 * instructions (callgrind). The shard goldens hold its text. Worst case ~2.5 KB: 7 x (3 counts of
 * at most 20 digits, 4 numbers of at most NUMFMT_MAX, ~110 bytes of keys and tabs). */
static cJSON *event_agreement(const struct pairing_result *p)
{
	struct text t = {.len = 0};

	if (!p)
		return cJSON_CreateNull();
	add(&t, "{\n");
	for (int k = 0; k < PAIRING_CLASSES; k++) {
		const struct pairing_counts *c = &p->counts[k];
		add(&t, "\t\t\"");
		add(&t, pairing_key_name(k));
		add(&t, "\":\t{\n\t\t\t\"tp\":\t");
		add_count(&t, c->tp);
		add(&t, ",\n\t\t\t\"fp\":\t");
		add_count(&t, c->fp);
		add(&t, ",\n\t\t\t\"fn\":\t");
		add_count(&t, c->fn);
		add(&t, ",\n\t\t\t\"sensitivity\":\t");
		add_ratio(&t, (double)c->tp, (double)(c->tp + c->fn));
		add(&t, ",\n\t\t\t\"ppv\":\t");
		add_ratio(&t, (double)c->tp, (double)(c->tp + c->fp));
		add(&t, ",\n\t\t\t\"f1\":\t");
		add_ratio(&t, (double)(2 * c->tp), (double)(2 * c->tp + c->fp + c->fn));
		add(&t, ",\n\t\t\t\"onset_mae\":\t");
		add_ratio(&t, c->onset_abs_sum, (double)c->tp);
		add(&t, k + 1 < PAIRING_CLASSES ? "\n\t\t},\n" : "\n\t\t}\n");
	}
	add(&t, "\t}");
	t.s[t.len] = '\0';
	return cJSON_CreateRaw(t.s);
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
