/*
 * plan.c — a compiled spec expanded into container tasks (see plan.h).
 *
 * Walks root.dag.tasks in dependency order. A task whose component has a DAG is a for-loop: its
 * inputs are resolved in the root scope, then its body's container tasks are expanded once per
 * loop item with the item bound to parameterIterator.itemInput; the loop's artifactSelectors
 * collect each iteration's artifact into the list a consumer receives. A task whose component has
 * an executorLabel becomes one plan task. Resolution follows KFP's driver: componentInputParameter
 * from the enclosing scope, runtimeValue.constant, taskOutputArtifact from a producer task.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "fsutil.h"
#include "spec.h"
#include "spec_read.h"
#include "strlist.h"
#include "specnames.h"
#include "yamlio.h"

#define MANIFEST_MAX_BYTES (64u << 20)

/* One output artifact a task produces, or a list a loop collects. */
struct produced {
	char *task;        /* root task name ("for-loop-1", "merge") */
	char *key;         /* output key */
	json_t *artifacts; /* JSON list of {name, type, uri, metadata} */
	json_t *producers; /* JSON list of plan task ids */
};

struct builder {
	const json_t *spec;
	const json_t *components;
	const json_t *executors;
	const char *root;
	struct plan *plan;
	size_t cap;
	struct produced *produced;
	size_t n_produced;
	struct err *e;
};

/* ---- small helpers ------------------------------------------------------------------------ */

static const json_t *path_get(const json_t *v, const char *a, const char *b, const char *c)
{
	v = json_object_get(v, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return v;
}

static char *join_uri(const char *root, const char *a, const char *b)
{
	size_t n = strlen(root);
	char *s;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (asprintf(&s, "%.*s/%s%s%s", (int)n, root, a, b ? "/" : "", b ? b : "") < 0)
		return NULL;
	return s;
}

int plan_param_parse(char *arg, struct plan_param *p, struct err *e)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg)
		return ERR(e, "--param: expected NAME=VALUE, got \"%s\"", arg);
	*eq = '\0';
	p->name = arg;
	p->value = eq + 1;
	return 0;
}

/* "0s", "3600s", "1.5s" -> seconds; -1 when malformed. */
static double parse_duration(const char *s)
{
	char *end;
	double v;

	if (!s)
		return -1;
	v = strtod(s, &end);
	return end != s && strcmp(end, "s") == 0 && v >= 0 ? v : -1;
}

/* ---- root parameters ---------------------------------------------------------------------- */

