/*
 * cmd_run.c — `nightfan run`: a compiled spec executed on this machine, each container command run
 * as a local process from the build (the binaries beside `nightfan`).
 *
 * Owns: the command line, the run's folder (--root: every task's outputs, logs and cache record,
 * plus nights/ — one link per night to its latest shard output, which later runs with a shorter
 * night list merge against), scheduling (dependencies, --jobs, the loop's parallelismLimit),
 * retries with the spec's backoff, the per-task cache (pipeline/local/plan_cache.h), progress and the
 * summary. The spec's expansion into tasks is pipeline/local/plan.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "fsutil.h"
#include "plan.h"
#include "spec_read.h"
#include "plan_cache.h"

#define PROG "nightfan run"
#define MAX_PARAMS 64
#define LOG_NAME "task.log"
#define NIGHTS_INDEX "nights"

enum task_state { T_WAITING, T_RUNNING, T_BACKOFF, T_DONE, T_CACHED, T_FAILED, T_SKIPPED };

struct task_run {
	enum task_state state;
	pid_t pid;
	int attempts;
	double retry_at;
	char key[PLAN_KEY_HEX];
	bool cacheable; /* caching on and every input's bytes were read */
	char *program;  /* resolved executable */
};

struct runner {
	struct plan *plan;
	struct task_run *runs;
	const char *root;
	int jobs;
	bool tty;
	double started;
	size_t running, finished, failed, skipped, cached, total;
	size_t nights_total, nights_done, nights_failed; /* over the shard tasks */
	const char **failed_nights;     /* nights_failed ids (the plan's strings), in completion order */
	int last_bar_len;
	double last_draw;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nightfan run PIPELINE.yaml --root DIR [--param NAME=VALUE ...] [--jobs N]\n"
		"\n"
		"Runs a compiled pipeline on this machine: one process per task, outputs under DIR.\n"
		"  --root DIR          the run folder (the pipeline root); rerunning with the same DIR reuses\n"
		"                      every task whose inputs did not change\n"
		"  --param NAME=VALUE  override a pipeline parameter (JSON for lists: nights='[\"N0042\"]')\n"
		"  --jobs N            at most N tasks at once (default: the number of CPUs)\n"
		"A run with fewer nights re-merges them with the other nights already under DIR.\n"
		"Programs are taken from $NIGHTFAN_BINDIR when set, else from beside nightfan, else PATH.\n"
		"  -h, --help          this text;  --version  the version\n");
}

/* ---- programs ----------------------------------------------------------------------------- */

/* A bare command ("nightfan-shard") is the binary in $NIGHTFAN_BINDIR when that is set (how the
 * valgrind stage of the tests slips its shims in), else the binary beside this one when there is
 * one there, else whatever PATH finds; a path is taken as is. */
static char *resolve_program(const char *command)
{
	char self[4096], *slash, *path;
	const char *bindir = getenv("NIGHTFAN_BINDIR");
	ssize_t n;

	if (strchr(command, '/'))
		return strdup(command);
	if (bindir && *bindir) {
		if (asprintf(&path, "%s/%s", bindir, command) < 0)
			return NULL;
		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			if (asprintf(&path, "%s/%s", self, command) >= 0) {
				if (access(path, X_OK) == 0)
					return path;
				free(path);
			}
		}
	}
	const char *env_path = getenv("PATH");
	char *copy = strdup(env_path ? env_path : "/usr/bin:/bin"), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&path, "%s/%s", dir, command) < 0)
			break;
		if (access(path, X_OK) == 0) {
			free(copy);
			return path;
		}
		free(path);
	}
	free(copy);
	return NULL;
}

/* ---- the nights index --------------------------------------------------------------------- */

