/* Meal plans and calendar feeds (include/api/mealplan.h). Access is decided
 * in the store's queries (the caller's own entries or their household's);
 * what is not the caller's answers 404. A recipe an entry points at is
 * shown with its title only to a viewer who may see it. The feed is the
 * one route here without a session: the secret in its path is the
 * credential, and it is answered as RFC 5545 text by lib/ical. */
#include "api/mealplan.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/common.h"
#include "api/households.h"
#include "base/config.h"
#include "db/mealplan_store.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/etag.h"
#include "lib/fielderr.h"
#include "lib/ical.h"
#include "lib/jsonv.h"
#include "lib/strbuf.h"
#include "lib/token.h"

#define YEAR_MIN 2000
#define YEAR_MAX 2999

static const char *const slots[] = {"breakfast", "lunch", "dinner", "snack", NULL};
static const char *const slot_names[] = {"Breakfast", "Lunch", "Dinner", "Snack", NULL};

/* The recipe as this viewer may see it: JSON null when the entry has none;
 * no id or title when the viewer may not see it. */
static struct json_object *recipe_json(const struct mealplan_entry *e)
{
    if (e->recipe_id == 0)
        return NULL;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    int shown = e->recipe_visible != 0;
    json_object_object_add(o, "id", shown ? json_object_new_int64(e->recipe_id) : NULL);
    json_object_object_add(o, "title", shown ? api_opt_string(e->recipe_title) : NULL);
    json_object_object_add(o, "available", json_object_new_boolean(shown));
    return o;
}

static struct json_object *entry_json(const struct mealplan_entry *e)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_int64(e->id));
    json_object_object_add(o, "date", json_object_new_string(e->date));
    json_object_object_add(o, "slot", json_object_new_string(e->slot));
    json_object_object_add(o, "recipe", recipe_json(e));
    json_object_object_add(o, "note", api_opt_string(e->note));
    json_object_object_add(o, "servings",
                           e->servings > 0 ? json_object_new_int64(e->servings) : NULL);
    json_object_object_add(o, "household", json_object_new_boolean(e->household_id != 0));
    json_object_object_add(o, "created_by", api_opt_string(e->created_by));
    json_object_object_add(o, "created_at", json_object_new_string(e->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(e->updated_at));
    return o;
}

static int entry_item(void *row, void *ctx)
{
    struct json_object *o = entry_json(row);
    return o == NULL || json_object_array_add(ctx, o) != 0 ? (json_object_put(o), 1) : 0;
}

/* Query parameter name as a date: its day number in *days, or an error. */
static void query_date(const struct request *req, const char *name, long *days,
                       struct field_errors *errors)
{
    const char *v = request_query(req, name);
    int y = 0, m = 0, d = 0;
    if (v == NULL)
        fielderr_add(errors, name, "required", "a date, YYYY-MM-DD");
    else if (ical_date_parse(v, &y, &m, &d) != 0 || y < YEAR_MIN || y > YEAR_MAX)
        fielderr_add(errors, name, "format", "a date, YYYY-MM-DD, years 2000..2999");
    else
        *days = ical_days(y, m, d);
}

/* from and to, each once, nothing else; at most MEALPLAN_RANGE_DAYS days. */
static void read_range(const struct request *req, struct field_errors *errors)
{
    int seen[2] = {0, 0};
    for (size_t i = 0; i < req->nquery; i++) {
        const char *n = req->query[i].name;
        int k = strcmp(n, "from") == 0 ? 0 : strcmp(n, "to") == 0 ? 1 : -1;
        if (k < 0)
            fielderr_add(errors, n, "unknown", "this parameter is not accepted");
        else if (seen[k]++ == 1)
            fielderr_add(errors, n, "count", "give this parameter once");
    }
    long from = 0, to = 0;
    unsigned before = fielderr_total(errors);
    query_date(req, "from", &from, errors);
    query_date(req, "to", &to, errors);
    if (fielderr_total(errors) != before)
        return;
    if (to < from)
        fielderr_add(errors, "to", "range", "not before from");
    else if (to - from >= MEALPLAN_RANGE_DAYS)
        fielderr_add(errors, "to", "range", "at most 93 days from from to to, both included");
}