json_t *plan_params(const json_t *spec, const struct plan_param *params, size_t n, struct err *e)
{
	const json_t *defs = path_get(spec, "root", "inputDefinitions", "parameters");
	json_t *out = json_object();
	const char *name;
	json_t *def;

	for (size_t i = 0; i < n; i++) {
		json_t *v = spec_param_value(spec, params[i].name, params[i].value, e);
		if (!v)
			goto fail;
		json_object_set_new(out, params[i].name, v);
	}
	json_object_foreach((json_t *)defs, name, def) {
		const char *type = json_string_value(json_object_get(def, "parameterType"));
		json_t *v = json_object_get(out, name);
		if (!v) {
			v = json_object_get(def, "defaultValue");
			if (!v) {
				ERR(e, "parameter %s has no default: give it with --param %s=VALUE", name, name);
				goto fail;
			}
			json_object_set(out, name, v);
		}
		if (type && !spec_type_matches(type, v)) {
			ERR(e, "parameter %s: expected a %s value", name, type);
			goto fail;
		}
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* ---- input resolution --------------------------------------------------------------------- */

/* The value of one task input parameter spec in `scope` (an object of names to values). */
static json_t *resolve_param(const char *task, const char *name, const json_t *input, const json_t *scope,
			     struct err *e)
{
	const json_t *src = json_object_get(input, "componentInputParameter");
	const json_t *constant = path_get(input, "runtimeValue", "constant", NULL);

	if (json_is_string(src)) {
		json_t *v = json_object_get(scope, json_string_value(src));
		if (!v)
			ERR(e, "task %s: input %s: componentInputParameter \"%s\" is not an input of its DAG",
			    task, name, json_string_value(src));
		return v ? json_incref(v) : NULL;
	}
	if (constant)
		return json_incref((json_t *)constant);
	ERR(e, "task %s: input %s: only componentInputParameter and runtimeValue.constant are supported",
	    task, name);
	return NULL;
}

static json_t *resolve_params(const char *task, const json_t *task_spec, const json_t *scope, struct err *e)
{
	json_t *out = json_object();
	const char *name;
	json_t *input;

	json_object_foreach((json_t *)path_get(task_spec, "inputs", "parameters", NULL), name, input) {
		json_t *v = resolve_param(task, name, input, scope, e);
		if (!v) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, name, v);
	}
	return out;
}

static const struct produced *find_produced(const struct builder *b, const char *task, const char *key)
{
	for (size_t i = 0; i < b->n_produced; i++)
		if (strcmp(b->produced[i].task, task) == 0 && strcmp(b->produced[i].key, key) == 0)
			return &b->produced[i];
	return NULL;
}

static int add_produced(struct builder *b, const char *task, const char *key, json_t *artifacts,
			json_t *producers)
{
	struct produced *grown = realloc(b->produced, (b->n_produced + 1) * sizeof *grown);

	if (!grown) {
		json_decref(artifacts);
		json_decref(producers);
		return ERR(b->e, "out of memory");
	}
	b->produced = grown;
	grown[b->n_produced++] = (struct produced){strdup(task), strdup(key), artifacts, producers};
	return 0;
}

/* inputs.artifacts of a root task: {name: {"artifacts": [...]}} and {name: [producer ids]}. */
static int resolve_artifacts(struct builder *b, const char *task, const json_t *task_spec, json_t **arts,
			     json_t **producers)
{
	const char *name;
	json_t *input;

	*arts = json_object();
	*producers = json_object();
	json_object_foreach((json_t *)path_get(task_spec, "inputs", "artifacts", NULL), name, input) {
		const json_t *ref = json_object_get(input, "taskOutputArtifact");
		const char *producer = json_string_value(json_object_get(ref, "producerTask"));
		const char *key = json_string_value(json_object_get(ref, "outputArtifactKey"));
		const struct produced *p = producer && key ? find_produced(b, producer, key) : NULL;
		if (!p) {
			json_decref(*arts);
			json_decref(*producers);
			return ERR(b->e, "task %s: input artifact %s: expected a taskOutputArtifact of an "
				   "earlier task", task, name);
		}
		json_object_set_new(*arts, name, json_pack("{s:O}", "artifacts", p->artifacts));
		json_object_set(*producers, name, p->producers);
	}
	return 0;
}

/* ---- placeholders ------------------------------------------------------------------------- */

static char *value_text(const json_t *v)
{
	return json_is_string(v) ? strdup(json_string_value(v))
				 : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
}

/* The text of one placeholder body (between "{{" and "}}"), or NULL with e set. */
static char *placeholder_value(const char *body, const json_t *ex_in, const char *executor_input,
			       struct err *e)
{
	char name[256], field[32] = "";
	const json_t *v;

	if (strcmp(body, "$") == 0)
		return strdup(executor_input);
	if (sscanf(body, "$.inputs.parameters['%255[^']']%31s", name, field) >= 1 && !field[0]) {
		v = path_get(ex_in, "inputs", "parameterValues", name);
		if (v)
			return value_text(v);
	} else if (sscanf(body, "$.outputs.parameters['%255[^']'].%31s", name, field) == 2 &&
		   strcmp(field, "output_file") == 0) {
		v = path_get(path_get(ex_in, "outputs", "parameters", name), "outputFile", NULL, NULL);
		if (v)
			return executor_uri_to_path(json_string_value(v) ? json_string_value(v) : "",
						    EXECUTOR_URI_OBJECT, e);
	} else {
		const char *side = strncmp(body, "$.inputs.artifacts[", 19) == 0 ? "inputs" : "outputs";
		const char *fmt = side[0] == 'i' ? "$.inputs.artifacts['%255[^']'].%31s"
						 : "$.outputs.artifacts['%255[^']'].%31s";
		if (sscanf(body, fmt, name, field) == 2 && (strcmp(field, "uri") == 0 || strcmp(field, "path") == 0)) {
			v = json_array_get(path_get(path_get(ex_in, side, "artifacts", name), "artifacts", NULL, NULL), 0);
			const char *uri = json_string_value(json_object_get(v, "uri"));
			if (uri)
				return field[0] == 'u' ? strdup(uri) : executor_uri_to_path(uri, EXECUTOR_URI_OBJECT, e);
		}
	}
	ERR(e, "placeholder {{%s}} names no declared input or output of the task", body);
	return NULL;
}

/* Every {{...}} in `arg` replaced. malloc'ed, or NULL with e set. */
static char *substitute(const char *arg, const json_t *ex_in, const char *executor_input, struct err *e)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	const char *p = arg;

	if (!fp) {
		ERR(e, "out of memory");
		return NULL;
	}
	while (*p) {
		const char *open = strstr(p, "{{$"), *close = open ? strstr(open, "}}") : NULL;
		if (!open || !close) {
			fputs(p, fp);
			break;
		}
		fwrite(p, 1, (size_t)(open - p), fp);
		char *body = strndup(open + 2, (size_t)(close - open - 2));
		char *value = body ? placeholder_value(body, ex_in, executor_input, e) : NULL;
		free(body);
		if (!value) {
			fclose(fp);
			free(out);
			return NULL;
		}
		fputs(value, fp);
		free(value);
		p = close + 2;
	}
	fclose(fp);
	return out;
}

