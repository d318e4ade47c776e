/* The recipes aggregate: recipes with their ingredients, steps and tags,
 * ratings, favorites, comments and tag counts. A recipe is read in one
 * query and written in one transaction of a fixed number of statements,
 * whatever its size. SQL lives in app/db/statements.c (fixed statements)
 * and here (the list query, assembled from fixed fragments). */
#ifndef RB_DB_RECIPE_STORE_H
#define RB_DB_RECIPE_STORE_H

#include "db/db.h"

struct arena;
struct recipe_input;

/* One recipe as stored; children are JSON array texts made by the server. */
struct recipe_row {
    long long id, author_id;
    char *username, *display_name;
    char *title, *slug, *description;
    long long servings;
    int servings_null;
    long long prep_minutes, cook_minutes;
    char *source_url, *visibility;
    long long hidden, version, rating_sum, rating_count, favorite_count;
    char *created_at, *updated_at;
    char *ingredients, *steps, *tags; /* JSON arrays, NULL when empty (steps: in lists) */
    char *image_key, *image_json;     /* NULL when the recipe has no image */
    long long my_rating;              /* 0 = none */
    long long favorited;
    long long sort_key; /* lists: the position the next page starts after */
};

/* A recipe that is not deleted, whatever its visibility (the caller
 * decides who may see it). viewer 0 = anonymous. */
enum db_status recipe_store_get(struct db *db, long long id, long long viewer, struct recipe_row *r,
                                struct arena *a);

/* Writes a new recipe with its children in one transaction. */
enum db_status recipe_store_create(struct db *db, long long author, const struct recipe_input *in,
                                   struct arena *a, long long *id);

/* Replaces recipe id's fields and children in one transaction when its
 * version is still `version`; *stale = 1 (and nothing written) otherwise. */
enum db_status recipe_store_replace(struct db *db, long long id, long long version,
                                    const struct recipe_input *in, struct arena *a, int *stale);

/* Sets (key and json non-NULL) or clears a recipe's image. DB_NOTFOUND
 * when the recipe is gone. */
enum db_status recipe_store_set_image(struct db *db, long long id, const char *key,
                                      const char *json);

/* Every image key in use (author 0), or those of author's recipes, in
 * order; fn gets a char ** per row. */
enum db_status recipe_store_image_keys(struct db *db, long long author, struct arena *a,
                                       db_row_fn fn, void *ctx);

enum db_status recipe_store_soft_delete(struct db *db, long long id);
enum db_status recipe_store_set_hidden(struct db *db, long long id, int hidden);

enum recipe_sort { SORT_NEW = 0, SORT_TOP_RATED, SORT_MOST_FAVORITED, SORT_RELEVANCE };

#define RECIPE_QUERY_MAX_TERMS 5

/* GET /recipes and friends. Strings are the caller's. */
struct recipe_query {
    enum recipe_sort sort;
    const char *q;                            /* natural-language search, or NULL */
    const char *tags[RECIPE_QUERY_MAX_TERMS]; /* all must be present */
    /* ingredient and without values as boolean-mode words ("+olive* +oil*"),
     * matched against the words of all a recipe's ingredient names together:
     * every word of every ingredient value present, and no without value
     * with every word present */
    const char *ingredients[RECIPE_QUERY_MAX_TERMS];
    const char *without[RECIPE_QUERY_MAX_TERMS];
    unsigned ntags, ningredients, nwithout;
    const char *author;     /* normalised username, or NULL */
    long long author_id;    /* > 0: only this author's recipes */
    int include_unlisted;   /* with author_id: the author's own list (all but deleted) */
    long long favorites_of; /* > 0: this user's favorites, newest first */
    long long max_minutes;  /* < 0 = no limit */
    long long viewer;
    int after_set; /* a cursor was given */
    long long after_key, after_id;
    unsigned limit;
};

/* The result columns of RECIPE_COLUMNS followed by a list's sort key, for
 * another aggregate's query that returns recipe rows (a collection's
 * members, db/collection_store.c); *n gets their count. Static storage. */
const struct db_col *recipe_store_list_columns(size_t *n);

/* Runs a list query; fn gets each struct recipe_row (steps NULL). */
enum db_status recipe_store_list(struct db *db, const struct recipe_query *q, struct arena *a,
                                 db_row_fn fn, void *ctx);

/* Rating and favorite writes: lock the recipe row, change the viewer's
 * row, recompute the aggregate, commit. DB_NOTFOUND when the recipe is
 * gone. stars 0 removes the rating; on 0 removes the favorite. */
enum db_status recipe_store_rate(struct db *db, long long id, long long user, int stars);
enum db_status recipe_store_favorite(struct db *db, long long id, long long user, int on,
                                     int *changed); /* *changed: a row was added or removed */

struct tag_count {
    char *name;
    long long count;
};
/* Tags of listed recipes by use, most used first; fn per struct tag_count. */
enum db_status recipe_store_tag_counts(struct db *db, unsigned limit, struct arena *a, db_row_fn fn,
                                       void *ctx);

struct comment_row {
    long long id, recipe_id, author_id;
    char *username, *display_name, *body, *state, *created_at;
};
enum db_status recipe_store_comment_add(struct db *db, long long recipe, long long author,
                                        const char *body, size_t len, long long *id);
enum db_status recipe_store_comment_get(struct db *db, long long id, struct comment_row *c,
                                        struct arena *a);
/* Comments with id > after, oldest first; hidden ones only when moderator. */
enum db_status recipe_store_comments_page(struct db *db, long long recipe, long long after,
                                          int moderator, unsigned limit, struct arena *a,
                                          db_row_fn fn, void *ctx);
enum db_status recipe_store_comment_delete(struct db *db, long long id);
enum db_status recipe_store_comment_set_state(struct db *db, long long id, const char *state);

/* What the per-account quotas compare, deleted rows not counted: author's
 * recipes (what = 0), comments (1), or bytes of recipe images (2). */
enum db_status recipe_store_count_of(struct db *db, long long author, int what, long long *n);

#endif
