/* POST /api/v1/recipes/import: a recipe page (fetched by URL through the
 * guarded client, or pasted as text/html) or JSON-LD becomes a private
 * draft recipe of the caller. See app/api/recipe_import.c. */
#ifndef RB_API_RECIPE_IMPORT_H
#define RB_API_RECIPE_IMPORT_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status recipe_import_create(struct app *app, struct request *req, struct response *res);

#endif
