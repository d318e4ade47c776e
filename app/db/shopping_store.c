/* Queries of the shopping-lists aggregate (see include/db/shopping_store.h).
 * Aggregation reads the list's unchecked lines under the list's row lock,
 * merges in C (lib/shopping) and writes back with one UPDATE and one INSERT
 * fed by JSON arrays, so a 21-recipe meal plan costs the same statements as
 * one recipe. */
#include "db/shopping_store.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))
#define COL_NULLABLE(t, st, f, n)                                                                  \
    {                                                                                              \
        t, offsetof(st, f), DB_NO_OFFSET, offsetof(st, n)                                          \
    }

static const struct db_col list_cols[] = {
    DB_COL_INT(struct shopping_list_row, id),
    DB_COL_INT(struct shopping_list_row, household_id),
    DB_COL_INT(struct shopping_list_row, created_by),
    DB_COL_STR(struct shopping_list_row, name),
    DB_COL_INT(struct shopping_list_row, version),
    DB_COL_STR(struct shopping_list_row, created_at),
    DB_COL_STR(struct shopping_list_row, updated_at),
    DB_COL_INT(struct shopping_list_row, item_count),
    DB_COL_INT(struct shopping_list_row, unchecked_count),
};

static const struct db_col item_cols[] = {
    DB_COL_INT(struct shopping_item_row, id),
    DB_COL_INT(struct shopping_item_row, list_id),
    DB_COL_STR(struct shopping_item_row, name),
    DB_COL_STR(struct shopping_item_row, dimension),
    COL_NULLABLE(DB_T_DOUBLE, struct shopping_item_row, quantity, quantity_null),
    DB_COL_STR(struct shopping_item_row, unit),
    DB_COL_INT(struct shopping_item_row, checked),
    DB_COL_STR(struct shopping_item_row, from_recipes),
    DB_COL_INT(struct shopping_item_row, version),
    DB_COL_STR(struct shopping_item_row, created_at),
    DB_COL_STR(struct shopping_item_row, updated_at),
};

enum db_status shopping_store_household_of(struct db *db, long long viewer, long long *household)
{
    struct {
        long long id;
    } row;
    static const struct db_col cols[] = {{DB_T_INT, 0, DB_NO_OFFSET, DB_NO_OFFSET}};
    struct db_arg args[] = {DB_ARG_INT(viewer)};
    enum db_status st =
        db_query_one(db, STMT_SHOP_HOUSEHOLD_OF, args, 1, cols, 1, &row, sizeof(row), NULL);
    *household = st == DB_OK ? row.id : 0;
    return st;
}

enum db_status shopping_store_list_create(struct db *db, long long owner, long long household,
                                          const char *name, size_t len, long long *id)
{
    struct db_arg args[] = {household > 0 ? DB_ARG_NULL : DB_ARG_INT(owner),
                            household > 0 ? DB_ARG_INT(household) : DB_ARG_NULL, DB_ARG_INT(owner),
                            DB_ARG_STR(name, len)};
    unsigned long long new_id = 0;
    enum db_status st = db_exec(db, STMT_SHOP_LIST_INSERT, args, NCOLS(args), NULL, &new_id);
    *id = (long long)new_id;
    return st;
}

enum db_status shopping_store_list_get(struct db *db, long long id, long long viewer,
                                       struct shopping_list_row *l, struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(viewer), DB_ARG_INT(viewer)};
    return db_query_one(db, STMT_SHOP_LIST_GET, args, NCOLS(args), list_cols, NCOLS(list_cols), l,
                        sizeof(*l), a);
}

