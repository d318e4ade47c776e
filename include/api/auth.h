/* Accounts and sessions: /api/v1/auth/... and /api/v1/me. */
#ifndef RB_API_AUTH_H
#define RB_API_AUTH_H

struct app;
struct request;
struct response;

int auth_register(struct app *app, struct request *req, struct response *res);
int auth_login(struct app *app, struct request *req, struct response *res);
int auth_logout(struct app *app, struct request *req, struct response *res);
int auth_session(struct app *app, struct request *req, struct response *res);
int auth_me(struct app *app, struct request *req, struct response *res);
int auth_sessions_list(struct app *app, struct request *req, struct response *res);
int auth_session_revoke(struct app *app, struct request *req, struct response *res);
int auth_password(struct app *app, struct request *req, struct response *res);

/* Lower-cases ASCII and trims surrounding white space into out (size
 * bytes). Returns the length, or -1 when it does not fit. Pure. */
long auth_normalize(const char *in, char *out, unsigned long size);

/* 1 for a valid normalised username: 3..32 of [a-z0-9_.-]. */
int auth_username_valid(const char *norm);

/* 1 for a plausible normalised email: one '@', non-empty parts, a dot in
 * the domain, no white space, at most 254 bytes. */
int auth_email_valid(const char *norm);

#endif
