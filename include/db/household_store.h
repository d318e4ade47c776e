/* Households (migration 0012): a user belongs to at most one; members
 * share meal plan entries and shopping lists owned by the household.
 * Multi-row changes (create, accept, leave, remove) run in one transaction
 * that locks the household row first, so membership counts and the
 * creator hand-over cannot race. Strings come back in the caller's arena. */
#ifndef RB_DB_HOUSEHOLD_STORE_H
#define RB_DB_HOUSEHOLD_STORE_H

#include "db/db.h"

struct arena;

#define HOUSEHOLD_MEMBERS_MAX 20 /* members of one household */
#define HOUSEHOLD_INVITES_MAX 20 /* pending invites of one household */

struct household {
    long long id;
    char *name;
    long long created_by;
    char *creator; /* the creator's username */
    char *created_at;
};

struct household_member {
    long long user_id;
    char *username;
    char *display_name; /* NULL when not set */
    char *joined_at;
};

struct household_invite {
    long long id;
    long long household_id;
    char *household_name;
    char *username;   /* who is invited */
    char *invited_by; /* username */
    char *created_at;
};

/* The household user_id belongs to, or DB_NOTFOUND. */
enum db_status household_store_of_user(struct db *db, long long user_id, struct household *h,
                                       struct arena *a);

/* Makes a household named name with user_id as creator and first member.
 * DB_CONFLICT when the user is in a household already. *id gets its id. */
enum db_status household_store_create(struct db *db, long long user_id, const char *name,
                                      long long *id);

/* The members of household id, oldest first; fn per struct household_member. */
enum db_status household_store_members(struct db *db, long long id, struct arena *a, db_row_fn fn,
                                       void *ctx);

/* The pending invites of household id (oldest first) or, with by_user, to
 * user id (newest first, at most 100); fn per struct household_invite. */
enum db_status household_store_invites(struct db *db, long long id, int by_user, struct arena *a,
                                       db_row_fn fn, void *ctx);

/* Invites user_id to household id on behalf of by; *invite gets the
 * invite's id. DB_CONFLICT when that invite exists; *full is set (nothing
 * stored) when the household holds HOUSEHOLD_INVITES_MAX pending invites. */
enum db_status household_store_invite(struct db *db, long long id, long long user_id, long long by,
                                      int *full, long long *invite);

/* Accepts invite invite_id addressed to user_id: the user joins, the invite
 * is gone. DB_NOTFOUND when there is no such invite to that user,
 * DB_CONFLICT when the user is in a household already; *full is set
 * (nothing changed) when the household has HOUSEHOLD_MEMBERS_MAX members.
 * *household gets the household's id. */
enum db_status household_store_accept(struct db *db, long long invite_id, long long user_id,
                                      int *full, long long *household);

/* Declines (deletes) invite invite_id to user_id; *deleted says whether
 * there was one. */
enum db_status household_store_decline(struct db *db, long long invite_id, long long user_id,
                                       int *deleted);

/* user_id leaves household id (or is removed from it). The last member
 * leaving deletes the household and everything it owns; the creator
 * leaving hands the household to the longest-standing member. *removed says
 * whether user_id was a member. */
enum db_status household_store_leave(struct db *db, long long id, long long user_id, int *removed);

#endif
