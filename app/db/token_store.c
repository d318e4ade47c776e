/* Queries of the personal access tokens (include/db/token_store.h); SQL
 * text in app/db/statements.c. */
#include "db/token_store.h"

#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

static const struct db_col info_cols[] = {
    DB_COL_INT(struct token_info, id),           DB_COL_INT(struct token_info, user_id),
    DB_COL_STR(struct token_info, name),         DB_COL_STR(struct token_info, scope),
    DB_COL_STR(struct token_info, created_at),   DB_COL_STR(struct token_info, expires_at),
    DB_COL_STR(struct token_info, last_used_at), DB_COL_STR(struct token_info, last_used_ip),
};

enum db_status token_store_insert(struct db *db, long long user_id, const char *name,
                                  const char *scope, const char *hash, long long expires_at,
                                  unsigned long long *id)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(name), STR_ARG(scope), STR_ARG(hash),
                            expires_at > 0 ? DB_ARG_INT(expires_at) : DB_ARG_NULL};
    return db_exec(db, STMT_TOKEN_INSERT, args, NCOLS(args), NULL, id);
}

enum db_status token_store_lookup(struct db *db, const char *hash, struct token_auth *t,
                                  struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct token_auth, id),       DB_COL_INT(struct token_auth, user_id),
        DB_COL_STR(struct token_auth, scope),    DB_COL_INT(struct token_auth, idle_seconds),
        DB_COL_STR(struct token_auth, username), DB_COL_STR(struct token_auth, role),
        DB_COL_INT(struct token_auth, email_verified),
    };
    struct db_arg args[] = {STR_ARG(hash)};
    return db_query_one(db, STMT_TOKEN_LOOKUP, args, 1, cols, NCOLS(cols), t, sizeof(*t), a);
}

enum db_status token_store_touch(struct db *db, long long id, const char *address)
{
    struct db_arg args[] = {STR_ARG(address), DB_ARG_INT(id)};
    return db_exec(db, STMT_TOKEN_TOUCH, args, 2, NULL, NULL);
}

enum db_status token_store_of_user(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                   void *ctx)
{
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct token_info row = {0};
    return db_query(db, STMT_TOKENS_OF_USER, args, 1, info_cols, NCOLS(info_cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status token_store_get(struct db *db, long long id, struct token_info *t, struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_query_one(db, STMT_TOKEN_GET, args, 1, info_cols, NCOLS(info_cols), t, sizeof(*t), a);
}

enum db_status token_store_delete(struct db *db, long long id, long long user_id, int *deleted)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(user_id)};
    unsigned long long n = 0;
    enum db_status rc = db_exec(db, STMT_TOKEN_DELETE, args, 2, &n, NULL);
    *deleted = n > 0;
    return rc;
}

struct count_row {
    long long n;
};

enum db_status token_store_count(struct db *db, long long user_id, long long *count)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct count_row c = {0};
    enum db_status rc = db_query_one(db, STMT_TOKENS_COUNT, args, 1, cols, 1, &c, sizeof(c), NULL);
    *count = c.n;
    return rc;
}
