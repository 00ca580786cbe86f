/*
 * test_spec.c — pipeline/yamlio, spec and plan: YAML round trips over the KFP reference files, the
 * compiled spec compared with the SDK's output field by field (tests/golden/kfp-reference/, read with
 * our own loader), the manifest threshold to the character, placeholders, ExecutorInputs.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pipeline/local/plan.h"
#include "pipeline/spec/spec.h"
#include "pipeline/spec/yamlio.h"

#define REF "tests/golden/kfp-reference/"

static const char *const reference_files[] = {
	"artifacts_simple.yaml", "collected_artifacts.yaml", "collected_parameters.yaml",
	"conditional_producer_and_consumers.yaml", "container_component_with_no_inputs.yaml",
	"container_with_artifact_output.yaml", "fanout_fanin_containers.yaml",
	"local_execution_pipeline_with_k8s_only_methods.yaml", "parameters_simple.yaml",
	"pipeline_producer_consumer.yaml", "pipeline_with_env.yaml",
	"pipeline_with_parallelfor_list_artifacts_GH-12033.yaml", "pipeline_with_parallelfor_parallelism.yaml",
	"pipeline_with_parallelfor_pipeline_param.yaml", "pipeline_with_retry.yaml",
	"pipeline_with_string_machine_fields_pipeline_input.yaml", NULL,
};

static json_t *load(const char *path)
{
	struct err e = {0};
	json_t *v = yaml_read_file(path, &e);

	if (!v)
		check_fail(__FILE__, __LINE__, "%s: %s", path, e.message);
	return v;
}

static const json_t *at(const json_t *v, const char *path)
{
	char *copy = strdup(path), *save = NULL;

	for (char *k = strtok_r(copy, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	free(copy);
	return v;
}

/* The object's keys, sorted, joined by ',' (static buffer). */
static const char *keys(const json_t *obj)
{
	static char buf[2][1024];
	static int which;
	const char *list[64], *k;
	json_t *v;
	size_t n = 0;
	char *out = buf[which ^= 1];

	out[0] = '\0';
	json_object_foreach((json_t *)obj, k, v)
		if (n < 64)
			list[n++] = k;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(list[j], list[i]) < 0) {
				const char *t = list[i];
				list[i] = list[j];
				list[j] = t;
			}
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof buf[0] - strlen(out), "%s%s", i ? "," : "", list[i]);
	return out;
}

static char *ids_store[2300];

static struct spec_result build(size_t n, int parallelism, int per_task, const char *manifest_uri)
{
	struct spec_options o = {.image = "nightfan:test", .input_root = "/data", .profile_json = "{}",
				 .nights = ids_store, .n_nights = n, .parallelism = parallelism,
				 .nights_per_task = per_task, .cpu = "2", .memory = "4G", .retries = 2,
				 .cache = true, .manifest_uri = manifest_uri};
	struct spec_result r = {0};
	struct err e = {0};

	for (size_t i = 0; i < n; i++) {
		free(ids_store[i]);
		if (asprintf(&ids_store[i], "N%04zu", i + 1) < 0)
			ids_store[i] = NULL;
	}
	if (spec_build(&o, &r, &e) < 0)
		check_fail(__FILE__, __LINE__, "spec_build: %s", e.message);
	return r;
}

TEST(yaml_round_trips_every_reference_file)
{
	for (int i = 0; reference_files[i]; i++) {
		char path[256];
		struct err e = {0};
		snprintf(path, sizeof path, REF "%s", reference_files[i]);
		json_t *a = load(path);
		size_t len;
		char *text = a ? yaml_emit(a, NULL, &len, &e) : NULL;
		json_t *b = text ? yaml_parse(text, len, "emitted", &e) : NULL;
		if (!json_equal(a, b))
			check_fail(__FILE__, __LINE__, "%s does not survive YAML out and back in", path);
		free(text);
		json_decref(a);
		json_decref(b);
	}
}

