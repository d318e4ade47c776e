/* Unit tests for the job queue's pure parts: the retry back-off
 * (lib/backoff.c: growth, ceiling, jitter bounds, no overflow), the kind
 * table (api/jobs_table.c: sane rows, test kinds hidden without
 * test_routes) and the state names the admin filter accepts. */
#include <stdint.h>
#include <string.h>

#include "api/jobs_table.h"
#include "base/config.h"
#include "db/jobs.h"
#include "lib/backoff.h"
#include "unit.h"

static void test_backoff_grows_and_caps(void)
{
    /* with the largest jitter value the wait is exactly base * 2^(n-1) */
    CU_ASSERT_EQUAL(backoff_delay_ms(1, 1000, 60000, UINT32_MAX), 500 + UINT32_MAX % 501);
    CU_ASSERT_EQUAL(backoff_delay_ms(1, 1000, 60000, 500), 1000);
    CU_ASSERT_EQUAL(backoff_delay_ms(2, 1000, 60000, 1000), 2000);
    CU_ASSERT_EQUAL(backoff_delay_ms(3, 1000, 60000, 2000), 4000);
    CU_ASSERT_EQUAL(backoff_delay_ms(6, 1000, 60000, 16000), 32000);
    CU_ASSERT_EQUAL(backoff_delay_ms(7, 1000, 60000, 30000), 60000); /* 64 s capped at 60 */
    CU_ASSERT_EQUAL(backoff_delay_ms(50, 1000, 60000, 30000), 60000);
    /* attempt 0 counts as the first */
    CU_ASSERT_EQUAL(backoff_delay_ms(0, 1000, 60000, 500), 1000);
    /* with jitter 0 the wait is the lower half */
    CU_ASSERT_EQUAL(backoff_delay_ms(3, 1000, 60000, 0), 2000);
}

static void test_backoff_jitter_bounds(void)
{
    uint32_t seeds[] = {0, 1, 7, 999, 12345, 65535, 2147483647u, 4294967295u};
    for (unsigned attempt = 1; attempt < 20; attempt++) {
        uint64_t d = 30000ull << (attempt - 1 < 10 ? attempt - 1 : 10);
        if (d > 3600000)
            d = 3600000;
        for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
            uint64_t w = backoff_delay_ms(attempt, 30000, 3600000, seeds[i]);
            CU_ASSERT(w >= d / 2);
            CU_ASSERT(w <= d);
        }
    }
    /* two runners that failed together mostly wait differently */
    CU_ASSERT_NOT_EQUAL(backoff_delay_ms(4, 1000, 60000, 17),
                        backoff_delay_ms(4, 1000, 60000, 4242));
}

static void test_backoff_no_overflow(void)
{
    CU_ASSERT_EQUAL(backoff_delay_ms(4000000000u, UINT64_MAX / 3, UINT64_MAX, 0),
                    UINT64_MAX - UINT64_MAX / 2);
    CU_ASSERT(backoff_delay_ms(200, 1, UINT64_MAX, 0) > 0);
    CU_ASSERT_EQUAL(backoff_delay_ms(3, 0, 1000, 5), 0); /* base 0: no wait, no division by zero */
}

static void test_kind_table(void)
{
    struct config c;
    config_defaults(&c);
    CU_ASSERT(jobs_table_count > 0);
    for (size_t i = 0; i < jobs_table_count; i++) {
        const struct job_kind *k = &jobs_table_kinds[i];
        CU_ASSERT_PTR_NOT_NULL(k->run);
        CU_ASSERT(k->timeout >= 1);
        CU_ASSERT(k->max_attempts >= 1 && k->max_attempts <= 100);
        CU_ASSERT(strlen(k->name) >= 1 && strlen(k->name) <= JOBS_KIND_MAX);
        for (size_t j = i + 1; j < jobs_table_count; j++)
            CU_ASSERT(strcmp(k->name, jobs_table_kinds[j].name) != 0);
    }
    CU_ASSERT_PTR_NOT_NULL(jobs_table_find("noop", &c));
    CU_ASSERT_PTR_NULL(jobs_table_find("nonesuch", &c));
    /* test kinds only with test_routes */
    CU_ASSERT_PTR_NULL(jobs_table_find("test_sleep", &c));
    c.test_routes = 1;
    CU_ASSERT_PTR_NOT_NULL(jobs_table_find("test_sleep", &c));
    CU_ASSERT_PTR_NOT_NULL(jobs_table_find("test_record", &c));
}

static void test_states(void)
{
    CU_ASSERT_EQUAL(jobs_state_valid("queued"), 1);
    CU_ASSERT_EQUAL(jobs_state_valid("running"), 1);
    CU_ASSERT_EQUAL(jobs_state_valid("done"), 1);
    CU_ASSERT_EQUAL(jobs_state_valid("dead"), 1);
    CU_ASSERT_EQUAL(jobs_state_valid("Dead"), 0);
    CU_ASSERT_EQUAL(jobs_state_valid(""), 0);
    CU_ASSERT_EQUAL(jobs_state_valid("queued "), 0);
}

int unit_jobs_register(void)
{
    CU_pSuite s = CU_add_suite("jobs", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "back-off doubles up to its ceiling", test_backoff_grows_and_caps) ||
        !CU_add_test(s, "back-off jitter stays within [d/2, d]", test_backoff_jitter_bounds) ||
        !CU_add_test(s, "back-off never overflows", test_backoff_no_overflow) ||
        !CU_add_test(s, "the kind table is sane; test kinds need test_routes", test_kind_table) ||
        !CU_add_test(s, "job state names", test_states))
        return -1;
    return 0;
}
