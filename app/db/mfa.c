/* Queries of the MFA aggregate (see include/db/mfa.h). */
#include "db/mfa.h"

#include <stddef.h>
#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))

struct count_row {
    long long n;
};

enum db_status mfa_totp_get(struct db *db, long long user_id, struct mfa_totp *t, struct arena *a)
{
    static const struct db_col cols[] = {DB_COL_STR(struct mfa_totp, secret_sealed),
                                         DB_COL_INT(struct mfa_totp, enabled),
                                         DB_COL_INT(struct mfa_totp, last_step)};
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    return db_query_one(db, STMT_MFA_TOTP_GET, args, 1, cols, 3, t, sizeof(*t), a);
}

enum db_status mfa_totp_enabled(struct db *db, long long user_id, int *on)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct count_row c = {0};
    enum db_status st =
        db_query_one(db, STMT_MFA_TOTP_ENABLED, args, 1, cols, 1, &c, sizeof(c), NULL);
    *on = st == DB_OK && c.n == 1;
    return st == DB_NOTFOUND ? DB_OK : st;
}

enum db_status mfa_totp_pending(struct db *db, long long user_id, const char *sealed, int *stored)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(sealed)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_MFA_TOTP_PENDING, args, 2, &n, NULL);
    *stored = n > 0;
    return st;
}

/* One attempt of with_codes, up to (not including) the COMMIT. */
static enum db_status codes_attempt(struct db *db, enum db_stmt first, const struct db_arg *args,
                                    size_t nargs, long long user_id, const char *digests_json,
                                    unsigned long long *n)
{
    struct db_arg uid[] = {DB_ARG_INT(user_id)};
    struct db_arg ins[] = {DB_ARG_INT(user_id), STR_ARG(digests_json)};
    enum db_status st = db_begin(db);
    *n = 1;
    if (st == DB_OK && first != STMT__MAX)
        st = db_exec(db, first, args, nargs, n, NULL);
    else if (st == DB_OK)
        st = db_exec(db, STMT_MFA_RECOVERY_DELETE, uid, 1, NULL, NULL);
    if (st == DB_OK && *n > 0)
        st = db_exec(db, STMT_MFA_RECOVERY_INSERT, ins, 2, NULL, NULL);
    if (st != DB_OK || *n == 0)
        db_rollback(db);
    return st;
}

/* Runs first (affected rows into *n), then stores the recovery codes, in
 * one transaction; nothing more when first changed no row. first STMT__MAX:
 * replaces the codes instead (DELETE, then INSERT). Enabling deletes none:
 * an account has codes only while TOTP is on (disabling removes both), and
 * a DELETE's gap locks would deadlock two accounts confirming at once.
 * Replacing can still meet a deadlock with another account's replacement:
 * the attempt is rolled back and made again, at most three times (never
 * after a COMMIT, whose outcome may be unknown). */
static enum db_status with_codes(struct db *db, enum db_stmt first, const struct db_arg *args,
                                 size_t nargs, long long user_id, const char *digests_json,
                                 unsigned long long *n)
{
    enum db_status st = DB_UNAVAILABLE;
    for (int attempt = 0; attempt < 3 && st == DB_UNAVAILABLE; attempt++)
        st = codes_attempt(db, first, args, nargs, user_id, digests_json, n);
    if (st != DB_OK || *n == 0)
        return st;
    return db_commit(db);
}

enum db_status mfa_totp_enable(struct db *db, long long user_id, const char *sealed, long long step,
                               const char *digests_json, int *done)
{
    struct db_arg args[] = {DB_ARG_INT(step), DB_ARG_INT(user_id), STR_ARG(sealed)};
    unsigned long long n = 0;
    enum db_status st = with_codes(db, STMT_MFA_TOTP_ENABLE, args, 3, user_id, digests_json, &n);
    *done = st == DB_OK && n > 0;
    return st;
}

enum db_status mfa_recovery_replace(struct db *db, long long user_id, const char *digests_json)
{
    unsigned long long n = 0;
    return with_codes(db, STMT__MAX, NULL, 0, user_id, digests_json, &n);
}