enum db_status shopping_store_lists_page(struct db *db, long long viewer, long long after,
                                         unsigned limit, struct arena *a, db_row_fn fn, void *ctx)
{
    struct shopping_list_row row;
    struct db_arg args[] = {DB_ARG_INT(after), DB_ARG_INT(viewer), DB_ARG_INT(viewer),
                            DB_ARG_INT(limit)};
    return db_query(db, STMT_SHOP_LISTS_PAGE, args, NCOLS(args), list_cols, NCOLS(list_cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status shopping_store_list_rename(struct db *db, long long id, long long version,
                                          const char *name, size_t len, int *stale)
{
    struct db_arg args[] = {DB_ARG_STR(name, len), DB_ARG_INT(id), DB_ARG_INT(version)};
    unsigned long long affected = 0;
    enum db_status st = db_exec(db, STMT_SHOP_LIST_RENAME, args, NCOLS(args), &affected, NULL);
    *stale = st == DB_OK && affected == 0;
    return st;
}

enum db_status shopping_store_list_delete(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_SHOP_LIST_DELETE, args, 1, NULL, NULL);
}

enum db_status shopping_store_items(struct db *db, long long list, struct arena *a, db_row_fn fn,
                                    void *ctx)
{
    struct shopping_item_row row;
    struct db_arg args[] = {DB_ARG_INT(list), DB_ARG_INT(SHOPPING_STORE_MAX_ITEMS)};
    return db_query(db, STMT_SHOP_ITEMS_OF, args, NCOLS(args), item_cols, NCOLS(item_cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status shopping_store_item_get(struct db *db, long long list, long long item,
                                       struct shopping_item_row *r, struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(item), DB_ARG_INT(list)};
    return db_query_one(db, STMT_SHOP_ITEM_GET, args, NCOLS(args), item_cols, NCOLS(item_cols), r,
                        sizeof(*r), a);
}

/* Begins a transaction and locks list for viewer: DB_NOTFOUND (and rolled
 * back) when it is not theirs. */
static enum db_status begin_locked(struct db *db, long long list, long long viewer)
{
    struct {
        long long id;
    } row;
    static const struct db_col cols[] = {{DB_T_INT, 0, DB_NO_OFFSET, DB_NO_OFFSET}};
    struct db_arg args[] = {DB_ARG_INT(list), DB_ARG_INT(viewer), DB_ARG_INT(viewer)};
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = db_query_one(db, STMT_SHOP_LIST_LOCK, args, NCOLS(args), cols, 1, &row, sizeof(row), NULL);
    if (st != DB_OK)
        db_rollback(db);
    return st;
}

/* Bumps the list's version (its ETag) and commits; rolls back on st. */
static enum db_status finish(struct db *db, long long list, enum db_status st, int touch)
{
    struct db_arg args[] = {DB_ARG_INT(list)};
    if (st == DB_OK && touch)
        st = db_exec(db, STMT_SHOP_LIST_TOUCH, args, 1, NULL, NULL);
    if (st != DB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db);
}

enum db_status shopping_store_item_check(struct db *db, long long list, long long viewer,
                                         long long item, long long version, int checked, int *stale)
{
    struct db_arg args[] = {DB_ARG_INT(checked), DB_ARG_INT(item), DB_ARG_INT(list),
                            DB_ARG_INT(version)};
    unsigned long long affected = 0;
    *stale = 0;
    enum db_status st = begin_locked(db, list, viewer);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_SHOP_ITEM_CHECK, args, NCOLS(args), &affected, NULL);
    if (st == DB_OK && affected == 0) {
        db_rollback(db);
        *stale = 1;
        return DB_OK;
    }
    return finish(db, list, st, 1);
}

enum db_status shopping_store_item_delete(struct db *db, long long list, long long viewer,
                                          long long item)
{
    struct db_arg args[] = {DB_ARG_INT(item), DB_ARG_INT(list)};
    unsigned long long affected = 0;
    enum db_status st = begin_locked(db, list, viewer);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_SHOP_ITEM_DELETE, args, NCOLS(args), &affected, NULL);
    if (st == DB_OK && affected == 0)
        st = DB_NOTFOUND;
    return finish(db, list, st, 1);
}

enum db_status shopping_store_clear_checked(struct db *db, long long list, long long viewer,
                                            unsigned long long *n)
{
    struct db_arg args[] = {DB_ARG_INT(list)};
    *n = 0;
    enum db_status st = begin_locked(db, list, viewer);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_SHOP_ITEMS_CLEAR_CHECKED, args, 1, n, NULL);
    return finish(db, list, st, *n > 0);
}

/* A stored unchecked line, as aggregation loads it. */
struct stored_line {
    long long id;
    char *name, *key, *dim;
    double quantity;
    int quantity_null;
    char *unit, *from;
};

static const struct db_col stored_cols[] = {
    DB_COL_INT(struct stored_line, id),
    DB_COL_STR(struct stored_line, name),
    DB_COL_STR(struct stored_line, key),
    DB_COL_STR(struct stored_line, dim),
    COL_NULLABLE(DB_T_DOUBLE, struct stored_line, quantity, quantity_null),
    DB_COL_STR(struct stored_line, unit),
    DB_COL_STR(struct stored_line, from),
};

/* from_recipes text into the line's ids (what is not an id is dropped). */
static void parse_from(const char *text, struct shopping_line *l)
{
    struct json_object *a = text != NULL ? json_tokener_parse(text) : NULL;
    size_t n =
        a != NULL && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    for (size_t i = 0; i < n && l->nrecipes < SHOPPING_RECIPES_MAX; i++) {
        long long id = json_object_get_int64(json_object_array_get_idx(a, i));
        if (id > 0)
            l->recipes[l->nrecipes++] = id;
    }
    json_object_put(a);
}

static void copy_text(char *out, size_t size, const char *s)
{
    snprintf(out, size, "%s", s != NULL ? s : "");
}

static int load_line(void *row, void *ctx)
{
    const struct stored_line *s = row;
    struct shopping_agg *g = ctx;
    struct shopping_line l;
    memset(&l, 0, sizeof(l));
    l.id = s->id;
    copy_text(l.name, sizeof(l.name), s->name);
    copy_text(l.key, sizeof(l.key), s->key);
    copy_text(l.unit, sizeof(l.unit), s->unit);
    l.dim = shopping_dim_parse(s->dim);
    l.has_quantity = !s->quantity_null;
    l.quantity = s->quantity_null ? 0 : s->quantity;
    parse_from(s->from, &l);
    return shopping_agg_load(g, &l) != SHOPPING_OK;
}

/* The line's recipe ids as a JSON array text. */
static struct json_object *from_text(const struct shopping_line *l)
{
    char text[SHOPPING_RECIPES_MAX * 21 + 3];
    size_t n = 0;
    text[n++] = '[';
    for (unsigned i = 0; i < l->nrecipes; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%lld", i ? "," : "", l->recipes[i]);
    text[n++] = ']';
    return json_object_new_string_len(text, (int)n);
}

/* A quantity as DECIMAL(14,4) takes it; the smallest step when it would
 * round to nothing (the column refuses 0). */
static struct json_object *quantity_json(const struct shopping_line *l)
{
    char text[32];
    if (!l->has_quantity)
        return NULL;
    double q = l->quantity < 0.0001 ? 0.0001 : l->quantity;
    snprintf(text, sizeof(text), "%.4f", q);
    return json_object_new_double_s(strtod(text, NULL), text);
}

static struct json_object *line_json(const struct shopping_line *l, int update)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    if (update) {
        json_object_object_add(o, "id", json_object_new_int64(l->id));
    } else {
        json_object_object_add(o, "name", json_object_new_string(l->name));
        json_object_object_add(o, "key", json_object_new_string(l->key));
        json_object_object_add(o, "dim", json_object_new_string(shopping_dim_name(l->dim)));
        json_object_object_add(o, "unit", json_object_new_string(l->unit));
    }
    json_object_object_add(o, "quantity", quantity_json(l));
    json_object_object_add(o, "from", from_text(l));
    return o;
}

/* The lines to update (stored and changed) or to insert (new) as a JSON
 * text in the arena; NULL when there are none, *failed when out of memory. */
static const char *lines_text(const struct shopping_agg *g, int update, struct arena *a,
                              int *failed)
{
    struct json_object *arr = json_object_new_array();
    size_t count = 0;
    for (size_t i = 0; arr != NULL && i < g->n; i++) {
        const struct shopping_line *l = &g->lines[i];
        if (update ? l->id == 0 || !l->changed : l->id != 0)
            continue;
        struct json_object *o = line_json(l, update);
        if (o == NULL || json_object_array_add(arr, o) != 0) {
            json_object_put(o);
            json_object_put(arr);
            arr = NULL;
        }
        count++;
    }
    const char *s =
        arr != NULL ? json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN) : NULL;
    char *copy = s != NULL && count > 0 ? arena_strdup(a, s) : NULL;
    *failed = arr == NULL || s == NULL || (count > 0 && copy == NULL);
    json_object_put(arr);
    return copy;
}

