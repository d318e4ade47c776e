/* Queries of the mail flows' rows (migration 0010). */
#include "db/account_tokens.h"

#include <stddef.h>
#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define OPT_STR_ARG(s) ((s) != NULL ? STR_ARG(s) : DB_ARG_NULL)
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

enum db_status account_tokens_insert(struct db *db, const char *token_hash, long long user_id,
                                     const char *purpose, const char *email_norm, unsigned lifetime)
{
    struct db_arg args[] = {STR_ARG(token_hash), DB_ARG_INT(user_id), STR_ARG(purpose),
                            OPT_STR_ARG(email_norm), DB_ARG_INT(lifetime)};
    return db_exec(db, STMT_ACCOUNT_TOKEN_INSERT, args, NCOLS(args), NULL, NULL);
}

struct token_owner {
    long long user_id;
    char *email;
};

enum db_status account_tokens_use(struct db *db, const char *token_hash, const char *purpose,
                                  long long *user_id, char **email_norm, struct arena *a)
{
    struct db_arg args[] = {STR_ARG(token_hash), STR_ARG(purpose)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_ACCOUNT_TOKEN_USE, args, 2, &n, NULL);
    if (st != DB_OK)
        return st;
    if (n != 1)
        return DB_NOTFOUND;
    static const struct db_col cols[] = {DB_COL_INT(struct token_owner, user_id),
                                         DB_COL_STR(struct token_owner, email)};
    struct token_owner o = {0};
    st = db_query_one(db, STMT_ACCOUNT_TOKEN_GET, args, 1, cols, NCOLS(cols), &o, sizeof(o), a);
    if (st == DB_OK) {
        *user_id = o.user_id;
        *email_norm = o.email;
    }
    return st;
}

struct count_row {
    long long n;
};

enum db_status account_tokens_recent(struct db *db, long long user_id, const char *purpose,
                                     unsigned seconds, long long *count)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(purpose), DB_ARG_INT(seconds)};
    struct count_row r = {0};
    enum db_status st = db_query_one(db, STMT_ACCOUNT_TOKEN_RECENT, args, NCOLS(args), cols, 1, &r,
                                     sizeof(r), NULL);
    *count = r.n;
    return st;
}

/* Runs an UPDATE and says whether it changed a row. */
static enum db_status exec_done(struct db *db, enum db_stmt stmt, const struct db_arg *args,
                                size_t nargs, int *done)
{
    unsigned long long n = 0;
    enum db_status st = db_exec(db, stmt, args, nargs, &n, NULL);
    *done = st == DB_OK && n > 0;
    return st;
}

enum db_status account_tokens_verify_email(struct db *db, long long user_id, const char *email_norm,
                                           int *done)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(email_norm)};
    return exec_done(db, STMT_USER_VERIFY_EMAIL, args, 2, done);
}

enum db_status account_tokens_set_notify(struct db *db, long long user_id, int on)
{
    struct db_arg args[] = {DB_ARG_INT(on ? 1 : 0), DB_ARG_INT(user_id)};
    return db_exec(db, STMT_USER_SET_NOTIFY, args, 2, NULL, NULL);
}

struct key_row {
    char *key;
};

enum db_status account_tokens_unsubscribe_key(struct db *db, long long user_id,
                                              const char *candidate, char **out, struct arena *a)
{
    struct db_arg set[] = {STR_ARG(candidate), DB_ARG_INT(user_id)};
    enum db_status st = db_exec(db, STMT_USER_UNSUBSCRIBE_KEY_SET, set, 2, NULL, NULL);
    if (st != DB_OK)
        return st;
    static const struct db_col cols[] = {DB_COL_STR(struct key_row, key)};
    struct key_row r = {0};
    st = db_query_one(db, STMT_USER_UNSUBSCRIBE_KEY_GET, set + 1, 1, cols, 1, &r, sizeof(r), a);
    if (st == DB_OK && r.key == NULL)
        st = DB_NOTFOUND;
    *out = r.key;
    return st;
}

