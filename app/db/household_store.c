/* Queries of the households aggregate (include/db/household_store.h); SQL
 * text in app/db/statements.c. */
#include "db/household_store.h"

#include <string.h>

#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

struct count_row {
    long long n;
};

/* COUNT(*) of a statement taking one id. */
static enum db_status count_of(struct db *db, enum db_stmt stmt, long long id, long long *n)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(id)};
    struct count_row c = {0};
    enum db_status st = db_query_one(db, stmt, args, 1, cols, 1, &c, sizeof(c), NULL);
    *n = c.n;
    return st;
}

/* Locks household id for the rest of the transaction; DB_NOTFOUND when gone. */
static enum db_status lock_household(struct db *db, long long id)
{
    struct count_row r = {0};
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_query_one(db, STMT_HOUSEHOLD_LOCK, args, 1, cols, 1, &r, sizeof(r), NULL);
}

/* Commits after DB_OK, else rolls back; returns the outcome. */
static enum db_status finish(struct db *db, enum db_status st)
{
    if (st != DB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db);
}

enum db_status household_store_of_user(struct db *db, long long user_id, struct household *h,
                                       struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct household, id),         DB_COL_STR(struct household, name),
        DB_COL_INT(struct household, created_by), DB_COL_STR(struct household, creator),
        DB_COL_STR(struct household, created_at),
    };
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    return db_query_one(db, STMT_HOUSEHOLD_OF_USER, args, 1, cols, NCOLS(cols), h, sizeof(*h), a);
}

enum db_status household_store_create(struct db *db, long long user_id, const char *name,
                                      long long *id)
{
    struct db_arg args[] = {DB_ARG_STR(name, strlen(name)), DB_ARG_INT(user_id)};
    unsigned long long new_id = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = db_exec(db, STMT_HOUSEHOLD_INSERT, args, 2, NULL, &new_id);
    if (st == DB_OK) {
        struct db_arg member[] = {DB_ARG_INT(user_id), DB_ARG_INT(new_id)};
        st = db_exec(db, STMT_HOUSEHOLD_MEMBER_INSERT, member, 2, NULL, NULL);
    }
    *id = (long long)new_id;
    return finish(db, st);
}

enum db_status household_store_members(struct db *db, long long id, struct arena *a, db_row_fn fn,
                                       void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct household_member, user_id),
        DB_COL_STR(struct household_member, username),
        DB_COL_STR(struct household_member, display_name),
        DB_COL_STR(struct household_member, joined_at),
    };
    struct db_arg args[] = {DB_ARG_INT(id)};
    struct household_member row = {0};
    return db_query(db, STMT_HOUSEHOLD_MEMBERS, args, 1, cols, NCOLS(cols), &row, sizeof(row), a,
                    fn, ctx);
}

enum db_status household_store_invites(struct db *db, long long id, int by_user, struct arena *a,
                                       db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct household_invite, id),
        DB_COL_INT(struct household_invite, household_id),
        DB_COL_STR(struct household_invite, household_name),
        DB_COL_STR(struct household_invite, username),
        DB_COL_STR(struct household_invite, invited_by),
        DB_COL_STR(struct household_invite, created_at),
    };
    struct db_arg args[] = {DB_ARG_INT(id)};
    struct household_invite row = {0};
    return db_query(db,
                    by_user ? STMT_HOUSEHOLD_INVITES_OF_USER : STMT_HOUSEHOLD_INVITES_OF_HOUSEHOLD,
                    args, 1, cols, NCOLS(cols), &row, sizeof(row), a, fn, ctx);
}

enum db_status household_store_invite(struct db *db, long long id, long long user_id, long long by,
                                      int *full, long long *invite)
{
    unsigned long long new_id = 0;
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(user_id), DB_ARG_INT(by)};
    long long n = 0;
    *full = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = lock_household(db, id);
    if (st == DB_OK)
        st = count_of(db, STMT_HOUSEHOLD_INVITES_COUNT, id, &n);
    if (st == DB_OK && n >= HOUSEHOLD_INVITES_MAX)
        *full = 1;
    else if (st == DB_OK)
        st = db_exec(db, STMT_HOUSEHOLD_INVITE_INSERT, args, 3, NULL, &new_id);
    *invite = (long long)new_id;
    return finish(db, st);
}

struct invite_row {
    long long id, household_id;
};

enum db_status household_store_accept(struct db *db, long long invite_id, long long user_id,
                                      int *full, long long *household)
{
    static const struct db_col cols[] = {DB_COL_INT(struct invite_row, id),
                                         DB_COL_INT(struct invite_row, household_id)};
    struct db_arg args[] = {DB_ARG_INT(invite_id), DB_ARG_INT(user_id)};
    struct invite_row inv = {0};
    long long n = 0;
    *full = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = db_query_one(db, STMT_HOUSEHOLD_INVITE_LOCK, args, 2, cols, 2, &inv, sizeof(inv), NULL);
    if (st == DB_OK)
        st = lock_household(db, inv.household_id);
    if (st == DB_OK)
        st = count_of(db, STMT_HOUSEHOLD_MEMBERS_COUNT, inv.household_id, &n);
    if (st == DB_OK && n >= HOUSEHOLD_MEMBERS_MAX) {
        *full = 1;
    } else if (st == DB_OK) {
        struct db_arg member[] = {DB_ARG_INT(user_id), DB_ARG_INT(inv.household_id)};
        st = db_exec(db, STMT_HOUSEHOLD_MEMBER_INSERT, member, 2, NULL, NULL);
        if (st == DB_OK)
            st = db_exec(db, STMT_HOUSEHOLD_INVITE_DELETE, args, 2, NULL, NULL);
    }
    *household = inv.household_id;
    return finish(db, st);
}

enum db_status household_store_decline(struct db *db, long long invite_id, long long user_id,
                                       int *deleted)
{
    struct db_arg args[] = {DB_ARG_INT(invite_id), DB_ARG_INT(user_id)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_HOUSEHOLD_INVITE_DELETE, args, 2, &n, NULL);
    *deleted = n > 0;
    return st;
}

enum db_status household_store_leave(struct db *db, long long id, long long user_id, int *removed)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), DB_ARG_INT(id)};
    struct db_arg hh[] = {DB_ARG_INT(id), DB_ARG_INT(id), DB_ARG_INT(user_id)};
    unsigned long long n = 0;
    long long left = 0;
    *removed = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    st = lock_household(db, id);
    if (st == DB_OK)
        st = db_exec(db, STMT_HOUSEHOLD_MEMBER_DELETE, args, 2, &n, NULL);
    if (st == DB_OK && n > 0) {
        *removed = 1;
        st = count_of(db, STMT_HOUSEHOLD_MEMBERS_COUNT, id, &left);
        if (st == DB_OK && left == 0) /* nobody could see what it owns any more */
            st = db_exec(db, STMT_HOUSEHOLD_DELETE, hh, 1, NULL, NULL);
        else if (st == DB_OK) /* a no-op unless the creator left */
            st = db_exec(db, STMT_HOUSEHOLD_SET_CREATOR, hh, 3, NULL, NULL);
    }
    return finish(db, st);
}
