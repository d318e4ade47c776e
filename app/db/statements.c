/* The SQL text of every statement, prepared on first use per connection.
 * "repeatable" marks what may be retried after a lost connection: reads and
 * idempotent writes only. */
#include "db/statements.h"

#define USER_COLUMNS                                                                               \
    "id, username, email, display_name, password_hash, role, status, "                             \
    "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), email_verified_at IS NOT NULL, "               \
    "notify_comments"

#define TS(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* the caller (both ? are the viewer's id) owns the list or is in its household */
#define SHOP_MINE                                                                                  \
    "(l.user_id = ? OR l.household_id = (SELECT m.household_id FROM household_members m WHERE "    \
    "m.user_id = ?))"
#define SHOP_LIST_COLUMNS                                                                          \
    "l.id, COALESCE(l.household_id, 0), l.created_by, l.name, l.version, " TS(                     \
        "l.created_at") ", " TS("l.updated_at") ", (SELECT COUNT(*) FROM shopping_items i WHERE "  \
                                                "i.list_id = l.id), "                              \
                                                "(SELECT COUNT(*) FROM shopping_items i WHERE "    \
                                                "i.list_id = l.id AND i.checked = 0)"
#define SHOP_ITEM_COLUMNS                                                                          \
    "id, list_id, name, dimension, quantity, unit, checked, from_recipes, version, " TS(           \
        "created_at") ", " TS("updated_at")

#define TOKEN_COLUMNS                                                                              \
    "id, user_id, name, scope, " TS("created_at") ", " TS("expires_at") ", " TS(                   \
        "last_used_at") ", last_used_ip"

/* Whether the reader may see recipe r as a member of a collection: the
 * rule of recipes_visible in SQL (args: reader id, admin 0/1, moderator or
 * admin 0/1). */
#define COLLECTION_MEMBER_VISIBLE                                                                  \
    "(r.deleted_at IS NULL AND (r.author_id = ? OR ? = 1 OR (r.visibility <> 'private' AND "       \
    "(r.hidden = 0 OR ? = 1))))"

/* A collection with its owner and the count of members the reader sees
 * (args: the three of COLLECTION_MEMBER_VISIBLE). */
#define COLLECTION_COLUMNS                                                                         \
    "c.id, c.owner_id, u.username, u.display_name, c.name, c.description, c.visibility, "          \
    "c.version, " TS("c.created_at") ", " TS(                                                      \
        "c.updated_at") ", (SELECT COUNT(*) FROM "                                                 \
                        "collection_recipes cr JOIN recipes r ON r.id = cr.recipe_id WHERE "       \
                        "cr.collection_id = c.id "                                                 \
                        "AND " COLLECTION_MEMBER_VISIBLE                                           \
                        ") FROM collections c JOIN users u ON u.id = c.owner_id"
/* Meal plan entries as a viewer (the first ?) sees them: the recipe's
 * title only when that viewer may see the recipe (the LEFT JOIN finds no
 * row otherwise), dates as YYYY-MM-DD, the iCalendar DTSTAMP form last. */
#define MEALPLAN_SELECT                                                                            \
    "SELECT e.id, COALESCE(e.household_id, 0), c.username, "                                       \
    "DATE_FORMAT(e.plan_date, '%Y-%m-%d'), e.slot, COALESCE(e.recipe_id, 0), r.id IS NOT NULL, "   \
    "r.title, r.slug, e.note, COALESCE(e.servings, 0), e.version, " TS("e.created_at") ", " TS(    \
        "e.updated_at") ", DATE_FORMAT(e.updated_at, '%Y%m%dT%H%i%sZ') "                           \
                        "FROM meal_plan_entries e LEFT JOIN users c ON c.id = e.created_by "       \
                        "LEFT JOIN recipes r ON r.id = e.recipe_id AND r.deleted_at IS NULL AND "  \
                        "(r.author_id = ? OR (r.visibility <> 'private' AND r.hidden = 0)) "

/* Entries the user (two ?) may see and change: their own and their
 * household's. */
#define MEALPLAN_MINE                                                                              \
    "(e.user_id = ? OR e.household_id = (SELECT m.household_id FROM household_members m WHERE "    \
    "m.user_id = ?))"
#define MEALPLAN_ORDER " ORDER BY e.plan_date, e.slot, e.id LIMIT 2000"

#define HOUSEHOLD_INVITE_SELECT                                                                    \
    "SELECT i.id, i.household_id, h.name, u.username, b.username, " TS(                            \
        "i.created_at") " FROM household_invites i JOIN households h ON h.id = i.household_id "    \
                        "JOIN users u ON u.id = i.user_id JOIN users b ON b.id = i.invited_by "