TEST(yaml_scalars_resolve_as_pyyaml_does)
{
	const char text[] = "a: 0.0.1\nb: 2.0\nc: '2'\nd: true\ne: ~\nf: 0s\ng: 3\nh: \"x\"\n";
	struct err e = {0};
	json_t *v = yaml_parse(text, strlen(text), "t.yaml", &e);

	CHECK_STR(json_string_value(json_object_get(v, "a")), "0.0.1");
	CHECK(json_is_real(json_object_get(v, "b")));
	CHECK_STR(json_string_value(json_object_get(v, "c")), "2");
	CHECK(json_is_true(json_object_get(v, "d")));
	CHECK(json_is_null(json_object_get(v, "e")));
	CHECK_STR(json_string_value(json_object_get(v, "f")), "0s");
	CHECK_INT(json_integer_value(json_object_get(v, "g")), 3);
	CHECK_STR(json_string_value(json_object_get(v, "h")), "x");
	json_decref(v);
}

TEST(yaml_emits_the_sdk_block_style)
{
	json_t *v = json_pack("{s:s,s:s,s:s,s:f,s:[],s:{},s:[s,s],s:{s:i}}", "a", "{{$}}", "b", "2", "c", "0.0.1",
			      "d", 2.0, "e", "f", "g", "x", "yes", "h", "k", 1);
	struct err e = {0};
	char *text = yaml_emit(v, "# head\n", NULL, &e);

	CHECK_STR(text, "# head\na: '{{$}}'\nb: '2'\nc: 0.0.1\nd: 2.0\ne: []\nf: {}\ng:\n- x\n- 'yes'\nh:\n  k: 1\n");
	free(text);
	json_decref(v);
}

TEST(yaml_errors_name_file_line_and_column)
{
	const char text[] = "a: 1\nb: [1, 2\n";
	struct err e = {0};

	CHECK(yaml_parse(text, strlen(text), "p.yaml", &e) == NULL);
	CHECK_STR(e.file, "p.yaml");
	CHECK_INT(e.line, 3);
	const char dup[] = "a: 1\na: 2\n";
	CHECK(yaml_parse(dup, strlen(dup), "p.yaml", &e) == NULL);
	CHECK_STR(e.message, "duplicate key \"a\"");
	CHECK_INT(e.line, 2);
}

