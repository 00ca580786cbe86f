/*
 * run_sched.c — a plan's tasks run as local processes (see run_sched.h).
 */
#include "run_sched.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "run_nights.h"
#include "run_program.h"

#define LOG_NAME "task.log"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The last non-empty line of a task's log, for messages ("" when none). */
static void last_log_line(const struct run_task *run, char *buf, size_t size)
{
	char line[1024];
	FILE *fp;

	buf[0] = '\0';
	if ((fp = fopen(run->log, "r"))) {
		while (fgets(line, sizeof line, fp)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0])
				snprintf(buf, size, "%s", line);
		}
		fclose(fp);
	}
}

/* ---- launching ---------------------------------------------------------------------------- */

/* Each task runs in a process group of its own (so that a stop reaches whatever the task itself
 * started: run_sched_stop signals every group) and is sent SIGTERM should nightfan die without a
 * word (SIGKILL). Its stdout and stderr go to its log; an exec failure is the log's last line. */
static void child_exec(const struct plan_task *t, const struct run_task *run, pid_t parent)
{
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* nightfan died before the line above */
		_exit(127);

	fd = open(run->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, 0);
	for (size_t i = 0; i < t->n_env; i++)
		setenv(t->env[i].name, t->env[i].value, 1);
	execv(run->program, t->argv);
	dprintf(2, "%s: cannot run %s: %s\n", t->id, run->program, strerror(errno));
	_exit(127);
}

/* Fresh output folder (old outputs and the cache record removed) on the first attempt, then fork. */
static int launch(struct run_sched *s, size_t i, struct err *e)
{
	const struct plan_task *t = &s->plan->tasks[i];
	struct run_task *run = &s->tasks[i];
	pid_t pid;

	if (run->attempts == 0 && (fs_remove_tree(t->output_dir, e) < 0 || fs_mkdir_p(t->output_dir, e) < 0))
		return -1;
	pid_t parent = getpid();
	pid = fork();
	if (pid < 0)
		return ERR(e, "cannot start %s: %s", t->id, strerror(errno));
	if (pid == 0)
		child_exec(t, run, parent);
	setpgid(pid, pid); /* also here, so that the group exists before any signal is forwarded */
	run->pid = pid;
	run->state = RUN_RUNNING;
	run->attempts++;
	s->running++;
	return 0;
}

/* ---- scheduling --------------------------------------------------------------------------- */

static bool deps_state(const struct run_sched *s, const struct plan_task *t, bool *any_failed)
{
	bool ready = true;

	*any_failed = false;
	for (size_t d = 0; d < t->n_deps; d++) {
		enum run_state st = s->tasks[t->deps[d]].state;
		if (st == RUN_FAILED || st == RUN_SKIPPED)
			*any_failed = true;
		else if (st != RUN_DONE && st != RUN_CACHED)
			ready = false;
	}
	return ready;
}

static size_t group_running(const struct run_sched *s, const char *group)
{
	size_t n = 0;

	for (size_t i = 0; group && i < s->plan->n_tasks; i++)
		if (s->tasks[i].state == RUN_RUNNING && s->plan->tasks[i].group &&
		    strcmp(s->plan->tasks[i].group, group) == 0)
			n++;
	return n;
}

/* Count a finished shard task's nights: every one failed when the task did, else those its
 * night.json records as failed. */
static void count_nights(struct run_sched *s, const struct plan_task *t, enum run_state state)
{
	for (size_t i = 0; i < t->n_nights; i++) {
		bool failed = state == RUN_FAILED || state == RUN_SKIPPED;
		if (!failed) {
			char *dir = run_nights_dir(t, t->nights[i]);
			failed = dir && run_nights_failed(dir);
			free(dir);
		}
		s->counts.nights_done++;
		if (failed)
			s->failed_nights[s->counts.nights_failed++] = (struct run_failed_night){t->nights[i], t};
	}
}