/* <root>/nights/<night> -> ../<task id>/nights/<night>, replaced atomically. */
static int link_nights(const struct runner *r, const struct plan_task *t, struct err *e)
{
	char *index, *target, *tmp, *link_path, *night_dir;
	int rc = 0;

	if (asprintf(&index, "%s/" NIGHTS_INDEX, r->root) < 0)
		return ERR(e, "out of memory");
	if (fs_mkdir_p(index, e) < 0) {
		free(index);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < t->n_nights; i++) {
		const char *night = t->nights[i];
		if (asprintf(&night_dir, "%s/%s/nights/%s", r->root, t->id, night) < 0)
			return ERR(e, "out of memory");
		bool present = access(night_dir, F_OK) == 0;
		free(night_dir);
		if (!present)
			continue;
		if (asprintf(&target, "../%s/nights/%s", t->id, night) < 0 ||
		    asprintf(&tmp, "%s/.%s.link.%d", index, night, (int)getpid()) < 0 ||
		    asprintf(&link_path, "%s/%s", index, night) < 0)
			return ERR(e, "out of memory");
		unlink(tmp);
		if (symlink(target, tmp) != 0 || rename(tmp, link_path) != 0) {
			rc = ERR_SYS(e, link_path, "cannot link");
			unlink(tmp);
		}
		free(target);
		free(tmp);
		free(link_path);
	}
	free(index);
	return rc;
}

/* A task that failed for good left its folder empty: drop index links that now point nowhere, so
 * that later runs do not merge a night that is not there. */
static void unlink_dangling(const struct runner *r, const struct plan_task *t)
{
	for (size_t i = 0; i < t->n_nights; i++) {
		char *link_path;
		struct stat st;
		if (asprintf(&link_path, "%s/" NIGHTS_INDEX "/%s", r->root, t->nights[i]) < 0)
			return;
		if (lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode) && stat(link_path, &st) != 0)
			unlink(link_path);
		free(link_path);
	}
}

/* ---- progress ----------------------------------------------------------------------------- */

static void format_eta(double seconds, char *buf, size_t size)
{
	long s = (long)(seconds + 0.5);

	if (!isfinite(seconds) || seconds < 0)
		snprintf(buf, size, "--:--");
	else if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

static void draw_bar(struct runner *r)
{
	double elapsed = now_seconds() - r->started;
	size_t done = r->finished;
	size_t ran = done - r->cached;
	double rate = elapsed > 0 && ran > 0 ? (double)ran / elapsed : 0;
	char eta[32], line[256];
	int width = 30, filled = r->total ? (int)(width * done / r->total) : width;

	format_eta(rate > 0 ? (double)(r->total - done) / rate : NAN, eta, sizeof eta);
	int n = snprintf(line, sizeof line, "\r[%.*s%*s] %zu/%zu tasks  %zu failed  %zu/%zu nights  %zu failed  "
			 "%.1f/s  ETA %s", filled, "##############################", width - filled, "", done, r->total,
			 r->failed + r->skipped, r->nights_done, r->nights_total, r->nights_failed, rate, eta);
	fputs(line, stderr);
	r->last_draw = now_seconds();
	if (n < r->last_bar_len)
		fprintf(stderr, "%*s", r->last_bar_len - n, "");
	r->last_bar_len = n;
	fflush(stderr);
}

/* The last non-empty line of a task's log, for messages ("" when none). */
static void last_log_line(const struct runner *r, const struct plan_task *t, char *buf, size_t size)
{
	char *path, line[1024];
	FILE *fp;

	buf[0] = '\0';
	if (asprintf(&path, "%s/%s/" LOG_NAME, r->root, t->id) < 0)
		return;
	if ((fp = fopen(path, "r"))) {
		while (fgets(line, sizeof line, fp)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0])
				snprintf(buf, size, "%s", line);
		}
		fclose(fp);
	}
	free(path);
}

static void report_event(struct runner *r, const struct plan_task *t, const char *what)
{
	char detail[1024] = "";

	if (r->tty) {
		if (strcmp(what, "failed") == 0) {
			last_log_line(r, t, detail, sizeof detail);
			fprintf(stderr, "\r%*s\r" PROG ": %s failed: %s\n", r->last_bar_len, "", t->id, detail);
		}
		draw_bar(r);
		return;
	}
	if (strcmp(what, "failed") == 0)
		last_log_line(r, t, detail, sizeof detail);
	fprintf(stderr, PROG ": [%zu/%zu tasks, %zu/%zu nights, %zu failed] %s %s%s%s\n", r->finished, r->total,
		r->nights_done, r->nights_total, r->nights_failed, t->id, what, detail[0] ? ": " : "", detail);
}

/* ---- launching ---------------------------------------------------------------------------- */

/* Each task runs in a process group of its own (so that a stop reaches whatever the task itself
 * started: run_all forwards SIGINT/SIGTERM/SIGHUP to every group) and is sent SIGTERM should
 * nightfan die without a word (SIGKILL). */
