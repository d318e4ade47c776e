/* Collections (cookbooks): create, read, merge-patch and delete a
 * collection; add, remove and reorder its recipes; list its recipes and a
 * user's collections. Who may see and change what is decided in
 * api/collections.c; which member recipes a reader sees follows
 * recipes_visible (api/recipes.c), per reader. docs/api.md has the rules. */
#ifndef RB_API_COLLECTIONS_H
#define RB_API_COLLECTIONS_H

#include "http/status.h"

struct app;
struct request;
struct response;

/* POST /collections: 201 + Location + ETag. */
enum http_status collections_create(struct app *app, struct request *req, struct response *res);
/* GET /collections/{id}: ETag, If-None-Match. */
enum http_status collections_show(struct app *app, struct request *req, struct response *res);
/* PATCH /collections/{id}: JSON Merge Patch, If-Match. */
enum http_status collections_patch(struct app *app, struct request *req, struct response *res);
/* DELETE /collections/{id}: the owner, or an admin (audited). */
enum http_status collections_delete(struct app *app, struct request *req, struct response *res);
/* GET /collections/{id}/recipes: the members the caller may see, in order. */
enum http_status collections_recipes(struct app *app, struct request *req, struct response *res);
/* PUT /collections/{id}/recipes: the new order, {"recipe_ids": [...]}. */
enum http_status collections_reorder(struct app *app, struct request *req, struct response *res);
/* PUT /collections/{id}/recipes/{recipe_id}: add (idempotent). */
enum http_status collections_add(struct app *app, struct request *req, struct response *res);
/* DELETE /collections/{id}/recipes/{recipe_id}: remove. */
enum http_status collections_remove(struct app *app, struct request *req, struct response *res);
/* GET /users/{username}/collections: public ones; the owner's own: all. */
enum http_status collections_by_user(struct app *app, struct request *req, struct response *res);

#endif
