/* Shared handler helpers (see include/api/common.h). */
#include "api/common.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "base/log.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "db/accounts.h"
#include "lib/cursor.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

int api_problem(struct response *res, const struct request *req, int status, const char *detail,
                const struct field_errors *errors)
{
    return problem_set(res, status, detail, req->request_id, errors) == 0 ? status : 500;
}

struct json_object *api_parse_body(const struct request *req, struct response *res, int *status)
{
    char why[256];
    struct json_object *o = jsonv_parse(req->body, req->body_len, why, sizeof(why));
    if (o == NULL)
        *status = api_problem(res, req, 400, why, NULL);
    return o;
}

int api_send(struct response *res, int status, struct json_object *obj)
{
    if (obj == NULL)
        return 500;
    int rc = response_json(res, status, obj);
    json_object_put(obj);
    return rc == 0 ? status : 500;
}

int api_send_page(struct response *res, const char *base, struct json_object *items, long long last,
                  unsigned count, unsigned limit)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL) {
        json_object_put(items);
        return 500;
    }
    json_object_object_add(o, "items", items);
    char cursor[CURSOR_TEXT];
    if (count == limit && cursor_encode(last, cursor) == 0) {
        json_object_object_add(o, "next_cursor", json_object_new_string(cursor));
        char link[256];
        snprintf(link, sizeof(link), "<%s?limit=%u&cursor=%s>; rel=\"next\"", base, limit, cursor);
        response_header(res, "Link", link, 1);
    } else {
        json_object_object_add(o, "next_cursor", NULL);
    }
    return api_send(res, 200, o);
}

int api_bad_query(struct response *res, const struct request *req,
                  const struct field_errors *errors)
{
    return api_problem(res, req, 400, "invalid query parameters", errors);
}

struct json_object *api_user_json(const struct user *u, int self)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(u->id));
    json_object_object_add(o, "username", json_object_new_string(u->username));
    json_object_object_add(o, "display_name",
                           u->display_name ? json_object_new_string(u->display_name) : NULL);
    if (self) {
        json_object_object_add(o, "email", json_object_new_string(u->email));
        json_object_object_add(o, "status", json_object_new_string(u->status));
    }
    json_object_object_add(o, "role", json_object_new_string(u->role));
    json_object_object_add(o, "created_at", json_object_new_string(u->created_at));
    return o;
}

void api_audit_detail(struct app *app, const struct request *req, long long actor,
                      const char *action, const char *target, const char *detail)
{
    if (accounts_audit(app->db, actor, action, target, req->remote_addr, req->request_id, detail) !=
        DB_OK)
        log_msg(LOG_ERROR, "audit %s not recorded: %s", action, db_last_error(app->db));
    log_msg(LOG_INFO, "audit: %s actor=%lld target=%s detail=%s request_id=%s", action, actor,
            target ? target : "-", detail ? detail : "-", req->request_id);
}

void api_audit(struct app *app, const struct request *req, long long actor, const char *action,
               const char *target)
{
    api_audit_detail(app, req, actor, action, target, NULL);
}
