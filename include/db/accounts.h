/* The accounts aggregate: users, sessions, the audit log and failed-login
 * counting. SQL lives in app/db/statements.c; strings come back in the
 * caller's arena. */
#ifndef RB_DB_ACCOUNTS_H
#define RB_DB_ACCOUNTS_H

#include "db/db.h"

struct arena;

struct user {
    long long id;
    char *username;
    char *email;
    char *display_name; /* NULL when not set */
    char *password_hash;
    char *role;
    char *status;
    char *created_at;
    long long email_verified; /* 1 once the address was confirmed */
    long long notify_comments;
};

struct session_row {
    long long id;
    long long user_id;
    char *csrf;
    long long idle_seconds; /* since the last touch */
    char *username;
    char *role;
    long long email_verified;
    long long auth_age; /* seconds since the owner last authenticated (login, reauth) */
    long long mfa_on;   /* 1 when the account has TOTP enabled */
};

enum db_status accounts_user_insert(struct db *db, const char *username, const char *username_norm,
                                    const char *email, const char *email_norm,
                                    const char *display_name, const char *hash,
                                    unsigned long long *id);
/* By normalised username or email. */
enum db_status accounts_user_by_login(struct db *db, const char *norm, struct user *u,
                                      struct arena *a);
enum db_status accounts_user_by_id(struct db *db, long long id, struct user *u, struct arena *a);
enum db_status accounts_user_set_hash(struct db *db, long long id, const char *hash);
/* A new password hash, and every session and personal access token of the
 * user ended, in one transaction. */
/* Inside the caller's transaction: every session and personal access
 * token of the user ends (a new password, role or status:
 * docs/security.md). */
enum db_status accounts_end_credentials(struct db *db, long long id);
enum db_status accounts_user_set_password(struct db *db, long long id, const char *hash);

enum db_status accounts_session_insert(struct db *db, const char *token_hash, long long user_id,
                                       const char *csrf, unsigned lifetime, const char *address,
                                       const char *user_agent);
/* A live session (not past its absolute expiry, seen within idle seconds,
 * user active). DB_NOTFOUND otherwise. */
enum db_status accounts_session_lookup(struct db *db, const char *token_hash, unsigned idle,
                                       struct session_row *s, struct arena *a);
enum db_status accounts_session_touch(struct db *db, long long id);
enum db_status accounts_session_delete(struct db *db, long long id);

struct session_info {
    long long id;
    char *created_at;
    char *last_seen_at;
    char *address;
    char *user_agent;
};

/* The user's live sessions, newest first (at most 100); fn per row. */
enum db_status accounts_sessions_of(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                    void *ctx);
/* Deletes session id only when it belongs to user_id; *deleted says. */
enum db_status accounts_session_delete_own(struct db *db, long long id, long long user_id,
                                           int *deleted);

/* An active user by normalised username (public profiles). */
enum db_status accounts_user_by_username(struct db *db, const char *norm, struct user *u,
                                         struct arena *a);
/* A changed email_norm makes the address unconfirmed again. */
enum db_status accounts_user_update_profile(struct db *db, long long id, const char *display_name,
                                            const char *email, const char *email_norm);
/* Deletes user id (taking its ratings and favorites out of the recipes'
 * aggregates) and its sessions, or changes its role and status and ends its
 * sessions, in one transaction that locks every active admin row
 * first: when the change would leave no active admin, nothing changes and
 * *last_admin is 1 (DB_OK). Concurrent changes serialise on those locks, so
 * two admins demoting each other cannot both succeed. */
enum db_status accounts_user_delete(struct db *db, long long id, int *last_admin);
enum db_status accounts_user_set_role_status(struct db *db, long long id, const char *role,
                                             const char *status, int *last_admin);
/* Users with id > after, filtered by role/status when not NULL, by id; fn
 * per row (a struct user). */
enum db_status accounts_users_page(struct db *db, long long after, const char *role,
                                   const char *status, unsigned limit, struct arena *a,
                                   db_row_fn fn, void *ctx);
enum db_status accounts_admins_active(struct db *db, long long *count);

struct audit_entry {
    long long id;
    char *created_at;
    long long actor_id; /* 0 = none */
    char *action;
    char *target;
    char *address;
    char *request_id;
    char *detail;
};

/* Audit entries with id < before, newest first. */
enum db_status accounts_audit_page(struct db *db, long long before, unsigned limit, struct arena *a,
                                   db_row_fn fn, void *ctx);

/* actor_id 0 = none. target and detail may be NULL. */
enum db_status accounts_audit(struct db *db, long long actor_id, const char *action,
                              const char *target, const char *address, const char *request_id,
                              const char *detail);

/* Failures of scope ("account" or "address") for subject within window
 * seconds, and the age in seconds of the oldest of them. */
enum db_status accounts_failures(struct db *db, const char *scope, const char *subject,
                                 unsigned window, long long *count, long long *oldest_age);
enum db_status accounts_failure_add(struct db *db, const char *scope, const char *subject);
enum db_status accounts_failures_clear(struct db *db, const char *account);

#endif
