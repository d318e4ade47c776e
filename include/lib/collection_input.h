/* The bodies of the collections API, validated: a collection's editable
 * fields (POST, and a merge patch once applied) and a reorder's list of
 * recipe ids. Pure (json-c objects in, field errors out); has a fuzz
 * target. Strings point into the object read: keep it alive. */
#ifndef RB_LIB_COLLECTION_INPUT_H
#define RB_LIB_COLLECTION_INPUT_H

#include <stddef.h>

struct field_errors;
struct json_object;

#define COLLECTION_NAME_MAX 100         /* characters */
#define COLLECTION_DESCRIPTION_MAX 2000 /* characters */
#define COLLECTION_ORDER_MAX 10000      /* ids in one reorder body */

/* The editable fields. */
struct collection_input {
    const char *name, *description, *visibility;
    size_t name_len, description_len;
};

/* The members a body (or a patch) may name, NULL-terminated. */
extern const char *const collection_input_fields[];

/* Reads body into in: name 1..100 characters (required), description
 * 0..2000 (absent or null: ""), visibility public (default), unlisted or
 * private; any other member is an "unknown" error. 0, or -1 with errors
 * added. */
int collection_input_parse(struct json_object *body, struct collection_input *in,
                           struct field_errors *errors);

/* Reads a reorder body {"recipe_ids": [...]}: at most COLLECTION_ORDER_MAX
 * distinct integers >= 1 ("recipe_ids[i]" type or duplicate errors). The
 * array (owned by body), or NULL with errors added. */
struct json_object *collection_input_order(struct json_object *body, struct field_errors *errors);

#endif
