/*
 * executor.c — the KFP executor protocol (see executor.h): ExecutorInput read, ExecutorOutput
 * written. The parsed cJSON tree stays alive inside the handle, so accessors hand out pointers into
 * it; what they have to build (mapped paths, string lists, artifact arrays) goes onto the handle's
 * list of allocations and is freed with it.
 */
#include "executor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "numfmt.h"
#include "utf8.h"

#define PATH_TEXT_MAX 512
#define SNIPPET_MAX 24
/* Integers above this lose precision as doubles, the form KFP sends them in. */
#define EXACT_INTEGER_MAX 9007199254740992.0

struct executor {
	cJSON *root;
	cJSON *artifact_metadata;       /* name -> metadata object set by the caller */
	cJSON *parameters;              /* name -> value set by the caller, in the order set */
	void **owned;                   /* allocations handed out, freed with the handle */
	size_t n_owned, cap_owned;
};

/* A position in the tree while walking it, with its JSON path for messages. */
struct at {
	const cJSON *v;
	char path[PATH_TEXT_MAX];
};

/* ---- ownership ---- */

/* Keep `p` until executor_free; returns p, or NULL (p freed) when out of memory. */
static void *keep(struct executor *ex, void *p)
{
	if (!p)
		return NULL;
	if (ex->n_owned == ex->cap_owned) {
		size_t cap = ex->cap_owned ? ex->cap_owned * 2 : 16;
		void **grown = realloc(ex->owned, cap * sizeof *grown);
		if (!grown) {
			free(p);
			return NULL;
		}
		ex->owned = grown;
		ex->cap_owned = cap;
	}
	ex->owned[ex->n_owned++] = p;
	return p;
}

/* ---- walking with error paths ---- */

