/* Users: public profiles, your own account (PATCH/DELETE /me), and the
 * admin endpoints over users and the audit log. */
#ifndef RB_API_USERS_H
#define RB_API_USERS_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status users_profile(struct app *app, struct request *req, struct response *res);
enum http_status users_me_patch(struct app *app, struct request *req, struct response *res);
enum http_status users_me_delete(struct app *app, struct request *req, struct response *res);
enum http_status users_admin_list(struct app *app, struct request *req, struct response *res);
enum http_status users_admin_patch(struct app *app, struct request *req, struct response *res);
enum http_status users_admin_audit(struct app *app, struct request *req, struct response *res);

#endif