/* ---- one container task ------------------------------------------------------------------- */

struct task_context {
	const char *id, *name, *group;
	const json_t *task_spec;    /* root.dag.tasks.X or the loop body's task */
	json_t *params;             /* resolved input parameters (owned by the caller) */
	json_t *artifacts;          /* resolved input artifacts {name: {"artifacts": [...]}} */
	json_t *artifact_producers; /* {name: [task ids]} */
	int parallelism;
	char **nights;              /* NULL-terminated, taken over */
	size_t n_nights;
};

static json_t *output_artifacts(const json_t *component, const char *dir)
{
	json_t *out = json_object();
	const char *name;
	json_t *def;

	json_object_foreach((json_t *)path_get(component, "outputDefinitions", "artifacts", NULL), name, def) {
		char *uri = join_uri(dir, name, NULL);
		json_object_set_new(out, name, json_pack("{s:[{s:s,s:O,s:s,s:{}}]}", "artifacts", "name", name,
							 "type", json_object_get(def, "artifactType"),
							 "uri", uri ? uri : "", "metadata"));
		free(uri);
	}
	return out;
}

static json_t *output_parameters(const json_t *component, const char *dir)
{
	json_t *out = json_object();
	const char *name;
	json_t *def;

	json_object_foreach((json_t *)path_get(component, "outputDefinitions", "parameters", NULL), name, def) {
		char *file = join_uri(dir, name, NULL);
		json_object_set_new(out, name, json_pack("{s:s}", "outputFile", file ? file : ""));
		free(file);
	}
	return out;
}

/* Declared inputs with a default that the task does not pass get the default, as KFP does;
 * a declared input without either is an error. */
static int apply_component_defaults(const char *task, const json_t *component, json_t *params, struct err *e)
{
	const char *name;
	json_t *def;

	json_object_foreach((json_t *)path_get(component, "inputDefinitions", "parameters", NULL), name, def) {
		if (json_object_get(params, name))
			continue;
		if (json_object_get(def, "defaultValue"))
			json_object_set(params, name, json_object_get(def, "defaultValue"));
		else if (!json_is_true(json_object_get(def, "isOptional")))
			return ERR(e, "task %s: input %s is declared but not given", task, name);
	}
	return 0;
}

static int fill_retry(struct plan_retry *r, const json_t *policy, const char *task, struct err *e)
{
	r->max_retries = 0;
	r->backoff_seconds = 0;
	r->backoff_factor = 2; /* the proto's default when unspecified */
	r->backoff_max_seconds = 3600;
	if (!policy)
		return 0;
	json_t *n = json_object_get(policy, "maxRetryCount");
	if (n && !json_is_integer(n))
		return ERR(e, "task %s: retryPolicy.maxRetryCount: expected an integer", task);
	r->max_retries = (int)json_integer_value(n);
	if (json_object_get(policy, "backoffDuration"))
		r->backoff_seconds = parse_duration(json_string_value(json_object_get(policy, "backoffDuration")));
	if (json_object_get(policy, "backoffMaxDuration"))
		r->backoff_max_seconds = parse_duration(
			json_string_value(json_object_get(policy, "backoffMaxDuration")));
	if (json_is_number(json_object_get(policy, "backoffFactor")))
		r->backoff_factor = json_number_value(json_object_get(policy, "backoffFactor"));
	if (r->backoff_seconds < 0 || r->backoff_max_seconds < 0)
		return ERR(e, "task %s: retryPolicy: expected durations such as \"0s\" or \"3600s\"", task);
	return 0;
}

