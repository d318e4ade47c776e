/* The personal access tokens of the accounts aggregate (table api_tokens,
 * migration 0009): only a token's SHA-256 is stored. Deleting them all when
 * an account's password, role or status changes is part of those
 * transactions in db/accounts.c. Strings come back in the caller's arena. */
#ifndef RB_DB_TOKEN_STORE_H
#define RB_DB_TOKEN_STORE_H

#include "db/db.h"

struct arena;

/* What a bearer request is authorised as. */
struct token_auth {
    long long id;
    long long user_id;
    char *scope;            /* "read" or "write" */
    long long idle_seconds; /* since the last recorded use (huge when never) */
    char *username;
    char *role;
    long long email_verified;
};

/* One token as its owner (or an admin) sees it; NULL strings when unset. */
struct token_info {
    long long id;
    long long user_id;
    char *name;
    char *scope;
    char *created_at;
    char *expires_at;
    char *last_used_at;
    char *last_used_ip;
};

/* Stores a new token of user_id; expires_at 0 = never. *id gets its id. */
enum db_status token_store_insert(struct db *db, long long user_id, const char *name,
                                  const char *scope, const char *hash, long long expires_at,
                                  unsigned long long *id);

/* The live token with this hash (not expired, its user active), or
 * DB_NOTFOUND. */
enum db_status token_store_lookup(struct db *db, const char *hash, struct token_auth *t,
                                  struct arena *a);

/* Records a use now from address. */
enum db_status token_store_touch(struct db *db, long long id, const char *address);

/* The user's tokens, newest first (at most 100); fn per row. */
enum db_status token_store_of_user(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                   void *ctx);

/* One token by id, whoever owns it (t->user_id says), or DB_NOTFOUND. */
enum db_status token_store_get(struct db *db, long long id, struct token_info *t, struct arena *a);

/* Deletes token id of user_id; *deleted says whether there was one. */
enum db_status token_store_delete(struct db *db, long long id, long long user_id, int *deleted);

/* How many tokens the user has. */
enum db_status token_store_count(struct db *db, long long user_id, long long *count);

#endif
