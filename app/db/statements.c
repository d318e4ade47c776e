/* The SQL text of every statement, prepared on first use per connection.
 * "repeatable" marks what may be retried after a lost connection: reads and
 * idempotent writes only. */
#include "db/statements.h"

#define USER_COLUMNS                                                                               \
    "id, username, email, display_name, password_hash, role, status, "                           \
    "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')"

const struct db_statement db_statements[STMT__MAX] = {
    [STMT_PING] = {"SELECT 1", 1},
    [STMT_SQL_MODE] = {"SELECT @@SESSION.sql_mode, @@SESSION.character_set_connection", 1},
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
                             "TIMESTAMPDIFF(SECOND, s.last_seen_at, NOW(6)), u.username, u.role "
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
    [STMT_USER_UPDATE_PROFILE] = {"UPDATE users SET display_name = ?, email = ?, email_norm = ? "
                                  "WHERE id = ?",
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
    [STMT_AUDIT_PAGE] = {"SELECT id, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                         "COALESCE(actor_id, 0), action, target, address, request_id, detail "
                         "FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
                         1},
};