enum http_status mealplan_index(struct app *app, struct request *req, struct response *res)
{
    struct field_errors errors = {0};
    read_range(req, &errors);
    if (errors.count > 0)
        return api_bad_query(res, req, &errors);
    const char *from = request_query(req, "from"), *to = request_query(req, "to");
    struct json_object *o = json_object_new_object(), *items = json_object_new_array();
    if (o == NULL || items == NULL) {
        json_object_put(o);
        json_object_put(items);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "from", json_object_new_string(from));
    json_object_object_add(o, "to", json_object_new_string(to));
    json_object_object_add(o, "items", items);
    enum db_status st =
        mealplan_store_range(app->db, req->user_id, from, to, req->arena, entry_item, items);
    if (st != DB_OK) {
        json_object_put(o);
        return api_db_problem(app, req, res, st);
    }
    api_cache_private(res);
    return api_send(res, HTTP_OK, o);
}

/* Member key as an optional string of 1..max characters; null is absent.
 * 0, or -1 when an error was added. */
static int opt_string(struct json_object *o, const char *key, size_t max, const char **out,
                      struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (json_object_object_get_ex(o, key, &v) && v == NULL)
        return 0;
    return jsonv_string(o, key, 1, max, 0, out, NULL, errors);
}

static void read_date_slot(struct json_object *o, struct mealplan_input *in,
                           struct field_errors *errors)
{
    int y = 0, m = 0, d = 0;
    if (jsonv_string(o, "date", 1, 10, 1, &in->date, NULL, errors) == 0 &&
        (ical_date_parse(in->date, &y, &m, &d) != 0 || y < YEAR_MIN || y > YEAR_MAX))
        fielderr_add(errors, "date", "format", "a date, YYYY-MM-DD, years 2000..2999");
    if (jsonv_string(o, "slot", 1, 16, 1, &in->slot, NULL, errors) != 0)
        return;
    for (size_t i = 0; slots[i] != NULL; i++)
        if (strcmp(slots[i], in->slot) == 0)
            return;
    fielderr_add(errors, "slot", "enum", "breakfast, lunch, dinner or snack");
}

/* Validates a body into in; with household (a create) also reads the
 * "household" flag into *household. */
static void read_input(struct json_object *o, struct mealplan_input *in, int *household,
                       struct field_errors *errors)
{
    static const char *const create_keys[] = {"date",     "slot",      "recipe_id", "note",
                                              "servings", "household", NULL};
    static const char *const replace_keys[] = {"date", "slot",     "recipe_id",
                                               "note", "servings", NULL};
    jsonv_reject_unknown(o, household != NULL ? create_keys : replace_keys, errors);
    read_date_slot(o, in, errors);
    int bad = jsonv_int(o, "recipe_id", 1, (1LL << 53), 0, &in->recipe_id, errors);
    bad |= opt_string(o, "note", MEALPLAN_NOTE_MAX, &in->note, errors);
    jsonv_int(o, "servings", 1, MEALPLAN_SERVINGS_MAX, 0, &in->servings, errors);
    if (bad == 0 && in->recipe_id == 0 && in->note == NULL)
        fielderr_add(errors, "recipe_id", "required", "give recipe_id, note or both");
    struct json_object *v = NULL;
    if (household != NULL && json_object_object_get_ex(o, "household", &v)) {
        if (!json_object_is_type(v, json_type_boolean))
            fielderr_add(errors, "household", "type", "true or false");
        else
            *household = json_object_get_boolean(v);
    }
}

/* The checks that need the database: the recipe (when it changes from
 * kept_recipe) is one the caller may see, and the date (when it changes
 * from kept_date) has room for the owner. Errors go to errors. */
