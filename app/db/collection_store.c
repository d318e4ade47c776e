/* Queries of the collections aggregate (include/db/collection_store.h);
 * SQL text in app/db/statements.c. A member add is one transaction that
 * holds the collection's row; everything else is one statement. */
#include "db/collection_store.h"

#include <stddef.h>
#include <string.h>

#include "db/recipe_store.h"
#include "lib/collection_input.h"

#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))
#define TEXT_ARG(s, n) DB_ARG_STR((s), (n))
#define READER_ARGS(w) DB_ARG_INT((w)->user_id), DB_ARG_INT((w)->admin), DB_ARG_INT((w)->moderator)

static const struct db_col collection_cols[] = {
    DB_COL_INT(struct collection_row, id),
    DB_COL_INT(struct collection_row, owner_id),
    DB_COL_STR(struct collection_row, username),
    DB_COL_STR(struct collection_row, display_name),
    DB_COL_STR(struct collection_row, name),
    DB_COL_STR(struct collection_row, description),
    DB_COL_STR(struct collection_row, visibility),
    DB_COL_INT(struct collection_row, version),
    DB_COL_STR(struct collection_row, created_at),
    DB_COL_STR(struct collection_row, updated_at),
    DB_COL_INT(struct collection_row, recipe_count),
};

enum db_status collection_store_create(struct db *db, long long owner,
                                       const struct collection_input *in, long long *id)
{
    struct db_arg args[] = {DB_ARG_INT(owner), TEXT_ARG(in->name, in->name_len),
                            TEXT_ARG(in->description, in->description_len),
                            TEXT_ARG(in->visibility, strlen(in->visibility))};
    unsigned long long new_id = 0;
    enum db_status st = db_exec(db, STMT_COLLECTION_INSERT, args, NCOLS(args), NULL, &new_id);
    *id = (long long)new_id;
    return st;
}

enum db_status collection_store_get(struct db *db, long long id,
                                    const struct collection_reader *who, struct collection_row *c,
                                    struct arena *a)
{
    struct db_arg args[] = {READER_ARGS(who), DB_ARG_INT(id)};
    return db_query_one(db, STMT_COLLECTION_GET, args, NCOLS(args), collection_cols,
                        NCOLS(collection_cols), c, sizeof(*c), a);
}

enum db_status collection_store_of_owner(struct db *db, long long owner, int all, long long before,
                                         unsigned limit, const struct collection_reader *who,
                                         struct arena *a, db_row_fn fn, void *ctx)
{
    struct db_arg args[] = {READER_ARGS(who), DB_ARG_INT(owner), DB_ARG_INT(all != 0),
                            DB_ARG_INT(before), DB_ARG_INT(limit)};
    struct collection_row row = {0};
    return db_query(db, STMT_COLLECTIONS_OF_OWNER, args, NCOLS(args), collection_cols,
                    NCOLS(collection_cols), &row, sizeof(row), a, fn, ctx);
}

enum db_status collection_store_update(struct db *db, long long id, long long version,
                                       const struct collection_input *in, int *stale)
{
    struct db_arg args[] = {
        TEXT_ARG(in->name, in->name_len), TEXT_ARG(in->description, in->description_len),
        TEXT_ARG(in->visibility, strlen(in->visibility)), DB_ARG_INT(id), DB_ARG_INT(version)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_COLLECTION_UPDATE, args, NCOLS(args), &n, NULL);
    *stale = st == DB_OK && n == 0;
    return st;
}

enum db_status collection_store_delete(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_COLLECTION_DELETE, args, 1, &n, NULL);
    return st == DB_OK && n == 0 ? DB_NOTFOUND : st;
}

struct count_row {
    long long n;
};

enum db_status collection_store_count(struct db *db, long long owner, long long *n)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(owner)};
    struct count_row c = {0};
    enum db_status st =
        db_query_one(db, STMT_COLLECTIONS_COUNT, args, 1, cols, 1, &c, sizeof(c), NULL);
    *n = c.n;
    return st;
}

struct membership {
    long long count, last, member;
};

static enum db_status finish(struct db *db, enum db_status st)
{
    if (st != DB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db);
}