static void finish_task(struct run_sched *s, size_t i, enum run_state state, const char *what)
{
	char detail[1024] = "";

	count_nights(s, &s->plan->tasks[i], state);
	s->tasks[i].state = state;
	s->counts.finished++;
	if (state == RUN_FAILED) {
		s->counts.failed++;
		last_log_line(&s->tasks[i], detail, sizeof detail);
	}
	if (state == RUN_SKIPPED)
		s->counts.skipped++;
	if (state == RUN_CACHED)
		s->counts.cached++;
	run_progress_event(&s->progress, &s->counts, s->plan->tasks[i].id, what,
			   state == RUN_FAILED ? detail : NULL);
}

/* A waiting task whose dependencies are settled: take it from the cache, or start it. */
static int start_task(struct run_sched *s, size_t i, struct err *e)
{
	const struct plan_task *t = &s->plan->tasks[i];
	struct run_task *run = &s->tasks[i];
	const char **dep_keys = calloc(t->n_deps + 1, sizeof *dep_keys);

	if (!dep_keys)
		return ERR(e, "out of memory");
	for (size_t d = 0; d < t->n_deps; d++)
		dep_keys[d] = s->tasks[t->deps[d]].key;
	int rc = plan_cache_key(t, dep_keys, run->program, run->key, e);
	free(dep_keys);
	if (rc < 0)
		return err_prefix(e, "task %s", t->id);
	run->cacheable = t->cache_enabled && rc == 0;
	bool hit = run->cacheable && plan_cache_hit(t->output_dir, run->key);
	if (!hit)
		plan_cache_forget(t->output_dir);
	if (hit) {
		finish_task(s, i, RUN_CACHED, "cached");
		return run_nights_link(s->root, t, e);
	}
	return launch(s, i, e);
}

static int schedule(struct run_sched *s, struct err *e)
{
	double now = now_seconds();

	for (size_t i = 0; i < s->plan->n_tasks; i++) {
		const struct plan_task *t = &s->plan->tasks[i];
		struct run_task *run = &s->tasks[i];
		bool failed_dep;
		if (run->state != RUN_WAITING && run->state != RUN_BACKOFF)
			continue;
		if (run->state == RUN_BACKOFF && now < run->retry_at)
			continue;
		if (run->state == RUN_WAITING) {
			bool ready = deps_state(s, t, &failed_dep);
			if (failed_dep)
				finish_task(s, i, RUN_SKIPPED, "skipped (an upstream task failed)");
			if (failed_dep || !ready)
				continue;
		}
		if ((int)s->running >= s->jobs)
			break;
		if (t->parallelism_limit > 0 && group_running(s, t->group) >= (size_t)t->parallelism_limit)
			continue;
		if ((run->state == RUN_BACKOFF ? launch(s, i, e) : start_task(s, i, e)) < 0)
			return -1;
	}
	return 0;
}

static double backoff_delay(const struct plan_retry *p, int attempt)
{
	double d = p->backoff_seconds * pow(p->backoff_factor, attempt - 1);
	return d < p->backoff_max_seconds ? d : p->backoff_max_seconds;
}

static int reap(struct run_sched *s, pid_t pid, int status, struct err *e)
{
	for (size_t i = 0; i < s->plan->n_tasks; i++) {
		struct run_task *run = &s->tasks[i];
		const struct plan_task *t = &s->plan->tasks[i];
		if (run->state != RUN_RUNNING || run->pid != pid)
			continue;
		s->running--;
		bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (ok) {
			if ((run->cacheable && plan_cache_record(t->output_dir, run->key, e) < 0) ||
			    run_nights_link(s->root, t, e) < 0)
				return -1;
			finish_task(s, i, RUN_DONE, "done");
		} else if (run->attempts <= t->retry.max_retries) {
			run->state = RUN_BACKOFF;
			run->retry_at = now_seconds() + backoff_delay(&t->retry, run->attempts);
			run_progress_retry(&s->progress, t->id, run->attempts, t->retry.max_retries + 1);
		} else {
			run_nights_unlink_dangling(s->root, t);
			finish_task(s, i, RUN_FAILED, "failed");
		}
		return 0;
	}
	return 0;
}

