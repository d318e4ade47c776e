/* The shopping-lists aggregate: lists (a user's or a household's) and their
 * items. Every function that takes a list id and a viewer finds the list
 * only when the viewer owns it or is a member of its household; otherwise
 * DB_NOTFOUND, as for a list that does not exist. Every write to a list's
 * items runs in one transaction that first locks the list row, so checks,
 * deletions and aggregation into existing lines serialise per list. */
#ifndef RB_DB_SHOPPING_STORE_H
#define RB_DB_SHOPPING_STORE_H

#include "db/db.h"
#include "lib/shopping.h"

struct arena;

#define SHOPPING_STORE_MAX_ITEMS 500 /* lines on one list */
#define SHOPPING_STORE_MAX_MEALS 200 /* meal-plan entries one add-mealplan reads */

struct shopping_list_row {
    long long id, household_id; /* household_id 0: a personal list */
    long long created_by;
    char *name;
    long long version;
    char *created_at, *updated_at;
    long long item_count, unchecked_count;
};

struct shopping_item_row {
    long long id, list_id;
    char *name, *dimension;
    double quantity;
    int quantity_null;
    char *unit; /* NULL when none */
    long long checked;
    char *from_recipes; /* JSON array text of recipe ids */
    long long version;
    char *created_at, *updated_at;
};

/* The viewer's household in *household (DB_NOTFOUND when none). */
enum db_status shopping_store_household_of(struct db *db, long long viewer, long long *household);

/* A new list of owner (household 0) or of household. *id gets its id. */
enum db_status shopping_store_list_create(struct db *db, long long owner, long long household,
                                          const char *name, size_t len, long long *id);

enum db_status shopping_store_list_get(struct db *db, long long id, long long viewer,
                                       struct shopping_list_row *l, struct arena *a);

/* The viewer's lists and their household's with id > after, by id; fn gets
 * a struct shopping_list_row per row. */
enum db_status shopping_store_lists_page(struct db *db, long long viewer, long long after,
                                         unsigned limit, struct arena *a, db_row_fn fn, void *ctx);

/* Renames list id when its version is still version (*stale = 1 when not). */
enum db_status shopping_store_list_rename(struct db *db, long long id, long long version,
                                          const char *name, size_t len, int *stale);

enum db_status shopping_store_list_delete(struct db *db, long long id);

/* The items of list id in order (at most SHOPPING_STORE_MAX_ITEMS); fn gets
 * a struct shopping_item_row per row. The caller has checked the viewer. */
enum db_status shopping_store_items(struct db *db, long long list, struct arena *a, db_row_fn fn,
                                    void *ctx);

enum db_status shopping_store_item_get(struct db *db, long long list, long long item,
                                       struct shopping_item_row *r, struct arena *a);

/* Sets item's checked flag when its version is still version (*stale = 1,
 * nothing written, when not). DB_NOTFOUND when the list is not the
 * viewer's or the item is not on it. */
enum db_status shopping_store_item_check(struct db *db, long long list, long long viewer,
                                         long long item, long long version, int checked,
                                         int *stale);

enum db_status shopping_store_item_delete(struct db *db, long long list, long long viewer,
                                          long long item);

/* Deletes the checked items; *n gets how many. */
enum db_status shopping_store_clear_checked(struct db *db, long long list, long long viewer,
                                            unsigned long long *n);

/* Aggregates n inputs into the list's unchecked lines (lib/shopping) and
 * writes the result, all in one transaction. *why gets the aggregation's
 * refusal (SHOPPING_FULL, ...): the transaction is then rolled back and
 * DB_OK returned. separate: every input becomes a line of its own (manual
 * items); *new_id then gets the id of the first line inserted. Text
 * goes to arena a. */
enum db_status shopping_store_merge(struct db *db, long long list, long long viewer,
                                    const struct shopping_input *in, size_t n, int separate,
                                    shopping_unit_fn unit_fn, struct arena *a,
                                    enum shopping_result *why, long long *new_id);

/* One meal-plan entry with a recipe: servings 0 = not given. */
struct shopping_meal_row {
    long long recipe_id, servings, recipe_servings;
    char *ingredients; /* the recipe's ingredients JSON array */
};

/* The viewer's meal-plan entries (personal and household) from..to
 * (YYYY-MM-DD, inclusive) whose recipe the viewer may see, at most
 * SHOPPING_STORE_MAX_MEALS; fn per struct shopping_meal_row. */
enum db_status shopping_store_meals(struct db *db, long long viewer, const char *from,
                                    const char *to, struct arena *a, db_row_fn fn, void *ctx);

#endif
