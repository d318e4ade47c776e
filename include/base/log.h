/* Structured logging: one JSON object per line to a file (O_APPEND, reopened
 * on SIGUSR1) or stderr. Writes carry whole lines only, so the lines of
 * several workers never interleave; access lines are buffered per burst. */
#ifndef RB_BASE_LOG_H
#define RB_BASE_LOG_H

#include "base/config.h"

struct json_object;

/* Opens path ("-" or "" = stderr). 0, or -1 with errno set. */
int log_open(const char *path, enum log_level level);

/* Reopens the same path (after rotation). Safe to call from the main loop
 * after a SIGUSR1 flag was seen. 0/-1. */
int log_reopen(void);

void log_close(void);

/* Writes buffered access lines. Workers call it before they wait for the
 * next connection, so lines are never held while the pool is idle. */
void log_flush(void);

/* One event line: {"time","level","pid","message", extra...}. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes one JSON object as a line. buffered: an access line, which may
 * wait in the per-burst buffer; otherwise written at once. */
void log_emit(struct json_object *o, int buffered);

/* 1 when lines of this level are written. */
int log_enabled(enum log_level level);

/* ISO 8601 UTC time with milliseconds into buf; returns buf. */
const char *log_now_text(char buf[32]);

#endif
