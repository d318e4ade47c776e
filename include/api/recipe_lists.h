/* Recipe lists and tag counts (see app/api/recipe_lists.c). */
#ifndef RB_API_RECIPE_LISTS_H
#define RB_API_RECIPE_LISTS_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status recipe_lists_index(struct app *app, struct request *req, struct response *res);
enum http_status recipe_lists_by_user(struct app *app, struct request *req, struct response *res);
enum http_status recipe_lists_favorites(struct app *app, struct request *req, struct response *res);
enum http_status recipe_lists_tags(struct app *app, struct request *req, struct response *res);

#endif