/* Writes the aggregate's changed and new lines. */
static enum db_status write_lines(struct db *db, long long list, const struct shopping_agg *g,
                                  struct arena *a, long long *new_id)
{
    int failed = 0;
    const char *upd = lines_text(g, 1, a, &failed), *ins = NULL;
    if (!failed)
        ins = lines_text(g, 0, a, &failed);
    if (failed)
        return DB_ERROR;
    enum db_status st = DB_OK;
    if (upd != NULL) {
        struct db_arg args[] = {DB_ARG_STR(upd, strlen(upd)), DB_ARG_INT(list)};
        st = db_exec(db, STMT_SHOP_ITEMS_MERGE_UPDATE, args, NCOLS(args), NULL, NULL);
    }
    if (st == DB_OK && ins != NULL) {
        struct db_arg args[] = {DB_ARG_INT(list), DB_ARG_STR(ins, strlen(ins))};
        unsigned long long id = 0;
        st = db_exec(db, STMT_SHOP_ITEMS_MERGE_INSERT, args, NCOLS(args), NULL, &id);
        *new_id = (long long)id;
    }
    return st;
}

/* How many lines the list holds (checked ones too). */
static enum db_status item_count(struct db *db, long long list, long long *n)
{
    struct {
        long long n;
    } row;
    static const struct db_col cols[] = {{DB_T_INT, 0, DB_NO_OFFSET, DB_NO_OFFSET}};
    struct db_arg args[] = {DB_ARG_INT(list)};
    enum db_status st =
        db_query_one(db, STMT_SHOP_ITEMS_COUNT, args, 1, cols, 1, &row, sizeof(row), NULL);
    *n = st == DB_OK ? row.n : 0;
    return st;
}

