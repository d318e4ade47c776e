/* Recipes: create, read, replace, merge-patch, delete (api/recipes.c); the
 * lists and tag counts (api/recipe_lists.c); ratings, favorites and
 * moderation (api/recipe_actions.c). The shared rules — who may see a
 * recipe, what its representation is — live in api/recipes.c. */
#ifndef RB_API_RECIPES_H
#define RB_API_RECIPES_H

#include "http/status.h"

struct app;
struct json_object;
struct recipe_row;
struct request;
struct response;

enum http_status recipes_create(struct app *app, struct request *req, struct response *res);
enum http_status recipes_show(struct app *app, struct request *req, struct response *res);
enum http_status recipes_replace(struct app *app, struct request *req, struct response *res);
enum http_status recipes_patch(struct app *app, struct request *req, struct response *res);
enum http_status recipes_delete(struct app *app, struct request *req, struct response *res);

/* Answers 201 with recipe id's representation, its ETag and a Location:
 * what creating a recipe (POST /recipes, an import) answers. */
enum http_status recipes_answer_created(struct app *app, struct request *req, struct response *res,
                                        long long id);

/* 1 when the caller may see the recipe: private ones only its author and
 * admins, hidden ones also moderators; unlisted and public ones everyone. */
int recipes_visible(const struct recipe_row *r, const struct request *req);

/* Loads recipe {id} (the route's first parameter) as the caller sees it.
 * Returns HTTP_OK, or the status already answered (404 also for
 * invisible). */
enum http_status recipes_load(struct app *app, struct request *req, struct response *res,
                              struct recipe_row *r);

/* What recipes_json builds: with the steps (a recipe, not a list item),
 * and with the stored child arrays spliced in as they are, unparsed (for a
 * representation that is only serialised, never read back: not JSON-LD). */
#define RECIPES_STEPS 1
#define RECIPES_RAW 2

/* The representation (flags: RECIPES_*). The viewer's own fields
 * (my_rating, favorited_by_me) only when logged in. */
struct json_object *recipes_json(const struct app *app, const struct recipe_row *r,
                                 const struct request *req, int flags);

/* Answers 200 with only these members (NULL-terminated) of recipe id's
 * current representation: what a rating, favorite or image change shows. */
enum http_status recipes_send_members(struct app *app, struct request *req, struct response *res,
                                      long long id, const char *const *keys);

#endif
