/*
 * log.h — progress and diagnostic lines on stderr for the binaries (the one sanctioned way, next to
 * main()'s final error line, that nightfan prints).
 *
 * Owns the line format only: plain text for people (`nightfan-shard: N0001: message`), or, when a
 * binary runs under KFP (--executor-input), one JSON object a line with Cloud Logging's structured
 * keys (`{"severity":"INFO","message":"...","night":"N0001"}`) so Vertex AI shows severity and lets
 * logs be filtered by night. What to log is the callers' business. Not thread-safe (nightfan's
 * binaries log from one thread).
 */
#ifndef NIGHTFAN_LOG_H
#define NIGHTFAN_LOG_H

#include <stdbool.h>
#include <stdio.h>

/* Set the program name used in plain lines (copied; "nightfan" until called) and the mode:
 * json_mode true writes JSON lines. Lines go to stderr unless log_set_stream() says otherwise. */
void log_init(const char *program, bool json_mode);

/* Send lines to `fp` instead of stderr (tests); NULL restores stderr. */
void log_set_stream(FILE *fp);

/*
 * One line, printf-style. `night` may be NULL (then it is left out). Plain text:
 *   info:  "PROGRAM: N0001: message"          (or "PROGRAM: message")
 *   warn:  "PROGRAM: N0001: warning: message"
 *   error: "PROGRAM: N0001: error: message"
 * JSON: {"severity":"INFO"|"WARNING"|"ERROR","message":"message","night":"N0001"} ("night" left out
 * when NULL), properly escaped. Each line is written with one write and flushed. Never fails
 * visibly: a line that cannot be formatted is dropped.
 */
void log_info(const char *night, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warn(const char *night, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *night, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
