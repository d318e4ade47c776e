/* Queries of the accounts aggregate. */
#include "db/accounts.h"

#include <stddef.h>
#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define OPT_STR_ARG(s) ((s) != NULL ? STR_ARG(s) : DB_ARG_NULL)

static const struct db_col user_cols[] = {
    DB_COL_INT(struct user, id),
    DB_COL_STR(struct user, username),
    DB_COL_STR(struct user, email),
    DB_COL_STR(struct user, display_name),
    DB_COL_STR(struct user, password_hash),
    DB_COL_STR(struct user, role),
    DB_COL_STR(struct user, status),
    DB_COL_STR(struct user, created_at),
    DB_COL_INT(struct user, email_verified),
    DB_COL_INT(struct user, notify_comments),
};
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

enum db_status accounts_user_insert(struct db *db, const char *username, const char *username_norm,
                                    const char *email, const char *email_norm,
                                    const char *display_name, const char *hash,
                                    unsigned long long *id)
{
    struct db_arg args[] = {STR_ARG(username),   STR_ARG(username_norm),    STR_ARG(email),
                            STR_ARG(email_norm), OPT_STR_ARG(display_name), STR_ARG(hash)};
    return db_exec(db, STMT_USER_INSERT, args, NCOLS(args), NULL, id);
}

enum db_status accounts_user_by_login(struct db *db, const char *norm, struct user *u,
                                      struct arena *a)
{
    struct db_arg args[] = {STR_ARG(norm), STR_ARG(norm)};
    return db_query_one(db, STMT_USER_BY_LOGIN, args, 2, user_cols, NCOLS(user_cols), u, sizeof(*u),
                        a);
}

enum db_status accounts_user_by_id(struct db *db, long long id, struct user *u, struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_query_one(db, STMT_USER_BY_ID, args, 1, user_cols, NCOLS(user_cols), u, sizeof(*u),
                        a);
}

enum db_status accounts_user_set_hash(struct db *db, long long id, const char *hash)
{
    struct db_arg args[] = {STR_ARG(hash), DB_ARG_INT(id)};
    return db_exec(db, STMT_USER_SET_HASH, args, 2, NULL, NULL);
}

enum db_status accounts_session_insert(struct db *db, const char *token_hash, long long user_id,
                                       const char *csrf, unsigned lifetime, const char *address,
                                       const char *user_agent)
{
    struct db_arg args[] = {STR_ARG(token_hash),  DB_ARG_INT(user_id), STR_ARG(csrf),
                            DB_ARG_INT(lifetime), STR_ARG(address),    STR_ARG(user_agent)};
    return db_exec(db, STMT_SESSION_INSERT, args, NCOLS(args), NULL, NULL);
}

enum db_status accounts_session_lookup(struct db *db, const char *token_hash, unsigned idle,
                                       struct session_row *s, struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct session_row, id),
        DB_COL_INT(struct session_row, user_id),
        DB_COL_STR(struct session_row, csrf),
        DB_COL_INT(struct session_row, idle_seconds),
        DB_COL_STR(struct session_row, username),
        DB_COL_STR(struct session_row, role),
        DB_COL_INT(struct session_row, email_verified),
        DB_COL_INT(struct session_row, auth_age),
        DB_COL_INT(struct session_row, mfa_on),
    };
    struct db_arg args[] = {STR_ARG(token_hash), DB_ARG_INT(idle)};
    return db_query_one(db, STMT_SESSION_LOOKUP, args, 2, cols, NCOLS(cols), s, sizeof(*s), a);
}

enum db_status accounts_session_touch(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_SESSION_TOUCH, args, 1, NULL, NULL);
}

enum db_status accounts_session_delete(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_SESSION_DELETE, args, 1, NULL, NULL);
}

enum db_status accounts_audit(struct db *db, long long actor_id, const char *action,
                              const char *target, const char *address, const char *request_id,
                              const char *detail)
{
    struct db_arg args[] = {actor_id > 0 ? DB_ARG_INT(actor_id) : DB_ARG_NULL,
                            STR_ARG(action),
                            OPT_STR_ARG(target),
                            STR_ARG(address),
                            STR_ARG(request_id),
                            OPT_STR_ARG(detail)};
    return db_exec(db, STMT_AUDIT_INSERT, args, NCOLS(args), NULL, NULL);
}