static enum db_status check_refs(struct app *app, const struct request *req,
                                 const struct mealplan_input *in, long long household,
                                 long long kept_recipe, const char *kept_date,
                                 struct field_errors *errors)
{
    enum db_status st = DB_OK;
    if (in->recipe_id != 0 && in->recipe_id != kept_recipe) {
        int visible = 0;
        st = mealplan_store_recipe_visible(app->db, in->recipe_id, req->user_id, &visible);
        if (st == DB_OK && !visible)
            fielderr_add(errors, "recipe_id", "invalid", "no recipe you can see has this id");
    }
    if (st == DB_OK && (kept_date == NULL || strcmp(kept_date, in->date) != 0)) {
        long long n = 0;
        st = mealplan_store_day_count(app->db, in->date, req->user_id, household, &n);
        if (st == DB_OK && n >= MEALPLAN_PER_DAY)
            fielderr_add(errors, "date", "quota", "at most 12 entries on one date");
    }
    return st;
}

/* Answers entry id as the caller sees it (status 200 or 201). */
static enum http_status send_entry(struct app *app, struct request *req, struct response *res,
                                   long long id, enum http_status status)
{
    struct mealplan_entry e = {0};
    enum db_status st = mealplan_store_get(app->db, id, req->user_id, &e, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (status == HTTP_CREATED) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/me/mealplan/%lld", id);
        response_header(res, "Location", loc, 1);
    }
    return households_send_tagged(req, res, status, entry_json(&e));
}

/* The 422 of errors, or HTTP_OK when there are none. */
static enum http_status invalid(struct response *res, const struct request *req,
                                const struct field_errors *errors)
{
    if (errors->count == 0)
        return HTTP_OK;
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", errors);
}

/* Stores a new entry from a validated in. */
static enum http_status create(struct app *app, struct request *req, struct response *res,
                               const struct mealplan_input *in, int household)
{
    long long hid = 0, id = 0;
    struct field_errors errors = {0};
    enum http_status rc = household ? households_of_caller(app, req, res, &hid) : HTTP_OK;
    if (rc != HTTP_OK)
        return rc;
    if (household && hid == 0)
        fielderr_add(&errors, "household", "invalid", "you are in no household");
    enum db_status st = check_refs(app, req, in, hid, 0, NULL, &errors);
    if (st == DB_OK && (rc = invalid(res, req, &errors)) != HTTP_OK)
        return rc;
    if (st == DB_OK)
        st =
            mealplan_store_insert(app->db, hid != 0 ? 0 : req->user_id, hid, req->user_id, in, &id);
    return st != DB_OK ? api_db_problem(app, req, res, st)
                       : send_entry(app, req, res, id, HTTP_CREATED);
}

enum http_status mealplan_create(struct app *app, struct request *req, struct response *res)
{
    enum http_status status;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct field_errors errors = {0};
    struct mealplan_input in = {0};
    int household = 0;
    read_input(o, &in, &household, &errors);
    status = invalid(res, req, &errors);
    if (status == HTTP_OK)
        status = create(app, req, res, &in, household);
    json_object_put(o); /* in's strings live in o */
    return status;
}

enum http_status mealplan_show(struct app *app, struct request *req, struct response *res)
{
    return send_entry(app, req, res, req->id, HTTP_OK);
}

/* If-Match against the entry as the caller sees it now: HTTP_OK or 412. */
static enum http_status check_if_match(const struct mealplan_entry *e, struct request *req,
                                       struct response *res)
{
    const char *want = request_header(req, "if-match");
    if (want == NULL)
        return HTTP_OK;
    struct response probe;
    if (response_init(&probe, req->arena) != 0 ||
        households_send_tagged(req, &probe, HTTP_OK, entry_json(e)) != HTTP_OK)
        return HTTP_INTERNAL_ERROR;
    const char *tag = response_header_get(&probe, "ETag");
    if (tag != NULL && etag_match(want, tag, 0))
        return HTTP_OK;
    return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                       "the entry changed since you read it; fetch it again", NULL);
}

