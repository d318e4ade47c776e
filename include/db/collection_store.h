/* The collections aggregate (migration 0011): collections (cookbooks) and
 * their ordered members. Which members a reader sees is decided in the SQL
 * by the rule of recipes_visible, so counts and pages agree with what the
 * reader could open. Strings come back in the caller's arena. */
#ifndef RB_DB_COLLECTION_STORE_H
#define RB_DB_COLLECTION_STORE_H

#include <stddef.h>

#include "db/db.h"

struct arena;
struct collection_input; /* lib/collection_input.h */

/* Who reads: what the visibility of members depends on. */
struct collection_reader {
    long long user_id; /* 0 = anonymous */
    int admin;         /* sees private and hidden recipes */
    int moderator;     /* sees hidden recipes (admins too) */
};

/* One collection as the reader sees it (recipe_count: the members the
 * reader may see). */
struct collection_row {
    long long id, owner_id;
    char *username, *display_name;
    char *name, *description, *visibility;
    long long version;
    char *created_at, *updated_at;
    long long recipe_count;
};

enum db_status collection_store_create(struct db *db, long long owner,
                                       const struct collection_input *in, long long *id);

/* DB_NOTFOUND when there is no such collection (whatever its visibility:
 * the caller decides who may see it). */
enum db_status collection_store_get(struct db *db, long long id,
                                    const struct collection_reader *who, struct collection_row *c,
                                    struct arena *a);

/* owner's collections with id < before, newest first, at most limit; all
 * of them with all = 1, else the public ones. fn gets a struct
 * collection_row per row. */
enum db_status collection_store_of_owner(struct db *db, long long owner, int all, long long before,
                                         unsigned limit, const struct collection_reader *who,
                                         struct arena *a, db_row_fn fn, void *ctx);

/* Writes in over collection id when its version is still version; *stale =
 * 1 (nothing written) otherwise. */
enum db_status collection_store_update(struct db *db, long long id, long long version,
                                       const struct collection_input *in, int *stale);

/* Deletes the collection and its membership rows (a cascade). */
enum db_status collection_store_delete(struct db *db, long long id);

/* How many collections owner has. */
enum db_status collection_store_count(struct db *db, long long owner, long long *n);

/* What adding a recipe did. */
enum collection_add { COLLECTION_ADDED = 0, COLLECTION_ALREADY, COLLECTION_FULL };

/* Appends recipe to collection id after its last member, unless it is a
 * member already or the collection holds cap members that are not deleted
 * (cap 0 = no cap); *out says which. One transaction holding the
 * collection's row, so concurrent adds neither share a position nor pass
 * the cap. DB_NOTFOUND when the collection is gone. */
enum db_status collection_store_add(struct db *db, long long id, long long recipe, unsigned cap,
                                    enum collection_add *out);

/* Removes recipe from collection id; *removed = 0 when it was no member. */
enum db_status collection_store_remove(struct db *db, long long id, long long recipe, int *removed);

/* One member and whether the reader may see it, in collection order. */
struct collection_member {
    long long recipe_id, visible;
};

/* Every member of collection id in order; fn gets a struct
 * collection_member per row. */
enum db_status collection_store_members(struct db *db, long long id,
                                        const struct collection_reader *who, struct arena *a,
                                        db_row_fn fn, void *ctx);

/* Rewrites the positions: order_json is a JSON array of member recipe ids,
 * the first gets position 1. Members not named keep theirs. */
enum db_status collection_store_reorder(struct db *db, long long id, const char *order_json);

/* The members the reader may see after (position, recipe) in collection
 * order, at most limit; fn gets a struct recipe_row (steps NULL) whose
 * sort_key is the position. */
enum db_status collection_store_recipes(struct db *db, long long id,
                                        const struct collection_reader *who, long long after_pos,
                                        long long after_recipe, unsigned limit, struct arena *a,
                                        db_row_fn fn, void *ctx);

#endif