/* The spec against the SDK's own compile of the same shape (fanout_fanin_containers.yaml). */
TEST(spec_matches_the_sdk_fanout_fanin_field_by_field)
{
	json_t *ref = load(REF "fanout_fanin_containers.yaml");
	struct spec_result r = build(3, 4, 0, NULL);
	const json_t *ours = r.spec;

	CHECK_STR(keys(ours), keys(ref));
	CHECK_STR(json_string_value(json_object_get(ours, "schemaVersion")), "2.1.0");
	/* the loop component */
	const json_t *rl = at(ref, "components.comp-for-loop-1"), *ol = at(ours, "components.comp-for-loop-1");
	CHECK_STR(keys(ol), keys(rl));
	CHECK_STR(keys(at(ol, "dag")), keys(at(rl, "dag")));
	CHECK_STR(keys(at(ol, "dag.outputs.artifacts.pipelinechannel--shard-nights.artifactSelectors.0")),
		  keys(at(rl, "dag.outputs.artifacts.pipelinechannel--shard-out.artifactSelectors.0")));
	CHECK(json_equal((json_t *)at(ol, "outputDefinitions.artifacts.pipelinechannel--shard-nights"),
			 (json_t *)at(rl, "outputDefinitions.artifacts.pipelinechannel--shard-out")));
	/* the loop body: the shard task, its retry policy exactly as the SDK writes set_retry(2) */
	CHECK_STR(keys(at(ol, "dag.tasks.shard")), keys(at(rl, "dag.tasks.shard")));
	CHECK(json_equal((json_t *)at(ol, "dag.tasks.shard.retryPolicy"), (json_t *)at(rl, "dag.tasks.shard.retryPolicy")));
	CHECK(json_equal((json_t *)at(ol, "dag.tasks.shard.cachingOptions"),
			 (json_t *)at(rl, "dag.tasks.shard.cachingOptions")));
	/* the iterator: itemInput declared by the loop component, items from one of the task's inputs */
	const json_t *rt = at(ref, "root.dag.tasks.for-loop-1"), *ot = at(ours, "root.dag.tasks.for-loop-1");
	CHECK_STR(keys(ot), keys(rt));
	CHECK_STR(keys(at(ot, "parameterIterator")), keys(at(rt, "parameterIterator")));
	CHECK(json_equal((json_t *)at(ot, "iteratorPolicy"), (json_t *)at(rt, "iteratorPolicy")));
	const char *item = json_string_value(at(ot, "parameterIterator.itemInput"));
	CHECK(item && json_object_get(at(ol, "inputDefinitions.parameters"), item));
	CHECK(item && !json_object_get(at(ot, "inputs.parameters"), item));
	const char *items = json_string_value(at(ot, "parameterIterator.items.inputParameter"));
	CHECK(items && json_object_get(at(ot, "inputs.parameters"), items));
	CHECK_STR(json_string_value(at(ours, "root.inputDefinitions.parameters.nights.parameterType")), "LIST");
	/* the collection into the merge */
	const json_t *rm = at(ref, "root.dag.tasks.merge"), *om = at(ours, "root.dag.tasks.merge");
	CHECK_STR(keys(om), keys(rm));
	CHECK_STR(keys(at(om, "inputs.artifacts.nights.taskOutputArtifact")),
		  keys(at(rm, "inputs.artifacts.parts.taskOutputArtifact")));
	CHECK_STR(json_string_value(at(om, "dependentTasks.0")), "for-loop-1");
	CHECK_STR(json_string_value(at(om, "inputs.artifacts.nights.taskOutputArtifact.producerTask")), "for-loop-1");
	CHECK(json_object_get(at(ol, "outputDefinitions.artifacts"),
			      json_string_value(at(om, "inputs.artifacts.nights.taskOutputArtifact.outputArtifactKey"))));
	CHECK(json_equal((json_t *)at(ours, "components.comp-merge.inputDefinitions.artifacts.nights"),
			 (json_t *)at(ref, "components.comp-merge.inputDefinitions.artifacts.parts")));
	/* executors: the same fields, resources in both the deprecated and the string form */
	const json_t *rs = at(ref, "deploymentSpec.executors.exec-shard.container");
	const json_t *os = at(ours, "deploymentSpec.executors.exec-shard.container");
	CHECK_STR(keys(os), keys(rs));
	CHECK_STR(keys(at(os, "resources")), keys(at(rs, "resources")));
	CHECK(json_equal((json_t *)at(os, "resources"), (json_t *)at(rs, "resources")));
	CHECK_STR(keys(at(os, "env.0")), keys(at(rs, "env.0")));
	CHECK_STR(json_string_value(at(ours, "deploymentSpec.executors.exec-merge.container.args.1")),
		  json_string_value(at(ref, "deploymentSpec.executors.exec-merge.container.args.7")));
	json_decref(ref);
	spec_result_free(&r);
}

TEST(spec_artifact_types_are_the_ones_kfp_renders)
{
	struct spec_result r = build(2, 0, 0, NULL);
	const json_t *outs = at(r.spec, "components.comp-merge.outputDefinitions.artifacts");

	CHECK_STR(json_string_value(at(outs, "report.artifactType.schemaTitle")), "system.HTML");
	CHECK_STR(json_string_value(at(outs, "dataset.artifactType.schemaTitle")), "system.Dataset");
	CHECK_STR(json_string_value(at(outs, "metrics.artifactType.schemaTitle")), "system.Metrics");
	CHECK_STR(json_string_value(at(outs, "staging_confusion.artifactType.schemaTitle")),
		  "system.ClassificationMetrics");
	CHECK_STR(json_string_value(at(outs, "severity_confusion.artifactType.schemaTitle")),
		  "system.ClassificationMetrics");
	CHECK_STR(json_string_value(at(outs, "report.artifactType.schemaVersion")), "0.0.1");
	CHECK(at(r.spec, "root.dag.tasks.for-loop-1.iteratorPolicy") == NULL); /* parallelism 0 omitted */
	spec_result_free(&r);
}