static int fill_argv(struct plan_task *t, const json_t *container, const json_t *ex_in, struct err *e)
{
	const char *sections[] = {"command", "args"};
	struct strlist args = STRLIST_INIT;
	size_t i;
	json_t *arg;

	for (int s = 0; s < 2; s++) {
		json_array_foreach(json_object_get(container, sections[s]), i, arg) {
			if (!json_is_string(arg)) {
				strlist_release(&args);
				return ERR(e, "task %s: container.%s[%zu]: expected a string", t->id, sections[s], i);
			}
			char *value = substitute(json_string_value(arg), ex_in, t->executor_input, e);
			int rc = value ? strlist_push(&args, value, e) : err_prefix(e, "task %s", t->id);
			free(value);
			if (rc < 0) {
				strlist_release(&args);
				return -1;
			}
		}
	}
	if (args.n == 0)
		return ERR(e, "task %s: the container has no command", t->id);
	t->argv = strlist_detach(&args, &t->argc);
	return 0;
}

static int fill_env(struct plan_task *t, const json_t *container, struct err *e)
{
	const json_t *env = json_object_get(container, "env");
	size_t i;
	json_t *item;

	t->env = calloc(json_array_size(env) + 1, sizeof *t->env);
	if (!t->env)
		return ERR(e, "out of memory");
	json_array_foreach(env, i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		const char *value = json_string_value(json_object_get(item, "value"));
		if (!name)
			return ERR(e, "task %s: container.env[%zu]: expected a name", t->id, i);
		t->env[t->n_env].name = strdup(name);
		t->env[t->n_env].value = strdup(value ? value : "");
		t->n_env++;
	}
	return 0;
}

/* What the shard reads: <input root>/<night> per night (local roots only) and the manifest. */
static int fill_input_paths(struct plan_task *t, const json_t *params, struct err *e)
{
	const char *root = json_string_value(json_object_get(params, SPEC_PARAM_INPUT_ROOT));
	const char *manifest = json_string_value(json_object_get(params, SPEC_PARAM_NIGHTS_MANIFEST));
	const char *base = json_string_value(json_object_get(params, SPEC_PARAM_BASE_NIGHTS));
	struct strlist paths = STRLIST_INIT;
	int rc = 0;

	/* the root is checked by the one URI rule first, so a refusal names it, not root/night */
	char *local_root = root && root[0] ? executor_uri_to_path(root, EXECUTOR_URI_FOLDER, e) : NULL;
	if (root && root[0] && !local_root)
		return err_prefix(e, SPEC_PARAM_INPUT_ROOT);
	free(local_root);
	for (size_t i = 0; rc == 0 && root && root[0] && i < t->n_nights; i++) {
		char *path = join_uri(root, t->nights[i], NULL);
		char *local = path ? executor_uri_to_path(path, EXECUTOR_URI_FOLDER, e) : NULL;
		rc = !path ? ERR(e, "out of memory") : !local ? -1 : strlist_push(&paths, local, e);
		free(path);
		free(local);
	}
	const char *extra[] = {t->n_nights ? manifest : NULL, base};
	const char *extra_name[] = {SPEC_PARAM_NIGHTS_MANIFEST, SPEC_PARAM_BASE_NIGHTS};
	for (int i = 0; rc == 0 && i < 2; i++) {
		if (!extra[i] || !extra[i][0])
			continue;
		char *local = executor_uri_to_path(extra[i], i == 0 ? EXECUTOR_URI_OBJECT : EXECUTOR_URI_FOLDER, e);
		rc = local ? strlist_push(&paths, local, e) : err_prefix(e, "%s", extra_name[i]);
		free(local);
	}
	if (rc < 0) {
		strlist_release(&paths);
		return -1;
	}
	t->input_paths = paths.n ? strlist_detach(&paths, &t->n_input_paths) : calloc(1, sizeof *t->input_paths);
	return t->input_paths ? 0 : ERR(e, "out of memory");
}

static int fill_deps(struct builder *b, struct plan_task *t, const json_t *producers)
{
	const char *name;
	json_t *ids, *id;
	size_t i;

	json_object_foreach((json_t *)producers, name, ids) {
		json_array_foreach(ids, i, id) {
			const struct plan_task *dep = plan_find(b->plan, json_string_value(id));
			size_t *grown = realloc(t->deps, (t->n_deps + 1) * sizeof *grown);
			if (!grown)
				return ERR(b->e, "out of memory");
			t->deps = grown;
			t->deps[t->n_deps++] = (size_t)(dep - b->plan->tasks);
		}
	}
	return 0;
}

