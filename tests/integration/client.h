/* What the resource suites share on top of http.c: users with a session
 * (cookie + CSRF token), calls made as a user, JSON bodies read with
 * json-c, the `recipebox user` CLI, and the per-request statement count
 * from the app's log. */
#ifndef RB_TESTS_CLIENT_H
#define RB_TESTS_CLIENT_H

#include <stddef.h>

#include "http.h"

struct json_object;

struct client_user {
    char name[64];
    char cookie[64];
    char csrf[64];
    long long id;
};

/* A unique suffix for this run and front ("nginx12345"), for names. */
const char *client_tag(void);

/* Registers a new user named PREFIX + tag + counter and keeps its session.
 * Returns the status (201 on success). */
int client_register(struct client_user *u, const char *prefix);

/* Logs u in again (a fresh session). Returns the status. */
int client_login(struct client_user *u);

/* METHOD path as u (NULL = anonymous): the cookie, and X-CSRF-Token on
 * state changes. content_type NULL with a body means application/json.
 * extra: more "Name: value" headers, NULL-terminated, or NULL. */
int client_call(const char *method, const char *path, const struct client_user *u,
                const char *content_type, const char *body, const char *const *extra,
                struct http_response *r);

/* POSTs a JSON body as u; the "id" of the 201 answer, or -1. */
long long client_create(const char *path, const struct client_user *u, const char *body);

/* The body as JSON (caller puts it), or NULL. */
struct json_object *client_json(const struct http_response *r);

/* Members by dotted path ("rating.count", "items.0.id"). Missing: NULL,
 * -1 or "". */
struct json_object *client_get(struct json_object *o, const char *path);
long long client_int(struct json_object *o, const char *path);
const char *client_str(struct json_object *o, const char *path);

/* 1 when the problem body's errors[] has an entry for field with code. */
int client_has_error(const struct http_response *r, const char *field, const char *code);

/* Runs `recipebox user ARGS -c RB_CONFIG` with input on stdin; exit code. */
int client_cli(const char *input, const char *args);

/* Makes u a moderator or admin (CLI) and logs in again so the session
 * carries the role. 0/-1. */
int client_set_role(struct client_user *u, const char *role);

/* db_queries of the request with this X-Request-Id in RB_LOG, waiting for
 * the buffered line up to 3 s; -1 when not found. */
long client_log_queries(const struct http_response *r);

#endif
