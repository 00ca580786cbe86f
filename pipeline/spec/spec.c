/*
 * spec.c — builds nightfan's KFP v2 pipeline spec (see spec.h for the names it fixes). The shape
 * follows the KFP SDK's compiler output for a ParallelFor over a LIST pipeline parameter fanned in
 * with dsl.Collected (../shared/kfp-reference/fanout_fanin_containers.yaml).
 */
#include "spec.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nightid.h"
#include "specnames.h"

#define LOOP_TASK "for-loop-1"
#define LOOP_COMPONENT "comp-for-loop-1"
#define LOOP_ITEM "pipelinechannel--" SPEC_PARAM_NIGHTS "-loop-item"
#define LOOP_OUTPUT "pipelinechannel--" SPEC_TASK_SHARD "-" SPEC_ARTIFACT_NIGHTS
#define NIGHTS_CHANNEL "pipelinechannel--" SPEC_PARAM_NIGHTS

/* ---- small builders ----------------------------------------------------------------------- */

static json_t *artifact_type(const char *title)
{
	return json_pack("{s:{s:s,s:s}}", "artifactType", "schemaTitle", title, "schemaVersion", "0.0.1");
}

static json_t *artifact_list_type(const char *title)
{
	json_t *t = artifact_type(title);
	json_object_set_new(t, "isArtifactList", json_true());
	return t;
}

static json_t *param_type(const char *type)
{
	return json_pack("{s:s}", "parameterType", type);
}

static json_t *optional_param(const char *type, json_t *default_value)
{
	return json_pack("{s:o,s:b,s:s}", "defaultValue", default_value, "isOptional", 1, "parameterType",
			 type);
}

static json_t *caching(bool cache)
{
	return cache ? json_pack("{s:b}", "enableCache", 1) : json_object();
}

/* ---- resources ---------------------------------------------------------------------------- */

/* "2" -> 2.0, "500m" -> 0.5; -1 when not a CPU quantity. */
static double cpu_cores(const char *cpu)
{
	char *end;
	double v;

	if (!cpu[0] || cpu[0] == '-' || cpu[0] == '+')
		return -1;
	v = strtod(cpu, &end);
	if (end == cpu || v <= 0)
		return -1;
	if (strcmp(end, "m") == 0 && !strchr(cpu, '.'))
		return v / 1000;
	return *end ? -1 : v;
}

/* "2Gi" -> 2.147483648 (decimal GB, as the SDK writes the deprecated memoryLimit); -1 when not a
 * memory quantity. */
static double memory_gb(const char *memory)
{
	static const struct {
		const char *suffix;
		double bytes;
	} units[] = {
		{"", 1},          {"K", 1e3},         {"M", 1e6},         {"G", 1e9},
		{"T", 1e12},      {"P", 1e15},        {"E", 1e18},        {"Ki", 1024.0},
		{"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
		{"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0},
	};
	char *end;
	double v;

	if (!memory[0] || memory[0] < '0' || memory[0] > '9')
		return -1;
	v = strtod(memory, &end);
	if (end == memory || v <= 0)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].suffix) == 0)
			return v * units[i].bytes / 1e9;
	return -1;
}

static json_t *shard_resources(const struct spec_options *o, struct err *e)
{
	json_t *r = json_object();

	if (o->cpu) {
		double cores = cpu_cores(o->cpu);
		if (cores < 0) {
			json_decref(r);
			ERR(e, "--cpu: expected a CPU quantity such as 1, 2 or 500m, got \"%s\"", o->cpu);
			return NULL;
		}
		json_object_set_new(r, "cpuLimit", json_real(cores));
		json_object_set_new(r, "resourceCpuLimit", json_string(o->cpu));
	}
	if (o->memory) {
		double gb = memory_gb(o->memory);
		if (gb < 0) {
			json_decref(r);
			ERR(e, "--memory: expected a memory quantity such as 2Gi, 512Mi or 4G, got \"%s\"",
			    o->memory);
			return NULL;
		}
		json_object_set_new(r, "memoryLimit", json_real(gb));
		json_object_set_new(r, "resourceMemoryLimit", json_string(o->memory));
	}
	return r;
}

