/* JSON-lines logging. One line = one write(2) on an O_APPEND descriptor, so
 * lines from many workers never interleave. The descriptor is reopened on
 * request (SIGUSR1 in the main loop), never inside a signal handler. */
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2;
static enum log_level log_min = LOG_INFO;
static char log_file[CONFIG_STR];

int log_open(const char *path, enum log_level level)
{
    log_min = level;
    if (path == NULL || path[0] == '\0' || strcmp(path, "-") == 0) {
        log_file[0] = '\0';
        log_fd = 2;
        return 0;
    }
    snprintf(log_file, sizeof(log_file), "%s", path);
    return log_reopen();
}

int log_reopen(void)
{
    log_flush();
    if (log_file[0] == '\0')
        return 0;
    int fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    if (log_fd > 2)
        close(log_fd);
    log_fd = fd;
    return 0;
}

void log_close(void)
{
    log_flush();
    if (log_fd > 2)
        close(log_fd);
    log_fd = 2;
}

/* ISO 8601 UTC with milliseconds; the date part is formatted once a second. */
const char *log_now_text(char buf[32])
{
    static time_t cached_sec = -1;
    static char cached[24];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_sec != cached_sec) {
        struct tm tm;
        gmtime_r(&tv.tv_sec, &tm);
        strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
        cached_sec = tv.tv_sec;
    }
    /* no printf per line: the milliseconds are three digits */
    int ms = (int)(tv.tv_usec / 1000) % 1000;
    size_t n = strlen(cached);
    memcpy(buf, cached, n);
    buf[n] = '.';
    buf[n + 1] = (char)('0' + ms / 100);
    buf[n + 2] = (char)('0' + ms / 10 % 10);
    buf[n + 3] = (char)('0' + ms % 10);
    buf[n + 4] = 'Z';
    buf[n + 5] = '\0';
    return buf;
}

static void add_time(struct json_object *o)
{
    char buf[32];
    json_object_object_add(o, "time", json_object_new_string(log_now_text(buf)));
}

/* Access lines are buffered and written in one call when the buffer is
 * full, when a line is a second old, or when the worker goes idle
 * (log_flush): one write per burst instead of one per request. Event lines
 * flush the buffer first and are written at once. */
static char log_buf[16384];
static size_t log_len;
static time_t log_oldest;

static void write_all(const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(log_fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere to report it: a log that cannot be written is dropped */
        p += w;
        len -= (size_t)w;
    }
}

void log_flush(void)
{
    if (log_len > 0)
        write_all(log_buf, log_len);
    log_len = 0;
}

void log_emit(struct json_object *o, int buffered)
{
    size_t len = 0;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (s == NULL)
        return;
    time_t now = time(NULL);
    if (!buffered || len + 1 > sizeof(log_buf) - log_len || (log_len > 0 && now > log_oldest))
        log_flush();
    if (!buffered || len + 1 > sizeof(log_buf)) {
        struct iovec iov[2] = {{(void *)(uintptr_t)s, len}, {(void *)(uintptr_t) "\n", 1}};
        ssize_t w;
        do
            w = writev(log_fd, iov, 2); /* one call: O_APPEND keeps the line whole */
        while (w < 0 && errno == EINTR);
        return;
    }
    if (log_len == 0)
        log_oldest = now;
    memcpy(log_buf + log_len, s, len);
    log_buf[log_len + len] = '\n';
    log_len += len + 1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level < log_min)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return;
    add_time(o);
    json_object_object_add(o, "level", json_object_new_string(config_level_name(level)));
    json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
    json_object_object_add(o, "message", json_object_new_string(msg));
    log_emit(o, 0);
    json_object_put(o);
}

int log_enabled(enum log_level level)
{
    return level >= log_min;
}
