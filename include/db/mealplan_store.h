/* Meal plan entries and calendar feeds (migration 0012). An entry belongs to
 * one user or to one household; every query here takes the viewer and
 * carries the access rule itself (the viewer's own entries or their
 * household's), so there is no way to read or change an entry without it.
 * A feed's secret is stored as its SHA-256 only. Strings come back in the
 * caller's arena. */
#ifndef RB_DB_MEALPLAN_STORE_H
#define RB_DB_MEALPLAN_STORE_H

#include "db/db.h"

struct arena;

#define MEALPLAN_PER_DAY 12    /* entries of one owner on one date */
#define MEALPLAN_FEEDS_MAX 10  /* calendar feeds of one account */
#define MEALPLAN_RANGE_DAYS 93 /* a read spans at most this many days */
#define MEALPLAN_NOTE_MAX 500  /* characters of a note */
#define MEALPLAN_SERVINGS_MAX 1000

/* One entry as a viewer sees it. recipe_visible is 0 when the viewer may
 * not see the recipe (recipe_title and recipe_slug are then NULL). */
struct mealplan_entry {
    long long id;
    long long household_id; /* 0: the entry is its user's own */
    char *created_by;       /* username */
    char *date;             /* YYYY-MM-DD */
    char *slot;
    long long recipe_id; /* 0: none */
    long long recipe_visible;
    char *recipe_title;
    char *recipe_slug;
    char *note;         /* NULL: none */
    long long servings; /* 0: not given */
    long long version;
    char *created_at;
    char *updated_at;
    char *dtstamp; /* updated_at as YYYYMMDDTHHMMSSZ */
};

/* What a client writes (strings live in the caller's JSON). */
struct mealplan_input {
    const char *date;
    const char *slot;
    long long recipe_id; /* 0: none */
    const char *note;    /* NULL: none */
    long long servings;  /* 0: none */
};

/* Stores an entry of user_id (household_id 0) or of household_id (user_id
 * 0) made by created_by; *id gets its id. */
enum db_status mealplan_store_insert(struct db *db, long long user_id, long long household_id,
                                     long long created_by, const struct mealplan_input *in,
                                     long long *id);

/* Entry id when viewer may see it, else DB_NOTFOUND. */
enum db_status mealplan_store_get(struct db *db, long long id, long long viewer,
                                  struct mealplan_entry *e, struct arena *a);

/* The viewer's entries (own and household's) from..to (YYYY-MM-DD,
 * inclusive), by date, slot and id, at most 2000; fn per struct
 * mealplan_entry. With from NULL: the calendar feed's window instead
 * (31 days back to 92 ahead of the database's today). */
enum db_status mealplan_store_range(struct db *db, long long viewer, const char *from,
                                    const char *to, struct arena *a, db_row_fn fn, void *ctx);

/* Replaces the entry's fields when it is at version and viewer may change
 * it; *stale is set when nothing matched (changed or gone meanwhile). */
enum db_status mealplan_store_update(struct db *db, long long id, long long version,
                                     long long viewer, const struct mealplan_input *in, int *stale);

/* Deletes entry id when viewer may change it; *deleted says whether it did. */
enum db_status mealplan_store_delete(struct db *db, long long id, long long viewer, int *deleted);

/* Entries on date of user_id's own (household_id 0) or of household_id. */
enum db_status mealplan_store_day_count(struct db *db, const char *date, long long user_id,
                                        long long household_id, long long *n);

/* *visible = 1 when viewer may see recipe_id (public, unlisted or their
 * own; not hidden, not deleted). */
enum db_status mealplan_store_recipe_visible(struct db *db, long long recipe_id, long long viewer,
                                             int *visible);

/* A calendar feed as its owner sees it. */
struct mealplan_feed {
    long long id;
    char *created_at;
    char *last_used_at; /* NULL: never */
};

enum db_status mealplan_store_feed_insert(struct db *db, long long user_id, const char *hash,
                                          long long *id);
/* The user's feeds, newest first; fn per struct mealplan_feed. */
enum db_status mealplan_store_feeds(struct db *db, long long user_id, struct arena *a, db_row_fn fn,
                                    void *ctx);
enum db_status mealplan_store_feeds_count(struct db *db, long long user_id, long long *n);
enum db_status mealplan_store_feed_delete(struct db *db, long long id, long long user_id,
                                          int *deleted);
/* The feed with this token hash whose owner is active: its id and owner,
 * or DB_NOTFOUND. Records the use. */
enum db_status mealplan_store_feed_use(struct db *db, const char *hash, long long *id,
                                       long long *user_id);

#endif
