/* The integration suites; main.c registers those named in RB_SUITES. */
#ifndef RB_TESTS_SUITES_H
#define RB_TESTS_SUITES_H

#include <unistd.h>

int http_suite_register(void);
int faults_suite_register(void);
int memlimit_suite_register(void);
int auth_suite_register(void);

#endif