static json_t *executor_input_json(const json_t *params, const json_t *artifacts, const json_t *component,
				   const char *dir)
{
	char *out_file = join_uri(dir, "executor_output.json", NULL);
	json_t *inputs = json_pack("{s:O}", "parameterValues", params);
	json_t *v;

	if (json_object_size(artifacts))
		json_object_set(inputs, "artifacts", (json_t *)artifacts);
	v = json_pack("{s:o,s:{s:o,s:o,s:s}}", "inputs", inputs, "outputs", "parameters",
		      output_parameters(component, dir), "artifacts", output_artifacts(component, dir),
		      "outputFile", out_file ? out_file : "");
	free(out_file);
	return v;
}

/* The task's output artifacts, as its ExecutorInput names them. */
static int fill_outputs(struct plan_task *t, const json_t *ex_in, struct err *e)
{
	const json_t *arts = path_get(ex_in, "outputs", "artifacts", NULL);
	const char *name;
	json_t *a;

	if (json_object_size(arts) && !(t->outputs = calloc(json_object_size(arts), sizeof *t->outputs)))
		return ERR(e, "out of memory");
	json_object_foreach((json_t *)arts, name, a) {
		const json_t *first = json_array_get(json_object_get(a, "artifacts"), 0);
		const char *uri = json_string_value(json_object_get(first, "uri"));
		struct plan_output *o = &t->outputs[t->n_outputs++];
		o->name = strdup(name);
		o->uri = strdup(uri ? uri : "");
		if (!o->name || !o->uri)
			return ERR(e, "out of memory");
	}
	return 0;
}

static int build_task_body(struct builder *b, struct plan_task *t, struct task_context *c,
			   const json_t *component, const json_t *container)
{
	json_t *ex_in = NULL;
	int rc = -1;

	if (apply_component_defaults(c->id, component, c->params, b->e) < 0)
		return -1;
	ex_in = executor_input_json(c->params, c->artifacts, component, t->output_dir);
	if (!ex_in)
		return ERR(b->e, "out of memory");
	t->executor_input = json_dumps(ex_in, JSON_COMPACT | JSON_SORT_KEYS);
	t->executor_output = strdup(json_string_value(path_get(ex_in, "outputs", "outputFile", NULL)));
	t->image = strdup(json_string_value(json_object_get(container, "image")) ?: "");
	json_t *key = json_pack("{s:O,s:O,s:O,s:O,s:O}", "image", json_object_get(container, "image"),
				"command", json_object_get(container, "command") ?: json_null(),
				"args", json_object_get(container, "args") ?: json_null(),
				"parameters", c->params, "artifacts", c->artifact_producers);
	t->cache_inputs = key ? json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(key);
	if (!t->executor_input || !t->executor_output || !t->image || !t->cache_inputs)
		rc = ERR(b->e, "out of memory");
	else if (fill_outputs(t, ex_in, b->e) == 0 && fill_argv(t, container, ex_in, b->e) == 0 &&
		 fill_env(t, container, b->e) == 0 &&
		 fill_retry(&t->retry, json_object_get(c->task_spec, "retryPolicy"), t->id, b->e) == 0 &&
		 fill_input_paths(t, c->params, b->e) == 0 && fill_deps(b, t, c->artifact_producers) == 0)
		rc = 0;
	json_decref(ex_in);
	return rc;
}

static struct plan_task *new_task(struct builder *b)
{
	if (b->plan->n_tasks == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct plan_task *grown = realloc(b->plan->tasks, cap * sizeof *grown);
		if (!grown)
			return NULL;
		b->plan->tasks = grown;
		b->cap = cap;
	}
	struct plan_task *t = &b->plan->tasks[b->plan->n_tasks++];
	memset(t, 0, sizeof *t);
	return t;
}

