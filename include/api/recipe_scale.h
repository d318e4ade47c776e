/* The scaled and converted read of a recipe: GET /api/v1/recipes/{id}
 * with ?servings=N (1..1000) and/or ?units=original|metric|us. */
#ifndef RB_API_RECIPE_SCALE_H
#define RB_API_RECIPE_SCALE_H

#include "http/status.h"

struct recipe_row;
struct request;
struct response;

/* Reads the servings and units query parameters. Without either, leaves
 * r alone and returns HTTP_OK. Otherwise rewrites r->ingredients (a new
 * JSON text in the request's arena) with every quantity scaled by
 * servings/r->servings exactly and converted for units, each ingredient
 * with a "display" form and its stored "quantity" and "unit" kept in
 * "original", sets r->servings to the asked count, and returns HTTP_OK;
 * the caller then renders r as usual (so the ETag is the variant's own).
 * Bad values: 400 listing each bad parameter; servings asked of a recipe
 * without servings: 422 (field "servings", code "unscalable"). */
enum http_status recipe_scale_apply(struct request *req, struct response *res,
                                    struct recipe_row *r);

#endif
