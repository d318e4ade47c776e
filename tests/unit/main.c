/* The unit test runner: registers every suite, runs them with CUnit's
 * verbose basic interface and its summary, and exits non-zero when any
 * assertion, test or suite set-up failed. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

int unit_str_eq(const char *actual, const char *expected, const char *file, unsigned line)
{
    if (actual != NULL && expected != NULL && strcmp(actual, expected) == 0)
        return 1;
    fprintf(stderr, "\n    %s:%u: got %s%s%s, want %s%s%s\n", file, line, actual ? "\"" : "",
            actual ? actual : "NULL", actual ? "\"" : "", expected ? "\"" : "",
            expected ? expected : "NULL", expected ? "\"" : "");
    return 0;
}

int unit_str_has(const char *haystack, const char *needle, const char *file, unsigned line)
{
    if (haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL)
        return 1;
    fprintf(stderr, "\n    %s:%u: \"%s\" not found in %s%s%s\n", file, line,
            needle ? needle : "NULL", haystack ? "\"" : "", haystack ? haystack : "NULL",
            haystack ? "\"" : "");
    return 0;
}

static const struct {
    const char *name;
    int (*add)(void);
} suites[] = {
    {"arena", unit_arena_register},
    {"config", unit_config_register},
    {"request", unit_request_register},
    {"router", unit_router_register},
    {"response", unit_response_register},
    {"ipmatch", unit_ipmatch_register},
    {"core", unit_core_register},
    {"migrate", unit_migrate_register},
    {"db_bind", unit_db_bind_register},
    {"password", unit_password_register},
    {"recipe", unit_recipe_register},
    {"multipart", unit_multipart_register},
    {"imagecheck", unit_imagecheck_register},
    {"image", unit_image_register},
    {"ratelimit", unit_ratelimit_register},
    {"api_page", unit_api_page_register},
    {"scoreboard", unit_scoreboard_register},
    {"identity", unit_identity_register},
    {"utf8", unit_utf8_register},
    {"cors", unit_cors_register},
    {"apitoken", unit_apitoken_register},
    {"limits", unit_limits_register},
    {"mime", unit_mime_register},
    {"mail_job", unit_mail_job_register},
    {"jobs", unit_jobs_register},
    {"mfa", unit_mfa_register},
    {"archive", unit_archive_register},
    {"schemaorg", unit_schemaorg_register},
    {"units", unit_units_register},
    {"collection_input", unit_collection_input_register},
    {"addrclass", unit_addrclass_register},
    {"shopping", unit_shopping_register},
    {"units", unit_units_register},
    {"ical", unit_ical_register},
    {"dbhosts", unit_dbhosts_register},
};

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "cannot initialise CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        if (suites[i].add() != 0 || CU_get_error() != CUE_SUCCESS) {
            fprintf(stderr, "cannot register suite %s: %s\n", suites[i].name, CU_get_error_msg());
            CU_cleanup_registry();
            return 2;
        }
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_ErrorCode run = CU_basic_run_tests();
    unsigned failed_asserts = CU_get_number_of_failures();
    unsigned failed_tests = CU_get_number_of_tests_failed();
    unsigned failed_suites = CU_get_number_of_suites_failed();
    unsigned records = CU_get_number_of_failure_records();
    CU_cleanup_registry();
    if (run != CUE_SUCCESS || failed_asserts != 0 || failed_tests != 0 || failed_suites != 0 ||
        records != 0) {
        fprintf(stderr, "unit: FAILED (%u assertions, %u tests, %u suites)\n", failed_asserts,
                failed_tests, failed_suites);
        return 1;
    }
    return 0;
}