static const char *kind_of(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

static int wrong_kind(const struct at *a, const char *expected, struct err *e)
{
	return ERR(e, "executor input: %s: expected %s, got %s", a->path, expected, kind_of(a->v));
}

static struct at at_root(const struct executor *ex)
{
	struct at a = {.v = ex->root};
	return a;
}

/* Step from the object at *a into its member `key`. -1 when missing. */
static int step(struct at *a, const char *key, const char *expected, struct err *e)
{
	size_t len = strlen(a->path);

	snprintf(a->path + len, sizeof a->path - len, "%s%s", len ? "." : "", key);
	a->v = cJSON_GetObjectItemCaseSensitive(a->v, key);
	if (!a->v)
		return ERR(e, "executor input: %s: missing, expected %s", a->path, expected);
	return 0;
}

static int step_object(struct at *a, const char *key, struct err *e)
{
	if (step(a, key, "an object", e) != 0)
		return -1;
	return cJSON_IsObject(a->v) ? 0 : wrong_kind(a, "an object", e);
}

static void step_index(struct at *a, size_t i, const cJSON *item)
{
	size_t len = strlen(a->path);

	snprintf(a->path + len, sizeof a->path - len, "[%zu]", i);
	a->v = item;
}

/* Walk root.k1.k2..., every step an object. */
static int walk_objects(const struct executor *ex, struct at *a, const char *const *keys,
			size_t n, struct err *e)
{
	*a = at_root(ex);
	for (size_t i = 0; i < n; i++)
		if (step_object(a, keys[i], e) != 0)
			return -1;
	return 0;
}

/* inputs.parameterValues.<name>, any JSON value. */
static int param_at(const struct executor *ex, const char *name, struct at *a, const char *expected,
		    struct err *e)
{
	static const char *const keys[] = {"inputs", "parameterValues"};

	if (walk_objects(ex, a, keys, 2, e) != 0)
		return -1;
	return step(a, name, expected, e);
}

/* A string member `key` of the object at *a (path extended). */
static const char *string_member(const struct at *parent, const char *key, bool required,
				 struct err *e)
{
	struct at a = *parent;

	if (!cJSON_GetObjectItemCaseSensitive(parent->v, key) && !required)
		return "";
	if (step(&a, key, "a string", e) != 0)
		return NULL;
	if (!cJSON_IsString(a.v)) {
		wrong_kind(&a, "a string", e);
		return NULL;
	}
	return a.v->valuestring;
}

/* ---- parse / free ---- */

/* Up to SNIPPET_MAX bytes of `s`, with anything unprintable shown as '?'. */
static void snippet(const char *s, char *out)
{
	size_t n = 0;

	for (; s[n] && n < SNIPPET_MAX; n++)
		out[n] = (s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"') ? s[n] : '?';
	out[n] = '\0';
}

struct executor *executor_parse(const char *json, struct err *e)
{
	struct executor *ex = calloc(1, sizeof *ex);
	const char *end = NULL;

	if (!ex) {
		ERR(e, "out of memory");
		return NULL;
	}
	ex->root = cJSON_ParseWithOpts(json, &end, true);
	if (!ex->root) {
		char near[SNIPPET_MAX + 1];
		size_t offset = end && end >= json ? (size_t)(end - json) : 0;
		snippet(json + offset, near);
		ERR(e, "executor input: not valid JSON at byte %zu near \"%s\"", offset + 1, near);
		goto fail;
	}
	if (!cJSON_IsObject(ex->root)) {
		ERR(e, "executor input: expected a JSON object, got %s", kind_of(ex->root));
		goto fail;
	}
	ex->artifact_metadata = cJSON_CreateObject();
	ex->parameters = cJSON_CreateObject();
	if (!ex->artifact_metadata || !ex->parameters) {
		ERR(e, "out of memory");
		goto fail;
	}
	return ex;
fail:
	executor_free(ex);
	return NULL;
}

void executor_free(struct executor *ex)
{
	if (!ex)
		return;
	cJSON_Delete(ex->root);
	cJSON_Delete(ex->artifact_metadata);
	cJSON_Delete(ex->parameters);
	for (size_t i = 0; i < ex->n_owned; i++)
		free(ex->owned[i]);
	free(ex->owned);
	free(ex);
}

/* ---- URIs ---- */

/* The first "." or ".." segment of the '/'-separated path p, or NULL. */
static const char *dot_segment(const char *p)
{
	for (const char *seg = p; seg;) {
		size_t n = strcspn(seg, "/");
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return seg;
		seg = seg[n] ? seg + n + 1 : NULL;
	}
	return NULL;
}

char *executor_uri_to_path(const char *uri, enum executor_uri_kind kind, struct err *e)
{
	static const struct {
		const char *scheme, *mount;
	} mounts[] = {{"gs://", "/gcs/"}, {"minio://", "/minio/"}, {"s3://", "/s3/"}};
	const char *sep = strstr(uri, "://");
	char shown[200], *out = NULL;

	utf8_shown(shown, sizeof shown, uri, strlen(uri), UTF8_ESC_CONTROL);
	if (!*uri) {
		ERR(e, "expected a URI, got an empty string");
		return NULL;
	}
	for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
		size_t len = strlen(mounts[i].scheme);
		const char *bucket = uri + len, *path;
		if (strncmp(uri, mounts[i].scheme, len) != 0)
			continue;
		if (*bucket == '\0' || *bucket == '/') {
			ERR(e, "expected a bucket after %s in URI \"%s\"", mounts[i].scheme, shown);
			return NULL;
		}
		/* the mount is the launcher's view of the bucket: a "." or ".." segment (the bucket's
		 * name included) would name a path outside it, e.g. gs://b/../../tmp/x -> /tmp/x */
		if (dot_segment(bucket)) {
			ERR(e, "expected a URI without \".\" or \"..\" path segments, got \"%s\" (it would lead out of %s)",
			    shown, mounts[i].mount);
			return NULL;
		}
		path = bucket + strcspn(bucket, "/");
		path += *path == '/';
		if (kind == EXECUTOR_URI_OBJECT && strspn(path, "/") == strlen(path)) {
			ERR(e, "expected an object path after the bucket in URI \"%s\"", shown);
			return NULL;
		}
		if (asprintf(&out, "%s%s", mounts[i].mount, bucket) < 0) {
			ERR(e, "out of memory");
			return NULL;
		}
		return out;
	}
	/* "://" before any '/' means a scheme we do not mount (http://, file://, oci://, ...);
	 * anything else is a local path, as the KFP local runner passes them. */
	if (sep && strcspn(uri, "/") > (size_t)(sep - uri)) {
		ERR(e, "unsupported URI \"%s\": expected gs://, minio://, s3:// or a local path", shown);
		return NULL;
	}
	out = strdup(uri);
	if (!out)
		ERR(e, "out of memory");
	return out;
}

bool executor_path_mounted(const char *path)
{
	static const char *const mounts[] = {"/gcs/", "/minio/", "/s3/"};
	char dir[1024];
	struct stat st;

	for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
		size_t len = strlen(mounts[i]), bucket;
		if (strncmp(path, mounts[i], len) != 0 || (bucket = strcspn(path + len, "/")) == 0)
			continue;
		if ((size_t)snprintf(dir, sizeof dir, "%s%.*s", mounts[i], (int)bucket, path + len) >= sizeof dir)
			return false;
		return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	}
	return false;
}