/* The merge's report, dataset and metrics are the pipeline's outputs, in the form the SDK compiles a
 * pipeline that returns a component's outputs (container_with_artifact_output.yaml: root.dag.outputs
 * selects each from its producer task, root.outputDefinitions types it). */
TEST(spec_declares_the_merge_outputs_as_pipeline_outputs)
{
	json_t *ref = load(REF "container_with_artifact_output.yaml");
	struct spec_result r = build(2, 0, 0, NULL);
	const json_t *rsel = at(ref, "root.dag.outputs.artifacts.model.artifactSelectors");
	const char *names[] = {"dataset", "metrics", "report"};

	CHECK_STR(keys(at(r.spec, "root.dag.outputs")), "artifacts");
	CHECK_STR(keys(at(r.spec, "root.dag.outputs.artifacts")), "dataset,metrics,report");
	CHECK_STR(keys(at(r.spec, "root.outputDefinitions")), "artifacts");
	CHECK_STR(keys(at(r.spec, "root.outputDefinitions.artifacts")), "dataset,metrics,report");
	for (size_t i = 0; i < 3; i++) {
		char path[128];
		snprintf(path, sizeof path, "root.dag.outputs.artifacts.%s.artifactSelectors", names[i]);
		const json_t *sel = at(r.spec, path);
		CHECK_INT(json_array_size(sel), json_array_size(rsel));
		CHECK_STR(keys(json_array_get(sel, 0)), keys(json_array_get(rsel, 0)));
		CHECK_STR(json_string_value(at(sel, "0.producerSubtask")), "merge");
		CHECK_STR(json_string_value(at(sel, "0.outputArtifactKey")), names[i]);
		/* the pipeline output has the merge output's type, written as the SDK writes types */
		snprintf(path, sizeof path, "root.outputDefinitions.artifacts.%s", names[i]);
		const json_t *def = at(r.spec, path);
		snprintf(path, sizeof path, "components.comp-merge.outputDefinitions.artifacts.%s", names[i]);
		CHECK(json_equal((json_t *)def, (json_t *)at(r.spec, path)));
		CHECK_STR(keys(def), keys(at(ref, "root.outputDefinitions.artifacts.model")));
	}
	json_decref(ref);
	spec_result_free(&r);
}

/* 100 ids of 96 characters are exactly 10,000 characters as ["…", "…"]; one more character
 * needs the manifest. */
TEST(manifest_starts_one_character_over_the_parameter_cap)
{
	char *ids[100];
	struct spec_options o = {.image = "i", .input_root = "/d", .profile_json = "{}", .nights = ids,
				 .n_nights = 100, .cache = true, .manifest_uri = "/m.json"};
	struct spec_result r;
	struct err e = {0};

	for (int i = 0; i < 100; i++) {
		ids[i] = malloc(98);
		memset(ids[i], 'a', 96);
		snprintf(ids[i] + 92, 6, "%04d", i);
	}
	CHECK_INT(spec_build(&o, &r, &e), 0);
	CHECK(r.manifest == NULL);
	CHECK_INT(json_array_size(at(r.spec, "root.inputDefinitions.parameters.nights.defaultValue")), 100);
	spec_result_free(&r);
	strcat(ids[7], "x");
	CHECK_INT(spec_build(&o, &r, &e), 0);
	CHECK(r.manifest != NULL);
	CHECK_STR(json_string_value(at(r.spec, "root.inputDefinitions.parameters.nights.defaultValue.99")), "@99");
	CHECK_STR(json_string_value(at(r.manifest, "batches.7.0")), ids[7]);
	spec_result_free(&r);
	o.manifest_uri = NULL;
	CHECK_INT(spec_build(&o, &r, &e), -1);
	CHECK_STR(e.message, "the night list is over KFP's 10000-character parameter limit, so it needs a manifest "
			     "file, but no manifest location was given");
	for (int i = 0; i < 100; i++)
		free(ids[i]);
}

