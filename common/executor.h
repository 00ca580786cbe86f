/*
 * executor.h — the KFP v2 executor protocol as a container sees it.
 *
 * Owns: reading the ExecutorInput JSON that the `{{$}}` placeholder expands to (parameters, input
 * artifact lists, output artifact and parameter locations), mapping artifact URIs to the local
 * paths the KFP launcher mounts them at, and writing the ExecutorOutput JSON to
 * `outputs.outputFile`. What the parameters mean and what goes into the artifacts is the callers'
 * (shard/task.c, merge/task.c, run in the scaffold of common/task.h). Building an ExecutorInput
 * for a local run is pipeline/'s business.
 *
 * Layout read (KFP pipeline_spec.proto, ExecutorInput in proto3 JSON):
 *   {"inputs":  {"parameterValues": {name: value},
 *                "artifacts": {name: {"artifacts": [{"name", "uri", "metadata": {}}, ...]}}},
 *    "outputs": {"parameters": {name: {"outputFile": path}},
 *                "artifacts": {name: {"artifacts": [{"name", "uri", "metadata": {}}]}},
 *                "outputFile": path}}
 * Layout written (ExecutorOutput):
 *   {"artifacts": {name: {"artifacts": [{"name", "uri", "metadata": {...}}]}},
 *    "parameterValues": {name: value}}
 *
 * Ownership: executor_parse() returns a handle the caller frees with executor_free(). Every
 * pointer an accessor hands out (strings, lists, artifacts, metadata) is owned by that handle and
 * stays valid until executor_free(). Values given to executor_set_* are taken over by the handle.
 *
 * Errors: every failing function returns -1 or NULL and fills *e with one line naming the JSON
 * path, e.g. `executor input: inputs.parameterValues.nights[1]: expected a string, got a number`.
 */
#ifndef NIGHTFAN_EXECUTOR_H
#define NIGHTFAN_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "err.h"

struct executor;

/* One artifact of an input or output artifact list. */
struct executor_artifact {
	const char *name;       /* the artifact's "name"; "" when absent */
	const char *uri;        /* as given: gs://b/x, minio://b/x, s3://b/x or a local path */
	const char *path;       /* where the container reads/writes it: /gcs/b/x, /minio/b/x, /s3/b/x,
	                           or the local path unchanged */
	const cJSON *metadata;  /* the artifact's "metadata" object; NULL when absent */
};

/* Parse the ExecutorInput text `json` (NUL-terminated). The top level must be an object; the
 * sections are checked when they are asked for. NULL on failure (`executor input: not valid JSON
 * at byte N near "..."`, `executor input: expected a JSON object, got a list`). */
struct executor *executor_parse(const char *json, struct err *e);
/* Free the handle and everything it handed out. NULL is fine. */
void executor_free(struct executor *ex);

/* What a URI must name (see executor_uri_to_path). */
enum executor_uri_kind {
	EXECUTOR_URI_OBJECT, /* an artifact or a file (nights_manifest): gs://BUCKET/PATH, PATH not empty */
	EXECUTOR_URI_FOLDER, /* a folder of nights (input_root, base_nights): gs://BUCKET alone is its root */
};

/* The one rule from a URI to the launcher's local path, for artifacts and for the input_root,
 * base_nights and nights_manifest parameters alike, in the tasks (common/task.h, shard/task.c,
 * merge/task.c) and in `nightfan run` (pipeline/local/plan.c): gs://→/gcs/, minio://→/minio/, s3://→/s3/; a path
 * without a scheme is returned unchanged (the local runner's own paths). A mounted URI is refused
 * when it has no bucket, when any segment (the bucket's included) is "." or ".." — it would name
 * a path outside the mount: gs://b/../../tmp/x is /tmp/x — or, for EXECUTOR_URI_OBJECT, when
 * nothing follows the bucket. Other schemes (http://, file://, ...) and "" are refused too.
 * Returns a malloc'ed string the caller frees, or NULL with e: `expected a URI without "." or
 * ".." path segments, got "gs://b/.." (it would lead out of /gcs/)`. */
char *executor_uri_to_path(const char *uri, enum executor_uri_kind kind, struct err *e);