static void child_exec(const struct runner *r, const struct plan_task *t, const char *program, pid_t parent)
{
	char *log_path;
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* nightfan died before the line above */
		_exit(127);

	if (asprintf(&log_path, "%s/%s/" LOG_NAME, r->root, t->id) < 0)
		_exit(127);
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, 0);
	for (size_t i = 0; i < t->n_env; i++)
		setenv(t->env[i].name, t->env[i].value, 1);
	execv(program, t->argv);
	dprintf(2, "%s: cannot run %s: %s\n", t->id, program, strerror(errno));
	_exit(127);
}

/* Fresh output folder (old outputs and the cache record removed), then fork. */
static int launch(struct runner *r, size_t i, struct err *e)
{
	const struct plan_task *t = &r->plan->tasks[i];
	struct task_run *run = &r->runs[i];
	char *dir;
	pid_t pid;

	if (asprintf(&dir, "%s/%s", r->root, t->id) < 0)
		return ERR(e, "out of memory");
	if (run->attempts == 0 && (fs_remove_tree(dir, e) < 0 || fs_mkdir_p(dir, e) < 0)) {
		free(dir);
		return -1;
	}
	free(dir);
	pid_t parent = getpid();
	pid = fork();
	if (pid < 0)
		return ERR(e, "cannot start %s: %s", t->id, strerror(errno));
	if (pid == 0)
		child_exec(r, t, run->program, parent);
	setpgid(pid, pid); /* also here, so that the group exists before any signal is forwarded */
	run->pid = pid;
	run->state = T_RUNNING;
	run->attempts++;
	r->running++;
	return 0;
}

static bool deps_state(const struct runner *r, const struct plan_task *t, bool *any_failed)
{
	bool ready = true;

	*any_failed = false;
	for (size_t d = 0; d < t->n_deps; d++) {
		enum task_state s = r->runs[t->deps[d]].state;
		if (s == T_FAILED || s == T_SKIPPED)
			*any_failed = true;
		else if (s != T_DONE && s != T_CACHED)
			ready = false;
	}
	return ready;
}

static size_t group_running(const struct runner *r, const char *group)
{
	size_t n = 0;

	for (size_t i = 0; group && i < r->plan->n_tasks; i++)
		if (r->runs[i].state == T_RUNNING && r->plan->tasks[i].group &&
		    strcmp(r->plan->tasks[i].group, group) == 0)
			n++;
	return n;
}

/* Does the night's output in the task's folder say "status": "failed" (recorded by the shard)? */
static bool recorded_failed(const struct runner *r, const struct plan_task *t, const char *night)
{
	char *path, head[512];
	const char *at;
	bool failed = false;
	size_t n;
	FILE *fp;

	if (asprintf(&path, "%s/%s/nights/%s/night.json", r->root, t->id, night) < 0)
		return false;
	if ((fp = fopen(path, "r"))) {
		n = fread(head, 1, sizeof head - 1, fp);
		head[n] = '\0';
		fclose(fp);
		if ((at = strstr(head, "\"status\""))) {
			at += strlen("\"status\"");
			at += strspn(at, " \t\r\n:");
			failed = strncmp(at, "\"failed\"", 8) == 0;
		}
	}
	free(path);
	return failed;
}

/* Count a finished shard task's nights: every one failed when the task did, else those recorded
 * as failed. */
static void count_nights(struct runner *r, const struct plan_task *t, enum task_state state)
{
	for (size_t i = 0; i < t->n_nights; i++) {
		bool failed = state == T_FAILED || state == T_SKIPPED || recorded_failed(r, t, t->nights[i]);
		r->nights_done++;
		if (failed && r->failed_nights)
			r->failed_nights[r->nights_failed++] = t->nights[i];
	}
}

static void finish_task(struct runner *r, size_t i, enum task_state state, const char *what)
{
	count_nights(r, &r->plan->tasks[i], state);
	r->runs[i].state = state;
	r->finished++;
	if (state == T_FAILED)
		r->failed++;
	if (state == T_SKIPPED)
		r->skipped++;
	if (state == T_CACHED)
		r->cached++;
	report_event(r, &r->plan->tasks[i], what);
}

