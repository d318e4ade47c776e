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
    STMT__MAX
};

struct db_statement {
    const char *sql;
    int repeatable; /* safe to run again after the connection was lost */
};

extern const struct db_statement db_statements[STMT__MAX];

#endif
