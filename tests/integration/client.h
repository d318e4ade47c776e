/* What the resource suites share on top of http.c: the fixtures (a new
 * user with a session, a second session, a user with a role, a recipe),
 * calls made as a user, JSON bodies read with json-c, the `recipebox user`
 * CLI, and the per-request statement count from the app's log. */
#ifndef RB_TESTS_CLIENT_H
#define RB_TESTS_CLIENT_H

#include <stddef.h>

#include "http.h"

struct json_object;

/* The password of every fixture user. */
#define CLIENT_PASSWORD "correct horse battery"
/* Cache-Control of an anonymous public read under the test config
 * (tests/support/pool.sh [cache]), and of anything personal */
#define CLIENT_CACHE_PUBLIC "public, max-age=3, stale-while-revalidate=2, stale-if-error=600"
#define CLIENT_CACHE_PRIVATE "private, no-store"

/* A user and one of its sessions, as the fixtures below fill it. */
struct client_user {
    char name[64];
    char email[96];
    char cookie[64];
    char csrf[64];
    long long id;
};

/* A unique suffix for this run and front ("nginx12345"), for names. */
const char *client_tag(void);

/* The fixture of most tests: registers a new user named PREFIX + tag +
 * counter (email NAME@example.org, password CLIENT_PASSWORD) and keeps the
 * session the registration starts: u gets name, email, cookie, CSRF token
 * and id. 0; -1 after printing to stderr which step failed and what the
 * server answered (usable in a suite's init, where CUnit may not assert:
 * tests wrap it in CU_ASSERT_EQUAL_FATAL(..., 0)). */
int client_new_user(struct client_user *u, const char *prefix);

/* client_new_user, then ROLE ("moderator", "admin") set with the CLI and a
 * new login, so that u's session carries the role. 0/-1 as above. */
int client_new_user_as(struct client_user *u, const char *prefix, const char *role);

/* A second session of u's account (another device): s becomes a copy of
 * u with a session of its own from a new login; u's is untouched. s may
 * not be u. 0/-1 as above. */
int client_new_session(struct client_user *s, const struct client_user *u);

/* Logs u in again (a fresh session replaces u's). Returns the status. */
int client_login(struct client_user *u);

/* METHOD path as u (NULL = anonymous): the cookie, and X-CSRF-Token on
 * state changes. content_type NULL with a body means application/json.
 * extra: more "Name: value" headers, NULL-terminated, or NULL. */
int client_call(const char *method, const char *path, const struct client_user *u,
                const char *content_type, const char *body, const char *const *extra,
                struct http_response *r);

/* client_call without extra headers, for a check of the status only: the
 * response is freed. body NULL: none. */
int client_status(const char *method, const char *path, const struct client_user *u,
                  const char *body);

/* POSTs a JSON body as u; the "id" of the 201 answer, or -1. */
long long client_create(const char *path, const struct client_user *u, const char *body);

/* A valid recipe body (title, description, servings, times, two
 * ingredients, two steps, tags) with extra members spliced in before the
 * closing brace (",\"k\":v", or "" for none; a member extra names replaces
 * the default one, since keys may not repeat); truncated to len. */
void client_recipe_body(char *out, size_t len, const char *title, const char *extra);

/* Creates client_recipe_body(title, extra) as u; its id, or -1. */
long long client_new_recipe(const struct client_user *u, const char *title, const char *extra);

/* How many items of the list GET path (as u; NULL = anonymous) answers
 * have this "id"; 0 also when the read fails. */
int client_list_has(const char *path, const struct client_user *u, long long id);

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
 * carries the role. 0/-1, silently (client_new_user_as says why). */
int client_set_role(struct client_user *u, const char *role);

/* db_queries of the request with this X-Request-Id in RB_LOG, waiting for
 * the buffered line up to 3 s; -1 when not found. */
long client_log_queries(const struct http_response *r);

#endif
