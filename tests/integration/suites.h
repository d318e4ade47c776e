/* The integration suites; main.c registers those named in RB_SUITES. */
#ifndef RB_TESTS_SUITES_H
#define RB_TESTS_SUITES_H

#include <unistd.h>

int http_suite_register(void);
int faults_suite_register(void);
int memlimit_suite_register(void);
int auth_suite_register(void);
int recipes_suite_register(void);
int scenario_suite_register(void);
int images_suite_register(void);
int hostile_suite_register(void);
int cors_suite_register(void);
int tokens_suite_register(void);
int jobs_suite_register(void);
int jobscgi_suite_register(void);
int mailflow_suite_register(void);
int mfa_suite_register(void);
int archive_suite_register(void);
int scale_suite_register(void);
int collections_suite_register(void);
int import_suite_register(void);
int shopping_suite_register(void);
int scale_suite_register(void);
int households_suite_register(void);
int mealplan_suite_register(void);
int cache_suite_register(void);

/* Rewrites "key = value" in the pool's config file (RB_CONFIG); the caller
 * sends SIGHUP to apply it. 0/-1. */
int config_set_value(const char *key, const char *value);

#endif