/* Map uri for the node at path `where`, prefixing any error with that path; owned by ex. */
static const char *mapped_path(struct executor *ex, const char *uri, const char *where,
			       struct err *e)
{
	char *path = executor_uri_to_path(uri, EXECUTOR_URI_OBJECT, e);

	if (!path) {
		err_prefix(e, "executor input: %s", where);
		return NULL;
	}
	if (!keep(ex, path)) {
		ERR(e, "out of memory");
		return NULL;
	}
	return path;
}

/* ---- parameters ---- */

bool executor_has_param(const struct executor *ex, const char *name)
{
	const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(ex->root, "inputs");
	const cJSON *values = cJSON_GetObjectItemCaseSensitive(inputs, "parameterValues");

	return cJSON_IsObject(values) && cJSON_GetObjectItemCaseSensitive(values, name) != NULL;
}

const char *executor_param_string(const struct executor *ex, const char *name, struct err *e)
{
	struct at a;

	if (param_at(ex, name, &a, "a string", e) != 0)
		return NULL;
	if (!cJSON_IsString(a.v)) {
		wrong_kind(&a, "a string", e);
		return NULL;
	}
	return a.v->valuestring;
}

int executor_param_int(const struct executor *ex, const char *name, long long *out, struct err *e)
{
	struct at a;
	double x;
	char text[NUMFMT_MAX];

	if (param_at(ex, name, &a, "an integer", e) != 0)
		return -1;
	if (!cJSON_IsNumber(a.v))
		return wrong_kind(&a, "an integer", e);
	x = a.v->valuedouble;
	if (!isfinite(x) || x != floor(x) || fabs(x) > EXACT_INTEGER_MAX) {
		numfmt_double(x, text);
		return ERR(e, "executor input: %s: expected an integer, got %s", a.path,
			   *text ? text : "a number out of range");
	}
	*out = (long long)x;
	return 0;
}

int executor_param_bool(const struct executor *ex, const char *name, bool *out, struct err *e)
{
	struct at a;

	if (param_at(ex, name, &a, "true or false", e) != 0)
		return -1;
	if (cJSON_IsBool(a.v)) {
		*out = cJSON_IsTrue(a.v);
		return 0;
	}
	if (cJSON_IsString(a.v) && (strcmp(a.v->valuestring, "true") == 0 ||
				    strcmp(a.v->valuestring, "false") == 0)) {
		*out = a.v->valuestring[0] == 't';
		return 0;
	}
	if (cJSON_IsString(a.v))
		return ERR(e, "executor input: %s: expected true or false, got \"%s\"", a.path,
			   a.v->valuestring);
	return wrong_kind(&a, "true or false", e);
}

