/*
 * cmd_compose.c — `nightfan compose`: a compiled spec in, a docker compose file out that runs the
 * same containers on one machine (`docker compose up`, or Debian's `docker-compose up`).
 *
 * Owns: the command line, where the run's host folders are mounted, and the compose file's shape:
 * one service per plan task (image, command + args with every placeholder substituted, env,
 * retries as a restart policy), each depending on its plan dependencies with `condition:
 * service_completed_successfully`, and the loop's parallelism limit enforced by chaining the
 * loop's tasks into that many lanes. Reading the
 * spec and expanding it into tasks is pipeline/local/plan.c (the same plan `nightfan run` executes);
 * writing YAML is pipeline/spec/yamlio.c.
 *
 * Paths: every host folder the run reads or writes (input root, pipeline root, nights manifest,
 * base nights) is made absolute and bind-mounted at the same path inside the containers, so the
 * paths in each ExecutorInput mean the same thing inside and out — and the plan is built once.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "fsutil.h"
#include "plan.h"
#include "spec_read.h"
#include "specnames.h"
#include "yamlio.h"

#define PROG "nightfan compose"

struct compose_args {
	const char *spec_path;
	const char *root;
	const char *out;            /* "-" = stdout */
	const char *user;           /* NULL = the pipeline root's owner */
	struct plan_param *params;  /* --param, in order given; later entries are ours */
	size_t n_params;
};

/* A host path the containers see at the same path. */
struct mount {
	char *path;                 /* absolute, resolved */
	int read_only;
};

struct mounts {
	struct mount m[4];          /* input root, nights manifest, base nights, pipeline root */
	size_t n;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan compose PIPELINE.yaml --root DIR [--param NAME=VALUE ...]\n"
		"                        [-o docker-compose.yml] [--user UID:GID]\n"
		"\n"
		"Writes a docker compose file that runs a compiled pipeline on this machine: one service per\n"
		"shard task and one for the merge, with the spec's image, command and arguments. Run it with\n"
		"`docker compose -f FILE up` (or Debian's `docker-compose -f FILE up`).\n"
		"  --root DIR          the pipeline root: every task's outputs go under DIR/<task id>/\n"
		"                      (created when missing; mounted read-write)\n"
		"  --param NAME=VALUE  override a pipeline parameter, as for `nightfan run`; the input root\n"
		"                      (parameter input_root) must be a local folder and is mounted read-only\n"
		"  -o FILE             where to write the compose file (default docker-compose.yml; - for\n"
		"                      standard output)\n"
		"  --user UID:GID      who the containers run as (default: the owner of --root, so that the\n"
		"                      outputs belong to whoever owns the folder)\n"
		"  -h, --help          this text;  --version  the version\n");
}

static int add_param(struct compose_args *a, const char *name, const char *value)
{
	struct plan_param *grown = realloc(a->params, (a->n_params + 1) * sizeof *grown);

	if (!grown)
		return -1;
	a->params = grown;
	a->params[a->n_params].name = name;
	a->params[a->n_params].value = value;
	a->n_params++;
	return 0;
}

/* A user as compose and docker take it: NAME or UID, optionally :GROUP or :GID. */
static int valid_user(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t n = strlen(s);

	return n > 0 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == n &&
	       s[0] != ':' && s[n - 1] != ':' && (!colon || !strchr(colon + 1, ':'));
}

/* Fills *a from the command line. Returns -1 to go on, else the exit status (0 after --help, 2
 * for a usage error). */
static int parse_args(int argc, char **argv, struct compose_args *a)
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'},
		{"param", required_argument, NULL, 'p'},
		{"output", required_argument, NULL, 'o'},
		{"user", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0},
	};
	struct cli cl;
	struct plan_param p;
	struct err e;
	int c;

	a->out = "docker-compose.yml";
	cli_init(&cl, PROG, usage, argc, argv, "o:", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: return cl.status;
		case 'r': a->root = optarg; break;
		case 'o': a->out = optarg; break;
		case 'u': a->user = optarg; break;
		case 'p':
			if (plan_param_parse(optarg, &p, &e) < 0)
				return cli_usage_error(&cl, "%s", e.message);
			if (add_param(a, p.name, p.value) < 0)
				return cli_failf(PROG, 1, "out of memory");
			break;
		}
	}
	if (cl.optind != argc - 1 || !a->root)
		return cli_usage_error(&cl, "%s", cl.optind >= argc ? "the compiled pipeline spec is required"
					 : cl.optind < argc - 1 ? "expected one pipeline spec"
					 : "--root is required");
	if (a->user && !valid_user(a->user))
		return cli_usage_error(&cl, "--user: expected UID[:GID] (or NAME[:GROUP]), got \"%s\"", a->user);
	a->spec_path = argv[cl.optind];
	return -1;
}