/* ---- batching and the manifest ------------------------------------------------------------ */

static int batch_size(const struct spec_options *o, struct err *e)
{
	size_t n = o->n_nights;
	size_t k = o->nights_per_task > 0 ? (size_t)o->nights_per_task
					  : (n + SPEC_MAX_TASKS - 1) / SPEC_MAX_TASKS;

	if (k == 0)
		k = 1;
	if ((n + k - 1) / k > SPEC_MAX_TASKS)
		return ERR(e, "--nights-per-task %zu gives %zu tasks for %zu nights; Vertex AI collects at "
			   "most %d artifacts into the merge, so use at least %zu",
			   k, (n + k - 1) / k, n, SPEC_MAX_TASKS, (n + SPEC_MAX_TASKS - 1) / SPEC_MAX_TASKS);
	return (int)k;
}

/* Loop items: each a night id or ids joined by ',' (k per item, the last may hold fewer). */
static json_t *batched_items(const struct spec_options *o, size_t k, json_t **batches)
{
	json_t *items = json_array();

	*batches = json_array();
	for (size_t i = 0; i < o->n_nights; i += k) {
		size_t len = 0, end = i + k < o->n_nights ? i + k : o->n_nights;
		json_t *batch = json_array();
		for (size_t j = i; j < end; j++) {
			len += strlen(o->nights[j]) + 1;
			json_array_append_new(batch, json_string(o->nights[j]));
		}
		char *item = malloc(len), *p = item;
		if (!item) {
			json_decref(batch);
			json_decref(items);
			json_decref(*batches);
			return NULL;
		}
		for (size_t j = i; j < end; j++)
			p += sprintf(p, "%s%s", j > i ? "," : "", o->nights[j]);
		json_array_append_new(items, json_string(item));
		json_array_append_new(*batches, batch);
		free(item);
	}
	return items;
}

/* The length of the list as Python's json.dumps writes it (", " between items): the form KFP
 * measures against its parameter cap. */
static size_t serialized_length(const json_t *list)
{
	size_t len = 2, i;
	json_t *v;

	json_array_foreach(list, i, v)
		len += strlen(json_string_value(v)) + 2 + (i ? 2 : 0);
	return len;
}

/* Fill r->manifest and replace *items by "@0", "@1", … when the list is over the cap. */
static int maybe_manifest(const struct spec_options *o, json_t **items, json_t *batches, int k,
			  struct spec_result *r, struct err *e)
{
	if (serialized_length(*items) <= SPEC_MAX_PARAM_CHARS)
		return 0;
	if (!o->manifest_uri || !o->manifest_uri[0])
		return ERR(e, "the night list is over KFP's %d-character parameter limit, so it needs a "
			   "manifest file, but no manifest location was given", SPEC_MAX_PARAM_CHARS);
	json_t *refs = json_array();
	for (size_t i = 0; i < json_array_size(batches); i++) {
		char ref[32];
		snprintf(ref, sizeof ref, "@%zu", i);
		json_array_append_new(refs, json_string(ref));
	}
	json_decref(*items);
	*items = refs;
	r->manifest = json_pack("{s:s,s:i,s:O}", "schema", SPEC_MANIFEST_SCHEMA, "nights_per_task", k,
				"batches", batches);
	return 0;
}

/* ---- the spec's parts --------------------------------------------------------------------- */

static const char *const shard_params[] = {SPEC_PARAM_INPUT_ROOT, SPEC_PARAM_NIGHTS_MANIFEST, SPEC_PARAM_ON_ERROR,
					   SPEC_PARAM_PROFILE, NULL};

static json_t *root_inputs(const struct spec_options *o, json_t *items, bool manifest)
{
	json_t *p = json_object();

	json_object_set_new(p, SPEC_PARAM_BASE_NIGHTS, optional_param("STRING", json_string("")));
	json_object_set_new(p, SPEC_PARAM_INPUT_ROOT, o->input_root ? optional_param("STRING", json_string(o->input_root))
							 : param_type("STRING"));
	json_object_set_new(p, SPEC_PARAM_NIGHTS, optional_param("LIST", json_incref(items)));
	json_object_set_new(p, SPEC_PARAM_NIGHTS_MANIFEST,
			    optional_param("STRING", json_string(manifest ? o->manifest_uri : "")));
	json_object_set_new(p, SPEC_PARAM_ON_ERROR, optional_param("STRING", json_string("record")));
	json_object_set_new(p, SPEC_PARAM_PROFILE, optional_param("STRING", json_string(o->profile_json)));
	return json_pack("{s:o}", "parameters", p);
}

