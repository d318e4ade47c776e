/* Operational endpoints. /healthz says the process serves (no database);
 * /metrics and /status are restricted to [security] metrics_allow by the
 * route table. The _test routes exist only with [server] test_routes = true:
 * the fault suites need a slow request and a body echo. */
#include "api/ops.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <time.h>

#include "http/app.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "db/db.h"
#include "db/migrate.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

/* docs/openapi.json, compiled in (tests/support/embed.sh) */
extern const unsigned char openapi_spec[];
extern const unsigned long openapi_spec_len;

enum http_status ops_healthz(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    (void)req;
    static const char body[] = "{\"status\":\"ok\"}";
    return response_body(res, HTTP_OK, "application/json; charset=utf-8", body, sizeof(body) - 1) ==
                   0
               ? HTTP_OK
               : HTTP_INTERNAL_ERROR;
}

enum http_status ops_openapi(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    static char etag[ETAG_TEXT];
    if (etag[0] == '\0')
        etag_of((const char *)openapi_spec, openapi_spec_len, etag);
    response_header(res, "ETag", etag, 1);
    response_header(res, "Cache-Control", "public, max-age=300", 1);
    if (etag_match(request_header(req, "if-none-match"), etag, 1)) {
        res->status = HTTP_NOT_MODIFIED;
        return HTTP_NOT_MODIFIED;
    }
    /* the body is not copied: it lives as long as the program */
    res->status = HTTP_OK;
    res->content_type = "application/json; charset=utf-8";
    res->body = (const char *)openapi_spec;
    res->body_len = openapi_spec_len;
    return HTTP_OK;
}

enum http_status ops_readyz(struct app *app, struct request *req, struct response *res)
{
    char why[512];
    if (!app->migrations_ok)
        return problem_set(res, HTTP_UNAVAILABLE, "the migrations directory cannot be read",
                           req->request_id, NULL) == 0
                   ? HTTP_UNAVAILABLE
                   : HTTP_INTERNAL_ERROR;
    int rc = migrate_check(app->db, &app->migrations, req->arena, why, sizeof(why));
    if (rc != 0)
        return problem_set(res, HTTP_UNAVAILABLE, why, req->request_id, NULL) == 0
                   ? HTTP_UNAVAILABLE
                   : HTTP_INTERNAL_ERROR;
    static const char body[] = "{\"status\":\"ready\"}";
    return response_body(res, HTTP_OK, "application/json; charset=utf-8", body, sizeof(body) - 1) ==
                   0
               ? HTTP_OK
               : HTTP_INTERNAL_ERROR;
}

/* Answers HTTP_OK with text rendered into the arena (NULL: out of memory). */
static enum http_status send_rendered(struct response *res, char *text, size_t len,
                                      const char *type)
{
    if (text == NULL)
        return HTTP_INTERNAL_ERROR;
    res->content_type = type;
    res->body = text;
    res->body_len = len;
    return HTTP_OK;
}

enum http_status ops_metrics(struct app *app, struct request *req, struct response *res)
{
    size_t len = 0;
    char *text = metrics_prometheus(app, req->arena, &len);
    return send_rendered(res, text, len, "text/plain; version=0.0.4; charset=utf-8");
}

enum http_status ops_status(struct app *app, struct request *req, struct response *res)
{
    size_t len = 0;
    char *text = metrics_status_json(app, req->arena, &len);
    return send_rendered(res, text, len, "application/json; charset=utf-8");
}

enum http_status ops_test_sleep(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    const char *ms = request_query(req, "ms");
    char *end = NULL;
    errno = 0;
    long v = ms ? strtol(ms, &end, 10) : -1;
    if (ms == NULL || *ms == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 600000)
        return HTTP_UNPROCESSABLE_CONTENT;
    struct timespec ts = {v / 1000, (v % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "slept_ms", json_object_new_int64(v));
    int rc = response_json(res, HTTP_OK, o);
    json_object_put(o);
    return rc == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR;
}

enum http_status ops_test_echo(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)req->body_len));
    json_object_object_add(o, "remote_addr", json_object_new_string(req->remote_addr));
    json_object_object_add(o, "path", json_object_new_string(req->path));
    int rc = response_json(res, HTTP_OK, o);
    json_object_put(o);
    return rc == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR;
}