static int add_container_task(struct builder *b, struct task_context *c)
{
	const char *comp_name = json_string_value(path_get(c->task_spec, "componentRef", "name", NULL));
	const json_t *component = json_object_get(b->components, comp_name ? comp_name : "");
	const char *label = json_string_value(json_object_get(component, "executorLabel"));
	const json_t *container = path_get(b->executors, label ? label : "", "container", NULL);
	struct plan_task *t;

	if (!container)
		return ERR(b->e, "task %s: component \"%s\" has no container executor", c->name,
			   comp_name ? comp_name : "");
	if (plan_find(b->plan, c->id))
		return ERR(b->e, "task id %s appears twice (a night in two loop items?)", c->id);
	if (!(t = new_task(b)))
		return ERR(b->e, "out of memory");
	t->id = strdup(c->id);
	t->name = strdup(c->name);
	t->group = c->group ? strdup(c->group) : NULL;
	t->output_dir = join_uri(b->root, c->id, NULL);
	t->cache_enabled = json_is_true(path_get(c->task_spec, "cachingOptions", "enableCache", NULL));
	t->parallelism_limit = c->parallelism;
	t->nights = c->nights;
	t->n_nights = c->n_nights;
	c->nights = NULL;
	if (!t->id || !t->name || !t->output_dir)
		return ERR(b->e, "out of memory");
	if (!t->nights && !(t->nights = calloc(1, sizeof *t->nights)))
		return ERR(b->e, "out of memory");
	return build_task_body(b, t, c, component, container);
}

/* ---- loops -------------------------------------------------------------------------------- */

/* The night ids of a loop item: "N1" / "N1,N2" / "@K" (read from the manifest). */
static long item_nights(const json_t *item, const json_t *params, json_t **manifest, char ***out,
			struct err *e)
{
	const char *text = json_string_value(item);

	if (!text)
		return ERR(e, "loop item: expected a string of night ids");
	if (text[0] != '@')
		return spec_item_nights(text, out, e);
	if (!*manifest) {
		const char *uri = json_string_value(json_object_get(params, SPEC_PARAM_NIGHTS_MANIFEST));
		char *path;
		if (!uri || !uri[0])
			return ERR(e, "loop item %s refers to a manifest, but nights_manifest is empty", text);
		if (!(path = executor_uri_to_path(uri, EXECUTOR_URI_OBJECT, e)))
			return err_prefix(e, SPEC_PARAM_NIGHTS_MANIFEST);
		*manifest = yaml_read_file(path, e);
		free(path);
		if (!*manifest)
			return -1;
	}
	return spec_manifest_batch(*manifest, text, out, e);
}

/* Record the loop's collected outputs: each artifactSelector gathers its subtask's artifact from
 * every iteration, in iteration order. */
static int collect_loop_outputs(struct builder *b, const char *loop, const json_t *dag, size_t first_task)
{
	const char *key;
	json_t *out;

	json_object_foreach((json_t *)path_get(dag, "outputs", "artifacts", NULL), key, out) {
		const json_t *sel = json_array_get(json_object_get(out, "artifactSelectors"), 0);
		const char *sub = json_string_value(json_object_get(sel, "producerSubtask"));
		const char *art = json_string_value(json_object_get(sel, "outputArtifactKey"));
		json_t *arts = json_array(), *ids = json_array();
		if (!sub || !art) {
			json_decref(arts);
			json_decref(ids);
			return ERR(b->e, "loop %s: output %s: expected an artifactSelector", loop, key);
		}
		for (size_t i = first_task; i < b->plan->n_tasks; i++) {
			const struct plan_task *t = &b->plan->tasks[i];
			if (strcmp(t->name, sub) != 0)
				continue;
			json_t *ex_in = json_loads(t->executor_input, 0, NULL);
			json_t *a = json_array_get(path_get(path_get(ex_in, "outputs", "artifacts", art),
							    "artifacts", NULL, NULL), 0);
			if (a)
				json_array_append(arts, a);
			json_array_append_new(ids, json_string(t->id));
			json_decref(ex_in);
		}
		if (add_produced(b, loop, key, arts, ids) < 0)
			return -1;
	}
	return 0;
}