static json_t *retry_policy(int retries)
{
	return json_pack("{s:s,s:f,s:s,s:i}", "backoffDuration", "0s", "backoffFactor", 2.0,
			 "backoffMaxDuration", "3600s", "maxRetryCount", retries);
}

static json_t *shard_task(const struct spec_options *o)
{
	json_t *params = json_object();
	char channel[64];

	json_object_set_new(params, SPEC_PARAM_BATCH, json_pack("{s:s}", "componentInputParameter", LOOP_ITEM));
	for (int i = 0; shard_params[i]; i++) {
		snprintf(channel, sizeof channel, "pipelinechannel--%s", shard_params[i]);
		json_object_set_new(params, shard_params[i],
				    json_pack("{s:s}", "componentInputParameter", channel));
	}
	json_t *task = json_pack("{s:o,s:{s:s},s:{s:o},s:{s:s}}", "cachingOptions", caching(o->cache),
				 "componentRef", "name", "comp-" SPEC_TASK_SHARD, "inputs", "parameters", params,
				 "taskInfo", "name", SPEC_TASK_SHARD);
	if (o->retries > 0)
		json_object_set_new(task, "retryPolicy", retry_policy(o->retries));
	return task;
}

static json_t *loop_component(const struct spec_options *o)
{
	json_t *inputs = json_object();
	char channel[64];

	json_object_set_new(inputs, NIGHTS_CHANNEL, param_type("LIST"));
	json_object_set_new(inputs, LOOP_ITEM, param_type("STRING"));
	for (int i = 0; shard_params[i]; i++) {
		snprintf(channel, sizeof channel, "pipelinechannel--%s", shard_params[i]);
		json_object_set_new(inputs, channel, param_type("STRING"));
	}
	return json_pack("{s:{s:{s:{s:{s:[{s:s,s:s}]}}},s:{s:o}},s:{s:o},s:{s:{s:o}}}",
			 "dag", "outputs", "artifacts", LOOP_OUTPUT, "artifactSelectors",
			 "outputArtifactKey", SPEC_ARTIFACT_NIGHTS, "producerSubtask", SPEC_TASK_SHARD,
			 "tasks", SPEC_TASK_SHARD, shard_task(o),
			 "inputDefinitions", "parameters", inputs,
			 "outputDefinitions", "artifacts", LOOP_OUTPUT, artifact_list_type("system.Dataset"));
}

static json_t *shard_component(void)
{
	json_t *params = json_object();

	json_object_set_new(params, SPEC_PARAM_BATCH, param_type("STRING"));
	for (int i = 0; shard_params[i]; i++)
		json_object_set_new(params, shard_params[i], param_type("STRING"));
	return json_pack("{s:s,s:{s:o},s:{s:{s:o}}}", "executorLabel", "exec-" SPEC_TASK_SHARD,
			 "inputDefinitions", "parameters", params,
			 "outputDefinitions", "artifacts", SPEC_ARTIFACT_NIGHTS, artifact_type("system.Dataset"));
}