/* Whether the bucket of a path executor_uri_to_path mapped (/gcs/B/..., /minio/B/..., /s3/B/...)
 * is a folder here: a mount (Vertex AI's Cloud Storage FUSE, a volume). False for any other path.
 * Reading a mapped URI through the mount only when this holds is the other half of the one rule
 * (shard/input.c reads an unmounted gs:// through the Cloud Storage API instead). */
bool executor_path_mounted(const char *path);

/* True when inputs.parameterValues holds `name` (with any value, null included). */
bool executor_has_param(const struct executor *ex, const char *name);

/* inputs.parameterValues.<name> as a string. The string is owned by ex. NULL when missing or
 * not a string. */
const char *executor_param_string(const struct executor *ex, const char *name, struct err *e);

/* inputs.parameterValues.<name> as an integer: a JSON number with no fraction (3 and 3.0 both
 * give 3, as KFP sends integers as doubles), within ±2^53. 0, or -1 for a missing value, 3.5, a
 * string, ... */
int executor_param_int(const struct executor *ex, const char *name, long long *out, struct err *e);

/* inputs.parameterValues.<name> as a boolean: JSON true/false, or the strings "true"/"false".
 * 0 or -1. */
int executor_param_bool(const struct executor *ex, const char *name, bool *out, struct err *e);

/* inputs.parameterValues.<name> as a list of strings: a JSON list of strings, or a string holding
 * the JSON text of one ("[\"N0001\", \"N0002\"]", as a list parameter may arrive). On success
 * *items gets an array of *count strings, owned by ex (an empty list gives *count 0). 0 or -1,
 * naming the offending item (`...nights[2]: expected a string, got a number`). */
int executor_param_strings(struct executor *ex, const char *name, const char *const **items,
			   size_t *count, struct err *e);

/* inputs.artifacts.<name>.artifacts: every artifact of the list (a collected fan-in input has
 * many), URIs mapped to paths. *items (owned by ex) gets *count entries; a list without entries
 * gives *count 0. 0, or -1 when the input is missing, malformed, or a URI cannot be mapped. */
int executor_input_artifacts(struct executor *ex, const char *name,
			     const struct executor_artifact **items, size_t *count, struct err *e);

/* outputs.artifacts.<name>.artifacts[0]: the output artifact, its path mapped from its URI.
 * Owned by ex. NULL when missing or malformed. The caller creates what it writes at ->path. */
const struct executor_artifact *executor_output_artifact(struct executor *ex, const char *name,
							 struct err *e);

/* outputs.parameters.<name>.outputFile, mapped like a URI. Owned by ex. NULL when missing. */
const char *executor_output_parameter_file(struct executor *ex, const char *name, struct err *e);

/* outputs.outputFile (where the ExecutorOutput goes), mapped like a URI. Owned by ex. NULL when
 * missing. */
const char *executor_output_file(struct executor *ex, struct err *e);

/* Give the output artifact `name` (declared in outputs.artifacts) this metadata for the
 * ExecutorOutput. `metadata` must be a cJSON object; it is taken over in every case (freed on
 * failure). Setting it again replaces it. 0 or -1 (undeclared name, not an object). */
int executor_set_artifact_metadata(struct executor *ex, const char *name, cJSON *metadata,
				   struct err *e);

/* Give the output parameter `name` (declared in outputs.parameters) this value for the
 * ExecutorOutput's parameterValues. `value` is taken over in every case. 0 or -1. The KFP
 * launcher takes a value found there before reading outputs.parameters.<name>.outputFile, so a
 * parameter set here needs no file. */
int executor_set_parameter(struct executor *ex, const char *name, cJSON *value, struct err *e);

/* The ExecutorOutput as JSON text (malloc'ed, caller frees): every declared output artifact with
 * its name, URI and metadata ({} unless set), then every parameter set. NULL on failure. */
char *executor_output_json(struct executor *ex, struct err *e);

/* Write executor_output_json() to outputs.outputFile atomically (temporary name, then rename),
 * creating its parent folders. 0, or -1 naming the file. */
int executor_write_output(struct executor *ex, struct err *e);

#endif