/* Writes in over e (the caller's, read just now). */
static enum http_status replace(struct app *app, struct request *req, struct response *res,
                                const struct mealplan_entry *e, const struct mealplan_input *in)
{
    struct field_errors errors = {0};
    enum db_status st = check_refs(app, req, in, e->household_id, e->recipe_id, e->date, &errors);
    enum http_status rc = HTTP_OK;
    if (st == DB_OK && (rc = invalid(res, req, &errors)) != HTTP_OK)
        return rc;
    int stale = 0;
    if (st == DB_OK)
        st = mealplan_store_update(app->db, e->id, e->version, req->user_id, in, &stale);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (stale)
        return api_problem(res, req, HTTP_PRECONDITION_FAILED,
                           "the entry changed or went while you wrote; fetch it again", NULL);
    return send_entry(app, req, res, e->id, HTTP_OK);
}

enum http_status mealplan_replace(struct app *app, struct request *req, struct response *res)
{
    struct mealplan_entry e = {0};
    enum db_status st = mealplan_store_get(app->db, req->id, req->user_id, &e, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    enum http_status status = check_if_match(&e, req, res);
    if (status != HTTP_OK)
        return status;
    struct json_object *o = api_parse_body(req, res, &status);
    if (o == NULL)
        return status;
    struct field_errors errors = {0};
    struct mealplan_input in = {0};
    read_input(o, &in, NULL, &errors);
    status = invalid(res, req, &errors);
    if (status == HTTP_OK)
        status = replace(app, req, res, &e, &in);
    json_object_put(o);
    return status;
}

/* 204 when deleted said a row went, else 404 (or the database problem). */
static enum http_status gone(struct app *app, struct request *req, struct response *res,
                             enum db_status st, int deleted)
{
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!deleted)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status mealplan_delete(struct app *app, struct request *req, struct response *res)
{
    int deleted = 0;
    enum db_status st = mealplan_store_delete(app->db, req->id, req->user_id, &deleted);
    return gone(app, req, res, st, deleted);
}

static int feed_item(void *row, void *ctx)
{
    const struct mealplan_feed *f = row;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 1;
    json_object_object_add(o, "id", json_object_new_int64(f->id));
    json_object_object_add(o, "created_at", json_object_new_string(f->created_at));
    json_object_object_add(o, "last_used_at", api_opt_string(f->last_used_at));
    return json_object_array_add(ctx, o) != 0 ? (json_object_put(o), 1) : 0;
}

enum http_status mealplan_feeds_list(struct app *app, struct request *req, struct response *res)
{
    struct json_object *items = NULL, *o = households_items_new(&items);
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = mealplan_store_feeds(app->db, req->user_id, req->arena, feed_item, items);
    return households_items_send(app, req, res, o, st);
}

enum http_status mealplan_feeds_create(struct app *app, struct request *req, struct response *res)
{
    long long n = 0, id = 0;
    enum db_status st = mealplan_store_feeds_count(app->db, req->user_id, &n);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (n >= MEALPLAN_FEEDS_MAX) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "feeds", "quota", "an account keeps at most 10 feeds; revoke one");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "feed quota reached", &errors);
    }
    char text[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], path[96], url[CONFIG_STR + 96];
    if (token_new(text) != 0)
        return HTTP_INTERNAL_ERROR;
    token_sha256_hex(text, strlen(text), hash);
    if ((st = mealplan_store_feed_insert(app->db, req->user_id, hash, &id)) != DB_OK)
        return api_db_problem(app, req, res, st);
    snprintf(path, sizeof(path), "/api/v1/calendar/%s", text);
    if (snprintf(url, sizeof(url), "%s%s", app->cfg->public_url, path) >= (int)sizeof(url))
        return HTTP_INTERNAL_ERROR;
    api_audit(app, req, req->user_id, "calendar_feed_create", NULL);
    struct json_object *o = json_object_new_object();
    if (o != NULL) { /* the only time the token is shown */
        json_object_object_add(o, "id", json_object_new_int64(id));
        json_object_object_add(o, "token", json_object_new_string(text));
        json_object_object_add(o, "url", json_object_new_string(url));
    }
    response_header(res, "Location", path, 1);
    return api_send(res, HTTP_CREATED, o);
}