/* Copy the strings of the list at *a into one owned block: pointer array, then the texts. */
static int copy_string_list(struct executor *ex, const struct at *a, const char *const **items,
			    size_t *count, struct err *e)
{
	size_t n = (size_t)cJSON_GetArraySize(a->v), bytes = 0, i = 0;
	const cJSON *item;
	char **block, *text;

	cJSON_ArrayForEach(item, a->v) {
		if (!cJSON_IsString(item)) {
			struct at bad = *a;
			step_index(&bad, i, item);
			return wrong_kind(&bad, "a string", e);
		}
		bytes += strlen(item->valuestring) + 1;
		i++;
	}
	block = keep(ex, malloc((n + 1) * sizeof *block + bytes));
	if (!block)
		return ERR(e, "out of memory");
	text = (char *)(block + n + 1);
	i = 0;
	cJSON_ArrayForEach(item, a->v) {
		size_t len = strlen(item->valuestring) + 1;
		memcpy(text, item->valuestring, len);
		block[i++] = text;
		text += len;
	}
	block[n] = NULL;
	*items = (const char *const *)block;
	*count = n;
	return 0;
}

int executor_param_strings(struct executor *ex, const char *name, const char *const **items,
			   size_t *count, struct err *e)
{
	static const char expected[] = "a list of strings";
	struct at a;
	cJSON *decoded;
	int rc;

	if (param_at(ex, name, &a, expected, e) != 0)
		return -1;
	if (cJSON_IsArray(a.v))
		return copy_string_list(ex, &a, items, count, e);
	if (!cJSON_IsString(a.v))
		return wrong_kind(&a, expected, e);
	/* A list parameter may arrive as the JSON text of the list. */
	decoded = cJSON_Parse(a.v->valuestring);
	if (!cJSON_IsArray(decoded)) {
		cJSON_Delete(decoded);
		return ERR(e, "executor input: %s: expected a list of strings (or its JSON text), "
			   "got the string \"%s\"", a.path, a.v->valuestring);
	}
	a.v = decoded;
	rc = copy_string_list(ex, &a, items, count, e);
	cJSON_Delete(decoded);
	return rc;
}

/* ---- artifacts ---- */

/* Fill *out from the runtime artifact at *a; its uri is required. */
static int read_artifact(struct executor *ex, const struct at *a, struct executor_artifact *out,
			 struct err *e)
{
	struct at uri_at = *a;
	const cJSON *metadata = cJSON_GetObjectItemCaseSensitive(a->v, "metadata");

	if (!cJSON_IsObject(a->v))
		return wrong_kind(a, "an artifact object", e);
	out->name = string_member(a, "name", false, e);
	out->uri = string_member(a, "uri", true, e);
	if (!out->name || !out->uri)
		return -1;
	step(&uri_at, "uri", "a string", e);
	out->path = mapped_path(ex, out->uri, uri_at.path, e);
	if (!out->path)
		return -1;
	if (metadata && !cJSON_IsObject(metadata)) {
		struct at m = *a;
		step(&m, "metadata", "an object", e);
		return wrong_kind(&m, "an object", e);
	}
	out->metadata = metadata;
	return 0;
}

/* <section>.artifacts.<name>.artifacts as a list (missing "artifacts" inside <name> is an empty
 * list, as proto3 JSON leaves empty lists out). */
static int artifact_list_at(const struct executor *ex, const char *section, const char *name,
			    struct at *a, struct err *e)
{
	const char *const keys[] = {section, "artifacts", name};

