/*
 * log.c — plain or JSON log lines on stderr (see log.h). JSON escaping is cJSON's; a message's
 * bytes that are not UTF-8 are shown as \xNN (common/utf8.h) first, in both modes, so a line is
 * always valid UTF-8 (and its JSON one every reader takes).
 */
#include "log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "utf8.h"

enum level { LEVEL_INFO, LEVEL_WARN, LEVEL_ERROR };

static const char *const severity_names[] = {"INFO", "WARNING", "ERROR"};
static const char *const plain_tags[] = {"", "warning: ", "error: "};

static char program_name[64] = "nightfan";
static bool json_lines;
static FILE *stream;

void log_init(const char *program, bool json_mode)
{
	snprintf(program_name, sizeof program_name, "%s", program ? program : "nightfan");
	json_lines = json_mode;
}

void log_set_stream(FILE *fp)
{
	stream = fp;
}

static char *plain_line(enum level level, const char *night, const char *message)
{
	char *line = NULL;

	if (asprintf(&line, "%s: %s%s%s%s\n", program_name, night ? night : "", night ? ": " : "",
		     plain_tags[level], message) < 0)
		return NULL;
	return line;
}

static char *json_line(enum level level, const char *night, const char *message)
{
	cJSON *obj = cJSON_CreateObject();
	char *text = NULL, *line = NULL;

	if (obj && cJSON_AddStringToObject(obj, "severity", severity_names[level]) &&
	    cJSON_AddStringToObject(obj, "message", message) &&
	    (!night || cJSON_AddStringToObject(obj, "night", night)))
		text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

static void emit(enum level level, const char *night, const char *fmt, va_list ap)
{
	FILE *out = stream ? stream : stderr;
	char *raw = NULL, *message, *line;

	if (vasprintf(&raw, fmt, ap) < 0)
		return;
	message = utf8_escape_dup(raw, 0);
	free(raw);
	if (!message)
		return;
	line = json_lines ? json_line(level, night, message) : plain_line(level, night, message);
	if (line) {
		/* One fwrite of the whole line, so lines of parallel tasks do not interleave. */
		fwrite(line, 1, strlen(line), out);
		fflush(out);
	}
	free(line);
	free(message);
}

void log_info(const char *night, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LEVEL_INFO, night, fmt, ap);
	va_end(ap);
}

void log_warn(const char *night, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LEVEL_WARN, night, fmt, ap);
	va_end(ap);
}

void log_error(const char *night, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(LEVEL_ERROR, night, fmt, ap);
	va_end(ap);
}
