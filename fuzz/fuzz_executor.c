/*
 * fuzz_executor.c — libFuzzer target for the KFP ExecutorInput reader (common/executor.c): the
 * input is the JSON text `{{$}}` expands to. After parsing it asks for everything the shard
 * (shard/task.c) and the merge (merge/task.c) ask for — string, integer, boolean and list
 * parameters, input artifact lists, output artifacts and files — then sets output metadata and
 * builds the ExecutorOutput text. Nothing is written to disk: the executors' file handling is
 * exercised by the CLI tests, and a fuzzed outputFile must not write anywhere.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"

static const char *const params[] = {"batch", "input_root", "profile", "on_error", "nights_manifest",
				     "nights", "base_nights", "item", "missing"};
static const char *const outputs[] = {"nights", "report", "dataset", "metrics", "staging_confusion",
				      "severity_confusion", "out", "Output"};

/* A failing accessor must say why; a succeeding one must hand over something usable. */
static void must_explain(const void *result, const struct err *e)
{
	if (!result && !e->message[0])
		abort();
}

static void ask_parameters(struct executor *ex)
{
	for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
		struct err e = {0};
		long long n;
		bool b;
		const char *const *items;
		size_t count;

		executor_has_param(ex, params[i]);
		executor_param_string(ex, params[i], &e);
		executor_param_int(ex, params[i], &n, &e);
		executor_param_bool(ex, params[i], &b, &e);
		err_clear(&e);
		if (executor_param_strings(ex, params[i], &items, &count, &e) == 0) {
			for (size_t k = 0; k < count; k++)
				if (!items[k])
					abort();
		} else {
			must_explain(NULL, &e);
		}
	}
}

static void ask_artifacts(struct executor *ex)
{
	for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++) {
		struct err e = {0};
		const struct executor_artifact *items;
		size_t count;

		if (executor_input_artifacts(ex, outputs[i], &items, &count, &e) == 0) {
			for (size_t k = 0; k < count; k++)
				if (!items[k].path || !items[k].uri || !items[k].name)
					abort();
		}
		err_clear(&e);
		const struct executor_artifact *out = executor_output_artifact(ex, outputs[i], &e);
		if (out && (!out->path || !out->uri))
			abort();
		err_clear(&e);
		if (out) {
			cJSON *meta = cJSON_CreateObject();
			cJSON_AddNumberToObject(meta, "nights", 3);
			executor_set_artifact_metadata(ex, outputs[i], meta, &e);
		}
		err_clear(&e);
		executor_output_parameter_file(ex, outputs[i], &e);
		err_clear(&e);
		executor_set_parameter(ex, outputs[i], cJSON_CreateNumber(1.5), &e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct executor *ex = executor_parse(text, &e);
	must_explain(ex, &e);
	if (ex) {
		ask_parameters(ex);
		ask_artifacts(ex);
		err_clear(&e);
		executor_output_file(ex, &e);
		err_clear(&e);
		char *out = executor_output_json(ex, &e);
		must_explain(out, &e);
		free(out);
		executor_free(ex);
	}
	free(text);
	return 0;
}
