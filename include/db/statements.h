/* Every SQL statement the app runs, as an enum; the text and whether it is
 * safe to repeat after a lost connection live in app/db/statements.c. */
#ifndef RB_DB_STATEMENTS_H
#define RB_DB_STATEMENTS_H

enum db_stmt {
    STMT_PING = 0,
    STMT_SQL_MODE,
    STMT_MIGRATIONS_LIST,
    STMT_MIGRATIONS_CREATE,
    STMT_MIGRATIONS_INSERT,
    STMT_MIGRATIONS_DELETE,
    STMT_TEST_WRITE_INSERT,
    STMT_TEST_WRITE_COUNT,
    STMT_TEST_WRITE_GET,
    STMT_USER_INSERT,
    STMT_USER_BY_LOGIN,
    STMT_USER_BY_ID,
    STMT_USER_SET_HASH,
    STMT_SESSION_INSERT,
    STMT_SESSION_LOOKUP,
    STMT_SESSION_TOUCH,
    STMT_SESSION_DELETE,
    STMT_AUDIT_INSERT,
    STMT_LOGIN_FAIL_INSERT,
    STMT_LOGIN_FAIL_COUNT,
    STMT_LOGIN_FAIL_CLEAR,
    STMT_SESSIONS_OF_USER,
    STMT_SESSION_DELETE_OWN,
    STMT_SESSIONS_DELETE_USER,
    STMT_USER_BY_USERNAME,
    STMT_USER_UPDATE_PROFILE,
    STMT_USER_DELETE,
    STMT_USER_SET_ROLE_STATUS,
    STMT_USERS_PAGE,
    STMT_ADMINS_ACTIVE,
    STMT_ADMINS_LOCK,
    STMT_AUDIT_PAGE,
    STMT_RECIPE_GET,
    STMT_RECIPE_INSERT,
    STMT_RECIPE_UPDATE,
    STMT_RECIPE_LOCK,
    STMT_INGREDIENTS_DELETE,
    STMT_INGREDIENTS_INSERT,
    STMT_STEPS_DELETE,
    STMT_STEPS_INSERT,
    STMT_TAGS_CREATE,
    STMT_RECIPE_TAGS_DELETE,
    STMT_RECIPE_TAGS_INSERT,
    STMT_RECIPE_SOFT_DELETE,
    STMT_RECIPE_SET_HIDDEN,
    STMT_RATING_UPSERT,
    STMT_RATING_DELETE,
    STMT_RATING_AGGREGATE,
    STMT_FAVORITE_INSERT,
    STMT_FAVORITE_DELETE,
    STMT_FAVORITE_AGGREGATE,
    STMT_TAGS_COUNTS,
    STMT_COMMENT_INSERT,
    STMT_COMMENT_GET,
    STMT_COMMENTS_PAGE,
    STMT_COMMENT_SOFT_DELETE,
    STMT_COMMENT_SET_STATE,
    STMT_USER_FORGET_RATINGS,
    STMT_USER_FORGET_FAVORITES,
    STMT_RECIPE_SET_IMAGE,
    STMT_IMAGE_KEYS,
    STMT_RECIPES_OF_AUTHOR,
    STMT_COMMENTS_OF_AUTHOR,
    STMT_IMAGE_BYTES_OF_AUTHOR,
    STMT_TOKEN_INSERT,
    STMT_TOKEN_LOOKUP,
    STMT_TOKEN_TOUCH,
    STMT_TOKENS_OF_USER,
    STMT_TOKEN_GET,
    STMT_TOKEN_DELETE,
    STMT_TOKENS_DELETE_USER,
    STMT_TOKENS_COUNT,
    STMT_JOB_ENQUEUE,
    STMT_JOB_CLAIM_EXPIRED,
    STMT_JOB_CLAIM_DUE,
    STMT_JOB_MARK_RUNNING,
    STMT_JOB_RENEW,
    STMT_JOB_DONE,
    STMT_JOB_FAIL,
    STMT_JOB_PURGE,
    STMT_JOBS_PAGE,
    STMT_JOB_RETRY,
    STMT_JOB_CANCEL,
    STMT_JOBS_STATS,
    STMT_JOB_READ_COMMITTED,
    STMT_ACCOUNT_TOKEN_INSERT,
    STMT_ACCOUNT_TOKEN_USE,
    STMT_ACCOUNT_TOKEN_GET,
    STMT_ACCOUNT_TOKEN_RECENT,
    STMT_USER_VERIFY_EMAIL,
    STMT_USER_SET_NOTIFY,
    STMT_USER_UNSUBSCRIBE_KEY_SET,
    STMT_USER_UNSUBSCRIBE_KEY_GET,
    STMT_USER_UNSUBSCRIBE,
    STMT_INVITE_INSERT,
    STMT_INVITE_USE,
    STMT_INVITES_PAGE,
    STMT_INVITE_REHASH,
    STMT_INVITE_REVOKE,
    STMT_NOTIFY_RECIPE,
    STMT_NOTIFY_COMMENTS,
    STMT_NOTIFY_MARK_SET,
    STMT_MFA_TOTP_GET,
    STMT_MFA_TOTP_ENABLED,
    STMT_MFA_TOTP_PENDING,
    STMT_MFA_TOTP_ENABLE,
    STMT_MFA_TOTP_USE_STEP,
    STMT_MFA_TOTP_RESEAL,
    STMT_MFA_TOTP_DELETE,
    STMT_MFA_TOTP_ALL,
    STMT_MFA_RECOVERY_DELETE,
    STMT_MFA_RECOVERY_INSERT,
    STMT_MFA_RECOVERY_USE,
    STMT_MFA_RECOVERY_LEFT,
    STMT_MFA_TOKEN_INSERT,
    STMT_MFA_TOKEN_GET,
    STMT_MFA_TOKEN_DELETE,
    STMT_MFA_TOKENS_PURGE,
    STMT_SESSION_REAUTH,
    STMT_ARCHIVE_INSERT,
    STMT_ARCHIVE_GET,
    STMT_ARCHIVE_UPDATE,
    STMT_ARCHIVE_ACTIVE_EXPORT,
    STMT__MAX
};

/* The columns of a recipe representation; lists pass NULL for the steps.
 * The children come from the JSON copies kept in the row (see migration
 * 0004), the viewer's own rating and favorite from primary-key lookups. */
#define RECIPE_COLUMNS(steps)                                                                      \
    "r.id, r.author_id, u.username, u.display_name, r.title, r.slug, r.description, "              \
    "r.servings, r.prep_minutes, r.cook_minutes, r.source_url, r.visibility, r.hidden, "           \
    "r.version, r.rating_sum, r.rating_count, r.favorite_count, "                                  \
    "DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%sZ'), "                                            \
    "DATE_FORMAT(r.updated_at, '%Y-%m-%dT%H:%i:%sZ'), r.ingredients_json, " steps                  \
    ", r.tags_json, r.image_key, r.image_json, "                                                   \
    "(SELECT g.stars FROM ratings g WHERE g.recipe_id = r.id AND g.user_id = ?), "                 \
    "EXISTS (SELECT 1 FROM favorites f WHERE f.recipe_id = r.id AND f.user_id = ?)"
#define RECIPE_STEPS_JSON "r.steps_json"

struct db_statement {
    const char *sql;
    int repeatable; /* safe to run again after the connection was lost */
};

extern const struct db_statement db_statements[STMT__MAX];

#endif