/* ---- host folders ------------------------------------------------------------------------- */

/* realpath() of a local path that must exist, as a file (want_dir 0) or folder (1). */
static char *resolve_local(const char *param, const char *path, int want_dir, struct err *e)
{
	struct stat st;
	char *abs;

	if (strstr(path, "://")) {
		ERR(e, "parameter %s is \"%s\": docker compose runs the containers without network, so it "
		       "must be a local %s", param, path, want_dir ? "folder" : "file");
		return NULL;
	}
	if (!(abs = realpath(path, NULL))) {
		ERR_SYS(e, path, "parameter %s", param);
		return NULL;
	}
	if (stat(abs, &st) < 0 || (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))) {
		ERR(e, "parameter %s: %s is not a %s", param, path, want_dir ? "folder" : "file");
		free(abs);
		return NULL;
	}
	if (strcmp(abs, "/") == 0) {
		ERR(e, "parameter %s: refusing to mount / into the containers", param);
		free(abs);
		return NULL;
	}
	return abs;
}

static void mounts_free(struct mounts *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->m[i].path);
	m->n = 0;
}

/* The root parameter `name` (a path, "" or absent = none) resolved and mounted. When the resolved
 * path differs from the parameter's value it is passed on as an override, so that the
 * ExecutorInputs carry the absolute path the containers see. */
static int mount_param(struct compose_args *a, struct mounts *m, const json_t *params, const char *name,
		       int want_dir, struct err *e)
{
	const char *value = json_string_value(json_object_get(params, name));
	char *abs;

	if (!value || !value[0])
		return 0;
	if (!(abs = resolve_local(name, value, want_dir, e)))
		return -1;
	m->m[m->n].path = abs;
	m->m[m->n].read_only = 1;
	m->n++;
	if (strcmp(abs, value) != 0 && add_param(a, name, abs) < 0)
		return ERR(e, "out of memory");
	return 0;
}

/* Resolve the pipeline root (made once the plan has been checked: compose()). */
static char *prepare_root(const char *root, struct err *e)
{
	char *abs;

	if (strstr(root, "://")) {
		ERR(e, "--root %s: expected a local folder (the containers write their outputs there)", root);
		return NULL;
	}
	if ((abs = fs_resolve(root, e)) && strcmp(abs, "/") == 0) {
		ERR(e, "--root: refusing to mount / into the containers");
		free(abs);
		abs = NULL;
	}
	return abs;
}

/* The mounts, from the root parameters (plan.h plan_params) as the plan will see them. */
static int list_mounts(struct compose_args *a, const json_t *spec, const char *root, struct mounts *m,
		       struct err *e)
{
	json_t *params = plan_params(spec, a->params, a->n_params, e);
	int rc = -1;

	if (!params)
		return -1;
	if (!json_object_get(params, SPEC_PARAM_INPUT_ROOT))
		ERR(e, "%s: expected a pipeline written by `nightfan compile` (no input_root parameter)",
		    a->spec_path);
	else if (mount_param(a, m, params, SPEC_PARAM_INPUT_ROOT, 1, e) == 0 &&
		 mount_param(a, m, params, SPEC_PARAM_NIGHTS_MANIFEST, 0, e) == 0 &&
		 mount_param(a, m, params, SPEC_PARAM_BASE_NIGHTS, 1, e) == 0) {
		if (!(m->m[m->n].path = strdup(root))) {
			ERR(e, "out of memory");
		} else {
			m->m[m->n++].read_only = 0;
			rc = 0;
		}
	}
	json_decref(params);
	return rc;
}

/* The plan, built once with every path parameter absolute, and the mounts. The mounts come from the
 * root parameters alone, before the plan; their errors are given after the plan's own, in the order
 * they always came (an error in the spec or the night list first). */
static struct plan *plan_with_mounts(struct compose_args *a, const json_t *spec, const char *root,
				     struct mounts *m, struct err *e)
{
	struct err mount_err;
	struct plan *p;

	err_clear(&mount_err);
	int mounted = list_mounts(a, spec, root, m, &mount_err);
	if (!(p = plan_build(spec, a->params, a->n_params, root, e)))
		return NULL;
	if (mounted < 0) {
		*e = mount_err;
		plan_free(p);
		return NULL;
	}
	return p;
}