const struct db_statement db_statements[STMT__MAX] = {
    [STMT_PING] = {"SELECT 1", 1},
    [STMT_SQL_MODE] = {"SELECT @@SESSION.sql_mode, @@SESSION.character_set_connection", 1},
    /* is this a Galera node, and is it ready (a node cut off from the
     * primary component answers 'OFF'); run once per connection, as text,
     * by db_connect; both 'OFF' on a server without wsrep */
    [STMT_WSREP_STATE] = {"SELECT COALESCE((SELECT VARIABLE_VALUE FROM "
                          "information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON'), "
                          "'OFF'), COALESCE((SELECT VARIABLE_VALUE FROM "
                          "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY'), "
                          "'OFF')",
                          1},
    [STMT_MIGRATIONS_LIST] = {"SELECT version, name, checksum FROM schema_migrations ORDER BY "
                              "version",
                              1},
    [STMT_MIGRATIONS_CREATE] = {"CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version INT UNSIGNED NOT NULL PRIMARY KEY,"
                                " name VARCHAR(200) NOT NULL,"
                                " checksum CHAR(64) NOT NULL,"
                                " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                                ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                                1},
    [STMT_MIGRATIONS_INSERT] = {"INSERT INTO schema_migrations (version, name, checksum) VALUES "
                                "(?, ?, ?)",
                                0},
    [STMT_MIGRATIONS_DELETE] = {"DELETE FROM schema_migrations WHERE version = ?", 1},
    [STMT_TEST_WRITE_INSERT] = {"INSERT INTO test_writes (token) VALUES (?)", 0},
    [STMT_TEST_WRITE_COUNT] = {"SELECT COUNT(*) FROM test_writes", 1},
    [STMT_TEST_WRITE_GET] = {"SELECT id, token FROM test_writes WHERE token = ?", 1},
    [STMT_USER_INSERT] = {"INSERT INTO users (username, username_norm, email, email_norm, "
                          "display_name, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
                          0},
    [STMT_USER_BY_LOGIN] = {"SELECT " USER_COLUMNS " FROM users WHERE username_norm = ? OR "
                            "email_norm = ? LIMIT 1",
                            1},
    [STMT_USER_BY_ID] = {"SELECT " USER_COLUMNS " FROM users WHERE id = ?", 1},
    [STMT_USER_SET_HASH] = {"UPDATE users SET password_hash = ? WHERE id = ?", 1},
    [STMT_SESSION_INSERT] = {"INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, "
                             "address, user_agent) VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND, "
                             "?, ?)",
                             0},
    [STMT_SESSION_LOOKUP] = {"SELECT s.id, s.user_id, s.csrf_token, "
                             "TIMESTAMPDIFF(SECOND, s.last_seen_at, NOW(6)), u.username, u.role, "
                             "u.email_verified_at IS NOT NULL, "
                             "TIMESTAMPDIFF(SECOND, s.authenticated_at, NOW(6)), "
                             "(SELECT COUNT(*) FROM mfa_totp m WHERE m.user_id = s.user_id AND "
                             "m.enabled = 1) "
                             "FROM sessions s JOIN users u ON u.id = s.user_id "
                             "WHERE s.token_hash = ? AND s.expires_at > NOW(6) "
                             "AND s.last_seen_at > NOW(6) - INTERVAL ? SECOND "
                             "AND u.status = 'active'",
                             1},
    [STMT_SESSION_TOUCH] = {"UPDATE sessions SET last_seen_at = NOW(6) WHERE id = ?", 1},
    [STMT_SESSION_DELETE] = {"DELETE FROM sessions WHERE id = ?", 1},
    [STMT_AUDIT_INSERT] = {"INSERT INTO audit_log (actor_id, action, target, address, request_id, "
                           "detail) VALUES (?, ?, ?, ?, ?, ?)",
                           0},
    [STMT_LOGIN_FAIL_INSERT] = {"INSERT INTO login_failures (scope, subject) VALUES (?, ?)", 0},
    [STMT_LOGIN_FAIL_COUNT] = {"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), "
                               "NOW(6)), 0) FROM login_failures WHERE scope = ? AND subject = ? "
                               "AND created_at > NOW(6) - INTERVAL ? SECOND",
                               1},
    [STMT_LOGIN_FAIL_CLEAR] = {"DELETE FROM login_failures WHERE scope = 'account' AND "
                               "subject = ?",
                               1},
    [STMT_SESSIONS_OF_USER] = {"SELECT id, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                               "DATE_FORMAT(last_seen_at, '%Y-%m-%dT%H:%i:%sZ'), address, "
                               "user_agent FROM sessions WHERE user_id = ? AND expires_at > "
                               "NOW(6) ORDER BY id DESC LIMIT 100",
                               1},
    [STMT_SESSION_DELETE_OWN] = {"DELETE FROM sessions WHERE id = ? AND user_id = ?", 1},
    [STMT_SESSIONS_DELETE_USER] = {"DELETE FROM sessions WHERE user_id = ?", 1},
    [STMT_USER_BY_USERNAME] = {"SELECT " USER_COLUMNS " FROM users WHERE username_norm = ? AND "
                               "status = 'active'",
                               1},
    /* a new address is unconfirmed; the first assignment still sees the
     * old one (MariaDB assigns left to right) */
    [STMT_USER_UPDATE_PROFILE] = {"UPDATE users SET email_verified_at = IF(email_norm = ?, "
                                  "email_verified_at, NULL), display_name = ?, email = ?, "
                                  "email_norm = ? WHERE id = ?",
                                  1},
    [STMT_USER_DELETE] = {"DELETE FROM users WHERE id = ?", 1},
    [STMT_USER_SET_ROLE_STATUS] = {"UPDATE users SET role = ?, status = ? WHERE id = ?", 1},
    /* keyset pagination by id; a NULL filter matches every row */
    [STMT_USERS_PAGE] = {"SELECT " USER_COLUMNS " FROM users WHERE id > ? AND (? IS NULL OR "
                         "role = ?) AND (? IS NULL OR status = ?) ORDER BY id LIMIT ?",
                         1},
    [STMT_ADMINS_ACTIVE] = {"SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = "
                            "'active'",
                            1},
    /* the last-admin rule: every active admin row locked until COMMIT, so two
     * admins demoting each other serialise here */
    [STMT_ADMINS_LOCK] = {"SELECT id FROM users WHERE role = 'admin' AND status = 'active' "
                          "ORDER BY id FOR UPDATE",
                          0},
    [STMT_AUDIT_PAGE] = {"SELECT id, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                         "COALESCE(actor_id, 0), action, target, address, request_id, detail "
                         "FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
                         1},
    /* a whole recipe in one round trip: children as JSON arrays built by
     * the server, the viewer's own rating and favorite (viewer 0 = none) */
    [STMT_RECIPE_GET] =
        {"SELECT " RECIPE_COLUMNS(
             RECIPE_STEPS_JSON) " FROM recipes r JOIN users u "
                                "ON u.id = r.author_id WHERE r.id = ? AND r.deleted_at IS NULL",
         1},
    [STMT_RECIPE_INSERT] = {"INSERT INTO recipes (title, slug, description, servings, "
                            "prep_minutes, cook_minutes, source_url, visibility, ingredients_json, "
                            "steps_json, tags_json, ingredient_words, author_id) VALUES (?, ?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            0},
    /* version is the optimistic lock: 0 rows when someone else wrote first */
    [STMT_RECIPE_UPDATE] =
        {"UPDATE recipes SET title = ?, slug = ?, description = ?, servings = ?, "
         "prep_minutes = ?, cook_minutes = ?, source_url = ?, visibility = ?, "
         "ingredients_json = ?, steps_json = ?, tags_json = ?, ingredient_words = ?, "
         "version = version + 1, updated_at = NOW(6) WHERE id = ? AND version "
         "= ? AND deleted_at IS NULL",
         0},
    /* serialises aggregate rewrites of one recipe (ratings, favorites) */
    [STMT_RECIPE_LOCK] = {"SELECT id, author_id, visibility, hidden FROM recipes WHERE id = ? AND "
                          "deleted_at IS NULL FOR UPDATE",
                          0},
    [STMT_INGREDIENTS_DELETE] = {"DELETE FROM recipe_ingredients WHERE recipe_id = ?", 0},
    /* all ingredients in one statement: the validated list as a JSON array */
    [STMT_INGREDIENTS_INSERT] = {"INSERT INTO recipe_ingredients (recipe_id, position, section, "
                                 "quantity, unit, name, note) SELECT ?, j.pos, j.section, "
                                 "j.quantity, j.unit, j.name, j.note FROM JSON_TABLE(?, '$[*]' "
                                 "COLUMNS (pos FOR ORDINALITY, section VARCHAR(100) PATH "
                                 "'$.section', quantity DECIMAL(10,3) PATH '$.quantity', unit "
                                 "VARCHAR(32) PATH '$.unit', name VARCHAR(200) PATH '$.name', "
                                 "note VARCHAR(200) PATH '$.note')) j",
                                 0},
    [STMT_STEPS_DELETE] = {"DELETE FROM recipe_steps WHERE recipe_id = ?", 0},
    [STMT_STEPS_INSERT] = {"INSERT INTO recipe_steps (recipe_id, position, body) SELECT ?, j.pos, "
                           "j.body FROM JSON_TABLE(?, '$[*]' COLUMNS (pos FOR ORDINALITY, body "
                           "TEXT PATH '$')) j",
                           0},
    [STMT_TAGS_CREATE] = {"INSERT IGNORE INTO tags (name) SELECT j.name FROM JSON_TABLE(?, '$[*]' "
                          "COLUMNS (name VARCHAR(40) PATH '$')) j",
                          0},
    [STMT_RECIPE_TAGS_DELETE] = {"DELETE FROM recipe_tags WHERE recipe_id = ?", 0},
    [STMT_RECIPE_TAGS_INSERT] = {"INSERT INTO recipe_tags (recipe_id, tag_id) SELECT ?, t.id FROM "
                                 "JSON_TABLE(?, '$[*]' COLUMNS (name VARCHAR(40) PATH '$')) j "
                                 "JOIN tags t ON t.name = j.name",
                                 0},
    /* the image goes with it: its files are removed, and gc would take them */
    [STMT_RECIPE_SOFT_DELETE] = {"UPDATE recipes SET deleted_at = NOW(6), version = version + 1, "
                                 "image_key = NULL, image_json = NULL WHERE id = ? AND deleted_at "
                                 "IS NULL",
                                 1},
    [STMT_RECIPE_SET_HIDDEN] = {"UPDATE recipes SET hidden = ?, version = version + 1 WHERE id = "
                                "? AND deleted_at IS NULL",
                                0},
    [STMT_RATING_UPSERT] = {"INSERT INTO ratings (recipe_id, user_id, stars) VALUES (?, ?, ?) ON "
                            "DUPLICATE KEY UPDATE stars = VALUES(stars)",
                            0},
    [STMT_RATING_DELETE] = {"DELETE FROM ratings WHERE recipe_id = ? AND user_id = ?", 0},
    /* recomputed, not incremented: always equal to the rows, whatever raced */
    [STMT_RATING_AGGREGATE] = {"UPDATE recipes SET rating_sum = (SELECT COALESCE(SUM(stars), 0) "
                               "FROM ratings WHERE recipe_id = ?), rating_count = (SELECT "
                               "COUNT(*) FROM ratings WHERE recipe_id = ?) WHERE id = ?",
                               0},
    [STMT_FAVORITE_INSERT] = {"INSERT IGNORE INTO favorites (user_id, recipe_id) VALUES (?, ?)", 0},
    [STMT_FAVORITE_DELETE] = {"DELETE FROM favorites WHERE user_id = ? AND recipe_id = ?", 0},
    [STMT_FAVORITE_AGGREGATE] = {"UPDATE recipes SET favorite_count = (SELECT COUNT(*) FROM "
                                 "favorites WHERE recipe_id = ?) WHERE id = ?",
                                 0},
    [STMT_TAGS_COUNTS] = {"SELECT t.name, COUNT(*) AS n FROM recipe_tags rt JOIN tags t ON t.id = "
                          "rt.tag_id JOIN recipes r ON r.id = rt.recipe_id AND r.listed = 1 GROUP "
                          "BY t.id, t.name ORDER BY n DESC, t.name LIMIT ?",
                          1},
    [STMT_COMMENT_INSERT] = {"INSERT INTO comments (recipe_id, author_id, body) VALUES (?, ?, ?)",
                             0},
    [STMT_COMMENT_GET] =
        {"SELECT c.id, c.recipe_id, c.author_id, u.username, u.display_name, "
         "c.body, c.state, " TS(
             "c.created_at") " FROM comments c JOIN users u ON "
                             "u.id = c.author_id WHERE c.id = ? AND c.deleted_at IS NULL",
         1},
    /* oldest first; hidden ones only when the caller may moderate (? = 1) */
    [STMT_COMMENTS_PAGE] =
        {"SELECT c.id, c.recipe_id, c.author_id, u.username, u.display_name, "
         "c.body, c.state, " TS(
             "c.created_at") " FROM comments c JOIN users u "
                             "ON u.id = c.author_id WHERE c.recipe_id = ? AND c.deleted_at IS NULL "
                             "AND c.id > ? AND (c.state = 'visible' OR ? = 1) ORDER BY c.id LIMIT "
                             "?",
         1},
    [STMT_COMMENT_SOFT_DELETE] = {"UPDATE comments SET deleted_at = NOW(6) WHERE id = ? AND "
                                  "deleted_at IS NULL",
                                  1},
    [STMT_COMMENT_SET_STATE] = {"UPDATE comments SET state = ? WHERE id = ? AND deleted_at IS NULL",
                                1},
    /* before an account goes: the aggregates of what it rated and favorited,
     * as they will be without its rows */
    [STMT_USER_FORGET_RATINGS] = {"UPDATE recipes r JOIN ratings g ON g.recipe_id = r.id AND "
                                  "g.user_id = ? SET r.rating_sum = r.rating_sum - g.stars, "
                                  "r.rating_count = r.rating_count - 1",
                                  0},
    [STMT_USER_FORGET_FAVORITES] = {"UPDATE recipes r JOIN favorites f ON f.recipe_id = r.id AND "
                                    "f.user_id = ? SET r.favorite_count = r.favorite_count - 1",
                                    0},
    /* the image is content: the version (and so the ETag) changes with it */
    [STMT_RECIPE_SET_IMAGE] = {"UPDATE recipes SET image_key = ?, image_json = ?, version = "
                               "version + 1, updated_at = NOW(6) WHERE id = ? AND deleted_at IS "
                               "NULL",
                               0},
    [STMT_IMAGE_KEYS] = {"SELECT image_key FROM recipes WHERE image_key IS NOT NULL AND (? = 0 "
                         "OR author_id = ?) ORDER BY image_key",
                         1},
    /* the per-account quotas (soft: two creations at once may both pass) */
    [STMT_RECIPES_OF_AUTHOR] = {"SELECT COUNT(*) FROM recipes WHERE author_id = ? AND deleted_at "
                                "IS NULL",
                                1},
    [STMT_COMMENTS_OF_AUTHOR] = {"SELECT COUNT(*) FROM comments WHERE author_id = ? AND "
                                 "deleted_at IS NULL",
                                 1},
    /* images stored before "bytes" was recorded count as 0 */
    [STMT_IMAGE_BYTES_OF_AUTHOR] = {"SELECT CAST(COALESCE(SUM(JSON_VALUE(image_json, '$.bytes')), "
                                    "0) AS SIGNED) FROM recipes WHERE author_id = ? AND "
                                    "deleted_at IS NULL AND image_json IS NOT NULL",
                                    1},
    /* personal access tokens (migration 0009): looked up by the SHA-256 of
     * their text; the seconds since the last use decide the touch */
    [STMT_TOKEN_INSERT] = {"INSERT INTO api_tokens (user_id, name, scope, token_hash, expires_at) "
                           "VALUES (?, ?, ?, ?, FROM_UNIXTIME(?))",
                           0},
    [STMT_TOKEN_LOOKUP] = {"SELECT t.id, t.user_id, t.scope, COALESCE(TIMESTAMPDIFF(SECOND, "
                           "t.last_used_at, NOW(6)), 1000000000), u.username, u.role, "
                           "u.email_verified_at IS NOT NULL FROM "
                           "api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? "
                           "AND (t.expires_at IS NULL OR t.expires_at > NOW(6)) AND u.status = "
                           "'active'",
                           1},
    [STMT_TOKEN_TOUCH] = {"UPDATE api_tokens SET last_used_at = NOW(6), last_used_ip = ? WHERE "
                          "id = ?",
                          1},
    [STMT_TOKENS_OF_USER] = {"SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE user_id = ? ORDER BY "
                             "id DESC LIMIT 100",
                             1},
    [STMT_TOKEN_GET] = {"SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE id = ?", 1},
    [STMT_TOKEN_DELETE] = {"DELETE FROM api_tokens WHERE id = ? AND user_id = ?", 1},
    [STMT_TOKENS_DELETE_USER] = {"DELETE FROM api_tokens WHERE user_id = ?", 1},
    [STMT_TOKENS_COUNT] = {"SELECT COUNT(*) FROM api_tokens WHERE user_id = ?", 1},
    /* the job queue (db/jobs.c); a claim is two statements in one
     * transaction: the locking read skips rows other runners hold, then
     * the row becomes running with the next attempt number, which fences
     * every later change (renew, done, fail) of this claim */
    [STMT_JOB_ENQUEUE] = {"INSERT INTO jobs (kind, payload, idem_key, run_at) VALUES (?, ?, ?, "
                          "NOW(6) + INTERVAL ? SECOND)",
                          0},
    [STMT_JOB_CLAIM_EXPIRED] = {"SELECT id, kind, payload, attempts, max_attempts, 1 FROM jobs "
                                "WHERE state = 'running' AND lease_expires_at <= NOW(6) ORDER BY "
                                "lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                                1},
    [STMT_JOB_CLAIM_DUE] = {"SELECT id, kind, payload, attempts, max_attempts, 0 FROM jobs WHERE "
                            "state = 'queued' AND run_at <= NOW(6) ORDER BY run_at, id LIMIT 1 "
                            "FOR UPDATE SKIP LOCKED",
                            1},
    [STMT_JOB_MARK_RUNNING] = {"UPDATE jobs SET state = 'running', attempts = attempts + 1, "
                               "lease_expires_at = NOW(6) + INTERVAL ? SECOND, updated_at = "
                               "NOW(6) WHERE id = ? AND attempts = ?",
                               0},
    [STMT_JOB_RENEW] = {"UPDATE jobs SET lease_expires_at = NOW(6) + INTERVAL ? SECOND, "
                        "updated_at = NOW(6) WHERE id = ? AND state = 'running' AND attempts = ?",
                        1},
    [STMT_JOB_DONE] = {"UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = "
                       "NOW(6) WHERE id = ? AND state = 'running' AND attempts = ?",
                       1},
    [STMT_JOB_FAIL] = {"UPDATE jobs SET state = IF(? OR attempts >= ?, 'dead', 'queued'), "
                       "max_attempts = ?, run_at = NOW(6) + INTERVAL ? MICROSECOND, last_error = "
                       "?, lease_expires_at = NULL, updated_at = NOW(6) WHERE id = ? AND state = "
                       "'running' AND attempts = ?",
                       1},
    [STMT_JOB_PURGE] = {"DELETE FROM jobs WHERE state = 'done' AND updated_at < NOW(6) - "
                        "INTERVAL ? DAY LIMIT 1000",
                        1},
    [STMT_JOBS_PAGE] =
        {"SELECT id, kind, state, attempts, max_attempts, idem_key, last_error, " TS(
             "run_at") ", " TS("created_at") ", " TS("updated_at") ", payload FROM jobs WHERE id < "
                                                                   "? AND (? IS NULL OR "
                                                                   "state = ?) AND (? IS NULL OR "
                                                                   "kind = ?) ORDER BY id "
                                                                   "DESC LIMIT ?",
         1},
    [STMT_JOB_RETRY] = {"UPDATE jobs SET state = 'queued', attempts = 0, run_at = NOW(6), "
                        "last_error = NULL, lease_expires_at = NULL, updated_at = NOW(6) WHERE "
                        "id = ? AND state IN ('dead', 'queued')",
                        1},
    [STMT_JOB_CANCEL] = {"UPDATE jobs SET state = 'dead', last_error = 'cancelled by an "
                         "operator', updated_at = NOW(6) WHERE id = ? AND state = 'queued'",
                         1},
    [STMT_JOBS_STATS] = {"SELECT (SELECT COUNT(*) FROM jobs WHERE state = 'queued'), (SELECT "
                         "COUNT(*) FROM jobs WHERE state = 'running'), (SELECT COUNT(*) FROM "
                         "jobs WHERE state = 'dead'), COALESCE((SELECT TIMESTAMPDIFF(MICROSECOND, "
                         "MIN(run_at), NOW(6)) FROM jobs WHERE state = 'queued' AND run_at <= "
                         "NOW(6)), 0)",
                         1},
    /* claims read committed: no gap locks, so two runners claiming at once
     * do not deadlock on the claim index (they did under REPEATABLE READ) */
    [STMT_JOB_READ_COMMITTED] = {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", 1},
    /* the mail flows (migration 0010): only a token's SHA-256 is stored */
    [STMT_ACCOUNT_TOKEN_INSERT] = {"INSERT INTO account_tokens (token_hash, user_id, purpose, "
                                   "email_norm, expires_at) VALUES (?, ?, ?, ?, NOW(6) + "
                                   "INTERVAL ? SECOND)",
                                   0},
    /* single use: the UPDATE that marks it is the check */
    [STMT_ACCOUNT_TOKEN_USE] = {"UPDATE account_tokens SET used_at = NOW(6) WHERE token_hash = ? "
                                "AND purpose = ? AND used_at IS NULL AND expires_at > NOW(6)",
                                0},
    [STMT_ACCOUNT_TOKEN_GET] = {"SELECT user_id, COALESCE(email_norm, '') FROM account_tokens "
                                "WHERE token_hash = ?",
                                1},
    [STMT_ACCOUNT_TOKEN_RECENT] = {"SELECT COUNT(*) FROM account_tokens WHERE user_id = ? AND "
                                   "purpose = ? AND created_at > NOW(6) - INTERVAL ? SECOND",
                                   1},
    [STMT_USER_VERIFY_EMAIL] = {"UPDATE users SET email_verified_at = COALESCE(email_verified_at, "
                                "NOW(6)) WHERE id = ? AND email_norm = ?",
                                1},
    [STMT_USER_SET_NOTIFY] = {"UPDATE users SET notify_comments = ? WHERE id = ?", 1},
    [STMT_USER_UNSUBSCRIBE_KEY_SET] = {"UPDATE users SET unsubscribe_key = ? WHERE id = ? AND "
                                       "unsubscribe_key IS NULL",
                                       1},
    [STMT_USER_UNSUBSCRIBE_KEY_GET] = {"SELECT unsubscribe_key FROM users WHERE id = ?", 1},
    [STMT_USER_UNSUBSCRIBE] = {"UPDATE users SET notify_comments = 0 WHERE unsubscribe_key = ?", 1},
    [STMT_INVITE_INSERT] = {"INSERT INTO invites (token_hash, email_norm, max_uses, expires_at, "
                            "created_by) VALUES (?, ?, ?, NOW(6) + INTERVAL ? DAY, ?)",
                            0},
    /* one use of a live invite, bound to an address or not */
    [STMT_INVITE_USE] = {"UPDATE invites SET uses = uses + 1 WHERE token_hash = ? AND revoked_at "
                         "IS NULL AND expires_at > NOW(6) AND uses < max_uses AND (email_norm IS "
                         "NULL OR email_norm = ?)",
                         0},
    [STMT_INVITES_PAGE] = {"SELECT id, COALESCE(email_norm, ''), max_uses, uses, " TS(
                               "expires_at") ", " TS("created_at") ", COALESCE(created_by, 0), "
                                                                   "revoked_at IS NOT NULL FROM "
                                                                   "invites WHERE id < ? ORDER "
                                                                   "BY id DESC LIMIT ?",
                           1},
    [STMT_INVITE_REHASH] = {"UPDATE invites SET token_hash = ? WHERE id = ? AND revoked_at IS "
                            "NULL AND expires_at > NOW(6) AND uses < max_uses",
                            1},
    [STMT_INVITE_REVOKE] = {"UPDATE invites SET revoked_at = NOW(6) WHERE id = ? AND revoked_at "
                            "IS NULL",
                            1},
    [STMT_NOTIFY_RECIPE] = {"SELECT r.title, u.id, u.username, u.email, u.notify_comments, "
                            "u.email_verified_at IS NOT NULL, COALESCE(m.mailed_until, 0) FROM "
                            "recipes r JOIN users u ON u.id = r.author_id LEFT JOIN "
                            "comment_notify_marks m ON m.recipe_id = r.id WHERE r.id = ? AND "
                            "r.deleted_at IS NULL AND u.status = 'active'",
                            1},
    /* the comments not yet mailed, except the author's own */
    [STMT_NOTIFY_COMMENTS] = {"SELECT c.id, u.username, c.body FROM comments c JOIN users u ON "
                              "u.id = c.author_id WHERE c.recipe_id = ? AND c.id > ? AND "
                              "c.author_id <> ? AND c.state = 'visible' AND c.deleted_at IS NULL "
                              "ORDER BY c.id LIMIT 20",
                              1},
    [STMT_NOTIFY_MARK_SET] = {"INSERT INTO comment_notify_marks (recipe_id, mailed_until) VALUES "
                              "(?, ?) ON DUPLICATE KEY UPDATE mailed_until = GREATEST("
                              "mailed_until, VALUES(mailed_until))",
                              1},
    [STMT_MFA_TOTP_GET] = {"SELECT secret_sealed, enabled, last_step FROM mfa_totp WHERE "
                           "user_id = ?",
                           1},
    [STMT_MFA_TOTP_ENABLED] = {"SELECT enabled FROM mfa_totp WHERE user_id = ?", 1},
    /* a new pending secret replaces a pending one, never an enabled one (0 rows) */
    [STMT_MFA_TOTP_PENDING] = {"INSERT INTO mfa_totp (user_id, secret_sealed) VALUES (?, ?) ON "
                               "DUPLICATE KEY UPDATE secret_sealed = IF(enabled = 1, "
                               "secret_sealed, VALUES(secret_sealed)), created_at = IF(enabled = "
                               "1, created_at, NOW(6))",
                               0},
    [STMT_MFA_TOTP_ENABLE] = {"UPDATE mfa_totp SET enabled = 1, enabled_at = NOW(6), last_step = "
                              "? WHERE user_id = ? AND enabled = 0 AND secret_sealed = ?",
                              0},
    /* each time step once: a code of the same or an older step changes no row */
    [STMT_MFA_TOTP_USE_STEP] = {"UPDATE mfa_totp SET last_step = ? WHERE user_id = ? AND enabled "
                                "= 1 AND last_step < ?",
                                0},
    [STMT_MFA_TOTP_RESEAL] = {"UPDATE mfa_totp SET secret_sealed = ? WHERE user_id = ? AND "
                              "secret_sealed = ?",
                              1},
    [STMT_MFA_TOTP_DELETE] = {"DELETE FROM mfa_totp WHERE user_id = ?", 1},
    [STMT_MFA_TOTP_ALL] = {"SELECT user_id, secret_sealed FROM mfa_totp ORDER BY user_id", 1},
    [STMT_MFA_RECOVERY_DELETE] = {"DELETE FROM mfa_recovery_codes WHERE user_id = ?", 1},
    /* all ten in one statement: the digests as a JSON array */
    [STMT_MFA_RECOVERY_INSERT] = {"INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT ?, "
                                  "j.h FROM JSON_TABLE(?, '$[*]' COLUMNS (h CHAR(64) PATH '$')) j",
                                  0},
    [STMT_MFA_RECOVERY_USE] = {"UPDATE mfa_recovery_codes SET used_at = NOW(6) WHERE user_id = ? "
                               "AND code_hash = ? AND used_at IS NULL",
                               0},
    [STMT_MFA_RECOVERY_LEFT] = {"SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ? AND "
                                "used_at IS NULL",
                                1},
    [STMT_MFA_TOKEN_INSERT] = {"INSERT INTO mfa_tokens (token_hash, user_id, created_at) VALUES "
                               "(?, ?, NOW(6) + INTERVAL ? SECOND)",
                               0},
    [STMT_MFA_TOKEN_GET] = {"SELECT user_id, TIMESTAMPDIFF(SECOND, created_at, NOW(6)) FROM "
                            "mfa_tokens WHERE token_hash = ?",
                            1},
    /* the one use: whoever deletes the row (1 row) may go on */
    [STMT_MFA_TOKEN_DELETE] = {"DELETE FROM mfa_tokens WHERE token_hash = ?", 0},
    [STMT_MFA_TOKENS_PURGE] = {"DELETE FROM mfa_tokens WHERE created_at < NOW(6) - INTERVAL 1 "
                               "HOUR",
                               1},
    [STMT_SESSION_REAUTH] = {"UPDATE sessions SET authenticated_at = NOW(6) + INTERVAL ? SECOND "
                             "WHERE id = ?",
                             1},
    /* collections (migration 0011). A member shows to a reader who may see
     * the recipe (api/recipes.c, recipes_visible): the three ? are the
     * reader's id, 1 for an admin, 1 for a moderator or admin */
    [STMT_COLLECTION_INSERT] = {"INSERT INTO collections (owner_id, name, description, visibility) "
                                "VALUES (?, ?, ?, ?)",
                                0},
    [STMT_COLLECTION_GET] = {"SELECT " COLLECTION_COLUMNS " WHERE c.id = ?", 1},
    [STMT_COLLECTIONS_OF_OWNER] = {"SELECT " COLLECTION_COLUMNS " WHERE c.owner_id = ? AND (? = 1 "
                                   "OR c.visibility = 'public') AND c.id < ? ORDER BY c.id DESC "
                                   "LIMIT ?",
                                   1},
    [STMT_COLLECTION_UPDATE] = {"UPDATE collections SET name = ?, description = ?, visibility = ?, "
                                "version = version + 1, updated_at = NOW(6) WHERE id = ? AND "
                                "version = ?",
                                0},
    [STMT_COLLECTION_DELETE] = {"DELETE FROM collections WHERE id = ?", 1},
    [STMT_COLLECTIONS_COUNT] = {"SELECT COUNT(*) FROM collections WHERE owner_id = ?", 1},
    [STMT_COLLECTION_LOCK] = {"SELECT version FROM collections WHERE id = ? FOR UPDATE", 0},
    /* members that still count (not deleted), the last position, and
     * whether the recipe is one of them */
    [STMT_COLLECTION_MEMBERSHIP] = {"SELECT COUNT(*), COALESCE(MAX(cr.position), 0), "
                                    "COALESCE(SUM(cr.recipe_id = ?), 0) FROM collection_recipes "
                                    "cr JOIN recipes r ON r.id = cr.recipe_id WHERE "
                                    "cr.collection_id = ? AND r.deleted_at IS NULL",
                                    0},
    [STMT_COLLECTION_MEMBER_INSERT] = {"INSERT INTO collection_recipes (collection_id, recipe_id, "
                                       "position) VALUES (?, ?, ?)",
                                       0},
    [STMT_COLLECTION_MEMBER_DELETE] = {"DELETE FROM collection_recipes WHERE collection_id = ? AND "
                                       "recipe_id = ?",
                                       0},
    [STMT_COLLECTION_TOUCH] = {"UPDATE collections SET version = version + 1, updated_at = NOW(6) "
                               "WHERE id = ?",
                               0},
    [STMT_COLLECTION_MEMBERS] = {"SELECT cr.recipe_id, " COLLECTION_MEMBER_VISIBLE
                                 " FROM collection_recipes cr JOIN recipes r ON r.id = "
                                 "cr.recipe_id WHERE cr.collection_id = ? ORDER BY cr.position, "
                                 "cr.recipe_id",
                                 1},
    /* the new order as a JSON array of recipe ids: position = index + 1 */
    [STMT_COLLECTION_REORDER] = {"UPDATE collection_recipes cr JOIN JSON_TABLE(?, '$[*]' COLUMNS "
                                 "(pos FOR ORDINALITY, rid BIGINT UNSIGNED PATH '$')) j ON j.rid = "
                                 "cr.recipe_id SET cr.position = j.pos WHERE cr.collection_id = ?",
                                 0},
    [STMT_COLLECTION_RECIPES_PAGE] =
        {"SELECT " RECIPE_COLUMNS("NULL") ", cr.position FROM collection_recipes cr JOIN "
                                          "recipes r ON r.id = cr.recipe_id JOIN users u "
                                          "ON u.id = r.author_id WHERE cr.collection_id "
                                          "= ? AND " COLLECTION_MEMBER_VISIBLE
                                          " AND (cr.position > ? OR (cr.position = ? AND "
                                          "cr.recipe_id > ?)) ORDER BY cr.position, cr.recipe_id "
                                          "LIMIT ?",
         1},
    [STMT_ARCHIVE_INSERT] = {"INSERT INTO archive_transfers (owner_id, direction, format, total, "
                             "file_name, file_bytes) VALUES (?, ?, ?, ?, ?, ?)",
                             0},
    [STMT_ARCHIVE_GET] = {"SELECT id, owner_id, direction, format, state, total, processed, "
                          "succeeded, failed, errors, error, file_name, file_bytes, " TS(
                              "created_at") ", " TS("updated_at") " FROM archive_transfers WHERE "
                                                                  "id = ?",
                          1},
    [STMT_ARCHIVE_UPDATE] = {"UPDATE archive_transfers SET state = ?, total = ?, processed = ?, "
                             "succeeded = ?, failed = ?, errors = ?, error = ?, file_name = ?, "
                             "file_bytes = ?, updated_at = NOW(6) WHERE id = ?",
                             1},
    [STMT_ARCHIVE_ACTIVE_EXPORT] = {"SELECT id FROM archive_transfers WHERE owner_id = ? AND "
                                    "direction = 'export' AND state IN ('queued', 'running') "
                                    "ORDER BY id DESC LIMIT 1",
                                    1},
    /* shopping lists: a list is the caller's (user_id) or their household's;
     * every statement that names a list by id checks that (SHOP_MINE) */
    [STMT_SHOP_HOUSEHOLD_OF] = {"SELECT household_id FROM household_members WHERE user_id = ?", 1},
    [STMT_SHOP_LIST_INSERT] = {"INSERT INTO shopping_lists (user_id, household_id, created_by, "
                               "name) VALUES (?, ?, ?, ?)",
                               0},
    [STMT_SHOP_LIST_GET] = {"SELECT " SHOP_LIST_COLUMNS " FROM shopping_lists l WHERE l.id = ? "
                            "AND " SHOP_MINE,
                            1},
    /* serialises every write to one list's items (aggregation, checks) */
    [STMT_SHOP_LIST_LOCK] = {"SELECT l.id FROM shopping_lists l WHERE l.id = ? AND " SHOP_MINE
                             " FOR UPDATE",
                             0},
    [STMT_SHOP_LISTS_PAGE] = {"SELECT " SHOP_LIST_COLUMNS " FROM shopping_lists l WHERE l.id > ? "
                              "AND " SHOP_MINE " ORDER BY l.id LIMIT ?",
                              1},
    [STMT_SHOP_LIST_RENAME] = {"UPDATE shopping_lists SET name = ?, version = version + 1, "
                               "updated_at = NOW(6) WHERE id = ? AND version = ?",
                               0},
    [STMT_SHOP_LIST_TOUCH] = {"UPDATE shopping_lists SET version = version + 1, updated_at = "
                              "NOW(6) WHERE id = ?",
                              0},
    [STMT_SHOP_LIST_DELETE] = {"DELETE FROM shopping_lists WHERE id = ?", 1},
    [STMT_SHOP_ITEMS_OF] = {"SELECT " SHOP_ITEM_COLUMNS " FROM shopping_items WHERE list_id = ? "
                            "ORDER BY id LIMIT ?",
                            1},
    [STMT_SHOP_ITEM_GET] = {"SELECT " SHOP_ITEM_COLUMNS " FROM shopping_items WHERE id = ? AND "
                            "list_id = ?",
                            1},
    /* version is the optimistic lock of If-Match: 0 rows when it moved */
    [STMT_SHOP_ITEM_CHECK] = {"UPDATE shopping_items SET checked = ?, version = version + 1, "
                              "updated_at = NOW(6) WHERE id = ? AND list_id = ? AND version = ?",
                              0},
    [STMT_SHOP_ITEM_DELETE] = {"DELETE FROM shopping_items WHERE id = ? AND list_id = ?", 0},
    [STMT_SHOP_ITEMS_CLEAR_CHECKED] = {"DELETE FROM shopping_items WHERE list_id = ? AND checked "
                                       "= 1",
                                       0},
    [STMT_SHOP_ITEMS_COUNT] = {"SELECT COUNT(*) FROM shopping_items WHERE list_id = ?", 0},
    [STMT_SHOP_ITEMS_UNCHECKED] = {"SELECT id, name, name_key, dimension, quantity, "
                                   "COALESCE(unit, ''), from_recipes FROM shopping_items WHERE "
                                   "list_id = ? AND checked = 0 ORDER BY id",
                                   0},
    /* every merged line in one statement: [{id, quantity, from}] */
    [STMT_SHOP_ITEMS_MERGE_UPDATE] = {"UPDATE shopping_items s JOIN JSON_TABLE(?, '$[*]' COLUMNS "
                                      "(id BIGINT UNSIGNED PATH '$.id', quantity DECIMAL(14,4) "
                                      "PATH '$.quantity', from_recipes VARCHAR(2000) PATH "
                                      "'$.from')) j ON s.id = j.id SET s.quantity = j.quantity, "
                                      "s.from_recipes = j.from_recipes, s.version = s.version + "
                                      "1, s.updated_at = NOW(6) WHERE s.list_id = ? AND "
                                      "s.checked = 0",
                                      0},
    /* every new line in one statement: [{name, key, dim, quantity, unit, from}] */
    [STMT_SHOP_ITEMS_MERGE_INSERT] = {"INSERT INTO shopping_items (list_id, name, name_key, "
                                      "dimension, quantity, unit, from_recipes) SELECT ?, j.name, "
                                      "j.name_key, j.dim, j.quantity, NULLIF(j.unit, ''), "
                                      "j.from_recipes FROM JSON_TABLE(?, '$[*]' COLUMNS (pos FOR "
                                      "ORDINALITY, name VARCHAR(200) PATH '$.name', name_key "
                                      "VARCHAR(200) PATH '$.key', dim VARCHAR(8) PATH '$.dim', "
                                      "quantity DECIMAL(14,4) PATH '$.quantity', unit VARCHAR(32) "
                                      "PATH '$.unit', from_recipes VARCHAR(2000) PATH '$.from')) j "
                                      "ORDER BY j.pos",
                                      0},
    /* the recipes of the caller's meal plan (personal and household) in a
     * date range, as the caller may see them */
    [STMT_SHOP_MEALPLAN_RECIPES] = {"SELECT e.recipe_id, COALESCE(e.servings, 0), "
                                    "COALESCE(r.servings, 0), r.ingredients_json FROM "
                                    "meal_plan_entries e JOIN recipes r ON r.id = e.recipe_id "
                                    "WHERE (e.user_id = ? OR e.household_id = (SELECT "
                                    "m.household_id FROM household_members m WHERE m.user_id = "
                                    "?)) AND e.plan_date BETWEEN ? AND ? AND r.deleted_at IS NULL "
                                    "AND (r.author_id = ? OR (r.visibility <> 'private' AND "
                                    "r.hidden = 0)) ORDER BY e.plan_date, e.id LIMIT ?",
                                    1},
    [STMT_HOUSEHOLD_INSERT] = {"INSERT INTO households (name, created_by) VALUES (?, ?)", 0},
    [STMT_HOUSEHOLD_MEMBER_INSERT] = {"INSERT INTO household_members (user_id, household_id) "
                                      "VALUES (?, ?)",
                                      0},
    /* a creator whose account went (0014) is succeeded by the oldest member */
    [STMT_HOUSEHOLD_OF_USER] = {"SELECT h.id, h.name, u.id, u.username, " TS(
                                    "h.created_at") " FROM household_members m JOIN households h "
                                                    "ON h.id = m.household_id JOIN users u ON "
                                                    "u.id = COALESCE(h.created_by, (SELECT "
                                                    "o.user_id FROM household_members o WHERE "
                                                    "o.household_id = h.id ORDER BY o.joined_at, "
                                                    "o.user_id LIMIT 1)) WHERE m.user_id = ?",
                                1},
    [STMT_HOUSEHOLD_LOCK] = {"SELECT id FROM households WHERE id = ? FOR UPDATE", 1},
    [STMT_HOUSEHOLD_MEMBERS] = {"SELECT u.id, u.username, u.display_name, " TS(
                                    "m.joined_at") " FROM household_members m JOIN users u ON "
                                                   "u.id = m.user_id WHERE m.household_id = ? "
                                                   "ORDER BY m.joined_at, m.user_id",
                                1},
    [STMT_HOUSEHOLD_MEMBERS_COUNT] = {"SELECT COUNT(*) FROM household_members WHERE "
                                      "household_id = ?",
                                      1},
    [STMT_HOUSEHOLD_MEMBER_DELETE] = {"DELETE FROM household_members WHERE user_id = ? AND "
                                      "household_id = ?",
                                      1},
    /* the creator left: the longest-standing member takes over */
    [STMT_HOUSEHOLD_SET_CREATOR] =
        {"UPDATE households SET created_by = (SELECT m.user_id FROM "
         "household_members m WHERE m.household_id = ? ORDER BY "
         "m.joined_at, m.user_id LIMIT 1) WHERE id = ? AND (created_by = ? OR "
         "created_by IS NULL)",
         1},
    [STMT_HOUSEHOLD_DELETE] = {"DELETE FROM households WHERE id = ?", 1},
    [STMT_HOUSEHOLD_INVITE_INSERT] = {"INSERT INTO household_invites (household_id, user_id, "
                                      "invited_by) VALUES (?, ?, ?)",
                                      0},
    [STMT_HOUSEHOLD_INVITES_OF_HOUSEHOLD] = {HOUSEHOLD_INVITE_SELECT "WHERE i.household_id = ? "
                                                                     "ORDER BY i.id",
                                             1},
    [STMT_HOUSEHOLD_INVITES_COUNT] = {"SELECT COUNT(*) FROM household_invites WHERE "
                                      "household_id = ?",
                                      1},
    [STMT_HOUSEHOLD_INVITES_OF_USER] = {HOUSEHOLD_INVITE_SELECT "WHERE i.user_id = ? ORDER BY "
                                                                "i.id DESC LIMIT 100",
                                        1},
    [STMT_HOUSEHOLD_INVITE_LOCK] = {"SELECT id, household_id FROM household_invites WHERE id = ? "
                                    "AND user_id = ? FOR UPDATE",
                                    1},
    [STMT_HOUSEHOLD_INVITE_DELETE] = {"DELETE FROM household_invites WHERE id = ? AND user_id = ?",
                                      1},
    [STMT_MEALPLAN_INSERT] = {"INSERT INTO meal_plan_entries (user_id, household_id, created_by, "
                              "plan_date, slot, recipe_id, note, servings) VALUES (?, ?, ?, ?, ?, "
                              "?, ?, ?)",
                              0},
    [STMT_MEALPLAN_GET] = {MEALPLAN_SELECT "WHERE e.id = ? AND " MEALPLAN_MINE, 1},
    [STMT_MEALPLAN_RANGE] = {MEALPLAN_SELECT "WHERE " MEALPLAN_MINE
                                             " AND e.plan_date BETWEEN ? AND ?" MEALPLAN_ORDER,
                             1},
    [STMT_MEALPLAN_FEED] = {MEALPLAN_SELECT "WHERE " MEALPLAN_MINE
                                            " AND e.plan_date BETWEEN CURDATE() - INTERVAL 31 DAY "
                                            "AND CURDATE() + INTERVAL 92 DAY" MEALPLAN_ORDER,
                            1},
    [STMT_MEALPLAN_UPDATE] = {"UPDATE meal_plan_entries e SET plan_date = ?, slot = ?, recipe_id = "
                              "?, note = ?, servings = ?, version = version + 1, updated_at = "
                              "NOW(6) WHERE e.id = ? AND e.version = ? AND " MEALPLAN_MINE,
                              0},
    [STMT_MEALPLAN_DELETE] = {"DELETE e FROM meal_plan_entries e WHERE e.id = ? AND " MEALPLAN_MINE,
                              1},
    [STMT_MEALPLAN_DAY_COUNT] = {"SELECT COUNT(*) FROM meal_plan_entries WHERE plan_date = ? AND "
                                 "(user_id = ? OR household_id = ?)",
                                 1},
    [STMT_MEALPLAN_RECIPE_VISIBLE] = {"SELECT id FROM recipes WHERE id = ? AND deleted_at IS NULL "
                                      "AND (author_id = ? OR (visibility <> 'private' AND hidden "
                                      "= 0))",
                                      1},
    [STMT_FEED_INSERT] = {"INSERT INTO calendar_feeds (user_id, token_hash) VALUES (?, ?)", 0},
    [STMT_FEEDS_OF_USER] = {"SELECT id, " TS("created_at") ", " TS(
                                "last_used_at") " FROM calendar_feeds WHERE user_id = ? ORDER BY "
                                                "id DESC LIMIT 100",
                            1},
    [STMT_FEEDS_COUNT] = {"SELECT COUNT(*) FROM calendar_feeds WHERE user_id = ?", 1},
    [STMT_FEED_DELETE] = {"DELETE FROM calendar_feeds WHERE id = ? AND user_id = ?", 1},
    [STMT_FEED_LOOKUP] = {"SELECT f.id, f.user_id FROM calendar_feeds f JOIN users u ON u.id = "
                          "f.user_id WHERE f.token_hash = ? AND u.status = 'active'",
                          1},
    [STMT_FEED_TOUCH] = {"UPDATE calendar_feeds SET last_used_at = NOW(6) WHERE id = ?", 1},
};

int db_statement_sync_read(enum db_stmt st)
{
    switch (st) {
    case STMT_SESSION_LOOKUP:    /* a session made through another host */
    case STMT_RECIPE_GET:        /* a recipe read right after its creation */
    case STMT_JOB_CLAIM_EXPIRED: /* a claim must see claims made on other nodes */
    case STMT_JOB_CLAIM_DUE:
        return 1;
    default:
        return 0;
    }
}
