/* Operational endpoints. /healthz says the process serves (no database);
 * /metrics and /status are restricted to [security] metrics_allow by the
 * route table. The _test routes exist only with [server] test_routes = true:
 * the fault suites need a slow request and a body echo. */
#include "api/ops.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <time.h>

#include "core/app.h"
#include "core/metrics.h"
#include "core/request.h"
#include "core/response.h"

int ops_healthz(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    (void)req;
    static const char body[] = "{\"status\":\"ok\"}";
    return response_body(res, 200, "application/json; charset=utf-8", body, sizeof(body) - 1) == 0
               ? 200
               : 500;
}

int ops_metrics(struct app *app, struct request *req, struct response *res)
{
    size_t len;
    char *text = metrics_prometheus(app, req->arena, &len);
    if (text == NULL)
        return 500;
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    res->body = text;
    res->body_len = len;
    return 200;
}

int ops_status(struct app *app, struct request *req, struct response *res)
{
    size_t len;
    char *text = metrics_status_json(app, req->arena, &len);
    if (text == NULL)
        return 500;
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    res->body = text;
    res->body_len = len;
    return 200;
}

int ops_test_sleep(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    const char *ms = request_query(req, "ms");
    char *end = NULL;
    errno = 0;
    long v = ms ? strtol(ms, &end, 10) : -1;
    if (ms == NULL || *ms == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 600000)
        return 422;
    struct timespec ts = {v / 1000, (v % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 500;
    json_object_object_add(o, "slept_ms", json_object_new_int64(v));
    int rc = response_json(res, 200, o);
    json_object_put(o);
    return rc == 0 ? 200 : 500;
}

int ops_test_echo(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 500;
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)req->body_len));
    json_object_object_add(o, "remote_addr", json_object_new_string(req->remote_addr));
    json_object_object_add(o, "path", json_object_new_string(req->path));
    int rc = response_json(res, 200, o);
    json_object_put(o);
    return rc == 0 ? 200 : 500;
}
