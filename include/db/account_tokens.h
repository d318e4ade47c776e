/* The rows behind the mail flows (migration 0010): single-use account
 * tokens for password reset and email verification, invites, the comment
 * notification opt-out and its unsubscribe key, and the mark up to which a
 * recipe's comments were mailed. Only SHA-256 digests of tokens are kept. */
#ifndef RB_DB_ACCOUNT_TOKENS_H
#define RB_DB_ACCOUNT_TOKENS_H

#include "db/db.h"

struct arena;

/* purpose: "password_reset" or "verify_email"; email_norm may be NULL. */
enum db_status account_tokens_insert(struct db *db, const char *token_hash, long long user_id,
                                     const char *purpose, const char *email_norm,
                                     unsigned lifetime);
/* Marks a live token of purpose used and gives its user and address
 * (email_norm "" when none). DB_NOTFOUND for an unknown, used, expired or
 * other-purpose token. Run inside the caller's transaction when the use
 * must go with other writes. */
enum db_status account_tokens_use(struct db *db, const char *token_hash, const char *purpose,
                                  long long *user_id, char **email_norm, struct arena *a);
/* Tokens of purpose made for user_id within the last seconds. */
enum db_status account_tokens_recent(struct db *db, long long user_id, const char *purpose,
                                     unsigned seconds, long long *count);

/* Confirms user_id's address when it is still email_norm; *done says. */
enum db_status account_tokens_verify_email(struct db *db, long long user_id, const char *email_norm,
                                           int *done);
enum db_status account_tokens_set_notify(struct db *db, long long user_id, int on);
/* The user's unsubscribe key (made from candidate on first use) into out. */
enum db_status account_tokens_unsubscribe_key(struct db *db, long long user_id,
                                              const char *candidate, char **out, struct arena *a);
/* Turns comment notifications off for the key's account; *done says. */
enum db_status account_tokens_unsubscribe(struct db *db, const char *key, int *done);

enum db_status account_tokens_invite_insert(struct db *db, const char *token_hash,
                                            const char *email_norm, unsigned max_uses,
                                            unsigned days, long long created_by,
                                            unsigned long long *id);
/* One use of a live invite whose bound address (if any) is email_norm;
 * *ok says whether there was one. */
enum db_status account_tokens_invite_use(struct db *db, const char *token_hash,
                                         const char *email_norm, int *ok);
struct invite_row {
    long long id;
    char *email; /* "" when not bound */
    long long max_uses;
    long long uses;
    char *expires_at;
    char *created_at;
    long long created_by;
    long long revoked;
};
/* Invites with id < before, newest first; fn per row (a struct invite_row). */
enum db_status account_tokens_invites_page(struct db *db, long long before, unsigned limit,
                                           struct arena *a, db_row_fn fn, void *ctx);
/* Gives a live invite a new token digest (its invite mail's); *live says
 * whether it was live. */
enum db_status account_tokens_invite_rehash(struct db *db, long long id, const char *token_hash,
                                            int *live);
enum db_status account_tokens_invite_revoke(struct db *db, long long id, int *done);

struct notify_recipe {
    char *title;
    long long author_id;
    char *author_username;
    char *author_email;
    long long notify;
    long long verified;
    long long mailed_until;
};
enum db_status account_tokens_notify_recipe(struct db *db, long long recipe_id,
                                            struct notify_recipe *r, struct arena *a);
struct notify_comment {
    long long id;
    char *username;
    char *body;
};
/* Up to 20 comments after after_id not by author_id; fn per row. */
enum db_status account_tokens_notify_comments(struct db *db, long long recipe_id,
                                              long long after_id, long long author_id,
                                              struct arena *a, db_row_fn fn, void *ctx);
enum db_status account_tokens_notify_mark(struct db *db, long long recipe_id, long long until);

#endif