struct test_write {
    long long id;
    char *token;
};

static enum http_status test_write_answer(struct response *res, enum http_status status,
                                          long long id, const char *token)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "id", json_object_new_int64(id));
    json_object_object_add(o, "token", json_object_new_string(token));
    int rc = response_json(res, status, o);
    json_object_put(o);
    return rc == 0 ? status : HTTP_INTERNAL_ERROR;
}

static enum http_status db_fail(struct response *res, const struct request *req, enum db_status st)
{
    enum http_status status = db_http_status(st);
    const char *detail = st == DB_UNAVAILABLE ? "the database is unavailable; retry later"
                         : st == DB_CONFLICT  ? "that token exists already"
                                              : "internal error";
    return problem_set(res, status, detail, req->request_id, NULL) == 0 ? status
                                                                        : HTTP_INTERNAL_ERROR;
}

enum http_status ops_test_write(struct app *app, struct request *req, struct response *res)
{
    char why[256];
    static const char *const allowed[] = {"token", NULL};
    struct json_object *o = jsonv_parse(req->body, req->body_len, why, sizeof(why));
    if (o == NULL)
        return problem_set(res, HTTP_BAD_REQUEST, why, req->request_id, NULL) == 0
                   ? HTTP_BAD_REQUEST
                   : HTTP_INTERNAL_ERROR;
    struct json_object *tok = NULL;
    struct field_errors errors = {0};
    const char *unknown = jsonv_unknown_key(o, allowed);
    if (unknown != NULL)
        fielderr_add(&errors, unknown, "unknown", "this field is not accepted");
    else if (!json_object_object_get_ex(o, "token", &tok))
        fielderr_add(&errors, "token", "required", "token is required");
    else if (!json_object_is_type(tok, json_type_string))
        fielderr_add(&errors, "token", "type", "token must be a string");
    else if (json_object_get_string_len(tok) < 1 || json_object_get_string_len(tok) > 64)
        fielderr_add(&errors, "token", "length", "token must be 1..64 bytes");
    if (errors.count > 0) {
        json_object_put(o);
        return problem_set(res, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", req->request_id,
                           &errors) == 0
                   ? HTTP_UNPROCESSABLE_CONTENT
                   : HTTP_INTERNAL_ERROR;
    }
    const char *token = json_object_get_string(tok);
    size_t len = (size_t)json_object_get_string_len(tok);
    struct db_arg args[] = {DB_ARG_STR(token, len)};
    unsigned long long id = 0;
    enum db_status st = db_exec(app->db, STMT_TEST_WRITE_INSERT, args, 1, NULL, &id);
    enum http_status status;
    if (st != DB_OK) {
        status = db_fail(res, req, st);
    } else {
        char loc[128];
        snprintf(loc, sizeof(loc), "/api/v1/_test/writes/%s", token);
        response_header(res, "Location", loc, 1);
        status = test_write_answer(res, HTTP_CREATED, (long long)id, token);
    }
    json_object_put(o);
    return status;
}

enum http_status ops_test_write_get(struct app *app, struct request *req, struct response *res)
{
    static const struct db_col cols[] = {DB_COL_INT(struct test_write, id),
                                         DB_COL_STR(struct test_write, token)};
    struct test_write row = {0};
    const char *token = req->params[0];
    struct db_arg args[] = {DB_ARG_STR(token, strlen(token))};
    enum db_status st =
        db_query_one(app->db, STMT_TEST_WRITE_GET, args, 1, cols, 2, &row, sizeof(row), req->arena);
    if (st == DB_NOTFOUND)
        return HTTP_NOT_FOUND;
    if (st != DB_OK)
        return db_fail(res, req, st);
    return test_write_answer(res, HTTP_OK, row.id, row.token);
}
