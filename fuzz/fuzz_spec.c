/*
 * fuzz_spec.c — libFuzzer target for the compiled pipeline spec as `nightfan run` reads it
 * (pipeline/spec/yamlio.c + pipeline/local/plan.c): the input is the spec file's text, YAML or JSON (JSON is
 * read through the same YAML parser, as spec_read_file does; the seed corpus holds both forms).
 * A spec that reads is expanded into a plan under a fixed pipeline root with the default
 * parameters; a plan that builds must be whole (every task has an id, an argv and an
 * ExecutorInput). Nothing is run and nothing is written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "plan.h"
#include "yamlio.h"

static void check_plan(const struct plan *p)
{
	for (size_t i = 0; i < p->n_tasks; i++) {
		const struct plan_task *t = &p->tasks[i];
		if (!t->id || !t->argv || !t->argv[0] || !t->executor_input || t->argv[t->argc])
			abort();
		for (size_t d = 0; d < t->n_deps; d++)
			if (t->deps[d] >= i)
				abort(); /* topological order: dependencies come first */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	json_t *spec = yaml_parse((const char *)data, size, "pipeline.yaml", &e);

	if (!spec) {
		if (!e.message[0])
			abort();
		return 0;
	}
	if (json_is_object(spec) && json_object_get(spec, "root")) {
		struct plan *p = plan_build(spec, NULL, 0, "/nonexistent/nightfan-fuzz-root", &e);
		if (p)
			check_plan(p);
		else if (!e.message[0])
			abort();
		plan_free(p);
	}
	json_decref(spec);
	return 0;
}