/* ---- stopping ----------------------------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* SIGINT/SIGTERM/SIGHUP to nightfan (alone or with its process group, which the tasks are not in)
 * must not orphan running tasks: the loop notices, the caller forwards the signal to every task's
 * process group (run_sched_stop). */
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

static void kill_groups(const struct run_sched *s, int sig)
{
	for (size_t i = 0; i < s->counts.total; i++)
		if (s->tasks[i].state == RUN_RUNNING)
			kill(-s->tasks[i].pid, sig);
}

#define STOP_GRACE 10.0
void run_sched_stop(struct run_sched *s)
{
	int sig = stop_signal ? stop_signal : SIGTERM;
	double until = now_seconds() + STOP_GRACE;
	bool killed = false;

	if (!s->tasks)
		return;
	kill_groups(s, sig);
	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);
		if (pid > 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0) /* ECHILD: every task reaped */
			break;
		if (!killed && now_seconds() >= until) {
			kill_groups(s, SIGKILL);
			killed = true;
		}
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	/* what the tasks started may outlive them */
	for (size_t i = 0; i < s->counts.total; i++) {
		pid_t pgid = s->tasks[i].pid;
		if (s->tasks[i].state != RUN_RUNNING || group_gone(pgid, killed ? 0 : until - now_seconds()))
			continue;
		kill(-pgid, SIGKILL);
		group_gone(pgid, STOP_GRACE);
	}
}

/* ---- the run ------------------------------------------------------------------------------ */

int run_sched_init(struct run_sched *s, const struct plan *plan, const char *root, int jobs, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->plan = plan;
	s->root = root;
	s->jobs = jobs;
	s->counts.total = plan->n_tasks;
	for (size_t i = 0; i < plan->n_tasks; i++)
		s->counts.nights_total += plan->tasks[i].n_nights;
	if (!(s->tasks = calloc(s->counts.total, sizeof *s->tasks)) ||
	    !(s->failed_nights = calloc(s->counts.nights_total + 1, sizeof *s->failed_nights)))
		return ERR(e, "out of memory");
	for (size_t i = 0; i < plan->n_tasks; i++) {
		const struct plan_task *t = &plan->tasks[i];
		if (asprintf(&s->tasks[i].log, "%s/" LOG_NAME, t->output_dir) < 0) {
			s->tasks[i].log = NULL;
			return ERR(e, "out of memory");
		}
		if (!(s->tasks[i].program = run_program_resolve(t->argv[0])))
			return ERR(e, "task %s: cannot find the program \"%s\" beside nightfan or on PATH", t->id,
				   t->argv[0]);
	}
	return 0;
}

int run_sched_all(struct run_sched *s, bool tty, struct err *e)
{
	catch_stop_signals();
	run_progress_start(&s->progress, tty, &s->counts);
	while (s->counts.finished < s->counts.total) {
		if (stop_signal) {
			run_progress_stopped(&s->progress);
			return ERR(e, "interrupted (%s): %zu of %zu tasks done; run again to resume",
				   signal_name(stop_signal), s->counts.finished, s->counts.total);
		}
		if (schedule(s, e) < 0)
			return -1;
		if (s->counts.finished == s->counts.total)
			break;
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (reap(s, pid, status, e) < 0)
				return -1;
			continue;
		}
		if (pid < 0 && errno != ECHILD && errno != EINTR)
			return ERR(e, "waitpid: %s", strerror(errno));
		struct timespec pause = {0, 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
		if (s->running)
			run_progress_tick(&s->progress, &s->counts);
	}
	run_progress_end(&s->progress, &s->counts);
	return 0;
}

void run_sched_free(struct run_sched *s)
{
	for (size_t i = 0; s->tasks && i < s->counts.total; i++) {
		free(s->tasks[i].program);
		free(s->tasks[i].log);
	}
	free(s->tasks);
	free(s->failed_nights);
	memset(s, 0, sizeof *s);
}
