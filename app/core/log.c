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

/* The access line is one json-c object per process, built once and updated
 * in place: a request costs no allocation for its log line. */
struct access_line {
    struct json_object *obj, *time, *level, *request_id, *method, *path, *status, *duration, *db,
        *queries, *addr;
    pid_t pid;
};

static struct access_line access_line;

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
    if (access_line.obj != NULL && access_line.pid == getpid())
        json_object_put(access_line.obj);
    access_line.obj = NULL;
    if (log_fd > 2)
        close(log_fd);
    log_fd = 2;
}

/* ISO 8601 UTC with milliseconds; the date part is formatted once a second. */
static const char *now_text(char buf[32])
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
    snprintf(buf, 32, "%.23s.%03dZ", cached, (int)(tv.tv_usec / 1000) % 1000);
    return buf;
}

static void add_time(struct json_object *o)
{
    char buf[32];
    json_object_object_add(o, "time", json_object_new_string(now_text(buf)));
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

static void emit(struct json_object *o, int buffered)
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
    emit(o, 0);
    json_object_put(o);
}

static int ms_serializer(struct json_object *o, struct printbuf *pb, int level, int flags)
{
    (void)level;
    (void)flags;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%.3f", json_object_get_double(o));
    return printbuf_memappend(pb, buf, n);
}

static struct json_object *member(struct json_object *o, const char *key, struct json_object *v)
{
    json_object_object_add(o, key, v);
    return v;
}

static int access_line_init(void)
{
    struct access_line *a = &access_line;
    if (a->obj != NULL && a->pid == getpid())
        return 0;
    if (a->obj != NULL) /* inherited across fork: the pid is wrong */
        json_object_put(a->obj);
    memset(a, 0, sizeof(*a));
    a->obj = json_object_new_object();
    if (a->obj == NULL)
        return -1;
    a->pid = getpid();
    a->time = member(a->obj, "time", json_object_new_string(""));
    a->level = member(a->obj, "level", json_object_new_string(""));
    a->request_id = member(a->obj, "request_id", json_object_new_string(""));
    a->method = member(a->obj, "method", json_object_new_string(""));
    a->path = member(a->obj, "path", json_object_new_string(""));
    json_object_object_add(a->obj, "route", NULL);
    a->status = member(a->obj, "status", json_object_new_int(0));
    a->duration = member(a->obj, "duration_ms", json_object_new_double(0));
    a->db = member(a->obj, "db_ms", json_object_new_double(0));
    a->queries = member(a->obj, "db_queries", json_object_new_int(0));
    json_object_object_add(a->obj, "user_id", NULL);
    a->addr = member(a->obj, "remote_addr", json_object_new_string(""));
    json_object_object_add(a->obj, "pid", json_object_new_int((int)a->pid));
    json_object_object_add(a->obj, "message", json_object_new_string("request"));
    if (a->time == NULL || a->level == NULL || a->request_id == NULL || a->method == NULL ||
        a->path == NULL || a->status == NULL || a->duration == NULL || a->db == NULL ||
        a->queries == NULL || a->addr == NULL) {
        json_object_put(a->obj);
        a->obj = NULL;
        return -1;
    }
    json_object_set_serializer(a->duration, ms_serializer, NULL, NULL);
    json_object_set_serializer(a->db, ms_serializer, NULL, NULL);
    return 0;
}

/* json-c 0.16 forgets a string's heap buffer when the string is set to ""
 * (its length -0 reads as "inline"), and leaks it at the next longer value.
 * So an empty value replaces the member object instead. */
static void set_member(struct json_object **slot, const char *key, const char *value)
{
    if (value[0] != '\0') {
        json_object_set_string(*slot, value);
        return;
    }
    struct json_object *fresh = json_object_new_string("");
    if (fresh != NULL && json_object_object_add(access_line.obj, key, fresh) == 0)
        *slot = fresh;
}

void log_request(const struct request *req, const struct response *res, const char *route,
                 double duration_ms, double db_ms, unsigned db_queries)
{
    int status = res ? res->status : 500;
    enum log_level level = status >= 500 ? LOG_ERROR : LOG_INFO;
    if (level < log_min || access_line_init() != 0)
        return;
    struct access_line *a = &access_line;
    char buf[32];
    json_object_set_string(a->time, now_text(buf));
    json_object_set_string(a->level, config_level_name(level));
    set_member(&a->request_id, "request_id", req->request_id);
    set_member(&a->method, "method", req->method_name);
    set_member(&a->path, "path", req->path ? req->path : "");
    struct json_object *r = NULL;
    if (json_object_object_get_ex(a->obj, "route", &r) && r != NULL && route != NULL)
        json_object_set_string(r, route);
    else
        json_object_object_add(a->obj, "route", route ? json_object_new_string(route) : NULL);
    json_object_set_int(a->status, status);
    json_object_set_double(a->duration, duration_ms);
    json_object_set_double(a->db, db_ms);
    json_object_set_int(a->queries, (int)db_queries);
    set_member(&a->addr, "remote_addr", req->remote_addr);
    emit(a->obj, level < LOG_WARN);
}