struct failures {
    long long count;
    long long oldest_age;
};

enum db_status accounts_failures(struct db *db, const char *scope, const char *subject,
                                 unsigned window, long long *count, long long *oldest_age)
{
    static const struct db_col cols[] = {DB_COL_INT(struct failures, count),
                                         DB_COL_INT(struct failures, oldest_age)};
    struct db_arg args[] = {STR_ARG(scope), STR_ARG(subject), DB_ARG_INT(window)};
    struct failures f = {0, 0};
    enum db_status rc =
        db_query_one(db, STMT_LOGIN_FAIL_COUNT, args, 3, cols, 2, &f, sizeof(f), NULL);
    *count = f.count;
    *oldest_age = f.oldest_age;
    return rc;
}

enum db_status accounts_failure_add(struct db *db, const char *scope, const char *subject)
{
    struct db_arg args[] = {STR_ARG(scope), STR_ARG(subject)};
    return db_exec(db, STMT_LOGIN_FAIL_INSERT, args, 2, NULL, NULL);
}

enum db_status accounts_failures_clear(struct db *db, const char *account)
{
    struct db_arg args[] = {STR_ARG(account)};
    return db_exec(db, STMT_LOGIN_FAIL_CLEAR, args, 1, NULL, NULL);
}

enum db_status accounts_sessions_of(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                    void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct session_info, id),           DB_COL_STR(struct session_info, created_at),
        DB_COL_STR(struct session_info, last_seen_at), DB_COL_STR(struct session_info, address),
        DB_COL_STR(struct session_info, user_agent),
    };
    struct db_arg args[] = {DB_ARG_INT(user_id)};
    struct session_info row = {0};
    return db_query(db, STMT_SESSIONS_OF_USER, args, 1, cols, NCOLS(cols), &row, sizeof(row), a, fn,
                    ctx);
}

enum db_status accounts_session_delete_own(struct db *db, long long id, long long user_id,
                                           int *deleted)
{
    struct db_arg args[] = {DB_ARG_INT(id), DB_ARG_INT(user_id)};
    unsigned long long n = 0;
    enum db_status rc = db_exec(db, STMT_SESSION_DELETE_OWN, args, 2, &n, NULL);
    *deleted = n > 0;
    return rc;
}

enum db_status accounts_user_by_username(struct db *db, const char *norm, struct user *u,
                                         struct arena *a)
{
    struct db_arg args[] = {STR_ARG(norm)};
    return db_query_one(db, STMT_USER_BY_USERNAME, args, 1, user_cols, NCOLS(user_cols), u,
                        sizeof(*u), a);
}

enum db_status accounts_user_update_profile(struct db *db, long long id, const char *display_name,
                                            const char *email, const char *email_norm)
{
    struct db_arg args[] = {STR_ARG(email_norm), OPT_STR_ARG(display_name), STR_ARG(email),
                            STR_ARG(email_norm), DB_ARG_INT(id)};
    return db_exec(db, STMT_USER_UPDATE_PROFILE, args, 5, NULL, NULL);
}

struct count_row {
    long long n;
};

struct admins_ctx {
    long long target;
    long long count;
    int target_is_admin;
};

static int admin_row(void *row, void *ctx)
{
    const struct count_row *r = row;
    struct admins_ctx *c = ctx;
    c->count++;
    c->target_is_admin |= r->n == c->target;
    return 0;
}

/* Inside a transaction: locks every active admin row and says whether
 * taking user id out of that set would leave none. */
static enum db_status would_leave_no_admin(struct db *db, long long id, int *last)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct count_row row = {0};
    struct admins_ctx c = {id, 0, 0};
    enum db_status st =
        db_query(db, STMT_ADMINS_LOCK, NULL, 0, cols, 1, &row, sizeof(row), NULL, admin_row, &c);
    *last = st == DB_OK && c.target_is_admin && c.count <= 1;
    return st;
}

enum db_status accounts_end_credentials(struct db *db, long long id)
{
    struct db_arg sid[] = {DB_ARG_INT(id)};
    enum db_status st = db_exec(db, STMT_SESSIONS_DELETE_USER, sid, 1, NULL, NULL);
    return st == DB_OK ? db_exec(db, STMT_TOKENS_DELETE_USER, sid, 1, NULL, NULL) : st;
}