static json_t *merge_component(void)
{
	json_t *outputs = json_object();

	json_object_set_new(outputs, SPEC_ARTIFACT_DATASET, artifact_type("system.Dataset"));
	json_object_set_new(outputs, SPEC_ARTIFACT_METRICS, artifact_type("system.Metrics"));
	json_object_set_new(outputs, SPEC_ARTIFACT_REPORT, artifact_type("system.HTML"));
	json_object_set_new(outputs, SPEC_ARTIFACT_SEVERITY_CONFUSION, artifact_type("system.ClassificationMetrics"));
	json_object_set_new(outputs, SPEC_ARTIFACT_STAGING_CONFUSION, artifact_type("system.ClassificationMetrics"));
	/* input_root, profile and pipeline_name: the report's provenance (merge/provenance.h) */
	return json_pack("{s:s,s:{s:{s:o},s:{s:o,s:o,s:o,s:o}},s:{s:o}}", "executorLabel", "exec-" SPEC_TASK_MERGE,
			 "inputDefinitions", "artifacts", SPEC_ARTIFACT_NIGHTS, artifact_list_type("system.Dataset"),
			 "parameters", SPEC_PARAM_BASE_NIGHTS, param_type("STRING"), SPEC_PARAM_INPUT_ROOT, param_type("STRING"),
			 SPEC_PARAM_PIPELINE_NAME, param_type("STRING"), SPEC_PARAM_PROFILE, param_type("STRING"),
			 "outputDefinitions", "artifacts", outputs);
}

static json_t *executor(const char *program, const struct spec_options *o, json_t *resources)
{
	json_t *container = json_pack("{s:[s,s],s:[s],s:s}", "args", "--executor-input", "{{$}}", "command",
				      program, "image", o->image);

	/* C locale: number formatting and collation must not depend on the image's defaults. */
	json_object_set_new(container, "env", json_pack("[{s:s,s:s}]", "name", "LC_ALL", "value", "C"));
	if (resources && json_object_size(resources))
		json_object_set(container, "resources", resources);
	return json_pack("{s:o}", "container", container);
}

/* The merge's report, dataset and metrics are the pipeline's own outputs, as the KFP SDK compiles a
 * pipeline that returns a component's outputs (a NamedTuple of them): dag.outputs selects each from
 * the merge task, outputDefinitions types it. So a parent pipeline can use nightfan's as a component
 * and take its report. */
static const char *const pipeline_outputs[][2] = {
	{SPEC_ARTIFACT_DATASET, "system.Dataset"}, {SPEC_ARTIFACT_METRICS, "system.Metrics"},
	{SPEC_ARTIFACT_REPORT, "system.HTML"}};

static json_t *root_outputs(void)
{
	json_t *artifacts = json_object();

	for (size_t i = 0; i < sizeof pipeline_outputs / sizeof pipeline_outputs[0]; i++)
		json_object_set_new(artifacts, pipeline_outputs[i][0],
				    json_pack("{s:[{s:s,s:s}]}", "artifactSelectors", "outputArtifactKey",
					      pipeline_outputs[i][0], "producerSubtask", SPEC_TASK_MERGE));
	return json_pack("{s:o}", "artifacts", artifacts);
}

static json_t *root_output_definitions(void)
{
	json_t *artifacts = json_object();

	for (size_t i = 0; i < sizeof pipeline_outputs / sizeof pipeline_outputs[0]; i++)
		json_object_set_new(artifacts, pipeline_outputs[i][0], artifact_type(pipeline_outputs[i][1]));
	return json_pack("{s:o}", "artifacts", artifacts);
}

