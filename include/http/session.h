/* Cookie sessions: loading the session named by rb_session, issuing and
 * clearing the cookie, and the CSRF and Origin checks that go with it. */
#ifndef RB_HTTP_SESSION_H
#define RB_HTTP_SESSION_H

struct app;
struct request;
struct response;

#define SESSION_COOKIE "rb_session"

/* Fills req's user fields from the rb_session cookie. Returns 0 (also for
 * no cookie or a dead session: anonymous), 400 for two session cookies, or
 * 503 when the database cannot be asked. */
int session_load(struct app *app, struct request *req);

/* Creates a session for user_id and sets the cookie on res. csrf_out
 * receives the new CSRF token (44 bytes). Returns 0 or an HTTP status. */
int session_start(struct app *app, struct request *req, struct response *res, long long user_id,
                  char *csrf_out);

/* Deletes the request's session and clears the cookie. 0 or a status. */
int session_end(struct app *app, struct request *req, struct response *res);

/* 1 when the X-CSRF-Token header equals the session's token (constant time). */
int session_csrf_ok(const struct request *req);

/* 1 when the request has no Origin header or one in [security]
 * allowed_origins. */
int session_origin_ok(const struct app *app, const struct request *req);

#endif
