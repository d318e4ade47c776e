/* Accounts and sessions: /api/v1/auth/... and /api/v1/me. */
#ifndef RB_API_AUTH_H
#define RB_API_AUTH_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status auth_register(struct app *app, struct request *req, struct response *res);
enum http_status auth_login(struct app *app, struct request *req, struct response *res);
enum http_status auth_logout(struct app *app, struct request *req, struct response *res);
enum http_status auth_session(struct app *app, struct request *req, struct response *res);
enum http_status auth_me(struct app *app, struct request *req, struct response *res);
enum http_status auth_sessions_list(struct app *app, struct request *req, struct response *res);
enum http_status auth_session_revoke(struct app *app, struct request *req, struct response *res);
enum http_status auth_password(struct app *app, struct request *req, struct response *res);

#endif