static json_t *root_dag(const struct spec_options *o)
{
	json_t *loop_inputs = json_object();
	char channel[64];

	json_object_set_new(loop_inputs, NIGHTS_CHANNEL,
			    json_pack("{s:s}", "componentInputParameter", SPEC_PARAM_NIGHTS));
	for (int i = 0; shard_params[i]; i++) {
		snprintf(channel, sizeof channel, "pipelinechannel--%s", shard_params[i]);
		json_object_set_new(loop_inputs, channel,
				    json_pack("{s:s}", "componentInputParameter", shard_params[i]));
	}
	json_t *loop = json_pack("{s:{s:s},s:{s:o},s:{s:s,s:{s:s}},s:{s:s}}",
				 "componentRef", "name", LOOP_COMPONENT, "inputs", "parameters", loop_inputs,
				 "parameterIterator", "itemInput", LOOP_ITEM, "items", "inputParameter",
				 NIGHTS_CHANNEL, "taskInfo", "name", LOOP_TASK);
	if (o->parallelism > 0)
		json_object_set_new(loop, "iteratorPolicy", json_pack("{s:i}", "parallelismLimit", o->parallelism));
	json_t *merge = json_pack(
		"{s:o,s:{s:s},s:[s],s:{s:{s:{s:{s:s,s:s}}},s:{s:{s:s},s:{s:s},s:{s:{s:s}},s:{s:s}}},s:{s:s}}",
		"cachingOptions", caching(o->cache), "componentRef", "name", "comp-" SPEC_TASK_MERGE,
		"dependentTasks", LOOP_TASK,
		"inputs", "artifacts", SPEC_ARTIFACT_NIGHTS, "taskOutputArtifact", "outputArtifactKey", LOOP_OUTPUT,
		"producerTask", LOOP_TASK, "parameters", SPEC_PARAM_BASE_NIGHTS, "componentInputParameter",
		SPEC_PARAM_BASE_NIGHTS, SPEC_PARAM_INPUT_ROOT, "componentInputParameter", SPEC_PARAM_INPUT_ROOT,
		SPEC_PARAM_PIPELINE_NAME, "runtimeValue", "constant", o->name ? o->name : "nightfan",
		SPEC_PARAM_PROFILE, "componentInputParameter", SPEC_PARAM_PROFILE,
		"taskInfo", "name", SPEC_TASK_MERGE);
	return json_pack("{s:{s:o,s:{s:o,s:o}},s:o}", "dag", "outputs", root_outputs(), "tasks", LOOP_TASK, loop,
			 SPEC_TASK_MERGE, merge, "outputDefinitions", root_output_definitions());
}

int spec_build(const struct spec_options *o, struct spec_result *r, struct err *e)
{
	json_t *batches = NULL, *items, *resources;
	int k;

	memset(r, 0, sizeof *r);
	if (o->n_nights == 0)
		return ERR(e, "no nights to process");
	if ((k = batch_size(o, e)) < 0)
		return -1;
	if (!(resources = shard_resources(o, e)))
		return -1;
	if (!(items = batched_items(o, (size_t)k, &batches))) {
		json_decref(resources);
		return ERR(e, "out of memory");
	}
	r->nights_per_task = k;
	r->n_tasks = json_array_size(items);
	if (maybe_manifest(o, &items, batches, k, r, e) < 0) {
		json_decref(items);
		json_decref(batches);
		json_decref(resources);
		return -1;
	}
	json_decref(batches);

	json_t *root = root_dag(o);
	json_object_set_new(root, "inputDefinitions", root_inputs(o, items, r->manifest != NULL));
	r->spec = json_pack(
		"{s:{s:o,s:o,s:o},s:{s:{s:o,s:o}},s:{s:s,s:s},s:o,s:s,s:s}",
		"components", LOOP_COMPONENT, loop_component(o), "comp-merge", merge_component(),
		"comp-shard", shard_component(),
		"deploymentSpec", "executors", "exec-merge", executor("nightfan-merge", o, NULL),
		"exec-shard", executor("nightfan-shard", o, resources),
		"pipelineInfo", "description",
		"Scores every night in a ParallelFor of nightfan-shard tasks and merges them into one report",
		"name", o->name ? o->name : "nightfan",
		"root", root, "schemaVersion", "2.1.0", "sdkVersion", "nightfan-" NIGHTFAN_VERSION);
	json_decref(items);
	json_decref(resources);
	if (!r->spec) {
		spec_result_free(r);
		return ERR(e, "out of memory");
	}
	return 0;
}

void spec_result_free(struct spec_result *r)
{
	json_decref(r->spec);
	json_decref(r->manifest);
	memset(r, 0, sizeof *r);
}

/* ---- header comment ----------------------------------------------------------------------- */

struct text {
	char *s;
	size_t len;
	FILE *fp;
};

/* Python's repr of a str, close enough for a comment: single quotes, \\ and \' escaped. */
static void put_repr(FILE *fp, const char *s)
{
	fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
	fputc('\'', fp);
}

static void put_default(FILE *fp, const json_t *v)
{
	size_t i;
	json_t *item;

	if (json_is_string(v)) {
		put_repr(fp, json_string_value(v));
	} else if (json_is_array(v)) {
		fputc('[', fp);
		json_array_foreach(v, i, item) {
			if (i)
				fputs(", ", fp);
			put_default(fp, item);
		}
		fputc(']', fp);
	} else {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		fputs(s ? s : "", fp);
		free(s);
	}
}

