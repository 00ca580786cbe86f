/*
 * cmd_compile.c — `nightfan compile`: options and input files in, a KFP v2 pipeline spec out.
 *
 * Owns: the command line, finding the nights (--input ROOT, local or gs://; --nights-file;
 * --nights), checking them, reading the profile, and writing the spec (YAML, or JSON when -o ends
 * in .json) and, when the night list is too long for a parameter, its manifest. The spec itself is
 * pipeline/spec/spec.c; YAML is pipeline/spec/yamlio.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "dirlist.h"
#include "fsutil.h"
#include "gcs.h"
#include "nightid.h"
#include "profile.h"
#include "spec.h"
#include "yamlio.h"

#define PROG "nightfan compile"
#define NIGHTS_FILE_MAX_BYTES (64u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan compile --profile FILE --image IMAGE -o pipeline.yaml\n"
		"                        [--input ROOT] [--nights-file F | --nights A,B,...]\n"
		"                        [--parallelism N] [--nights-per-task K] [--cpu 1] [--memory 2Gi]\n"
		"                        [--retries N] [--no-cache] [--name NAME] [--manifest-uri URI]\n"
		"\n"
		"Writes a Kubeflow Pipelines v2 spec (YAML; JSON when -o ends in .json): a ParallelFor of\n"
		"nightfan-shard over the nights, collected into nightfan-merge.\n"
		"  --input ROOT        the input root (a folder or gs://bucket/prefix); its night folders\n"
		"                      are the night list, and ROOT the input_root default\n"
		"  --nights-file F     night ids, one a line ('#' comments); --nights A,B the same inline;\n"
		"                      with --input, these nights (each a folder under ROOT) only\n"
		"  --parallelism N     at most N shard tasks at once (default: no limit)\n"
		"  --nights-per-task K nights per shard task (default 1 up to 100 nights, else the fewest\n"
		"                      that keep the loop at 100 tasks, Vertex AI's fan-in limit)\n"
		"  --cpu, --memory     shard container limits (e.g. 1, 500m; 2Gi, 512Mi)\n"
		"  --retries N         shard retries on failure (default 2)\n"
		"  --no-cache          turn KFP's task cache off\n"
		"  --manifest-uri URI  where the night manifest will be read from when the list is over\n"
		"                      KFP's 10,000-character parameter limit (default: the manifest\n"
		"                      written beside -o, as an absolute path)\n"
		"  -h, --help          this text;  --version  the version\n");
}

static int add_night(struct strlist *l, const char *id, const char *where, struct err *e)
{
	if (nightid_check(id, e) < 0)
		return err_prefix(e, "%s", where);
	return strlist_push(l, id, e);
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted ids of a root come out in byte order; a given list keeps the user's order. Either way a
 * night listed twice is refused. */
static int check_duplicates(const struct strlist *l, struct err *e)
{
	char **sorted = malloc((l->n ? l->n : 1) * sizeof *sorted);

	if (!sorted)
		return ERR(e, "out of memory");
	memcpy(sorted, l->v, l->n * sizeof *sorted);
	qsort(sorted, l->n, sizeof *sorted, compare_ids);
	for (size_t i = 1; i < l->n; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			ERR(e, "night \"%s\" is listed twice", sorted[i]);
			free(sorted);
			return -1;
		}
	free(sorted);
	return 0;
}

/* True when PATH/NAME exists (any kind of file). */
static int has_entry(const char *dir, const char *name)
{
	char *path;
	struct stat st;
	int yes;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return 0;
	yes = lstat(path, &st) == 0;
	free(path);
	return yes;
}

/* A folder of nightfan run's own (a task folder: it holds the task's cache record). */
static int is_task_folder(const char *path)
{
	return has_entry(path, ".nightfan-task.json");
}

/* Night folders of a local root: directories not starting with '.'; any other directory name
 * must be a valid night id. When ROOT was also used as a `nightfan run --root`, its task folders
 * (shard-N0001/, merge/: each holds .nightfan-task.json) and the nights/ folder of links the run
 * keeps are passed over; *skipped counts them. */
static int list_local_root(const char *root, struct strlist *l, size_t *skipped, struct err *e)
{
	struct strlist dirs;
	int rc = 0, tasks = 0, has_links_folder = 0;

	if (dirlist_read(root, DIRLIST_DIRS, "cannot list the input root", &dirs, e) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < dirs.n; i++) {
		char *path;
		if (asprintf(&path, "%s/%s", root, dirs.v[i]) < 0) {
			rc = ERR(e, "out of memory");
			break;
		}
		int task = is_task_folder(path);
		free(path);
		if (task)
			tasks++;
		else if (strcmp(dirs.v[i], "nights") == 0)
			has_links_folder = 1; /* decided below, once we know whether ROOT is a run root */
		else
			rc = add_night(l, dirs.v[i], root, e);
	}
	strlist_release(&dirs);
	*skipped = (size_t)tasks + (tasks && has_links_folder);
	if (rc == 0 && has_links_folder && !tasks)
		rc = add_night(l, "nights", root, e);
	if (rc == 0)
		strlist_sort(l);
	return rc;
}

