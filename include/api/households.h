/* Households: create one, invite users by username, accept or decline an
 * invite, leave, and (the creator) remove a member. Whoever is not a member
 * of a household gets 404 for it, as for anything they may not see
 * (docs/api.md, "Households"). */
#ifndef RB_API_HOUSEHOLDS_H
#define RB_API_HOUSEHOLDS_H

#include "db/db.h"
#include "http/status.h"

struct app;
struct json_object;
struct request;
struct response;

enum http_status households_create(struct app *app, struct request *req, struct response *res);
enum http_status households_show(struct app *app, struct request *req, struct response *res);
enum http_status households_mine(struct app *app, struct request *req, struct response *res);
enum http_status households_leave(struct app *app, struct request *req, struct response *res);
enum http_status households_invite(struct app *app, struct request *req, struct response *res);
enum http_status households_remove(struct app *app, struct request *req, struct response *res);
enum http_status households_my_invites(struct app *app, struct request *req, struct response *res);
enum http_status households_accept(struct app *app, struct request *req, struct response *res);
enum http_status households_decline(struct app *app, struct request *req, struct response *res);

/* The caller's household id in *id (0 when none). HTTP_OK, or the
 * database problem already answered. */
enum http_status households_of_caller(struct app *app, struct request *req, struct response *res,
                                      long long *id);

/* A new {"items": [], "next_cursor": null} with *items its array (owned by
 * the object), or NULL when out of memory. For the one-page lists. */
struct json_object *households_items_new(struct json_object **items);

/* Ends a one-page list: o (consumed) when the walk that filled it answered
 * st = DB_OK, else the database's problem. */
enum http_status households_items_send(struct app *app, struct request *req, struct response *res,
                                       struct json_object *o, enum db_status st);

/* Answers obj (consumed) with status, a strong ETag of the body and
 * private, no-cache; a GET whose If-None-Match matches gets 304. */
enum http_status households_send_tagged(struct request *req, struct response *res,
                                        enum http_status status, struct json_object *obj);

#endif
