/* Helpers every resource handler shares: problem answers, JSON bodies,
 * cursor pages, the user representation and audit events. */
#ifndef RB_API_COMMON_H
#define RB_API_COMMON_H

#include <stddef.h>

#include "db/db.h"
#include "http/status.h"

struct app;
struct arena;
struct field_errors;
struct json_object;
struct request;
struct response;
struct user;

/* Sets a problem+json answer; returns status (HTTP_INTERNAL_ERROR if even
 * that failed). detail and errors may be NULL. */
enum http_status api_problem(struct response *res, const struct request *req,
                             enum http_status status, const char *detail,
                             const struct field_errors *errors);

/* Parses the body as a strict JSON object (the caller owns it); on failure
 * sets a 400 answer, stores its status in *status and returns NULL. */
struct json_object *api_parse_body(const struct request *req, struct response *res,
                                   enum http_status *status);

/* Serialises obj as the answer (obj is released; NULL gives
 * HTTP_INTERNAL_ERROR). Returns status or HTTP_INTERNAL_ERROR. */
enum http_status api_send(struct response *res, enum http_status status, struct json_object *obj);

/* 400 "invalid query parameters" listing errors. */
enum http_status api_bad_query(struct response *res, const struct request *req,
                               const struct field_errors *errors);

/* Where a page of a list starts: after the row with this id and (for lists
 * ordered by a sort key) this key. id 0 = from the start. */
struct api_cursor {
    long long key, id;
};

/* Reads the limit (1..100, 20 when absent or bad) and cursor query
 * parameters into *limit and *after. kind 0 reads an id cursor, 'a'..'z'
 * a keyed cursor of that order (a cursor of another order is bad). A bad
 * value is added to errors, which may already hold others; returns the
 * number added. */
unsigned api_page_query(const struct request *req, char kind, unsigned *limit,
                        struct api_cursor *after, struct field_errors *errors);

/* api_page_query for a list with no other parameters to check: HTTP_OK, or
 * the 400 "invalid query parameters" it answered. */
enum http_status api_page_args(const struct request *req, struct response *res, char kind,
                               unsigned *limit, struct api_cursor *after);

/* A page of a list, built one row at a time by a db_row_fn. The page owns
 * items until api_send_page (or json_object_put(items) on an error path). */
struct api_page {
    struct json_object *items;
    long long last_id, last_key; /* the last row added: the next cursor */
    unsigned count, limit;
    char kind;  /* as in api_page_query */
    int failed; /* an item could not be made: the answer is a 500 */
};

/* An empty page of at most limit items whose cursors are of kind. 0, or -1
 * when out of memory. */
int api_page_init(struct api_page *p, unsigned limit, char kind);

/* Appends item (consumed) as the row (id, key); key is ignored for id
 * cursors. 0, or -1 when item is NULL or cannot be added: the page is then
 * failed and -1 stops a db_row_fn walk. */
int api_page_add(struct api_page *p, struct json_object *item, long long id, long long key);

/* Answers {"items": [...], "next_cursor": ...} (p->items is consumed). A
 * full page gets a next_cursor and a Link rel="next" to req->path: with
 * keep_query, the request's query with the cursor replaced (filters carry
 * over); else "?limit=N&cursor=C". A failed page is HTTP_INTERNAL_ERROR. */
enum http_status api_send_page(struct response *res, const struct request *req, struct api_page *p,
                               int keep_query);

/* Ends a list handler: the page (p->items consumed) when the walk that
 * filled it answered st = DB_OK, else the database's problem. */
enum http_status api_page_finish(struct app *app, const struct request *req, struct response *res,
                                 struct api_page *p, enum db_status st, int keep_query);

/* Where a newest-first list (ids descending) starts: below the cursor's
 * id, or below every id on the first page. */
long long api_page_before(const struct api_cursor *c);

/* A walk of a newest-first list: rows with id < before, at most limit. */
typedef enum db_status (*api_page_walk)(struct db *db, long long before, unsigned limit,
                                        struct arena *a, db_row_fn fn, void *ctx);

/* The whole handler of a newest-first list with no filters: paging
 * parameters, the walk, item per row, the page. */
enum http_status api_newest_page(struct app *app, struct request *req, struct response *res,
                                 api_page_walk walk, db_row_fn item);

/* A JSON string, or JSON null for NULL. */
struct json_object *api_opt_string(const char *s);

/* The public representation of a user; with self, also the email. NULL
 * when out of memory. */
struct json_object *api_user_json(const struct user *u, int self);

/* Writes an audit event to audit_log and the log. actor 0 = none; target
 * may be NULL. */
void api_audit(struct app *app, const struct request *req, long long actor, const char *action,
               const char *target);

/* The same with a detail (the new role of a role change, ...); target is
 * whom the event is about (a username), detail what changed. */
void api_audit_detail(struct app *app, const struct request *req, long long actor,
                      const char *action, const char *target, const char *detail);

/* The per-account quotas of [ratelimit]: how many recipes or comments an
 * account keeps, how many bytes its recipes' images take. */
enum api_quota { QUOTA_RECIPES = 0, QUOTA_COMMENTS, QUOTA_IMAGE_BYTES };

/* HTTP_OK while the account is under quota which (0 = none), else 422
 * naming it (field "recipes", "comments" or "image_bytes", code "quota")
 * or the database's status. */
enum http_status api_quota(struct app *app, const struct request *req, struct response *res,
                           enum api_quota which);

/* An email from a body: its normal form into norm (NFC, trimmed, lower-cased;
 * look-alikes refused: lib/identity) and the form to show into shown. 0,
 * or -1 with an "email" field error added (or, out of memory, none). */
int api_email(const char *typed, char *norm, size_t normlen, char *shown, size_t shownlen,
              struct field_errors *errors);

/* 0 when s is an acceptable display name (no controls, bidi overrides or
 * invisible characters); else -1 with a "display_name" field error. */
int api_display_name(const char *s, size_t len, struct field_errors *errors);

/* Cache-Control and Vary of a read. shared: an anonymous read of what
 * everyone sees alike, which a shared cache may keep for max_age ([cache]
 * max_age or list_max_age) with the configured stale windows; anything
 * else is private, no-store. */
void api_cache_headers(const struct app *app, struct response *res, int shared, unsigned max_age);

/* Cache-Control: private, no-store (and Vary) of a personal read. */
void api_cache_private(struct response *res);

/* The answer for a database status other than DB_OK: db_http_status's,
 * and for DB_INVALID a 422 naming the column the server refused. */
enum http_status api_db_problem(struct app *app, const struct request *req, struct response *res,
                                enum db_status st);

/* Recent authentication for a sensitive change (password, email, account
 * deletion, MFA changes, API tokens): HTTP_OK when the session's owner
 * logged in or passed POST /api/v1/auth/reauth within [auth]
 * reauth_window minutes; else 401 with problem type
 * PROBLEM_TYPE_BASE "reauth_required" for the dispatcher to render (the
 * caller returns the status as it is, with no body of its own). A request
 * without a session (anonymous, or a bearer token) is never recent. */
enum http_status api_recent_auth(struct request *req);

#endif
