/* The MFA aggregate: a user's TOTP secret (sealed; the database never sees
 * it in clear), its recovery codes and the login's MFA tokens (SHA-256
 * digests only), and a session's recent-authentication time. SQL lives in
 * app/db/statements.c; strings come back in the caller's arena. */
#ifndef RB_DB_MFA_H
#define RB_DB_MFA_H

#include "db/db.h"

struct arena;

struct mfa_totp {
    char *secret_sealed;
    long long enabled; /* 0 = pending confirmation */
    long long last_step;
};

/* The user's TOTP row; DB_NOTFOUND when none. */
enum db_status mfa_totp_get(struct db *db, long long user_id, struct mfa_totp *t, struct arena *a);

/* *on = 1 when user_id has TOTP enabled (0 also for no row). */
enum db_status mfa_totp_enabled(struct db *db, long long user_id, int *on);

/* Stores a pending secret (replacing a pending one). *stored is 0 when TOTP
 * is already enabled (nothing changed). */
enum db_status mfa_totp_pending(struct db *db, long long user_id, const char *sealed, int *stored);

/* Enables the pending secret sealed (only that one) with step as the last
 * used step, and replaces the recovery codes with digests (a JSON array of
 * hex SHA-256), in one transaction. *done is 0 when no such pending row. */
enum db_status mfa_totp_enable(struct db *db, long long user_id, const char *sealed, long long step,
                               const char *digests_json, int *done);

/* Marks step used: *fresh is 1 when step is above the last used one (the
 * code counts), 0 for a replay. Atomic: of two requests with one code,
 * one wins. */
enum db_status mfa_totp_use_step(struct db *db, long long user_id, long long step, int *fresh);

/* Replaces old_sealed by sealed (a key rotation). */
enum db_status mfa_totp_reseal(struct db *db, long long user_id, const char *old_sealed,
                               const char *sealed);

/* Every TOTP row (user_id, secret_sealed), fn per row with a struct
 * mfa_sealed_row. */
struct mfa_sealed_row {
    long long user_id;
    char *secret_sealed;
};
enum db_status mfa_totp_all(struct db *db, struct arena *a, db_row_fn fn, void *ctx);

/* Removes TOTP and the recovery codes, in one transaction. */
enum db_status mfa_disable(struct db *db, long long user_id);

/* Replaces the recovery codes by digests (JSON array), in one transaction. */
enum db_status mfa_recovery_replace(struct db *db, long long user_id, const char *digests_json);

/* Spends the unused recovery code of this digest: *used 1 when it was one. */
enum db_status mfa_recovery_use(struct db *db, long long user_id, const char *digest, int *used);

enum db_status mfa_recovery_left(struct db *db, long long user_id, long long *n);

/* A login's second-step token (digest), created offset seconds from now
 * (the test clock); older ones are purged on the way. */
enum db_status mfa_token_insert(struct db *db, const char *digest, long long user_id,
                                long long offset);

/* Takes the token (single use): its user and age in seconds; DB_NOTFOUND
 * when unknown or already taken (by this or a concurrent request). */
enum db_status mfa_token_take(struct db *db, const char *digest, long long *user_id,
                              long long *age);

/* Sets the session's authenticated_at to now + offset seconds. */
enum db_status mfa_session_reauth(struct db *db, long long session_id, long long offset);

#endif
