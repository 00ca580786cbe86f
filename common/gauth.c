/*
 * gauth.c — Google access tokens from the environment, Application Default Credentials (a file,
 * the metadata server) or gcloud, kept until shortly before they expire; see gauth.h.
 */
#include "gauth.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "adc.h"

#define TOKEN_MAX 8192

extern char **environ;

static void wipe_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void gauth_clear(struct gauth *g)
{
	wipe_free(g->header);
	free(g->file);
	*g = (struct gauth){0};
}

/* ---- the per-process cache: the last token from a file or the metadata server ---- */

static struct gauth cache;

void gauth_forget_cache(void)
{
	gauth_clear(&cache);
}

static bool fresh(const struct gauth *g, time_t now)
{
	return g->header && (g->expires_at == 0 || now + GAUTH_EXPIRY_MARGIN_S < g->expires_at);
}

static bool same_source(const struct gauth *a, enum gauth_source source, const char *file)
{
	return a->source == source && (!file || (a->file && strcmp(a->file, file) == 0));
}

static int copy_auth(struct gauth *to, const struct gauth *from, struct err *e)
{
	char *header = strdup(from->header);
	char *file = from->file ? strdup(from->file) : NULL;
	if (!header || (from->file && !file)) {
		free(header);
		free(file);
		return ERR(e, "out of memory");
	}
	gauth_clear(to);
	to->source = from->source;
	to->header = header;
	to->file = file;
	to->expires_at = from->expires_at;
	return 0;
}

/* Take the cached token for this source when it is still good. */
static bool from_cache(struct gauth *g, enum gauth_source source, const char *file)
{
	struct err ignored;
	return same_source(&cache, source, file) && fresh(&cache, time(NULL)) && copy_auth(g, &cache, &ignored) == 0;
}

/* Remember g's token for the next client of this process, when it is good for a while. */
static void to_cache(const struct gauth *g)
{
	struct err ignored;
	if (fresh(g, time(NULL)) && g->expires_at != 0)
		copy_auth(&cache, g, &ignored);
}

static void set_expiry(struct gauth *g, long expires_in)
{
	g->expires_at = expires_in > 0 ? time(NULL) + expires_in : 0;
}

/* A token is a printable, space-free string; anything else would corrupt the header. */
static bool token_ok(const char *t, size_t n)
{
	if (n == 0 || n > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return false;
	return true;
}

static int set_token(struct gauth *g, enum gauth_source source, const char *t, size_t n, struct err *e)
{
	static const char prefix[] = "Authorization: Bearer ";
	char *h = malloc(sizeof prefix + n);
	if (!h)
		return ERR(e, "out of memory");
	memcpy(h, prefix, sizeof prefix - 1);
	memcpy(h + sizeof prefix - 1, t, n);
	h[sizeof prefix - 1 + n] = '\0';
	gauth_clear(g);
	g->header = h;
	g->source = source;
	return 0;
}

/* ---- metadata server ---- */

static int from_metadata(struct gauth *g, struct err *e)
{
	const char *host = getenv("GCE_METADATA_HOST");
	if (!host || !*host)
		host = "metadata.google.internal";
	char url[512];
	snprintf(url, sizeof url, "http://%s/computeMetadata/v1/instance/service-accounts/default/token", host);
	struct http_policy p;
	http_policy_default(&p);
	if (p.connect_timeout_s > 2)
		p.connect_timeout_s = 2;
	if (p.timeout_s > 10)
		p.timeout_s = 10;
	if (p.max_attempts > 3)
		p.max_attempts = 3;
	struct http_client *c = http_client_new(&p, e);
	if (!c)
		return -1;
	static const char *const headers[] = {"Metadata-Flavor: Google", NULL};
	struct http_request req = {.method = "GET", .url = url, .headers = headers, .idempotent = true,
		.max_body = 64 << 10};
	struct http_response resp;
	int rc = http_send(c, &req, &resp, e);
	http_client_free(c);
	if (rc == 0) {
		cJSON *root = cJSON_ParseWithLength(resp.body, resp.body_len);
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "access_token");
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expires_in");
		if (cJSON_IsString(t) && token_ok(t->valuestring, strlen(t->valuestring))) {
			rc = set_token(g, GAUTH_METADATA, t->valuestring, strlen(t->valuestring), e);
			if (rc == 0) {
				set_expiry(g, cJSON_IsNumber(exp) && exp->valuedouble > 0 && exp->valuedouble < 1e9
						      ? (long)exp->valuedouble : 0);
				to_cache(g);
			}
		} else
			rc = ERR(e, "GET %s: expected JSON with an \"access_token\"", url);
		if (root && cJSON_IsString(t))
			explicit_bzero(t->valuestring, strlen(t->valuestring));
		cJSON_Delete(root);
	}
	if (resp.body)
		explicit_bzero(resp.body, resp.body_len);
	http_response_free(&resp);
	return rc;
}

