/* Personal access tokens: yours under /me/tokens, any user's for admins.
 * The secret is in the creation answer only; the store keeps its SHA-256. */
#ifndef RB_API_TOKENS_H
#define RB_API_TOKENS_H

#include "http/status.h"

struct app;
struct request;
struct response;

#define TOKENS_NAME_MAX 100            /* characters of a token's name */
#define TOKENS_PER_USER 50             /* tokens one account keeps */
#define TOKENS_MAX_LIFETIME 31622400LL /* seconds an expires_at may lie ahead: 366 days */

enum http_status tokens_list(struct app *app, struct request *req, struct response *res);
enum http_status tokens_show(struct app *app, struct request *req, struct response *res);
enum http_status tokens_create(struct app *app, struct request *req, struct response *res);
enum http_status tokens_delete(struct app *app, struct request *req, struct response *res);
enum http_status tokens_admin_list(struct app *app, struct request *req, struct response *res);
enum http_status tokens_admin_delete(struct app *app, struct request *req, struct response *res);

#endif
