/* Cookie sessions: loading the session named by the session cookie,
 * issuing and clearing the cookie, and the CSRF and Origin checks that go
 * with it. */
#ifndef RB_HTTP_SESSION_H
#define RB_HTTP_SESSION_H

#include <stddef.h>

struct app;
struct config;
struct request;
struct response;

/* The cookie's name, and its name when the browser must keep it host-only
 * and Secure (session_cookie_name says which one a config uses). */
#define SESSION_COOKIE "rb_session"
#define SESSION_COOKIE_HOST "__Host-rb_session"

/* The session cookie's name under cfg: SESSION_COOKIE_HOST when
 * cookie_secure is on and cookie_domain is empty (browsers then accept it
 * only with Secure, Path=/ and no Domain, so no other host of the site can
 * set or shadow it), SESSION_COOKIE otherwise. A static string; cfg must
 * not be NULL. */
const char *session_cookie_name(const struct config *cfg);

/* Writes the Set-Cookie value for the session cookie under cfg into buf:
 * name=value, Domain when cookie_domain is set, Path=/, Max-Age, HttpOnly,
 * SameSite=Lax, Secure when cookie_secure. Returns 0, or -1 when it does
 * not fit in size bytes (buf then holds nothing usable). */
int session_cookie_format(const struct config *cfg, const char *value, unsigned max_age, char *buf,
                          size_t size);

/* Fills req's user fields from the session cookie (session_cookie_name),
 * or from a personal access token in "Authorization: Bearer" (req->token_id
 * and token_write then; session_id stays 0). Returns 0 (also for no cookie
 * or a dead session: anonymous; another Authorization scheme is ignored),
 * or the status of the problem answer it set on res: 400 for two session
 * cookies, or a session cookie and a bearer token (type
 * PROBLEM_TYPE_AMBIGUOUS); 401 with WWW-Authenticate for a bearer token
 * that is malformed, unknown, expired or revoked (never anonymous
 * instead); 503 when the database cannot be asked. */
int session_load(struct app *app, struct request *req, struct response *res);

/* Creates a session for user_id and sets the cookie on res. csrf_out
 * receives the new CSRF token (44 bytes). Returns 0 or an HTTP status. */
int session_start(struct app *app, struct request *req, struct response *res, long long user_id,
                  char *csrf_out);

/* Deletes the request's session and clears the cookie. 0 or a status. */
int session_end(struct app *app, struct request *req, struct response *res);

/* 1 when the X-CSRF-Token header equals the session's token (constant time). */
int session_csrf_ok(const struct request *req);

/* 1 when the request has no Origin header or one in [security]
 * allowed_origins (compared as cors_origin_allowed does: exactly, and
 * "null" never). */
int session_origin_ok(const struct app *app, const struct request *req);

#endif