/* ---- gcloud ---- */

/* Last non-empty line of a small file, for quoting gcloud's complaint. */
static void last_line(int fd, char *buf, size_t size)
{
	char text[4096];
	ssize_t n = pread(fd, text, sizeof text - 1, 0);
	buf[0] = '\0';
	if (n <= 0)
		return;
	text[n] = '\0';
	char *line = NULL;
	for (char *tok = strtok(text, "\r\n"); tok; tok = strtok(NULL, "\r\n"))
		if (*tok)
			line = tok;
	if (line)
		snprintf(buf, size, "%s", line);
}

static int read_all(int fd, char *buf, size_t size, size_t *len)
{
	*len = 0;
	for (;;) {
		if (*len + 1 >= size)
			return -1;
		ssize_t n = read(fd, buf + *len, size - 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	buf[*len] = '\0';
	return 0;
}

static int spawn_gcloud(int out_fd, int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	char *argv[] = {"gcloud", "auth", "print-access-token", NULL};
	int rc = posix_spawnp(pid, "gcloud", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static int from_gcloud(struct gauth *g, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char errpath[1024];
	snprintf(errpath, sizeof errpath, "%s/nightfan-gcloud.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int err_fd = mkstemp(errpath);
	if (err_fd < 0)
		return ERR_SYS(e, errpath, "could not create a temporary file");
	unlink(errpath);
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		close(err_fd);
		return ERR_SYS(e, "pipe", "could not run gcloud");
	}
	pid_t pid;
	int rc = spawn_gcloud(pipefd[1], err_fd, &pid);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		close(err_fd);
		return ERR(e, "gcloud is not installed (%s)", strerror(rc));
	}
	char out[TOKEN_MAX + 64];
	size_t len;
	int read_rc = read_all(pipefd[0], out, sizeof out, &len);
	close(pipefd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	int result;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char why[300];
		last_line(err_fd, why, sizeof why);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		result = code == 127 ? ERR(e, "gcloud is not installed")
			: ERR(e, "`gcloud auth print-access-token` failed (exit %d)%s%s", code, why[0] ? ": " : "", why);
	} else if (read_rc != 0 || !token_ok(out, len)) {
		result = ERR(e, "`gcloud auth print-access-token` printed no usable token");
	} else {
		result = set_token(g, GAUTH_GCLOUD, out, len, e);
	}
	explicit_bzero(out, sizeof out);
	close(err_fd);
	return result;
}

/* ---- Application Default Credentials files ---- */

static int from_file(struct gauth *g, const char *path, struct err *e)
{
	char *token;
	long expires_in;
	enum adc_type type;
	if (adc_fetch_token(path, &token, &expires_in, &type, e) != 0)
		return -1;
	int rc = set_token(g, GAUTH_FILE, token, strlen(token), e);
	wipe_free(token);
	if (rc == 0 && !(g->file = strdup(path))) {
		gauth_clear(g);
		return ERR(e, "out of memory");
	}
	if (rc == 0) {
		set_expiry(g, expires_in);
		to_cache(g);
	}
	return rc;
}

/* ---- order ---- */

static int from_env(struct gauth *g, struct err *e)
{
	const char *t = getenv("GOOGLE_OAUTH_ACCESS_TOKEN");
	if (!t || !*t)
		return ERR(e, "GOOGLE_OAUTH_ACCESS_TOKEN is not set");
	if (!token_ok(t, strlen(t)))
		return ERR(e, "GOOGLE_OAUTH_ACCESS_TOKEN holds spaces or control characters");
	return set_token(g, GAUTH_ENV, t, strlen(t), e);
}

int gauth_get(struct gauth *g, struct err *e)
{
	if (fresh(g, time(NULL)))
		return 0;
	gauth_clear(g);
	struct err env_e, md_e, gc_e;
	err_clear(&env_e);
	if (getenv("GOOGLE_OAUTH_ACCESS_TOKEN") && *getenv("GOOGLE_OAUTH_ACCESS_TOKEN"))
		return from_env(g, e); /* set but unusable is an error of its own, not a fall-through */
	from_env(g, &env_e);
	char *path;
	bool from_env_var;
	int found = adc_find_file(&path, &from_env_var, e);
	if (found < 0)
		return -1;
	if (found > 0) { /* a file that is there is used, or its error is the answer */
		int rc = from_cache(g, GAUTH_FILE, path) ? 0 : from_file(g, path, e);
		free(path);
		return rc;
	}
	if (from_cache(g, GAUTH_METADATA, NULL) || from_metadata(g, &md_e) == 0 || from_gcloud(g, &gc_e) == 0)
		return 0;
	char *gcloud_path = adc_gcloud_file();
	ERR(e, "no Google credentials: %s; no Application Default Credentials file (GOOGLE_APPLICATION_CREDENTIALS "
	    "is not set and there is no %s); metadata server: %s; gcloud: %s", env_e.message,
	    gcloud_path ? gcloud_path : "home folder", md_e.message, gc_e.message);
	free(gcloud_path);
	return -1;
}

int gauth_refresh(struct gauth *g, struct err *e)
{
	switch (g->source) {
	case GAUTH_FILE: {
		char *path = g->file ? strdup(g->file) : NULL;
		if (!path)
			return ERR(e, "out of memory");
		if (same_source(&cache, GAUTH_FILE, path))
			gauth_clear(&cache);
		int rc = from_file(g, path, e);
		free(path);
		return rc;
	}
	case GAUTH_METADATA:
		if (cache.source == GAUTH_METADATA)
			gauth_clear(&cache);
		return from_metadata(g, e);
	case GAUTH_GCLOUD:
		return from_gcloud(g, e);
	case GAUTH_ENV:
		return ERR(e, "the token in GOOGLE_OAUTH_ACCESS_TOKEN was refused; it may have expired");
	default:
		return gauth_get(g, e);
	}
}

const char *gauth_refused_hint(const struct gauth *g)
{
	switch (g->source) {
	case GAUTH_FILE:
		return "the token from the Application Default Credentials file was refused";
	case GAUTH_ENV:
		return "the token in GOOGLE_OAUTH_ACCESS_TOKEN was refused; it may have expired";
	case GAUTH_METADATA:
		return "the metadata server's token was refused";
	case GAUTH_GCLOUD:
		return "the token from gcloud was refused; try `gcloud auth login`";
	default:
		return "no token was sent";
	}
}

int gauth_explain_refusal(const struct gauth *g, struct err *e)
{
	size_t len = strlen(e->message);
	if (g->source == GAUTH_FILE && g->file)
		snprintf(e->message + len, sizeof e->message - len, " (the token from the credentials file %s was refused)",
			 g->file);
	else
		snprintf(e->message + len, sizeof e->message - len, " (%s)", gauth_refused_hint(g));
	return -1;
}
