/* The database suites: "db" (migrations, /readyz) and "dbfaults". */
#ifndef RB_TESTS_DB_SUITE_H
#define RB_TESTS_DB_SUITE_H

int db_suite_register(void);
int dbfaults_suite_register(void);

#endif