TEST(plan_expands_the_loop_into_one_task_per_item)
{
	struct spec_result r = build(3, 2, 0, NULL);
	struct err e = {0};
	struct plan *p = plan_build(r.spec, NULL, 0, "gs://bucket/run", &e);

	CHECK(p != NULL);
	if (!p) {
		spec_result_free(&r);
		return;
	}
	CHECK_INT(p->n_tasks, 4);
	CHECK_STR(p->tasks[0].id, "shard-N0001");
	CHECK_STR(p->tasks[2].id, "shard-N0003");
	CHECK_STR(p->tasks[3].id, "merge");
	CHECK_INT(p->tasks[3].n_deps, 3);
	CHECK_INT(p->tasks[0].parallelism_limit, 2);
	CHECK_INT(p->tasks[0].retry.max_retries, 2);
	CHECK_DOUBLE(p->tasks[0].retry.backoff_factor, 2.0, 0);
	CHECK_DOUBLE(p->tasks[0].retry.backoff_max_seconds, 3600, 0);
	CHECK_STR(p->tasks[0].argv[0], "nightfan-shard");
	CHECK_STR(p->tasks[0].argv[1], "--executor-input");
	CHECK_STR(p->tasks[0].argv[2], p->tasks[0].executor_input);
	CHECK_STR(p->tasks[0].env[0].name, "LC_ALL");
	CHECK_STR(p->tasks[0].input_paths[0], "/data/N0001");
	/* the ExecutorInput has the layout of the one KFP's runner gave a shard (executor-input/) */
	json_t *ref = load(REF "executor-input/shard-a.json");
	json_t *ours = json_loads(p->tasks[1].executor_input, 0, NULL);
	CHECK_STR(keys(ours), keys(ref));
	CHECK_STR(keys(at(ours, "outputs.artifacts.nights.artifacts.0")), keys(at(ref, "outputs.artifacts.out.artifacts.0")));
	CHECK_STR(json_string_value(at(ours, "outputs.artifacts.nights.artifacts.0.uri")),
		  "gs://bucket/run/shard-N0002/nights");
	CHECK_STR(json_string_value(at(ours, "outputs.outputFile")), "gs://bucket/run/shard-N0002/executor_output.json");
	CHECK_STR(json_string_value(at(ours, "inputs.parameterValues.batch")), "N0002");
	/* the same paths, kept in the plan for the runner */
	CHECK_STR(p->tasks[1].output_dir, "gs://bucket/run/shard-N0002");
	CHECK_STR(p->tasks[1].executor_output, "gs://bucket/run/shard-N0002/executor_output.json");
	CHECK_INT(p->tasks[1].n_outputs, 1);
	CHECK_STR(plan_output_uri(&p->tasks[1], "nights"), "gs://bucket/run/shard-N0002/nights");
	CHECK(plan_output_uri(&p->tasks[1], "dataset") == NULL);
	CHECK_STR(plan_output_uri(&p->tasks[3], "dataset"), "gs://bucket/run/merge/dataset");
	CHECK_STR(plan_output_uri(&p->tasks[3], "metrics"), "gs://bucket/run/merge/metrics");
	json_t *mref = load(REF "executor-input/merge.json");
	json_t *merge = json_loads(p->tasks[3].executor_input, 0, NULL);
	CHECK_STR(keys(at(merge, "inputs")), keys(at(mref, "inputs")));
	CHECK_INT(json_array_size(at(merge, "inputs.artifacts.nights.artifacts")), 3);
	CHECK_STR(keys(at(merge, "inputs.artifacts.nights.artifacts.2")), keys(at(mref, "inputs.artifacts.parts.artifacts.2")));
	CHECK_STR(json_string_value(at(merge, "inputs.artifacts.nights.artifacts.2.uri")),
		  "gs://bucket/run/shard-N0003/nights");
	json_decref(ref);
	json_decref(ours);
	json_decref(mref);
	json_decref(merge);
	plan_free(p);
	spec_result_free(&r);
}