/* A waiting task whose dependencies are settled: skip it, take it from the cache, or start it. */
static int start_task(struct runner *r, size_t i, struct err *e)
{
	const struct plan_task *t = &r->plan->tasks[i];
	struct task_run *run = &r->runs[i];
	const char **dep_keys = calloc(t->n_deps + 1, sizeof *dep_keys);
	char *dir;

	if (!dep_keys)
		return ERR(e, "out of memory");
	for (size_t d = 0; d < t->n_deps; d++)
		dep_keys[d] = r->runs[t->deps[d]].key;
	int rc = plan_cache_key(t, dep_keys, run->program, run->key, e);
	free(dep_keys);
	if (rc < 0)
		return err_prefix(e, "task %s", t->id);
	run->cacheable = t->cache_enabled && rc == 0;
	if (asprintf(&dir, "%s/%s", r->root, t->id) < 0)
		return ERR(e, "out of memory");
	bool hit = run->cacheable && plan_cache_hit(dir, run->key);
	if (!hit)
		plan_cache_forget(dir);
	free(dir);
	if (hit) {
		finish_task(r, i, T_CACHED, "cached");
		return link_nights(r, t, e);
	}
	return launch(r, i, e);
}

static int schedule(struct runner *r, struct err *e)
{
	double now = now_seconds();

	for (size_t i = 0; i < r->plan->n_tasks; i++) {
		const struct plan_task *t = &r->plan->tasks[i];
		struct task_run *run = &r->runs[i];
		bool failed_dep;
		if (run->state != T_WAITING && run->state != T_BACKOFF)
			continue;
		if (run->state == T_BACKOFF && now < run->retry_at)
			continue;
		if (run->state == T_WAITING) {
			bool ready = deps_state(r, t, &failed_dep);
			if (failed_dep)
				finish_task(r, i, T_SKIPPED, "skipped (an upstream task failed)");
			if (failed_dep || !ready)
				continue;
		}
		if ((int)r->running >= r->jobs)
			break;
		if (t->parallelism_limit > 0 && group_running(r, t->group) >= (size_t)t->parallelism_limit)
			continue;
		if ((run->state == T_BACKOFF ? launch(r, i, e) : start_task(r, i, e)) < 0)
			return -1;
	}
	return 0;
}

static double backoff_delay(const struct plan_retry *p, int attempt)
{
	double d = p->backoff_seconds * pow(p->backoff_factor, attempt - 1);
	return d < p->backoff_max_seconds ? d : p->backoff_max_seconds;
}

static int reap(struct runner *r, pid_t pid, int status, struct err *e)
{
	for (size_t i = 0; i < r->plan->n_tasks; i++) {
		struct task_run *run = &r->runs[i];
		const struct plan_task *t = &r->plan->tasks[i];
		if (run->state != T_RUNNING || run->pid != pid)
			continue;
		r->running--;
		bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (ok) {
			char *dir;
			if (asprintf(&dir, "%s/%s", r->root, t->id) < 0)
				return ERR(e, "out of memory");
			int rc = run->cacheable ? plan_cache_record(dir, run->key, e) : 0;
			free(dir);
			if (rc < 0 || link_nights(r, t, e) < 0)
				return -1;
			finish_task(r, i, T_DONE, "done");
		} else if (run->attempts <= t->retry.max_retries) {
			run->state = T_BACKOFF;
			run->retry_at = now_seconds() + backoff_delay(&t->retry, run->attempts);
			if (!r->tty)
				fprintf(stderr, PROG ": %s failed (attempt %d of %d), retrying\n", t->id,
					run->attempts, t->retry.max_retries + 1);
		} else {
			unlink_dangling(r, t);
			finish_task(r, i, T_FAILED, "failed");
		}
		return 0;
	}
	return 0;
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* SIGINT/SIGTERM/SIGHUP to nightfan (alone or with its process group, which the tasks are not in)
 * must not orphan running tasks: the loop notices, the caller forwards the signal to every task's
 * process group (stop_tasks); their folders have no cache record, so a rerun redoes them. */
static void catch_stop_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal}, hup;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* under nohup (SIGHUP ignored) a closed terminal must not stop the run */
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM";
}

