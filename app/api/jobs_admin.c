/* GET /api/v1/admin/jobs (admins): the queue, newest first, filtered by
 * state and kind, in cursor pages. POST /api/v1/_test/jobs (test routes):
 * enqueues one job, or with "dry_run" parses the same body and does not,
 * so the benchmark can price one INSERT inside a request. */
#include "api/jobs_admin.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "api/common.h"
#include "api/jobs_table.h"
#include "db/jobs.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

/* A kind filter is a name as the table spells them: [a-z0-9_], 1..64. */
static int kind_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > JOBS_KIND_MAX)
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int job_item(void *row, void *ctx)
{
    const struct job *j = row;
    struct json_object *o = json_object_new_object();
    if (o != NULL) {
        char why[64];
        struct json_object *payload = jsonv_parse(j->payload, strlen(j->payload), why, sizeof(why));
        json_object_object_add(o, "id", json_object_new_int64(j->id));
        json_object_object_add(o, "kind", json_object_new_string(j->kind));
        json_object_object_add(o, "state", json_object_new_string(j->state));
        json_object_object_add(o, "attempts", json_object_new_int64(j->attempts));
        json_object_object_add(o, "max_attempts", json_object_new_int64(j->max_attempts));
        json_object_object_add(o, "idempotency_key", api_opt_string(j->idem_key));
        json_object_object_add(o, "last_error", api_opt_string(j->last_error));
        json_object_object_add(o, "run_at", json_object_new_string(j->run_at));
        json_object_object_add(o, "created_at", json_object_new_string(j->created_at));
        json_object_object_add(o, "updated_at", json_object_new_string(j->updated_at));
        json_object_object_add(o, "payload", payload);
    }
    return api_page_add(ctx, o, j->id, 0);
}

enum http_status jobs_admin_list(struct app *app, struct request *req, struct response *res)
{
    unsigned limit;
    struct api_cursor before;
    struct field_errors errors = {0};
    api_page_query(req, 0, &limit, &before, &errors);
    const char *state = request_query(req, "state"), *kind = request_query(req, "kind");
    if (state != NULL && !jobs_state_valid(state))
        fielderr_add(&errors, "state", "enum", "queued, running, done or dead");
    if (kind != NULL && !kind_name_valid(kind))
        fielderr_add(&errors, "kind", "invalid", "a kind name: 1..64 of a-z, 0-9 and _");
    if (fielderr_total(&errors) > 0)
        return api_bad_query(res, req, &errors);
    struct api_page p;
    if (api_page_init(&p, limit, 0) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st =
        jobs_list(app->db, api_page_before(&before), state, kind, limit, req->arena, job_item, &p);
    return api_page_finish(app, req, res, &p, st, 1);
}

/* The test route's body: {"kind", "payload" (an object), "key", "delay",
 * "dry_run", "with_write"}. */
struct enqueue_req {
    const char *kind, *payload, *key;
    long long delay, dry, with_write;
};

/* Reads the body into q. 0 or -1 with errors. */
static int enqueue_body(struct json_object *o, struct enqueue_req *q, struct field_errors *errors)
{
    static const char *const allowed[] = {"kind",    "payload",    "key", "delay",
                                          "dry_run", "with_write", NULL};
    struct json_object *p = NULL;
    jsonv_reject_unknown(o, allowed, errors);
    jsonv_string(o, "kind", 1, JOBS_KIND_MAX, 1, &q->kind, NULL, errors);
    jsonv_string(o, "key", 1, JOBS_KEY_MAX, 0, &q->key, NULL, errors);
    jsonv_int(o, "delay", 0, 86400, 0, &q->delay, errors);
    jsonv_int(o, "dry_run", 0, 1, 0, &q->dry, errors);
    jsonv_int(o, "with_write", 0, 1, 0, &q->with_write, errors);
    if (json_object_object_get_ex(o, "payload", &p) && !json_object_is_type(p, json_type_object))
        fielderr_add(errors, "payload", "type", "payload must be an object");
    q->payload = p != NULL ? json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN) : "{}";
    return fielderr_total(errors) > 0 ? -1 : 0;
}

/* with_write: the enqueue rides in the transaction of a write the request
 * makes anyway (a row in test_writes), as a flow that enqueues its mail
 * with the change it belongs to: both or neither. 0/1 as jobs_enqueue, -1. */
static int enqueue_with_write(struct app *app, const struct enqueue_req *q)
{
    unsigned char raw[12];
    char token[2 * sizeof(raw) + 1];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        return -1;
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(token + 2 * i, 3, "%02x", raw[i]);
    struct db_arg args[] = {DB_ARG_STR(token, strlen(token))};
    if (db_begin(app->db) != DB_OK)
        return -1;
    int rc = db_exec(app->db, STMT_TEST_WRITE_INSERT, args, 1, NULL, NULL) == DB_OK ? 0 : -1;
    if (rc == 0 && !q->dry)
        rc = jobs_enqueue(app->db, q->kind, q->payload, q->key, (long)q->delay);
    if (rc < 0) {
        db_rollback(app->db);
        return -1;
    }
    return db_commit(app->db) == DB_OK ? rc : -1;
}

enum http_status jobs_admin_test_enqueue(struct app *app, struct request *req, struct response *res)
{
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct enqueue_req q = {0};
    struct field_errors errors = {0};
    if (enqueue_body(o, &q, &errors) != 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    int rc = q.with_write ? enqueue_with_write(app, &q)
             : q.dry      ? 0
                          : jobs_enqueue(app->db, q.kind, q.payload, q.key, (long)q.delay);
    long long dry = q.dry;
    json_object_put(o);
    if (rc < 0)
        return api_db_problem(app, req, res, DB_UNAVAILABLE);
    struct json_object *out = json_object_new_object();
    if (out != NULL)
        json_object_object_add(out, "result",
                               json_object_new_string(dry       ? "skipped"
                                                      : rc == 0 ? "queued"
                                                                : "duplicate"));
    return api_send(res, HTTP_ACCEPTED, out);
}
