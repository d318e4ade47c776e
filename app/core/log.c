/* JSON-lines logging. One line = one write(2) on an O_APPEND descriptor, so
 * lines from many workers never interleave. The descriptor is reopened on
 * request (SIGUSR1 in the main loop), never inside a signal handler. */
#include "core/log.h"

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

#include "core/request.h"
#include "core/response.h"

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
    if (log_fd > 2)
        close(log_fd);
    log_fd = 2;
}

static void add_time(struct json_object *o)
{
    struct timeval tv;
    struct tm tm;
    char buf[40];
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof(buf) - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    json_object_object_add(o, "time", json_object_new_string(buf));
}

static void emit(struct json_object *o)
{
    size_t len = 0;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (s == NULL)
        return;
    struct iovec iov[2] = {{(void *)(uintptr_t)s, len}, {(void *)(uintptr_t) "\n", 1}};
    ssize_t w;
    do
        w = writev(log_fd, iov, 2); /* one call: O_APPEND keeps the line whole */
    while (w < 0 && errno == EINTR);
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
    emit(o);
    json_object_put(o);
}

void log_request(const struct request *req, const struct response *res, const char *route,
                 double duration_ms, double db_ms)
{
    int status = res ? res->status : 500;
    enum log_level level = status >= 500 ? LOG_ERROR : LOG_INFO;
    if (level < log_min)
        return;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return;
    add_time(o);
    json_object_object_add(o, "level", json_object_new_string(config_level_name(level)));
    json_object_object_add(o, "request_id", json_object_new_string(req->request_id));
    json_object_object_add(o, "method", json_object_new_string(req->method_name));
    json_object_object_add(o, "path", json_object_new_string(req->path ? req->path : ""));
    json_object_object_add(o, "route", route ? json_object_new_string(route) : NULL);
    json_object_object_add(o, "status", json_object_new_int(status));
    char d1[32], d2[32];
    snprintf(d1, sizeof(d1), "%.3f", duration_ms);
    snprintf(d2, sizeof(d2), "%.3f", db_ms);
    json_object_object_add(o, "duration_ms", json_object_new_double_s(duration_ms, d1));
    json_object_object_add(o, "db_ms", json_object_new_double_s(db_ms, d2));
    json_object_object_add(o, "user_id", NULL);
    json_object_object_add(o, "remote_addr", json_object_new_string(req->remote_addr));
    json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
    json_object_object_add(o, "message", json_object_new_string("request"));
    emit(o);
    json_object_put(o);
}