enum db_status account_tokens_unsubscribe(struct db *db, const char *key, int *done)
{
    struct db_arg args[] = {STR_ARG(key)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_USER_UNSUBSCRIBE, args, 1, &n, NULL);
    *done = st == DB_OK; /* matched rows are not counted when already off */
    return st;
}

enum db_status account_tokens_invite_insert(struct db *db, const char *token_hash,
                                            const char *email_norm, unsigned max_uses,
                                            unsigned days, long long created_by,
                                            unsigned long long *id)
{
    struct db_arg args[] = {STR_ARG(token_hash), OPT_STR_ARG(email_norm), DB_ARG_INT(max_uses),
                            DB_ARG_INT(days),
                            created_by > 0 ? DB_ARG_INT(created_by) : DB_ARG_NULL};
    return db_exec(db, STMT_INVITE_INSERT, args, NCOLS(args), NULL, id);
}

enum db_status account_tokens_invite_use(struct db *db, const char *token_hash,
                                         const char *email_norm, int *ok)
{
    struct db_arg args[] = {STR_ARG(token_hash), STR_ARG(email_norm)};
    return exec_done(db, STMT_INVITE_USE, args, 2, ok);
}

enum db_status account_tokens_invites_page(struct db *db, long long before, unsigned limit,
                                           struct arena *a, db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct invite_row, id),         DB_COL_STR(struct invite_row, email),
        DB_COL_INT(struct invite_row, max_uses),   DB_COL_INT(struct invite_row, uses),
        DB_COL_STR(struct invite_row, expires_at), DB_COL_STR(struct invite_row, created_at),
        DB_COL_INT(struct invite_row, created_by), DB_COL_INT(struct invite_row, revoked),
    };
    struct db_arg args[] = {DB_ARG_INT(before), DB_ARG_INT(limit)};
    struct invite_row row;
    return db_query(db, STMT_INVITES_PAGE, args, 2, cols, NCOLS(cols), &row, sizeof(row), a, fn,
                    ctx);
}

enum db_status account_tokens_invite_rehash(struct db *db, long long id, const char *token_hash,
                                            int *live)
{
    struct db_arg args[] = {STR_ARG(token_hash), DB_ARG_INT(id)};
    return exec_done(db, STMT_INVITE_REHASH, args, 2, live);
}

enum db_status account_tokens_invite_revoke(struct db *db, long long id, int *done)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return exec_done(db, STMT_INVITE_REVOKE, args, 1, done);
}

enum db_status account_tokens_notify_recipe(struct db *db, long long recipe_id,
                                            struct notify_recipe *r, struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_STR(struct notify_recipe, title),
        DB_COL_INT(struct notify_recipe, author_id),
        DB_COL_STR(struct notify_recipe, author_username),
        DB_COL_STR(struct notify_recipe, author_email),
        DB_COL_INT(struct notify_recipe, notify),
        DB_COL_INT(struct notify_recipe, verified),
        DB_COL_INT(struct notify_recipe, mailed_until),
    };
    struct db_arg args[] = {DB_ARG_INT(recipe_id)};
    return db_query_one(db, STMT_NOTIFY_RECIPE, args, 1, cols, NCOLS(cols), r, sizeof(*r), a);
}

enum db_status account_tokens_notify_comments(struct db *db, long long recipe_id,
                                              long long after_id, long long author_id,
                                              struct arena *a, db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {DB_COL_INT(struct notify_comment, id),
                                         DB_COL_STR(struct notify_comment, username),
                                         DB_COL_STR(struct notify_comment, body)};
    struct db_arg args[] = {DB_ARG_INT(recipe_id), DB_ARG_INT(after_id), DB_ARG_INT(author_id)};
    struct notify_comment row;
    return db_query(db, STMT_NOTIFY_COMMENTS, args, NCOLS(args), cols, NCOLS(cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status account_tokens_notify_mark(struct db *db, long long recipe_id, long long until)
{
    struct db_arg args[] = {DB_ARG_INT(recipe_id), DB_ARG_INT(until)};
    return db_exec(db, STMT_NOTIFY_MARK_SET, args, 2, NULL, NULL);
}
