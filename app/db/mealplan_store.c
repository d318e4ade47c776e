/* Queries of meal plan entries and calendar feeds
 * (include/db/mealplan_store.h); SQL text in app/db/statements.c. */
#include "db/mealplan_store.h"

#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define OPT_STR(s) ((s) != NULL ? STR_ARG(s) : DB_ARG_NULL)
#define OPT_INT(v) ((v) > 0 ? DB_ARG_INT(v) : DB_ARG_NULL)
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

static const struct db_col entry_cols[] = {
    DB_COL_INT(struct mealplan_entry, id),
    DB_COL_INT(struct mealplan_entry, household_id),
    DB_COL_STR(struct mealplan_entry, created_by),
    DB_COL_STR(struct mealplan_entry, date),
    DB_COL_STR(struct mealplan_entry, slot),
    DB_COL_INT(struct mealplan_entry, recipe_id),
    DB_COL_INT(struct mealplan_entry, recipe_visible),
    DB_COL_STR(struct mealplan_entry, recipe_title),
    DB_COL_STR(struct mealplan_entry, recipe_slug),
    DB_COL_STR(struct mealplan_entry, note),
    DB_COL_INT(struct mealplan_entry, servings),
    DB_COL_INT(struct mealplan_entry, version),
    DB_COL_STR(struct mealplan_entry, created_at),
    DB_COL_STR(struct mealplan_entry, updated_at),
    DB_COL_STR(struct mealplan_entry, dtstamp),
};

struct one_int {
    long long n;
};

/* The single integer a statement answers (COUNT(*), an id). */
static enum db_status one_int(struct db *db, enum db_stmt stmt, const struct db_arg *args,
                              size_t nargs, long long *n)
{
    static const struct db_col cols[] = {DB_COL_INT(struct one_int, n)};
    struct one_int r = {0};
    enum db_status st = db_query_one(db, stmt, args, nargs, cols, 1, &r, sizeof(r), NULL);
    *n = r.n;
    return st;
}

enum db_status mealplan_store_insert(struct db *db, long long user_id, long long household_id,
                                     long long created_by, const struct mealplan_input *in,
                                     long long *id)
{
    struct db_arg args[] = {OPT_INT(user_id),  OPT_INT(household_id), DB_ARG_INT(created_by),
                            STR_ARG(in->date), STR_ARG(in->slot),     OPT_INT(in->recipe_id),
                            OPT_STR(in->note), OPT_INT(in->servings)};
    unsigned long long new_id = 0;
    enum db_status st = db_exec(db, STMT_MEALPLAN_INSERT, args, NCOLS(args), NULL, &new_id);
    *id = (long long)new_id;
    return st;
}

enum db_status mealplan_store_get(struct db *db, long long id, long long viewer,
                                  struct mealplan_entry *e, struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(viewer), DB_ARG_INT(id), DB_ARG_INT(viewer),
                            DB_ARG_INT(viewer)};
    return db_query_one(db, STMT_MEALPLAN_GET, args, NCOLS(args), entry_cols, NCOLS(entry_cols), e,
                        sizeof(*e), a);
}

enum db_status mealplan_store_range(struct db *db, long long viewer, const char *from,
                                    const char *to, struct arena *a, db_row_fn fn, void *ctx)
{
    struct db_arg args[] = {DB_ARG_INT(viewer), DB_ARG_INT(viewer), DB_ARG_INT(viewer),
                            from != NULL ? STR_ARG(from) : DB_ARG_NULL,
                            to != NULL ? STR_ARG(to) : DB_ARG_NULL};
    struct mealplan_entry row = {0};
    return db_query(db, from != NULL ? STMT_MEALPLAN_RANGE : STMT_MEALPLAN_FEED, args,
                    from != NULL ? 5 : 3, entry_cols, NCOLS(entry_cols), &row, sizeof(row), a, fn,
                    ctx);
}