/* --input pointed at one night's own folder (its subfolders are labels/ and predictions/) would
 * compile nights named "labels" and "predictions": refused with the folder to give instead. */
static int refuse_night_folder(const char *root, const struct strlist *l, struct err *e)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], "labels") == 0 || strcmp(l->v[i], "predictions") == 0)
			return ERR(e, "--input %s: it holds %s/, so it looks like one night's folder; --input takes "
				   "the folder that holds the night folders (its parent), and --nights ID picks nights "
				   "in it", root, l->v[i]);
	return 0;
}

static int list_gcs_root(const char *root, struct strlist *l, struct err *e)
{
	char *bucket = NULL, *prefix = NULL;
	struct strlist names = STRLIST_INIT;
	struct gcs *g = NULL;
	int rc = -1;

	if (gcs_parse_uri(root, &bucket, &prefix, e) < 0)
		return -1;
	if ((g = gcs_open(NULL, e)) && gcs_list_folders(g, bucket, prefix, &names, e) == 0) {
		rc = 0;
		for (size_t i = 0; rc == 0 && i < names.n; i++)
			if (names.v[i][0] != '.')
				rc = add_night(l, names.v[i], root, e);
		if (rc == 0)
			strlist_sort(l);
	}
	strlist_release(&names);
	gcs_close(g);
	free(bucket);
	free(prefix);
	return rc;
}

static int read_nights_file(const char *path, struct strlist *l, struct err *e)
{
	char *text = fs_read_file(path, NIGHTS_FILE_MAX_BYTES, NULL, e), *line;
	long lineno = 0;
	int rc = 0;

	if (!text)
		return -1;
	/* Line by line by hand (not strtok_r, which would skip empty lines and miscount them). */
	for (char *p = text; rc == 0 && p && *p; lineno++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line = p;
		p = nl ? nl + 1 : NULL;
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (nightid_check(line, e) < 0) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof msg, "%s", e->message);
			rc = ERR_AT(e, path, lineno + 1, 0, "%s", msg);
		} else {
			rc = add_night(l, line, path, e);
		}
	}
	free(text);
	return rc;
}

static int split_nights(const char *arg, struct strlist *l, struct err *e)
{
	char *copy = strdup(arg), *save = NULL;
	int rc = 0;

	if (!copy)
		return ERR(e, "out of memory");
	for (char *id = strtok_r(copy, ",", &save); rc == 0 && id; id = strtok_r(NULL, ",", &save))
		rc = add_night(l, id, "--nights", e);
	free(copy);
	return rc;
}

/* The profile's JSON text, compact, in its own key order — after the shard's own check
 * (common/profile.h), so that a bad profile fails here rather than in every task of the run. */
static char *read_profile(const char *path, struct err *e)
{
	json_error_t jerr;
	json_t *profile;
	struct profile *checked = profile_load(path, e);
	char *text;

	if (!checked)
		return NULL;
	profile_free(checked);
	profile = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!profile) {
		ERR_AT(e, path, jerr.line > 0 ? jerr.line : 0, jerr.column > 0 ? jerr.column : 0,
		       "expected a JSON profile: %s", jerr.text);
		return NULL;
	}
	if (!json_is_object(profile)) {
		json_decref(profile);
		ERR_AT(e, path, 0, 0, "expected a JSON object as the profile");
		return NULL;
	}
	text = json_dumps(profile, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(profile);
	if (text && strlen(text) + 2 > SPEC_MAX_PARAM_CHARS) {
		ERR_AT(e, path, 0, 0, "the profile is %zu characters as JSON; KFP passes at most %d in a "
		       "parameter", strlen(text), SPEC_MAX_PARAM_CHARS);
		free(text);
		return NULL;
	}
	return text;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int write_text(const char *path, const char *text, size_t len, struct err *e)
{
	struct fs_atomic a;

	if (fs_atomic_open(&a, path, e) < 0)
		return -1;
	if (fwrite(text, 1, len, a.fp) != len) {
		fs_atomic_abort(&a);
		return ERR_SYS(e, path, "cannot write");
	}
	return fs_atomic_commit(&a, e);
}

static int write_json(const char *path, const json_t *v, struct err *e)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	int rc;

	if (!text)
		return ERR(e, "out of memory");
	size_t len = strlen(text);
	text[len] = '\0';
	char *with_nl = realloc(text, len + 2);
	if (!with_nl) {
		free(text);
		return ERR(e, "out of memory");
	}
	with_nl[len] = '\n';
	with_nl[len + 1] = '\0';
	rc = write_text(path, with_nl, len + 1, e);
	free(with_nl);
	return rc;
}