/* Has every process of group pgid ended, within `seconds`? */
static bool group_gone(pid_t pgid, double seconds)
{
	double until = now_seconds() + seconds;

	while (kill(-pgid, 0) == 0 || errno != ESRCH) {
		if (now_seconds() >= until)
			return false;
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	return true;
}

static void kill_groups(const struct runner *r, int sig)
{
	for (size_t i = 0; i < r->total; i++)
		if (r->runs[i].state == T_RUNNING)
			kill(-r->runs[i].pid, sig);
}

/* Send sig to the process group of every running task, reap them, and wait until nothing of their
 * groups is left; whatever is still there after STOP_GRACE seconds gets SIGKILL. */
#define STOP_GRACE 10.0
static void stop_tasks(struct runner *r, int sig)
{
	double until = now_seconds() + STOP_GRACE;
	bool killed = false;

	kill_groups(r, sig);
	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);
		if (pid > 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0) /* ECHILD: every task reaped */
			break;
		if (!killed && now_seconds() >= until) {
			kill_groups(r, SIGKILL);
			killed = true;
		}
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	/* what the tasks started may outlive them */
	for (size_t i = 0; i < r->total; i++) {
		pid_t pgid = r->runs[i].pid;
		if (r->runs[i].state != T_RUNNING || group_gone(pgid, killed ? 0 : until - now_seconds()))
			continue;
		kill(-pgid, SIGKILL);
		group_gone(pgid, STOP_GRACE);
	}
}

static int run_all(struct runner *r, struct err *e)
{
	r->started = now_seconds();
	catch_stop_signals();
	if (r->tty)
		draw_bar(r);
	while (r->finished < r->total) {
		if (stop_signal) {
			if (r->tty)
				fputc('\n', stderr);
			return ERR(e, "interrupted (%s): %zu of %zu tasks done; run again to resume",
				   signal_name(stop_signal), r->finished, r->total);
		}
		if (schedule(r, e) < 0)
			return -1;
		if (r->finished == r->total)
			break;
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (reap(r, pid, status, e) < 0)
				return -1;
			continue;
		}
		if (pid < 0 && errno != ECHILD && errno != EINTR)
			return ERR(e, "waitpid: %s", strerror(errno));
		struct timespec pause = {0, 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
		if (r->tty && r->running && now_seconds() - r->last_draw >= 0.25)
			draw_bar(r);
	}
	if (r->tty) {
		draw_bar(r);
		fputc('\n', stderr);
	}
	return 0;
}

/* ---- summary ------------------------------------------------------------------------------ */

static void print_failed_nights(const json_t *report)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(report, "failed"), i, f) {
		const json_t *err = json_object_get(f, "error");
		const char *file = json_string_value(json_object_get(err, "file"));
		json_int_t line = json_integer_value(json_object_get(err, "line"));
		printf("  failed night %s: %s%s", json_string_value(json_object_get(f, "night")),
		       file ? file : "", file ? ":" : "");
		if (file && line)
			printf("%lld: ", (long long)line);
		else if (file)
			printf(" ");
		printf("%s\n", json_string_value(json_object_get(err, "message")) ?: "");
	}
}

static double number_at(const json_t *v, const char *a, const char *b, const char *c, bool *ok)
{
	v = json_object_get(json_object_get(v, a), b);
	if (c)
		v = json_object_get(v, c);
	*ok = *ok && json_is_number(v);
	return json_number_value(v);
}

/* One line of headline agreement figures from report.json (nothing when they are not there). */
static void print_headline(const json_t *report)
{
	bool ok = true;
	double icc = number_at(report, "scores", "AHI", "icc", &ok);
	double bias = number_at(report, "scores", "AHI", "bias", &ok);
	double low = number_at(report, "scores", "AHI", "loa_low", &ok);
	double high = number_at(report, "scores", "AHI", "loa_high", &ok);
	if (ok)
		printf("AHI agreement: ICC %.3f, bias %+.2f events/h, limits of agreement %.2f to %.2f\n", icc,
		       bias, low, high);
	ok = true;
	double kappa = number_at(report, "severity", "kappa", NULL, &ok);
	double accuracy = number_at(report, "severity", "accuracy", NULL, &ok);
	if (ok)
		printf("severity: accuracy %.3f, kappa %.3f\n", accuracy, kappa);
	ok = true;
	kappa = number_at(report, "staging", "kappa", NULL, &ok);
	accuracy = number_at(report, "staging", "accuracy", NULL, &ok);
	if (ok)
		printf("sleep staging: accuracy %.3f, kappa %.3f\n", accuracy, kappa);
}