enum db_status accounts_user_set_password(struct db *db, long long id, const char *hash)
{
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    if ((st = accounts_user_set_hash(db, id, hash)) != DB_OK ||
        (st = accounts_end_credentials(db, id)) != DB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db);
}

/* Runs the steps (each with args) and ends the user's sessions and tokens, in one
 * transaction that first locks the admin rows when removing_admin, and
 * changes nothing when user id is the last active admin (*last_admin = 1). */
static enum db_status guarded_change(struct db *db, long long id, int removing_admin,
                                     const enum db_stmt *steps, size_t nsteps,
                                     const struct db_arg *args, size_t nargs, int *last_admin)
{
    *last_admin = 0;
    enum db_status st = db_begin(db);
    if (st != DB_OK)
        return st;
    if (removing_admin && (st = would_leave_no_admin(db, id, last_admin)) != DB_OK)
        goto fail;
    if (*last_admin) {
        db_rollback(db);
        return DB_OK;
    }
    for (size_t i = 0; i < nsteps; i++)
        if ((st = db_exec(db, steps[i], args, nargs, NULL, NULL)) != DB_OK)
            goto fail;
    if ((st = accounts_end_credentials(db, id)) != DB_OK)
        goto fail;
    return db_commit(db);
fail:
    db_rollback(db);
    return st;
}

enum db_status accounts_user_delete(struct db *db, long long id, int *last_admin)
{
    /* the ratings and favorites go with the row (foreign key cascade): take
     * them out of the recipes' aggregates in the same transaction */
    static const enum db_stmt steps[] = {STMT_USER_FORGET_RATINGS, STMT_USER_FORGET_FAVORITES,
                                         STMT_USER_DELETE};
    struct db_arg args[] = {DB_ARG_INT(id)};
    return guarded_change(db, id, 1, steps, 3, args, 1, last_admin);
}

enum db_status accounts_user_set_role_status(struct db *db, long long id, const char *role,
                                             const char *status, int *last_admin)
{
    static const enum db_stmt steps[] = {STMT_USER_SET_ROLE_STATUS};
    struct db_arg args[] = {STR_ARG(role), STR_ARG(status), DB_ARG_INT(id)};
    int stays_admin = strcmp(role, "admin") == 0 && strcmp(status, "active") == 0;
    return guarded_change(db, id, !stays_admin, steps, 1, args, 3, last_admin);
}

enum db_status accounts_users_page(struct db *db, long long after, const char *role,
                                   const char *status, unsigned limit, struct arena *a,
                                   db_row_fn fn, void *ctx)
{
    struct db_arg args[] = {DB_ARG_INT(after),   OPT_STR_ARG(role),   OPT_STR_ARG(role),
                            OPT_STR_ARG(status), OPT_STR_ARG(status), DB_ARG_INT(limit)};
    struct user row = {0};
    return db_query(db, STMT_USERS_PAGE, args, NCOLS(args), user_cols, NCOLS(user_cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status accounts_admins_active(struct db *db, long long *count)
{
    static const struct db_col cols[] = {DB_COL_INT(struct count_row, n)};
    struct count_row c = {0};
    enum db_status rc = db_query_one(db, STMT_ADMINS_ACTIVE, NULL, 0, cols, 1, &c, sizeof(c), NULL);
    *count = c.n;
    return rc;
}

enum db_status accounts_audit_page(struct db *db, long long before, unsigned limit, struct arena *a,
                                   db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct audit_entry, id),         DB_COL_STR(struct audit_entry, created_at),
        DB_COL_INT(struct audit_entry, actor_id),   DB_COL_STR(struct audit_entry, action),
        DB_COL_STR(struct audit_entry, target),     DB_COL_STR(struct audit_entry, address),
        DB_COL_STR(struct audit_entry, request_id), DB_COL_STR(struct audit_entry, detail),
    };
    struct db_arg args[] = {DB_ARG_INT(before), DB_ARG_INT(limit)};
    struct audit_entry row = {0};
    return db_query(db, STMT_AUDIT_PAGE, args, 2, cols, NCOLS(cols), &row, sizeof(row), a, fn, ctx);
}