TEST(plan_substitutes_every_placeholder_kind)
{
	struct spec_result r = build(1, 0, 0, NULL);
	json_t *args = (json_t *)at(r.spec, "deploymentSpec.executors.exec-shard.container.args");
	struct err e = {0};

	json_array_clear(args);
	json_array_append_new(args, json_string("--batch={{$.inputs.parameters['batch']}}"));
	json_array_append_new(args, json_string("{{$.outputs.artifacts['nights'].path}}"));
	json_array_append_new(args, json_string("{{$.outputs.artifacts['nights'].uri}}"));
	struct plan *p = plan_build(r.spec, NULL, 0, "gs://b/r", &e);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(p->tasks[0].argc, 4);
		CHECK_STR(p->tasks[0].argv[1], "--batch=N0001");
		CHECK_STR(p->tasks[0].argv[2], "/gcs/b/r/shard-N0001/nights");
		CHECK_STR(p->tasks[0].argv[3], "gs://b/r/shard-N0001/nights");
		plan_free(p);
	}
	json_array_append_new(args, json_string("{{$.inputs.parameters['nope']}}"));
	CHECK(plan_build(r.spec, NULL, 0, "/r", &e) == NULL);
	CHECK_STR(e.message, "task shard-N0001: placeholder {{$.inputs.parameters['nope']}} names no declared input "
			     "or output of the task");
	spec_result_free(&r);
}

TEST(plan_takes_typed_parameter_overrides)
{
	struct spec_result r = build(3, 0, 0, NULL);
	char arg[] = "nights=[\"N0002\"]", bad[] = "on_error", base[] = "base_nights=/prev/nights";
	struct plan_param params[2];
	struct err e = {0};

	CHECK_INT(plan_param_parse(arg, &params[0], &e), 0);
	CHECK_INT(plan_param_parse(base, &params[1], &e), 0);
	CHECK_INT(plan_param_parse(bad, &params[0], &e), -1);
	CHECK_STR(e.message, "--param: expected NAME=VALUE, got \"on_error\"");
	CHECK_STR(params[0].name, "nights");
	struct plan *p = plan_build(r.spec, params, 2, "/r", &e);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(p->n_tasks, 2);
		CHECK_STR(p->tasks[0].id, "shard-N0002");
		CHECK_STR(p->tasks[1].input_paths[0], "/prev/nights");
		plan_free(p);
	}
	/* the root parameters alone, as the plan resolves them (nightfan compose mounts from these) */
	json_t *resolved = plan_params(r.spec, params, 2, &e);
	CHECK_STR(json_string_value(json_array_get(json_object_get(resolved, "nights"), 0)), "N0002");
	CHECK_INT(json_array_size(json_object_get(resolved, "nights")), 1);
	CHECK_STR(json_string_value(json_object_get(resolved, "base_nights")), "/prev/nights");
	CHECK_STR(json_string_value(json_object_get(resolved, "on_error")), "record"); /* the default */
	json_decref(resolved);
	struct plan_param unknown = {"colour", "red"};
	CHECK(plan_params(r.spec, &unknown, 1, &e) == NULL);
	CHECK_STR(e.message, "--param colour: the pipeline has no such parameter");
	spec_result_free(&r);
}

TEST(header_lists_inputs_like_the_sdk)
{
	struct spec_result r = build(2, 0, 0, NULL);
	char *h = spec_header(r.spec);

	CHECK(h && strstr(h, "# PIPELINE DEFINITION\n# Name: nightfan\n"));
	CHECK(h && strstr(h, "#    nights: list [Default: ['N0001', 'N0002']]\n"));
	CHECK(h && strstr(h, "#    on_error: str [Default: 'record']\n"));
	free(h);
	spec_result_free(&r);
	for (size_t i = 0; i < sizeof ids_store / sizeof ids_store[0]; i++) {
		free(ids_store[i]);
		ids_store[i] = NULL;
	}
}