static int write_spec(const char *path, const json_t *spec, struct err *e)
{
	if (ends_with(path, ".json"))
		return write_json(path, spec, e);
	char *header = spec_header(spec);
	size_t len;
	char *text = header ? yaml_emit(spec, header, &len, e) : NULL;
	int rc = text ? write_text(path, text, len, e) : -1;
	if (!header)
		rc = ERR(e, "out of memory");
	free(header);
	free(text);
	return rc;
}

/* "<spec without its extension>.manifest.json". */
static char *manifest_path_for(const char *spec_path)
{
	const char *slash = strrchr(spec_path, '/'), *dot = strrchr(spec_path, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - spec_path) : strlen(spec_path);
	char *path;

	return asprintf(&path, "%.*s.manifest.json", (int)stem, spec_path) < 0 ? NULL : path;
}

struct compile_args {
	struct spec_options spec;
	const char *profile_path, *output, *input, *nights_file, *nights_arg;
};

static int parse_int_option(const struct cli *cl, const char *name, const char *arg, int min, int *out)
{
	long v;

	if (cli_parse_long(arg, min, 1000000, &v) < 0) {
		cli_usage_error(cl, "%s: expected a whole number of at least %d, got \"%s\"", name, min, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int valid_name(const char *name)
{
	if (!name[0] || strlen(name) > 128)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return name[0] != '-';
}

/* 0 ok, 1 --help or --version printed, 2 usage error (printed). */
static int parse_args(int argc, char **argv, struct compile_args *a)
{
	static const struct option options[] = {
		{"profile", required_argument, NULL, 'p'}, {"image", required_argument, NULL, 'i'},
		{"output", required_argument, NULL, 'o'},  {"input", required_argument, NULL, 'I'},
		{"nights-file", required_argument, NULL, 'F'}, {"nights", required_argument, NULL, 'N'},
		{"parallelism", required_argument, NULL, 'P'}, {"nights-per-task", required_argument, NULL, 'K'},
		{"cpu", required_argument, NULL, 'c'},      {"memory", required_argument, NULL, 'm'},
		{"retries", required_argument, NULL, 'r'},  {"no-cache", no_argument, NULL, 'C'},
		{"name", required_argument, NULL, 'n'},     {"manifest-uri", required_argument, NULL, 'M'},
		{0, 0, 0, 0},
	};
	struct cli cl;
	int c;

	a->spec.retries = 2;
	a->spec.cache = true;
	cli_init(&cl, PROG, usage, argc, argv, "o:", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT: return cl.status == 0 ? 1 : cl.status;
		case 'p': a->profile_path = optarg; break;
		case 'i': a->spec.image = optarg; break;
		case 'o': a->output = optarg; break;
		case 'I': a->input = optarg; break;
		case 'F': a->nights_file = optarg; break;
		case 'N': a->nights_arg = optarg; break;
		case 'P': if (parse_int_option(&cl, "--parallelism", optarg, 0, &a->spec.parallelism)) return 2; break;
		case 'K': if (parse_int_option(&cl, "--nights-per-task", optarg, 1, &a->spec.nights_per_task)) return 2; break;
		case 'c': a->spec.cpu = optarg; break;
		case 'm': a->spec.memory = optarg; break;
		case 'r': if (parse_int_option(&cl, "--retries", optarg, 0, &a->spec.retries)) return 2; break;
		case 'C': a->spec.cache = false; break;
		case 'n': a->spec.name = optarg; break;
		case 'M': a->spec.manifest_uri = optarg; break;
		}
	}
	const char *missing = !a->profile_path ? "--profile" : !a->spec.image ? "--image" : !a->output ? "-o" : NULL;
	if (missing)
		return cli_usage_error(&cl, "%s is required", missing);
	if (cl.optind < argc)
		return cli_usage_error(&cl, "unexpected argument \"%s\"", argv[cl.optind]);
	if (!a->input && !a->nights_file && !a->nights_arg)
		return cli_usage_error(&cl, "give the nights: --input ROOT, --nights-file F or --nights A,B");
	if (a->nights_file && a->nights_arg)
		return cli_usage_error(&cl, "give either --nights-file or --nights, not both");
	if (a->spec.name && !valid_name(a->spec.name))
		return cli_usage_error(&cl, "--name: expected lowercase letters, digits and '-', got \"%s\"", a->spec.name);
	return 0;
}

/* Every id of `want` must be a night folder under the input root `have` lists. */
static int check_listed(const char *root, const struct strlist *want, const struct strlist *have,
			struct err *e)
{
	for (size_t i = 0; i < want->n; i++)
		if (!have->n || !bsearch(&want->v[i], have->v, have->n, sizeof *have->v, compare_ids))
			return ERR(e, "night \"%s\" is not under the input root %s", want->v[i], root);
	return 0;
}

/* The nights: the root's night folders (--input alone), or the given list (--nights-file or
 * --nights), each of which must then be a night folder under --input when one is given. */
static int gather_nights(struct compile_args *a, struct strlist *l, size_t *skipped, struct err *e)
{
	struct strlist under_root = STRLIST_INIT;
	int listed = a->nights_file || a->nights_arg;
	int rc = 0;

	*skipped = 0;
	if (a->input) {
		struct strlist *into = listed ? &under_root : l;
		rc = gcs_is_uri(a->input) ? list_gcs_root(a->input, into, e)
					  : list_local_root(a->input, into, skipped, e);
		if (rc == 0)
			rc = refuse_night_folder(a->input, into, e);
	}
	if (rc == 0 && a->nights_file)
		rc = read_nights_file(a->nights_file, l, e);
	else if (rc == 0 && a->nights_arg)
		rc = split_nights(a->nights_arg, l, e);
	if (rc == 0 && l->n == 0)
		rc = ERR(e, "%s: no nights found", a->nights_file ? a->nights_file : a->nights_arg ? "--nights" : a->input);
	if (rc == 0)
		rc = check_duplicates(l, e);
	if (rc == 0 && a->input && listed)
		rc = check_listed(a->input, l, &under_root, e);
	strlist_release(&under_root);
	return rc;
}

static int compile(struct compile_args *a, struct err *e)
{
	struct strlist nights = STRLIST_INIT;
	struct spec_result r = {0};
	char *profile = NULL, *manifest_path = manifest_path_for(a->output), *manifest_abs = NULL;
	char *input_abs = NULL;
	size_t skipped = 0;
	int rc = -1;

	if (!manifest_path)
		return ERR(e, "out of memory");
	if (!(profile = read_profile(a->profile_path, e)) || gather_nights(a, &nights, &skipped, e) < 0)
		goto out;
	if (!a->spec.manifest_uri) {
		/* The manifest does not exist yet, so resolve its folder (which does). */
		char *dir = strdup(manifest_path), *slash = dir ? strrchr(dir, '/') : NULL, *real;
		const char *base = slash ? manifest_path + (slash - dir) + 1 : manifest_path;
		if (!dir) {
			ERR(e, "out of memory");
			goto out;
		}
		if (slash)
			*slash = '\0';
		real = realpath(slash ? (dir[0] ? dir : "/") : ".", NULL);
		if (real && asprintf(&manifest_abs, "%s/%s", real, base) < 0)
			manifest_abs = NULL;
		free(real);
		free(dir);
		a->spec.manifest_uri = manifest_abs;
	}
	/* A local root is written absolute, so the spec runs from any folder. */
	if (a->input && !gcs_is_uri(a->input) && !(input_abs = realpath(a->input, NULL))) {
		ERR_SYS(e, a->input, "cannot resolve");
		goto out;
	}
	a->spec.input_root = input_abs ? input_abs : a->input;
	a->spec.profile_json = profile;
	a->spec.nights = nights.v;
	a->spec.n_nights = nights.n;
	if (spec_build(&a->spec, &r, e) < 0)
		goto out;
	if (r.manifest && write_json(manifest_path, r.manifest, e) < 0)
		goto out;
	if (write_spec(a->output, r.spec, e) < 0)
		goto out;
	if (skipped)
		fprintf(stderr, PROG ": note: %s was also a `nightfan run` folder: its %zu run folder%s "
			"(task folders, nights/) were passed over\n", a->input, skipped, skipped == 1 ? "" : "s");
	printf("%s: %zu nights in %zu shard tasks (%d a task)%s%s\n", a->output, nights.n, r.n_tasks,
	       r.nights_per_task, r.manifest ? "; night list in manifest " : "",
	       r.manifest ? manifest_path : "");
	rc = 0;
out:
	spec_result_free(&r);
	strlist_release(&nights);
	free(profile);
	free(manifest_path);
	free(manifest_abs);
	free(input_abs);
	return rc;
}

int cmd_compile(int argc, char **argv)
{
	struct compile_args a = {0};
	struct err e = {0};
	int rc = parse_args(argc, argv, &a);

	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	return compile(&a, &e) < 0 ? cli_fail(PROG, &e, 1) : 0;
}
