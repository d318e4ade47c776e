/* The access log: one JSON line per finished request, built from the
 * request and response. The line is one json-c object per process, updated
 * in place, and written through the log primitives (buffered per burst). */
#include "http/accesslog.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "http/request.h"
#include "http/response.h"

/* The access line is one json-c object per process, built once and updated
 * in place: a request costs no allocation for its log line. */
struct access_line {
    struct json_object *obj, *time, *level, *request_id, *method, *path, *status, *duration, *db,
        *queries, *addr;
    int user_set; /* user_id holds a number (else null) */
    pid_t pid;
};

static struct access_line access_line;

static int ms_serializer(struct json_object *o, struct printbuf *pb, int level, int flags)
{
    (void)level;
    (void)flags;
    /* milliseconds with three decimals, without printf's floating point
     * (two of these per access line) */
    double ms = json_object_get_double(o);
    unsigned long long us = ms > 0 && ms < 1e15 ? (unsigned long long)(ms * 1000.0 + 0.5) : 0;
    char buf[32];
    size_t i = sizeof(buf);
    for (int d = 0; d < 3; d++, us /= 10)
        buf[--i] = (char)('0' + us % 10);
    buf[--i] = '.';
    do {
        buf[--i] = (char)('0' + us % 10);
        us /= 10;
    } while (us > 0);
    return printbuf_memappend(pb, buf + i, (int)(sizeof(buf) - i));
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

/* user_id is null for anonymous requests, the account's id otherwise. */
static void emit_user(struct access_line *a, long long user_id)
{
    if (user_id > 0) {
        json_object_object_add(a->obj, "user_id", json_object_new_int64(user_id));
        a->user_set = 1;
    } else if (a->user_set) {
        json_object_object_add(a->obj, "user_id", NULL);
        a->user_set = 0;
    }
}

void accesslog_write(const struct request *req, const struct response *res, const char *route,
                     double duration_ms, double db_ms, unsigned db_queries)
{
    int status = res ? res->status : 500;
    enum log_level level = status >= 500 ? LOG_ERROR : LOG_INFO;
    if (!log_enabled(level) || access_line_init() != 0)
        return;
    struct access_line *a = &access_line;
    char buf[32];
    json_object_set_string(a->time, log_now_text(buf));
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
    emit_user(a, req->user_id);
    log_emit(a->obj, level < LOG_WARN);
}

void accesslog_close(void)
{
    if (access_line.obj != NULL && access_line.pid == getpid())
        json_object_put(access_line.obj);
    access_line.obj = NULL;
}