	if (walk_objects(ex, a, keys, 3, e) != 0)
		return -1;
	if (!cJSON_GetObjectItemCaseSensitive(a->v, "artifacts")) {
		strncat(a->path, ".artifacts", sizeof a->path - strlen(a->path) - 1);
		a->v = NULL;
		return 0;
	}
	step(a, "artifacts", "a list", e);
	return cJSON_IsArray(a->v) ? 0 : wrong_kind(a, "a list", e);
}

int executor_input_artifacts(struct executor *ex, const char *name,
			     const struct executor_artifact **items, size_t *count, struct err *e)
{
	struct at list;
	struct executor_artifact *out;
	const cJSON *item;
	size_t n, i = 0;

	if (artifact_list_at(ex, "inputs", name, &list, e) != 0)
		return -1;
	n = list.v ? (size_t)cJSON_GetArraySize(list.v) : 0;
	out = keep(ex, calloc(n ? n : 1, sizeof *out));
	if (!out)
		return ERR(e, "out of memory");
	if (list.v) {
		cJSON_ArrayForEach(item, list.v) {
			struct at a = list;
			step_index(&a, i, item);
			if (read_artifact(ex, &a, &out[i], e) != 0)
				return -1;
			i++;
		}
	}
	*items = out;
	*count = n;
	return 0;
}

const struct executor_artifact *executor_output_artifact(struct executor *ex, const char *name,
							 struct err *e)
{
	struct at list, first;
	struct executor_artifact *out;

	if (artifact_list_at(ex, "outputs", name, &list, e) != 0)
		return NULL;
	if (!list.v || cJSON_GetArraySize(list.v) < 1) {
		ERR(e, "executor input: %s: expected one artifact, got none", list.path);
		return NULL;
	}
	first = list;
	step_index(&first, 0, cJSON_GetArrayItem(list.v, 0));
	out = keep(ex, calloc(1, sizeof *out));
	if (!out) {
		ERR(e, "out of memory");
		return NULL;
	}
	return read_artifact(ex, &first, out, e) == 0 ? out : NULL;
}

const char *executor_output_parameter_file(struct executor *ex, const char *name, struct err *e)
{
	static const char *const keys[] = {"outputs", "parameters"};
	struct at a;
	const char *file;

	if (walk_objects(ex, &a, keys, 2, e) != 0 || step_object(&a, name, e) != 0)
		return NULL;
	file = string_member(&a, "outputFile", true, e);
	if (!file)
		return NULL;
	step(&a, "outputFile", "a string", e);
	return mapped_path(ex, file, a.path, e);
}

const char *executor_output_file(struct executor *ex, struct err *e)
{
	struct at a = at_root(ex);
	const char *file;

	if (step_object(&a, "outputs", e) != 0)
		return NULL;
	file = string_member(&a, "outputFile", true, e);
	if (!file)
		return NULL;
	step(&a, "outputFile", "a string", e);
	return mapped_path(ex, file, a.path, e);
}

/* ---- ExecutorOutput ---- */