/* ---- the compose tree --------------------------------------------------------------------- */

/* Compose interpolates ${VAR} and $VAR in every value; a literal $ is written $$. */
static json_t *literal(const char *s)
{
	size_t n = 0;
	json_t *v;
	char *buf, *w;

	for (const char *c = s; *c; c++)
		n += *c == '$' ? 2 : 1;
	if (!(buf = malloc(n + 1)))
		return NULL;
	for (w = buf; *s; s++) {
		if (*s == '$')
			*w++ = '$';
		*w++ = *s;
	}
	*w = '\0';
	v = json_string(buf);
	free(buf);
	return v;
}

/* Set obj[key] = v (consumed); -1 when v is NULL (out of memory). */
static int put(json_t *obj, const char *key, json_t *v)
{
	return v && json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

static int add(json_t *arr, json_t *v)
{
	return v && json_array_append_new(arr, v) == 0 ? 0 : -1;
}

static json_t *entrypoint(const struct plan_task *t)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < t->argc; i++)
		if (add(arr, literal(t->argv[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *environment(const struct plan_task *t)
{
	json_t *env = json_object();

	for (size_t i = 0; env && i < t->n_env; i++)
		if (put(env, t->env[i].name, literal(t->env[i].value)) < 0) {
			json_decref(env);
			return NULL;
		}
	return env;
}

static json_t *volumes(const struct mounts *m)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < m->n; i++) {
		json_t *v = json_object();
		if (put(v, "type", json_string("bind")) < 0 || put(v, "source", literal(m->m[i].path)) < 0 ||
		    put(v, "target", literal(m->m[i].path)) < 0 ||
		    put(v, "read_only", json_boolean(m->m[i].read_only)) < 0 || add(arr, v) < 0) {
			json_decref(v);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The task `parallelism_limit` places before task i in the same loop, which i waits for: the
 * loop's tasks run in that many lanes, one after another within a lane. -1 when none. */
static long lane_predecessor(const struct plan *p, size_t i)
{
	const struct plan_task *t = &p->tasks[i];
	int seen = 0;

	if (!t->group || t->parallelism_limit <= 0)
		return -1;
	for (size_t j = i; j-- > 0;) {
		if (!p->tasks[j].group || strcmp(p->tasks[j].group, t->group) != 0)
			continue;
		if (++seen == t->parallelism_limit)
			return (long)j;
	}
	return -1;
}

static int depend_on(json_t *deps, const struct plan_task *dep)
{
	json_t *cond = json_object();

	if (put(cond, "condition", json_string("service_completed_successfully")) < 0) {
		json_decref(cond);
		return -1;
	}
	return put(deps, dep->id, cond);
}

static json_t *depends_on(const struct plan *p, size_t i)
{
	const struct plan_task *t = &p->tasks[i];
	json_t *deps = json_object();
	long lane = lane_predecessor(p, i);

	for (size_t d = 0; deps && d < t->n_deps; d++)
		if (depend_on(deps, &p->tasks[t->deps[d]]) < 0)
			goto fail;
	if (deps && lane >= 0 && depend_on(deps, &p->tasks[lane]) < 0)
		goto fail;
	return deps;
fail:
	json_decref(deps);
	return NULL;
}

static json_t *service(const struct plan *p, size_t i, const struct mounts *m, const char *user)
{
	const struct plan_task *t = &p->tasks[i];
	json_t *s = json_object(), *deps = depends_on(p, i);

	if (!s || !deps) {
		json_decref(s);
		json_decref(deps);
		return NULL;
	}
	if (json_object_size(deps) == 0)
		json_decref(deps);
	else if (put(s, "depends_on", deps) < 0)
		goto fail;
	if (put(s, "image", literal(t->image)) < 0 || put(s, "entrypoint", entrypoint(t)) < 0 ||
	    (t->n_env > 0 && put(s, "environment", environment(t)) < 0) ||
	    put(s, "network_mode", json_string("none")) < 0 || put(s, "user", literal(user)) < 0 ||
	    put(s, "read_only", json_true()) < 0 || put(s, "tmpfs", json_pack("[s]", "/tmp")) < 0 ||
	    put(s, "volumes", volumes(m)) < 0)
		goto fail;
	/* KFP's retries: the engine restarts a failed container up to N times (with its own
	 * doubling delay, not the spec's backoff); compose waits through the restarts. */
	if (t->retry.max_retries > 0 &&
	    put(s, "restart", json_sprintf("on-failure:%d", t->retry.max_retries)) < 0)
		goto fail;
	return s;
fail:
	json_decref(s);
	return NULL;
}

static json_t *compose_tree(const struct plan *p, const struct mounts *m, const char *user, struct err *e)
{
	json_t *services = json_object(), *doc = json_object();

	if (!services || !doc)
		goto oom;
	for (size_t i = 0; i < p->n_tasks; i++)
		if (put(services, p->tasks[i].id, service(p, i, m, user)) < 0)
			goto oom;
	if (put(doc, "services", services) < 0) {
		services = NULL;
		goto oom;
	}
	return doc;
oom:
	json_decref(services);
	json_decref(doc);
	ERR(e, "out of memory");
	return NULL;
}

/* ---- writing ------------------------------------------------------------------------------ */

static char *header(const struct compose_args *a, const struct plan *p)
{
	const char *file = strcmp(a->out, "-") == 0 ? "FILE" : a->out;
	int lanes = 0;
	char *h;

	for (size_t i = 0; i < p->n_tasks; i++)
		if (p->tasks[i].group && p->tasks[i].parallelism_limit > lanes)
			lanes = p->tasks[i].parallelism_limit;
	if (asprintf(&h,
		     "# Written by `nightfan compose` from %s (pipeline %s): %zu tasks.\n"
		     "# Run: docker compose -f %s up   (or: docker-compose -f %s up)\n"
		     "# %s\n",
		     a->spec_path, p->name ? p->name : "?", p->n_tasks, file, file,
		     lanes ? "At most the spec's parallelism of shard tasks run at once: each waits for the"
			     " one that many places before it."
			   : "The spec sets no parallelism limit: every shard task starts at once.") < 0)
		return NULL;
	return h;
}

static int write_text(const char *path, const char *text, size_t len, struct err *e)
{
	struct fs_atomic f;

	if (strcmp(path, "-") == 0) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			return ERR_SYS(e, "standard output", "writing the compose file");
		return 0;
	}
	if (fs_atomic_open(&f, path, e) < 0)
		return -1;
	if (fwrite(text, 1, len, f.fp) != len) {
		fs_atomic_abort(&f);
		return ERR_SYS(e, path, "writing");
	}
	return fs_atomic_commit(&f, e);
}

/* The pipeline root's owner as "UID:GID". */
static char *root_owner(const char *root, struct err *e)
{
	struct stat st;
	char *s;

	if (stat(root, &st) < 0) {
		ERR_SYS(e, root, "--root");
		return NULL;
	}
	if (asprintf(&s, "%u:%u", (unsigned)st.st_uid, (unsigned)st.st_gid) < 0) {
		ERR(e, "out of memory");
		return NULL;
	}
	return s;
}

static int compose(struct compose_args *a, struct err *e)
{
	struct mounts m = {0};
	struct plan *p = NULL;
	json_t *spec, *doc = NULL;
	char *root, *user = NULL, *head = NULL, *yaml = NULL;
	size_t len;
	int rc = -1;

	/* The spec is read first, so that a mistyped spec name does not leave a new --root behind. */
	if (!(spec = spec_read_file(a->spec_path, e)))
		return -1;
	if (!(root = prepare_root(a->root, e))) {
		json_decref(spec);
		return -1;
	}
	if (!(p = plan_with_mounts(a, spec, root, &m, e)))
		goto out;
	/* the containers' outputs must keep apart from the recordings, as `nightfan run`'s do */
	if (plan_check_root_apart(p, a->root, e) < 0 || fs_mkdir_p(root, e) < 0)
		goto out;
	if (!(user = a->user ? strdup(a->user) : root_owner(root, e)))
		goto out;
	if (!(doc = compose_tree(p, &m, user, e)))
		goto out;
	if (!(head = header(a, p))) {
		ERR(e, "out of memory");
		goto out;
	}
	if (!(yaml = yaml_emit(doc, head, &len, e)))
		goto out;
	rc = write_text(a->out, yaml, len, e);
out:
	free(yaml);
	free(head);
	json_decref(doc);
	free(user);
	plan_free(p);
	json_decref(spec);
	mounts_free(&m);
	free(root);
	return rc;
}

int cmd_compose(int argc, char **argv)
{
	struct compose_args a = {0};
	struct err e;
	int rc = parse_args(argc, argv, &a);

	if (rc < 0) {
		err_clear(&e);
		rc = compose(&a, &e) < 0 ? cli_fail(PROG, &e, 1) : 0;
	}
	free(a.params);
	return rc;
}
