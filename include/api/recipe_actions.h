/* What users do to a recipe besides editing it: rate, favorite, and (for
 * moderators) hide. See app/api/recipe_actions.c. */
#ifndef RB_API_RECIPE_ACTIONS_H
#define RB_API_RECIPE_ACTIONS_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status recipe_actions_rate(struct app *app, struct request *req, struct response *res);
enum http_status recipe_actions_unrate(struct app *app, struct request *req, struct response *res);
enum http_status recipe_actions_favorite(struct app *app, struct request *req,
                                         struct response *res);
enum http_status recipe_actions_unfavorite(struct app *app, struct request *req,
                                           struct response *res);
enum http_status recipe_actions_hide(struct app *app, struct request *req, struct response *res);
enum http_status recipe_actions_unhide(struct app *app, struct request *req, struct response *res);

#endif