/* Put `value` under `key` of `object`, replacing an earlier one. Takes value. */
static int put_member(cJSON *object, const char *key, cJSON *value, struct err *e)
{
	if (cJSON_GetObjectItemCaseSensitive(object, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(object, key, value) ? 0 :
			(cJSON_Delete(value), ERR(e, "out of memory"));
	return cJSON_AddItemToObject(object, key, value) ? 0 :
		(cJSON_Delete(value), ERR(e, "out of memory"));
}

int executor_set_artifact_metadata(struct executor *ex, const char *name, cJSON *metadata,
				   struct err *e)
{
	struct at list;

	if (!cJSON_IsObject(metadata)) {
		cJSON_Delete(metadata);
		return ERR(e, "metadata for output artifact \"%s\": expected a JSON object", name);
	}
	if (artifact_list_at(ex, "outputs", name, &list, e) != 0) {
		cJSON_Delete(metadata);
		return -1;
	}
	return put_member(ex->artifact_metadata, name, metadata, e);
}

int executor_set_parameter(struct executor *ex, const char *name, cJSON *value, struct err *e)
{
	static const char *const keys[] = {"outputs", "parameters"};
	struct at a;

	if (!value)
		return ERR(e, "out of memory");
	if (walk_objects(ex, &a, keys, 2, e) != 0 || step_object(&a, name, e) != 0) {
		cJSON_Delete(value);
		return -1;
	}
	return put_member(ex->parameters, name, value, e);
}

/* {"name", "uri", "metadata"} for the first artifact of one declared output. */
static cJSON *runtime_artifact(struct executor *ex, const char *name, struct err *e)
{
	const struct executor_artifact *art = executor_output_artifact(ex, name, e);
	const cJSON *set = cJSON_GetObjectItemCaseSensitive(ex->artifact_metadata, name);
	cJSON *wrapper, *list, *obj;

	if (!art)
		return NULL;
	wrapper = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(wrapper, "artifacts");
	obj = cJSON_CreateObject();
	if (!list || !cJSON_AddItemToArray(list, obj) ||
	    !cJSON_AddStringToObject(obj, "name", art->name) ||
	    !cJSON_AddStringToObject(obj, "uri", art->uri) ||
	    !cJSON_AddItemToObject(obj, "metadata",
				   set ? cJSON_Duplicate(set, true) : cJSON_CreateObject())) {
		cJSON_Delete(wrapper);
		ERR(e, "out of memory");
		return NULL;
	}
	return wrapper;
}

static cJSON *build_output(struct executor *ex, struct err *e)
{
	static const char *const keys[] = {"outputs"};
	cJSON *out = cJSON_CreateObject();
	cJSON *artifacts = cJSON_AddObjectToObject(out, "artifacts");
	const cJSON *declared, *entry;
	struct at a;

	if (!artifacts) {
		ERR(e, "out of memory");
		goto fail;
	}
	if (walk_objects(ex, &a, keys, 1, e) != 0)
		goto fail;
	declared = cJSON_GetObjectItemCaseSensitive(a.v, "artifacts");
	if (declared && !cJSON_IsObject(declared)) {
		step(&a, "artifacts", "an object", e);
		wrong_kind(&a, "an object", e);
		goto fail;
	}
	cJSON_ArrayForEach(entry, declared) {
		cJSON *wrapper = runtime_artifact(ex, entry->string, e);
		if (!wrapper)
			goto fail;
		if (!cJSON_AddItemToObject(artifacts, entry->string, wrapper)) {
			cJSON_Delete(wrapper);
			ERR(e, "out of memory");
			goto fail;
		}
	}
	if (!cJSON_AddItemToObject(out, "parameterValues", cJSON_Duplicate(ex->parameters, true))) {
		ERR(e, "out of memory");
		goto fail;
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

char *executor_output_json(struct executor *ex, struct err *e)
{
	cJSON *out = build_output(ex, e);
	char *text;

	if (!out)
		return NULL;
	text = cJSON_Print(out);
	cJSON_Delete(out);
	if (!text)
		ERR(e, "out of memory");
	return text;
}

/* The folder part of `path` ("." when it has none), malloc'ed. */
static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int executor_write_output(struct executor *ex, struct err *e)
{
	const char *file = executor_output_file(ex, e);
	char *text, *parent;
	struct fs_atomic out;
	int rc;

	if (!file)
		return -1;
	text = executor_output_json(ex, e);
	if (!text)
		return -1;
	parent = parent_of(file);
	rc = parent ? fs_mkdir_p(parent, e) : ERR(e, "out of memory");
	free(parent);
	if (rc == 0)
		rc = fs_atomic_open(&out, file, e);
	if (rc == 0) {
		fputs(text, out.fp);
		fputc('\n', out.fp);
		rc = fs_atomic_commit(&out, e);
	}
	free(text);
	return rc;
}
