/*
 * night_events.c — reading a night's event_agreement (see night_events.h).
 */
#include "night_events.h"

#include <math.h>
#include <string.h>

static const char *const key_names[NIGHT_EVENT_KEYS] = {"AH", "OA", "CA", "MA", "A", "H", "RERA"};

const char *night_events_key_name(int k)
{
	return k >= 0 && k < NIGHT_EVENT_KEYS ? key_names[k] : "?";
}

static int read_count(const cJSON *key, const char *k, const char *name, uint64_t *out, const char *path,
		      struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(key, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
	    floor(v->valuedouble) != v->valuedouble)
		return ERR_AT(e, path, 0, 0, "expected \"event_agreement\".\"%s\".\"%s\" to be a count of events",
			      k, name);
	*out = (uint64_t)v->valuedouble;
	return 0;
}

static int read_metric(const cJSON *key, const char *k, const char *name, struct stat_num *out, const char *path,
		       struct err *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(key, name);

	*out = (struct stat_num){0, false};
	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return ERR_AT(e, path, 0, 0, "expected \"event_agreement\".\"%s\".\"%s\" to be a number or null",
			      k, name);
	*out = (struct stat_num){v->valuedouble, true};
	return 0;
}

static int read_key(const cJSON *block, int k, struct night_event_key *out, const char *path, struct err *e)
{
	const char *name = key_names[k];
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(block, name);

	if (!cJSON_IsObject(key))
		return ERR_AT(e, path, 0, 0, "expected \"event_agreement\".\"%s\" to be an object", name);
	if (read_count(key, name, "tp", &out->tp, path, e) < 0 || read_count(key, name, "fp", &out->fp, path, e) < 0 ||
	    read_count(key, name, "fn", &out->fn, path, e) < 0 ||
	    read_metric(key, name, "sensitivity", &out->sensitivity, path, e) < 0 ||
	    read_metric(key, name, "ppv", &out->ppv, path, e) < 0 || read_metric(key, name, "f1", &out->f1, path, e) < 0 ||
	    read_metric(key, name, "onset_mae", &out->onset_mae, path, e) < 0)
		return -1;
	return 0;
}

int night_events_read(const cJSON *root, struct night_events *out, const char *path, struct err *e)
{
	const cJSON *block = cJSON_GetObjectItemCaseSensitive(root, "event_agreement");

	memset(out, 0, sizeof(*out));
	if (!block || cJSON_IsNull(block))
		return 0;
	if (!cJSON_IsObject(block))
		return ERR_AT(e, path, 0, 0, "expected \"event_agreement\" to be an object or null");
	for (int k = 0; k < NIGHT_EVENT_KEYS; k++)
		if (read_key(block, k, &out->k[k], path, e) < 0)
			return -1;
	out->known = true;
	return 0;
}