/* Without a report (the merge did not run): the nights as the shard tasks left them. */
static void print_tracked_nights(const struct runner *r)
{
	printf("nights: %zu of %zu processed, %zu failed\n", r->nights_done, r->nights_total, r->nights_failed);
	for (size_t i = 0; i < r->nights_failed; i++)
		printf("  failed night %s\n", r->failed_nights[i]);
}

/* Prints the summary. Returns how many nights the report lists as ok, or -1 when there is no report
 * (the merge did not run). */
static long long summarize(const struct runner *r)
{
	long long ok_nights = -1;
	size_t done = 0;
	const struct plan_task *merge = NULL;

	for (size_t i = 0; i < r->plan->n_tasks; i++) {
		done += r->runs[i].state == T_DONE;
		if (!r->plan->tasks[i].group)
			merge = &r->plan->tasks[i];
	}
	printf("%s: %zu tasks: %zu ran, %zu cached, %zu failed", r->plan->name, r->total, done, r->cached,
	       r->failed);
	if (r->skipped)
		printf(", %zu skipped", r->skipped);
	putchar('\n');
	if (!merge || (r->runs[merge - r->plan->tasks].state != T_DONE &&
		       r->runs[merge - r->plan->tasks].state != T_CACHED)) {
		print_tracked_nights(r);
		return -1;
	}
	char *report_path, *html_path;
	if (asprintf(&report_path, "%s/%s/dataset/report.json", r->root, merge->id) < 0)
		return -1;
	json_t *report = json_load_file(report_path, 0, NULL);
	const json_t *nights = json_object_get(report, "nights");
	if (nights)
		ok_nights = (long long)json_integer_value(json_object_get(nights, "ok"));
	if (nights)
		printf("nights: %lld (%lld ok, %lld failed)\n",
		       (long long)json_integer_value(json_object_get(nights, "total")),
		       (long long)json_integer_value(json_object_get(nights, "ok")),
		       (long long)json_integer_value(json_object_get(nights, "failed")));
	print_failed_nights(report);
	print_headline(report);
	if (asprintf(&html_path, "%s/%s/dataset/report.html", r->root, merge->id) >= 0) {
		printf("report: %s\n", html_path);
		free(html_path);
	}
	json_decref(report);
	free(report_path);
	return ok_nights;
}

/* ---- setup -------------------------------------------------------------------------------- */

struct run_args {
	const char *spec, *root;
	struct plan_param params[MAX_PARAMS];
	size_t n_params;
	int jobs;
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'}, {"param", required_argument, NULL, 'p'},
		{"jobs", required_argument, NULL, 'j'}, {0, 0, 0, 0},
	};
	struct cli cl;
	struct err e = {0};
	char msg[ERR_MSG_MAX + 64], *end;
	long v;
	int c;

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	a->jobs = cpus > 0 ? (int)cpus : 1;
	cli_init(&cl, PROG, usage, argc, argv, "j:", options);
	while ((c = cli_next(&cl)) != -1) {
		switch (c) {
		case CLI_EXIT:
			return cl.status == 0 ? 1 : cl.status;
		case 'r':
			a->root = optarg;
			break;
		case 'p':
			if (a->n_params == MAX_PARAMS || plan_param_parse(optarg, &a->params[a->n_params], &e) < 0) {
				return cli_usage_error(&cl, "%s", a->n_params == MAX_PARAMS ? "too many --param"
							   : err_format(&e, msg, sizeof msg));
			}
			a->n_params++;
			break;
		case 'j':
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 4096) {
				return cli_usage_error(&cl, "--jobs: expected a number from 1 to 4096, got \"%s\"",
						       optarg);
			}
			a->jobs = (int)v;
			break;
		}
	}
	if (!a->root)
		return cli_usage_error(&cl, "--root is required");
	if (cl.optind != argc - 1)
		return cli_usage_error(&cl, "expected one pipeline spec file");
	a->spec = argv[cl.optind];
	return 0;
}

static bool has_param(const struct run_args *a, const char *name)
{
	for (size_t i = 0; i < a->n_params; i++)
		if (strcmp(a->params[i].name, name) == 0)
			return true;
	return false;
}