enum db_status mealplan_store_update(struct db *db, long long id, long long version,
                                     long long viewer, const struct mealplan_input *in, int *stale)
{
    struct db_arg args[] = {STR_ARG(in->date),   STR_ARG(in->slot),     OPT_INT(in->recipe_id),
                            OPT_STR(in->note),   OPT_INT(in->servings), DB_ARG_INT(id),
                            DB_ARG_INT(version), DB_ARG_INT(viewer),    DB_ARG_INT(viewer)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_MEALPLAN_UPDATE, args, NCOLS(args), &n, NULL);
    *stale = st == DB_OK && n == 0;
    return st;
}

enum db_status mealplan_store_delete(struct db *db, long long id, long long viewer, int *deleted)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(viewer), DB_ARG_INT(viewer)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_MEALPLAN_DELETE, args, NCOLS(args), &n, NULL);
    *deleted = n > 0;
    return st;
}

enum db_status mealplan_store_day_count(struct db *db, const char *date, long long user_id,
                                        long long household_id, long long *n)
{
    /* 0 matches no row: ids start at 1 */
    struct db_arg args[] = {STR_ARG(date), DB_ARG_INT(household_id != 0 ? 0 : user_id),
                            DB_ARG_INT(household_id)};
    return one_int(db, STMT_MEALPLAN_DAY_COUNT, args, NCOLS(args), n);
}

enum db_status mealplan_store_recipe_visible(struct db *db, long long recipe_id, long long viewer,
                                             int *visible)
{
    struct db_arg args[] = {DB_ARG_INT(recipe_id), DB_ARG_INT(viewer)};
    long long id = 0;
    enum db_status st = one_int(db, STMT_MEALPLAN_RECIPE_VISIBLE, args, NCOLS(args), &id);
    *visible = st == DB_OK;
    return st == DB_NOTFOUND ? DB_OK : st;
}

enum db_status mealplan_store_feed_insert(struct db *db, long long user_id, const char *hash,
                                          long long *id)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(hash)};
    unsigned long long new_id = 0;
    enum db_status st = db_exec(db, STMT_FEED_INSERT, args, 2, NULL, &new_id);
    *id = (long long)new_id;
    return st;
}

enum db_status mealplan_store_feeds(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                    void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct mealplan_feed, id),
        DB_COL_STR(struct mealplan_feed, created_at),
        DB_COL_STR(struct mealplan_feed, last_used_at),
    };
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct mealplan_feed row = {0};
    return db_query(db, STMT_FEEDS_OF_USER, args, 1, cols, NCOLS(cols), &row, sizeof(row), a, fn,
                    ctx);
}

enum db_status mealplan_store_feeds_count(struct db *db, long long user_id, long long *n)
{
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    return one_int(db, STMT_FEEDS_COUNT, args, 1, n);
}

enum db_status mealplan_store_feed_delete(struct db *db, long long id, long long user_id,
                                          int *deleted)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(user_id)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_FEED_DELETE, args, 2, &n, NULL);
    *deleted = n > 0;
    return st;
}

struct feed_row {
    long long id, user_id;
};

enum db_status mealplan_store_feed_use(struct db *db, const char *hash, long long *id,
                                       long long *user_id)
{
    static const struct db_col cols[] = {DB_COL_INT(struct feed_row, id),
                                         DB_COL_INT(struct feed_row, user_id)};
    struct db_arg args[] = {STR_ARG(hash)};
    struct feed_row r = {0};
    enum db_status st = db_query_one(db, STMT_FEED_LOOKUP, args, 1, cols, 2, &r, sizeof(r), NULL);
    if (st == DB_OK) {
        struct db_arg touch[] = {DB_ARG_INT(r.id)};
        st = db_exec(db, STMT_FEED_TOUCH, touch, 1, NULL, NULL);
    }
    *id = r.id;
    *user_id = r.user_id;
    return st;
}
