/* Accounts and sessions: /api/v1/auth/... and /api/v1/me. */
#ifndef RB_API_AUTH_H
#define RB_API_AUTH_H

#include <stddef.h>

#include "http/status.h"

struct app;
struct request;
struct response;
struct config;
struct field_errors;
struct user;

enum http_status auth_register(struct app *app, struct request *req, struct response *res);
enum http_status auth_login(struct app *app, struct request *req, struct response *res);
enum http_status auth_logout(struct app *app, struct request *req, struct response *res);
enum http_status auth_session(struct app *app, struct request *req, struct response *res);
enum http_status auth_me(struct app *app, struct request *req, struct response *res);
enum http_status auth_sessions_list(struct app *app, struct request *req, struct response *res);
enum http_status auth_session_revoke(struct app *app, struct request *req, struct response *res);
enum http_status auth_password(struct app *app, struct request *req, struct response *res);

/* Checks password for account u (NULL: no such account, checked against a
 * dummy hash for the same time) under the lockout, which counts per
 * account (username and email share it) and per client address. Returns
 * HTTP_OK when it matches and the account is active; otherwise the answer
 * is set and its status returned: 429 with Retry-After while locked,
 * wrong_status (401 at login, 403 for re-authentication) with wrong_detail
 * and the failure counted, 503 when the counts cannot be read. login is the
 * string the client gave. */
enum http_status auth_verify_password(struct app *app, struct request *req, struct response *res,
                                      const struct user *u, const char *login, const char *password,
                                      size_t len, enum http_status wrong_status,
                                      const char *wrong_detail);

/* Checks a new password against [auth]'s policy; adds an error under
 * field and returns -1 when refused, else 0. */
int auth_check_password(const struct config *cfg, const char *field, const char *pw, size_t len,
                        struct field_errors *errors);
/* The account lockout of auth_verify_password for checks of other secrets
 * (TOTP and recovery codes), keyed the same way, so that one count covers
 * passwords and codes. check: HTTP_OK, or 429 (Retry-After) / 503 answered.
 * fail: counts a failure and writes action to the audit log. clear: a
 * complete authentication resets the account's count. u is not NULL. */
enum http_status auth_lockout_check(struct app *app, struct request *req, struct response *res,
                                    const struct user *u);
void auth_lockout_fail(struct app *app, struct request *req, const struct user *u,
                       const char *action);
void auth_lockout_clear(struct app *app, const struct user *u);

/* Ends a successful login: a new session (cookie set), the audit entry
 * "login" with detail how (NULL, "totp" or "recovery_code") and the answer
 * {"user", "csrf_token"}. */
enum http_status auth_session_answer(struct app *app, struct request *req, struct response *res,
                                     const struct user *u, const char *how);

#endif