/* Loads the unchecked lines (unless separate) and merges the inputs. */
static enum db_status aggregate(struct db *db, long long list, struct shopping_agg *g,
                                const struct shopping_input *in, size_t n, int separate,
                                struct arena *a, enum shopping_result *why)
{
    long long count = 0;
    enum db_status st = item_count(db, list, &count);
    if (st != DB_OK)
        return st;
    struct stored_line row;
    struct db_arg args[] = {DB_ARG_INT(list)};
    size_t unchecked_before = 0;
    if (!separate) {
        st = db_query(db, STMT_SHOP_ITEMS_UNCHECKED, args, 1, stored_cols, NCOLS(stored_cols), &row,
                      sizeof(row), a, load_line, g);
        if (st != DB_OK)
            return st;
        unchecked_before = g->n;
    }
    /* the cap counts the checked lines too */
    long long room = SHOPPING_STORE_MAX_ITEMS - count + (long long)unchecked_before;
    g->max = room > 0 ? (size_t)room : 0;
    if (!separate && g->n > g->max)
        g->max = g->n;
    for (size_t i = 0; i < n && *why == SHOPPING_OK; i++)
        *why = shopping_agg_add(g, &in[i]);
    return DB_OK;
}

enum db_status shopping_store_merge(struct db *db, long long list, long long viewer,
                                    const struct shopping_input *in, size_t n, int separate,
                                    shopping_unit_fn unit_fn, struct arena *a,
                                    enum shopping_result *why, long long *new_id)
{
    struct shopping_agg g;
    *why = SHOPPING_OK;
    *new_id = 0;
    shopping_agg_init(&g, SHOPPING_STORE_MAX_ITEMS, unit_fn);
    enum db_status st = begin_locked(db, list, viewer);
    if (st == DB_OK) {
        st = aggregate(db, list, &g, in, n, separate, a, why);
        if (st == DB_OK && *why != SHOPPING_OK) {
            db_rollback(db);
        } else {
            if (st == DB_OK)
                st = write_lines(db, list, &g, a, new_id);
            st = finish(db, list, st, 1);
        }
    }
    shopping_agg_free(&g);
    return st;
}

static const struct db_col meal_cols[] = {
    DB_COL_INT(struct shopping_meal_row, recipe_id),
    DB_COL_INT(struct shopping_meal_row, servings),
    DB_COL_INT(struct shopping_meal_row, recipe_servings),
    DB_COL_STR(struct shopping_meal_row, ingredients),
};

enum db_status shopping_store_meals(struct db *db, long long viewer, const char *from,
                                    const char *to, struct arena *a, db_row_fn fn, void *ctx)
{
    struct shopping_meal_row row;
    struct db_arg args[] = {
        DB_ARG_INT(viewer),         DB_ARG_INT(viewer), DB_ARG_STR(from, strlen(from)),
        DB_ARG_STR(to, strlen(to)), DB_ARG_INT(viewer), DB_ARG_INT(SHOPPING_STORE_MAX_MEALS)};
    return db_query(db, STMT_SHOP_MEALPLAN_RECIPES, args, NCOLS(args), meal_cols, NCOLS(meal_cols),
                    &row, sizeof(row), a, fn, ctx);
}