/* Unless given, base_nights is the nights index of this root (created empty on the first run, so
 * that a rerun with the same inputs finds the merge in the cache; run() creates it). */
static int default_base_nights(struct run_args *a, const char *root, const json_t *spec, char **owned,
			       struct err *e)
{
	const json_t *defs = json_object_get(json_object_get(json_object_get(spec, "root"), "inputDefinitions"),
					     "parameters");

	*owned = NULL;
	if (!json_object_get(defs, "base_nights") || has_param(a, "base_nights"))
		return 0;
	if (a->n_params == MAX_PARAMS)
		return ERR(e, "too many --param");
	if (asprintf(owned, "%s/" NIGHTS_INDEX, root) < 0)
		return ERR(e, "out of memory");
	a->params[a->n_params].name = "base_nights";
	a->params[a->n_params].value = *owned;
	a->n_params++;
	return 0;
}

static int lock_root(const char *root, struct err *e)
{
	int fd = fs_lock_dir(root, false, e);

	if (fd == FS_LOCK_BUSY)
		return ERR(e, "%s: another nightfan run is using this folder", root);
	return fd; /* held until exit */
}

static int resolve_programs(struct runner *r, struct err *e)
{
	for (size_t i = 0; i < r->plan->n_tasks; i++) {
		const struct plan_task *t = &r->plan->tasks[i];
		if (!(r->runs[i].program = resolve_program(t->argv[0])))
			return ERR(e, "task %s: cannot find the program \"%s\" beside nightfan or on PATH", t->id,
				   t->argv[0]);
	}
	return 0;
}

/* 0 or 1 (some task failed or was skipped) after a run; -1 on an error; -2 when the run folder
 * overlaps the input root (a usage error). */
static int run(struct run_args *a, struct err *e)
{
	struct runner r = {.jobs = a->jobs, .tty = isatty(2)};
	char *root = NULL, *base = NULL;
	json_t *spec = NULL;
	int rc = -1;

	/* Nothing is written before the run folder is known to keep apart from the input root. */
	if (!(root = fs_resolve(a->root, e)))
		return -1;
	r.root = root;
	if (!(spec = spec_read_file(a->spec, e)) || default_base_nights(a, root, spec, &base, e) < 0)
		goto out;
	if (!(r.plan = plan_build(spec, a->params, a->n_params, root, e)))
		goto out;
	if (plan_check_root_apart(r.plan, a->root, e) < 0) {
		rc = -2; /* a usage error: exit 2 */
		goto out;
	}
	if (fs_mkdir_p(root, e) < 0 || lock_root(root, e) < 0 || (base && fs_mkdir_p(base, e) < 0))
		goto out;
	r.total = r.plan->n_tasks;
	for (size_t i = 0; i < r.total; i++)
		r.nights_total += r.plan->tasks[i].n_nights;
	if (!(r.runs = calloc(r.total, sizeof *r.runs)) ||
	    !(r.failed_nights = calloc(r.nights_total + 1, sizeof *r.failed_nights))) {
		ERR(e, "out of memory");
		goto out;
	}
	if (resolve_programs(&r, e) < 0 || run_all(&r, e) < 0)
		goto out;
	long long ok_nights = summarize(&r);
	rc = r.failed || r.skipped ? 1 : 0;
	if (ok_nights == 0) { /* every task may be green (on_error=record), but nothing came out */
		fprintf(stderr, PROG ": error: no night came out ok: every night failed (listed above)\n");
		rc = 1;
	}
out:
	if (rc == -1 && r.runs)
		stop_tasks(&r, stop_signal ? stop_signal : SIGTERM);
	for (size_t i = 0; r.runs && i < r.total; i++)
		free(r.runs[i].program);
	free(r.runs);
	free(r.failed_nights);
	plan_free(r.plan);
	json_decref(spec);
	free(base);
	free(root);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {0};
	struct err e = {0};
	char msg[ERR_FILE_MAX + ERR_MSG_MAX + 64];
	int rc = parse_args(argc, argv, &a);

	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	rc = run(&a, &e);
	if (rc < 0) {
		fprintf(stderr, PROG ": error: %s\n", err_format(&e, msg, sizeof msg));
		return rc == -2 ? 2 : 1;
	}
	return rc;
}
