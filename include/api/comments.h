/* Comments on recipes: list, add, delete (author, moderator, admin), hide
 * (moderator, admin). See app/api/comments.c. */
#ifndef RB_API_COMMENTS_H
#define RB_API_COMMENTS_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status comments_index(struct app *app, struct request *req, struct response *res);
enum http_status comments_create(struct app *app, struct request *req, struct response *res);
enum http_status comments_delete(struct app *app, struct request *req, struct response *res);
enum http_status comments_hide(struct app *app, struct request *req, struct response *res);
enum http_status comments_unhide(struct app *app, struct request *req, struct response *res);

#endif
