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

#endif
