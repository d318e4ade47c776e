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
    STMT_AUDIT_PAGE,
    STMT__MAX
};

struct db_statement {
    const char *sql;
    int repeatable; /* safe to run again after the connection was lost */
};

extern const struct db_statement db_statements[STMT__MAX];

#endif