static const char *python_type(const char *parameter_type)
{
	static const char *const map[][2] = {{"STRING", "str"}, {"LIST", "list"}, {"STRUCT", "dict"},
					     {"NUMBER_INTEGER", "int"}, {"NUMBER_DOUBLE", "float"},
					     {"BOOLEAN", "bool"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(parameter_type, map[i][0]) == 0)
			return map[i][1];
	return parameter_type;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *spec_header(const json_t *spec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *params = json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					 "parameters");
	const char *name = json_string_value(json_object_get(json_object_get(spec, "pipelineInfo"), "name"));
	const char *description = json_string_value(
		json_object_get(json_object_get(spec, "pipelineInfo"), "description"));
	size_t n = json_object_size(params), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof *keys);
	const char *key;
	json_t *p;

	if (!fp || !keys) {
		if (fp)
			fclose(fp);
		free(buf);
		free(keys);
		return NULL;
	}
	fprintf(fp, "# PIPELINE DEFINITION\n# Name: %s\n", name ? name : "");
	if (description)
		fprintf(fp, "# Description: %s\n", description);
	json_object_foreach(params, key, p)
		keys[i++] = key;
	qsort(keys, n, sizeof *keys, compare_strings);
	if (n)
		fputs("# Inputs:\n", fp);
	for (i = 0; i < n; i++) {
		p = json_object_get(params, keys[i]);
		fprintf(fp, "#    %s: %s", keys[i],
			python_type(json_string_value(json_object_get(p, "parameterType"))));
		if (json_object_get(p, "defaultValue")) {
			fputs(" [Default: ", fp);
			put_default(fp, json_object_get(p, "defaultValue"));
			fputc(']', fp);
		}
		fputc('\n', fp);
	}
	free(keys);
	fclose(fp);
	return buf;
}

/* ---- loop items --------------------------------------------------------------------------- */

void spec_free_nights(char **nights)
{
	if (!nights)
		return;
	for (char **p = nights; *p; p++)
		free(*p);
	free(nights);
}

long spec_item_nights(const char *item, char ***out, struct err *e)
{
	size_t n = 1, k = 0;
	char **ids;
	const char *p = item;

	for (const char *c = item; *c; c++)
		n += *c == ',';
	if (!(ids = calloc(n + 1, sizeof *ids)))
		return ERR(e, "out of memory");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (!(ids[k] = strndup(p, len))) {
			spec_free_nights(ids);
			return ERR(e, "out of memory");
		}
		if (nightid_check(ids[k], e) < 0) {
			spec_free_nights(ids);
			return -1;
		}
		k++;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = ids;
	return (long)k;
}

long spec_manifest_batch(const json_t *manifest, const char *item, char ***out, struct err *e)
{
	char *end;
	unsigned long index = strtoul(item + 1, &end, 10);
	json_t *batches = json_object_get(manifest, "batches");
	json_t *batch, *id;
	char **ids;
	size_t i;

	if (item[0] != '@' || end == item + 1 || *end)
		return ERR(e, "expected a manifest batch reference such as @3, got \"%s\"", item);
	if (!json_is_array(batches))
		return ERR(e, "the manifest has no \"batches\" list");
	batch = json_array_get(batches, index);
	if (!json_is_array(batch))
		return ERR(e, "%s: the manifest has only %zu batches", item, json_array_size(batches));
	if (!(ids = calloc(json_array_size(batch) + 1, sizeof *ids)))
		return ERR(e, "out of memory");
	json_array_foreach(batch, i, id) {
		if (!json_is_string(id)) {
			spec_free_nights(ids);
			return ERR(e, "%s: the manifest's batch holds a value that is not a night id", item);
		}
		if (nightid_check(json_string_value(id), e) < 0 || !(ids[i] = strdup(json_string_value(id)))) {
			spec_free_nights(ids);
			return -1;
		}
	}
	*out = ids;
	return (long)i;
}
