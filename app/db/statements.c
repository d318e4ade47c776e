/* The SQL text of every statement, prepared on first use per connection.
 * "repeatable" marks what may be retried after a lost connection: reads and
 * idempotent writes only. */
#include "db/statements.h"

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
};