enum db_status mfa_totp_use_step(struct db *db, long long user_id, long long step, int *fresh)
{
    struct db_arg args[] = {DB_ARG_INT(step), DB_ARG_INT(user_id), DB_ARG_INT(step)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_MFA_TOTP_USE_STEP, args, 3, &n, NULL);
    *fresh = st == DB_OK && n == 1;
    return st;
}

enum db_status mfa_totp_reseal(struct db *db, long long user_id, const char *old_sealed,
                               const char *sealed)
{
    struct db_arg args[] = {STR_ARG(sealed), DB_ARG_INT(user_id), STR_ARG(old_sealed)};
    return db_exec(db, STMT_MFA_TOTP_RESEAL, args, 3, NULL, NULL);
}

enum db_status mfa_totp_all(struct db *db, struct arena *a, db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {DB_COL_INT(struct mfa_sealed_row, user_id),
                                         DB_COL_STR(struct mfa_sealed_row, secret_sealed)};
    struct mfa_sealed_row row = {0};
    return db_query(db, STMT_MFA_TOTP_ALL, NULL, 0, cols, 2, &row, sizeof(row), a, fn, ctx);
}

enum db_status mfa_disable(struct db *db, long long user_id)
{
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    if ((st = db_exec(db, STMT_MFA_RECOVERY_DELETE, args, 1, NULL, NULL)) != DB_OK ||
        (st = db_exec(db, STMT_MFA_TOTP_DELETE, args, 1, NULL, NULL)) != DB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db);
}

enum db_status mfa_recovery_use(struct db *db, long long user_id, const char *digest, int *used)
{
    struct db_arg args[] = {DB_ARG_INT(user_id), STR_ARG(digest)};
    unsigned long long n = 0;
    enum db_status st = db_exec(db, STMT_MFA_RECOVERY_USE, args, 2, &n, NULL);
    *used = st == DB_OK && n == 1;
    return st;
}

enum db_status mfa_recovery_left(struct db *db, long long user_id, long long *n)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct count_row c = {0};
    enum db_status st =
        db_query_one(db, STMT_MFA_RECOVERY_LEFT, args, 1, cols, 1, &c, sizeof(c), NULL);
    *n = c.n;
    return st;
}

enum db_status mfa_token_insert(struct db *db, const char *digest, long long user_id,
                                long long offset)
{
    struct db_arg args[] = {STR_ARG(digest), DB_ARG_INT(user_id), DB_ARG_INT(offset)};
    enum db_status st = db_exec(db, STMT_MFA_TOKENS_PURGE, NULL, 0, NULL, NULL);
    if (st != DB_OK)
        return st;
    return db_exec(db, STMT_MFA_TOKEN_INSERT, args, 3, NULL, NULL);
}

struct token_row {
    long long user_id;
    long long age;
};

enum db_status mfa_token_take(struct db *db, const char *digest, long long *user_id, long long *age)
{
    static const struct db_col cols[] = {DB_COL_INT(struct token_row, user_id),
                                         DB_COL_INT(struct token_row, age)};
    struct db_arg args[] = {STR_ARG(digest)};
    struct token_row t = {0, 0};
    enum db_status st = db_query_one(db, STMT_MFA_TOKEN_GET, args, 1, cols, 2, &t, sizeof(t), NULL);
    if (st != DB_OK)
        return st;
    unsigned long long n = 0;
    if ((st = db_exec(db, STMT_MFA_TOKEN_DELETE, args, 1, &n, NULL)) != DB_OK)
        return st;
    if (n != 1)
        return DB_NOTFOUND; /* a concurrent request took it first */
    *user_id = t.user_id;
    *age = t.age;
    return DB_OK;
}

enum db_status mfa_session_reauth(struct db *db, long long session_id, long long offset)
{
    struct db_arg args[] = {DB_ARG_INT(offset), DB_ARG_INT(session_id)};
    return db_exec(db, STMT_SESSION_REAUTH, args, 2, NULL, NULL);
}