/* Inside the transaction: the row lock, then what the collection holds. */
static enum db_status lock_membership(struct db *db, long long id, long long recipe,
                                      struct membership *m)
{
    static const struct db_col lock_cols[] = {DB_COL_INT(struct count_row, n)};
    static const struct db_col cols[] = {DB_COL_INT(struct membership, count),
                                         DB_COL_INT(struct membership, last),
                                         DB_COL_INT(struct membership, member)};
    struct db_arg lock_args[] = {DB_ARG_INT(id)};
    struct db_arg args[] = {DB_ARG_INT(recipe), DB_ARG_INT(id)};
    struct count_row version = {0};
    enum db_status st = db_query_one(db, STMT_COLLECTION_LOCK, lock_args, 1, lock_cols, 1, &version,
                                     sizeof(version), NULL);
    if (st == DB_OK)
        st = db_query_one(db, STMT_COLLECTION_MEMBERSHIP, args, 2, cols, NCOLS(cols), m, sizeof(*m),
                          NULL);
    return st;
}

static enum db_status touch(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_COLLECTION_TOUCH, args, 1, NULL, NULL);
}

enum db_status collection_store_add(struct db *db, long long id, long long recipe, unsigned cap,
                                    enum collection_add *out)
{
    struct membership m = {0};
    *out = COLLECTION_ADDED;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = lock_membership(db, id, recipe, &m);
    if (st == DB_OK && m.member > 0)
        *out = COLLECTION_ALREADY;
    else if (st == DB_OK && cap > 0 && m.count >= (long long)cap)
        *out = COLLECTION_FULL;
    if (st == DB_OK && *out == COLLECTION_ADDED) {
        struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(recipe), DB_ARG_INT(m.last + 1)};
        st = db_exec(db, STMT_COLLECTION_MEMBER_INSERT, args, NCOLS(args), NULL, NULL);
        if (st == DB_OK)
            st = touch(db, id);
    }
    return finish(db, st);
}

enum db_status collection_store_remove(struct db *db, long long id, long long recipe, int *removed)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(recipe)};
    unsigned long long n = 0;
    *removed = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_COLLECTION_MEMBER_DELETE, args, NCOLS(args), &n, NULL);
    *removed = st == DB_OK && n > 0;
    if (*removed)
        st = touch(db, id);
    return finish(db, st);
}

enum db_status collection_store_members(struct db *db, long long id,
                                        const struct collection_reader *who, struct arena *a,
                                        db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {DB_COL_INT(struct collection_member, recipe_id),
                                         DB_COL_INT(struct collection_member, visible)};
    struct db_arg args[] = {READER_ARGS(who), DB_ARG_INT(id)};
    struct collection_member row = {0};
    return db_query(db, STMT_COLLECTION_MEMBERS, args, NCOLS(args), cols, NCOLS(cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status collection_store_reorder(struct db *db, long long id, const char *order_json)
{
    struct db_arg args[] = {TEXT_ARG(order_json, strlen(order_json)), DB_ARG_INT(id)};
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_COLLECTION_REORDER, args, NCOLS(args), NULL, NULL);
    if (st == DB_OK)
        st = touch(db, id);
    return finish(db, st);
}

enum db_status collection_store_recipes(struct db *db, long long id,
                                        const struct collection_reader *who, long long after_pos,
                                        long long after_recipe, unsigned limit, struct arena *a,
                                        db_row_fn fn, void *ctx)
{
    struct db_arg args[] = {DB_ARG_INT(who->user_id), DB_ARG_INT(who->user_id),
                            DB_ARG_INT(id),           READER_ARGS(who),
                            DB_ARG_INT(after_pos),    DB_ARG_INT(after_pos),
                            DB_ARG_INT(after_recipe), DB_ARG_INT(limit)};
    size_t ncols = 0;
    const struct db_col *cols = recipe_store_list_columns(&ncols);
    struct recipe_row row = {0};
    return db_query(db, STMT_COLLECTION_RECIPES_PAGE, args, NCOLS(args), cols, ncols, &row,
                    sizeof(row), a, fn, ctx);
}
