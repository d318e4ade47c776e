/* The integration runner. RB_SUITES names the suites to run (comma list of
 * http, faults, memlimit, db, dbfaults, auth, recipes, scenario, images,
 * hostile, cors, tokens, jobs, jobscgi, scale); the stack is started by tests/support/test.sh.
 * Exits non-zero when anything failed. */
#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_suite.h"
#include "suites.h"

struct suite {
    const char *name;
    int (*reg)(void);
};

static const struct suite all[] = {
    {"http", http_suite_register},
    {"faults", faults_suite_register},
    {"memlimit", memlimit_suite_register},
    {"db", db_suite_register},
    {"dbfaults", dbfaults_suite_register},
    {"auth", auth_suite_register},
    {"recipes", recipes_suite_register},
    {"scenario", scenario_suite_register},
    {"images", images_suite_register},
    {"hostile", hostile_suite_register},
    {"cors", cors_suite_register},
    {"tokens", tokens_suite_register},
    {"jobs", jobs_suite_register},
    {"jobscgi", jobscgi_suite_register},
    {"mailflow", mailflow_suite_register},
    {"archive", archive_suite_register},
    {"mfa", mfa_suite_register},
    {"scale", scale_suite_register},
    {"collections", collections_suite_register},
    {"import", import_suite_register},
    {"shopping", shopping_suite_register},
    {"scale", scale_suite_register},
    {"households", households_suite_register},
    {"mealplan", mealplan_suite_register},
    {"cache", cache_suite_register},
};

static int wanted(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

int main(void)
{
    const char *list = getenv("RB_SUITES");
    if (list == NULL || *list == '\0')
        list = "http";
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (wanted(list, all[i].name) && all[i].reg() != 0) {
            fprintf(stderr, "cannot register suite %s\n", all[i].name);
            return 2;
        }
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}
