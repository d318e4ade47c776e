/* Shopping lists: a user's own lists and their household's, their items
 * (checked with If-Match), and adding a recipe's or a meal plan's
 * ingredients, aggregated into one line per name and unit dimension. See
 * app/api/shopping.c and docs/api.md "Shopping lists". */
#ifndef RB_API_SHOPPING_H
#define RB_API_SHOPPING_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status shopping_lists_index(struct app *app, struct request *req, struct response *res);
enum http_status shopping_lists_create(struct app *app, struct request *req, struct response *res);
enum http_status shopping_lists_show(struct app *app, struct request *req, struct response *res);
enum http_status shopping_lists_patch(struct app *app, struct request *req, struct response *res);
enum http_status shopping_lists_delete(struct app *app, struct request *req, struct response *res);
enum http_status shopping_items_create(struct app *app, struct request *req, struct response *res);
enum http_status shopping_items_show(struct app *app, struct request *req, struct response *res);
enum http_status shopping_items_patch(struct app *app, struct request *req, struct response *res);
enum http_status shopping_items_delete(struct app *app, struct request *req, struct response *res);
enum http_status shopping_add_recipe(struct app *app, struct request *req, struct response *res);
enum http_status shopping_add_mealplan(struct app *app, struct request *req, struct response *res);
enum http_status shopping_clear_checked(struct app *app, struct request *req, struct response *res);

#endif
