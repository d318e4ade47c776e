/* Two-factor authentication with TOTP: enrolment (/api/v1/me/mfa...), the
 * second step of a login (/api/v1/auth/mfa) and re-authentication
 * (/api/v1/auth/reauth). Secrets are sealed with [auth] secret_key
 * (lib/secretbox); codes are checked by liboath (lib/totp) on the clock of
 * http/clock.h, each time step once per account. */
#ifndef RB_API_TWOFACTOR_H
#define RB_API_TWOFACTOR_H

#include "db/db.h"
#include "http/status.h"

struct app;
struct request;
struct response;
struct user;

#define TWOFACTOR_TOKEN_SECONDS 300 /* life of a login's mfa_token */
#define TWOFACTOR_RECOVERY_CODES 10

/* The associated data that binds a sealed TOTP secret to its account
 * ("recipebox totp user ID") into buf; its length, 0 when it does not fit. */
size_t twofactor_owner_ad(long long user_id, char *buf, size_t size);

/* *on = 1 when user_id has TOTP enabled (confirmed). */
enum db_status twofactor_enabled(struct app *app, long long user_id, int *on);

/* The password step of a login to an account with TOTP on: no session, a
 * single-use mfa_token bound to u for TWOFACTOR_TOKEN_SECONDS, answered as
 * {"mfa_required": true, "mfa_token": "..."}. */
enum http_status twofactor_challenge(struct app *app, struct request *req, struct response *res,
                                     const struct user *u);

enum http_status twofactor_status(struct app *app, struct request *req, struct response *res);
enum http_status twofactor_enrol(struct app *app, struct request *req, struct response *res);
enum http_status twofactor_confirm(struct app *app, struct request *req, struct response *res);
enum http_status twofactor_disable(struct app *app, struct request *req, struct response *res);
enum http_status twofactor_recovery_codes(struct app *app, struct request *req,
                                          struct response *res);
enum http_status twofactor_login(struct app *app, struct request *req, struct response *res);
enum http_status twofactor_reauth(struct app *app, struct request *req, struct response *res);

#endif