enum http_status mealplan_feeds_delete(struct app *app, struct request *req, struct response *res)
{
    int deleted = 0;
    enum db_status st = mealplan_store_feed_delete(app->db, req->id, req->user_id, &deleted);
    return gone(app, req, res, st, deleted);
}

/* What the feed writes per entry. */
struct feed_ctx {
    struct strbuf *out;
    const char *host;
};

/* The slot's display name. */
static const char *slot_name(const char *slot)
{
    for (size_t i = 0; slots[i] != NULL; i++)
        if (strcmp(slots[i], slot) == 0)
            return slot_names[i];
    return slot;
}

static int feed_event(void *row, void *ctx)
{
    const struct mealplan_entry *e = row;
    struct feed_ctx *f = ctx;
    char uid[256], summary[2200], description[2400];
    int y = 0, m = 0, d = 0;
    if (ical_date_parse(e->date, &y, &m, &d) != 0)
        return 1;
    const char *what = e->recipe_id == 0   ? e->note
                       : e->recipe_visible ? e->recipe_title
                                           : "recipe unavailable";
    const char *note = e->recipe_id != 0 && e->note != NULL ? e->note : "";
    char servings[32] = "";
    if (e->servings > 0)
        snprintf(servings, sizeof(servings), "%sServings: %lld", note[0] ? "\n" : "", e->servings);
    if (snprintf(uid, sizeof(uid), "mealplan-%lld@%s", e->id, f->host) >= (int)sizeof(uid) ||
        snprintf(summary, sizeof(summary), "%s: %s", slot_name(e->slot),
                 what != NULL ? what : "") >= (int)sizeof(summary) ||
        snprintf(description, sizeof(description), "%s%s", note, servings) >=
            (int)sizeof(description))
        return 1;
    struct ical_event ev = {uid, y, m, d, summary, description, e->dtstamp};
    ical_event(f->out, &ev);
    return 0;
}

/* The host of [server] public_url (for UIDs), or "recipebox". */
static const char *uid_host(const struct app *app, char *buf, size_t size)
{
    const char *u = app->cfg->public_url, *p = strstr(u, "://");
    if (p == NULL)
        return "recipebox";
    p += 3;
    size_t n = strcspn(p, ":/");
    if (n == 0 || n >= size)
        return "recipebox";
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

/* The token of the path ("TOKEN" or "TOKEN.ics") when it has a token's
 * shape, copied into out; else -1. */
static int feed_token(const char *param, char out[TOKEN_TEXT])
{
    size_t n = strlen(param);
    if (n > 4 && strcmp(param + n - 4, ".ics") == 0)
        n -= 4;
    if (n != TOKEN_TEXT - 1)
        return -1;
    memcpy(out, param, n);
    out[n] = '\0';
    return token_valid(out) ? 0 : -1;
}

enum http_status mealplan_feed(struct app *app, struct request *req, struct response *res)
{
    char text[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], host[128];
    long long feed = 0, owner = 0;
    if (feed_token(req->params[0], text) != 0)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    token_sha256_hex(text, strlen(text), hash);
    enum db_status st = mealplan_store_feed_use(app->db, hash, &feed, &owner);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    struct strbuf out = {0};
    struct feed_ctx ctx = {&out, uid_host(app, host, sizeof(host))};
    ical_begin(&out, "-//recipebox//meal plan//EN", "Meal plan");
    st = mealplan_store_range(app->db, owner, NULL, NULL, req->arena, feed_event, &ctx);
    ical_end(&out);
    size_t len = 0;
    char *body = strbuf_finish(&out, &len);
    if (st != DB_OK || body == NULL) {
        free(body);
        return st != DB_OK ? api_db_problem(app, req, res, st) : HTTP_INTERNAL_ERROR;
    }
    int rc = response_body(res, HTTP_OK, "text/calendar; charset=utf-8", body, len);
    free(body);
    api_cache_private(res);
    return rc == 0 ? HTTP_OK : HTTP_INTERNAL_ERROR;
}