static int expand_iteration(struct builder *b, const char *loop, const json_t *dag, json_t *scope,
			    const json_t *item, size_t index, int parallelism, json_t **manifest)
{
	const char *name;
	json_t *task_spec;

	json_object_foreach((json_t *)json_object_get(dag, "tasks"), name, task_spec) {
		struct task_context c = {.name = name, .group = loop, .task_spec = task_spec,
					 .parallelism = parallelism};
		char *id = NULL;
		long n;
		int rc;

		c.params = resolve_params(name, task_spec, scope, b->e);
		if (!c.params)
			return -1;
		n = item_nights(item, c.params, manifest, &c.nights, b->e);
		if (n < 0) {
			json_decref(c.params);
			return err_prefix(b->e, "loop %s, item %zu", loop, index);
		}
		c.n_nights = (size_t)n;
		if (n == 0 || asprintf(&id, "%s-%s", name, c.nights[0]) < 0) {
			spec_free_nights(c.nights);
			json_decref(c.params);
			return n == 0 ? ERR(b->e, "loop %s, item %zu: no nights", loop, index)
				      : ERR(b->e, "out of memory");
		}
		c.id = id;
		c.artifacts = json_object();
		c.artifact_producers = json_object();
		rc = add_container_task(b, &c);
		free(id);
		spec_free_nights(c.nights);
		json_decref(c.params);
		json_decref(c.artifacts);
		json_decref(c.artifact_producers);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int expand_loop(struct builder *b, const char *loop, const json_t *task_spec, const json_t *component)
{
	const json_t *iter = json_object_get(task_spec, "parameterIterator");
	const char *item_input = json_string_value(json_object_get(iter, "itemInput"));
	const char *items_from = json_string_value(path_get(iter, "items", "inputParameter", NULL));
	const json_t *dag = json_object_get(component, "dag");
	int parallelism = (int)json_integer_value(path_get(task_spec, "iteratorPolicy", "parallelismLimit", NULL));
	json_t *scope, *items, *item, *manifest = NULL;
	size_t first = b->plan->n_tasks, i;
	int rc = 0;

	if (!item_input || !items_from)
		return ERR(b->e, "task %s: expected a parameterIterator over an input parameter", loop);
	if (!(scope = resolve_params(loop, task_spec, b->plan->params, b->e)))
		return -1;
	items = json_object_get(scope, items_from);
	if (!json_is_array(items)) {
		json_decref(scope);
		return ERR(b->e, "task %s: the loop's items (%s) are not a list", loop, items_from);
	}
	if (json_array_size(items) == 0)
		rc = ERR(b->e, "task %s: the night list is empty", loop);
	json_array_foreach(items, i, item) {
		if (rc < 0)
			break;
		json_t *iter_scope = json_deep_copy(scope);
		json_object_set(iter_scope, item_input, item);
		rc = expand_iteration(b, loop, dag, iter_scope, item, i, parallelism, &manifest);
		json_decref(iter_scope);
	}
	json_decref(manifest);
	json_decref(scope);
	return rc < 0 ? -1 : collect_loop_outputs(b, loop, dag, first);
}

/* ---- root tasks in dependency order ------------------------------------------------------- */

static int root_task(struct builder *b, const char *name, const json_t *task_spec)
{
	const char *comp_name = json_string_value(path_get(task_spec, "componentRef", "name", NULL));
	const json_t *component = json_object_get(b->components, comp_name ? comp_name : "");
	struct task_context c = {.id = name, .name = name, .task_spec = task_spec};
	int rc;

	if (!component)
		return ERR(b->e, "task %s: no component named \"%s\"", name, comp_name ? comp_name : "");
	if (json_object_get(component, "dag"))
		return expand_loop(b, name, task_spec, component);
	if (!(c.params = resolve_params(name, task_spec, b->plan->params, b->e)))
		return -1;
	if (resolve_artifacts(b, name, task_spec, &c.artifacts, &c.artifact_producers) < 0) {
		json_decref(c.params);
		return -1;
	}
	rc = add_container_task(b, &c);
	if (rc == 0) {
		/* a root container task's own outputs, for consumers further down */
		const struct plan_task *t = &b->plan->tasks[b->plan->n_tasks - 1];
		json_t *ex_in = json_loads(t->executor_input, 0, NULL);
		const char *key;
		json_t *list;
		json_object_foreach((json_t *)path_get(ex_in, "outputs", "artifacts", NULL), key, list) {
			if (rc == 0)
				rc = add_produced(b, name, key, json_incref(json_object_get(list, "artifacts")),
						  json_pack("[s]", t->id));
		}
		json_decref(ex_in);
	}
	json_decref(c.params);
	json_decref(c.artifacts);
	json_decref(c.artifact_producers);
	return rc;
}

static int deps_done(const json_t *task_spec, const json_t *done)
{
	size_t i;
	json_t *dep;

	json_array_foreach(json_object_get(task_spec, "dependentTasks"), i, dep)
		if (!json_object_get(done, json_string_value(dep)))
			return 0;
	return 1;
}

static int walk_root(struct builder *b)
{
	const json_t *tasks = path_get(b->spec, "root", "dag", "tasks");
	json_t *done = json_object();
	int progress = 1, rc = 0;

	if (!json_object_size(tasks))
		rc = ERR(b->e, "the spec has no root.dag.tasks");
	/* jansson iterates in insertion order, which is the file's (sorted) key order. */
	while (rc == 0 && progress && json_object_size(done) < json_object_size(tasks)) {
		const char *name;
		json_t *task_spec;
		progress = 0;
		json_object_foreach((json_t *)tasks, name, task_spec) {
			if (rc || json_object_get(done, name) || !deps_done(task_spec, done))
				continue;
			rc = root_task(b, name, task_spec);
			json_object_set_new(done, name, json_true());
			progress = 1;
		}
	}
	if (rc == 0 && json_object_size(done) < json_object_size(tasks))
		rc = ERR(b->e, "root.dag.tasks: dependentTasks form a cycle or name a missing task");
	json_decref(done);
	return rc;
}

/* ---- public ------------------------------------------------------------------------------- */

struct plan *plan_build(const json_t *spec, const struct plan_param *params, size_t n_params,
			const char *pipeline_root, struct err *e)
{
	struct builder b = {.spec = spec, .components = json_object_get(spec, "components"),
			    .executors = path_get(spec, "deploymentSpec", "executors", NULL),
			    .root = pipeline_root, .e = e};
	int rc;

	if (!(b.plan = calloc(1, sizeof *b.plan))) {
		ERR(e, "out of memory");
		return NULL;
	}
	b.plan->name = strdup(json_string_value(path_get(spec, "pipelineInfo", "name", NULL)) ?: "pipeline");
	b.plan->params = plan_params(spec, params, n_params, e);
	rc = b.plan->params && b.plan->name ? walk_root(&b) : -1;
	for (size_t i = 0; i < b.n_produced; i++) {
		free(b.produced[i].task);
		free(b.produced[i].key);
		json_decref(b.produced[i].artifacts);
		json_decref(b.produced[i].producers);
	}
	free(b.produced);
	if (rc < 0) {
		plan_free(b.plan);
		return NULL;
	}
	return b.plan;
}

int plan_check_root_apart(const struct plan *p, const char *root, struct err *e)
{
	const char *input = json_string_value(json_object_get(p->params, SPEC_PARAM_INPUT_ROOT));
	enum fs_relation rel;
	char *local;
	int rc;

	if (!input || !input[0])
		return 0;
	if (!(local = executor_uri_to_path(input, EXECUTOR_URI_FOLDER, e)))
		return err_prefix(e, SPEC_PARAM_INPUT_ROOT);
	rc = fs_relate(root, local, &rel, e);
	free(local);
	if (rc == 0 && rel != FS_APART)
		rc = ERR(e, "the run folder %s %s the input root %s: refusing to write among the recordings",
			 root, fs_relation_words(rel), input);
	return rc;
}

const struct plan_task *plan_find(const struct plan *p, const char *id)
{
	for (size_t i = 0; id && i < p->n_tasks; i++)
		if (strcmp(p->tasks[i].id, id) == 0)
			return &p->tasks[i];
	return NULL;
}

const char *plan_output_uri(const struct plan_task *t, const char *name)
{
	for (size_t i = 0; i < t->n_outputs; i++)
		if (strcmp(t->outputs[i].name, name) == 0)
			return t->outputs[i].uri;
	return NULL;
}

static void free_strings(char **arr)
{
	if (!arr)
		return;
	for (char **s = arr; *s; s++)
		free(*s);
	free(arr);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_tasks; i++) {
		struct plan_task *t = &p->tasks[i];
		free(t->id);
		free(t->name);
		free(t->group);
		free(t->image);
		free_strings(t->argv);
		for (size_t j = 0; j < t->n_env; j++) {
			free(t->env[j].name);
			free(t->env[j].value);
		}
		free(t->env);
		free(t->deps);
		free(t->executor_input);
		free(t->output_dir);
		free(t->executor_output);
		for (size_t j = 0; j < t->n_outputs; j++) {
			free(t->outputs[j].name);
			free(t->outputs[j].uri);
		}
		free(t->outputs);
		free(t->cache_inputs);
		free_strings(t->nights);
		free_strings(t->input_paths);
	}
	free(p->tasks);
	json_decref(p->params);
	free(p->name);
	free(p);
}
