/* A recipe as a schema.org Recipe in JSON-LD: what GET /recipes/{id} sends
 * for Accept: application/ld+json, and the one file per recipe of an
 * export. Input is the recipe's API representation (api/recipes.c's
 * recipes_json, with steps); nothing is read from anywhere else. Pure. */
#ifndef RB_LIB_RECIPE_JSONLD_H
#define RB_LIB_RECIPE_JSONLD_H

#include <stddef.h>

struct json_object;

/* Options of one document. */
struct recipe_jsonld_options {
    const char *url;   /* the recipe's own address (url and @id), or NULL */
    const char *image; /* the image to name (an export's file in the zip), or
                        * NULL for the representation's largest image URL */
    /* 1: also a "recipebox" member with the editable fields exactly as
     * stored (structured ingredients, visibility, ...), so that our own
     * export imports back equal; 0: plain schema.org */
    int extended;
};

/* A new JSON-LD object (the caller puts it), or NULL when recipe is not an
 * object or memory ran out. recipe is only read. */
struct json_object *recipe_jsonld(struct json_object *recipe,
                                  const struct recipe_jsonld_options *opt);

/* An ISO 8601 duration of minutes into out ("PT1H30M"; "PT0M" for 0). */
void recipe_jsonld_duration(long long minutes, char *out, size_t len);

/* One ingredient object ({quantity, unit, name, note}) as a line of text:
 * "200 g flour, sifted". Into out (always terminated). */
void recipe_jsonld_ingredient_line(struct json_object *ing, char *out, size_t len);

#endif
