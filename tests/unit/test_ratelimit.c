/* Unit tests for the shared-memory GCRA limiter (base/ratelimit.c): the
 * burst, the steady rate, Retry-After, separate keys, buckets shared across
 * fork, eviction when the table is crowded, and the rule syntax. */
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/ratelimit.h"
#include "unit.h"

static uint64_t T0;       /* a "now" just after the map was made: set by each test */
#define MS UINT64_C(1000) /* microseconds */

static unsigned take_n(struct ratelimit *rl, const struct ratelimit_rule *r, const char *key,
                       unsigned n, uint64_t now)
{
    unsigned ok = 0;
    struct ratelimit_result res;
    for (unsigned i = 0; i < n; i++) {
        ratelimit_take(rl, r, key, strlen(key), now, &res);
        ok += (unsigned)res.allowed;
    }
    return ok;
}

static void test_burst_then_refused(void)
{
    struct ratelimit *rl = ratelimit_create();
    T0 = ratelimit_now_us() + 1000 * MS;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct ratelimit_rule r = {5, 60000}; /* 5 a minute */
    struct ratelimit_result res;
    for (unsigned i = 0; i < 5; i++) {
        ratelimit_take(rl, &r, "user:1", 6, T0, &res);
        CU_ASSERT_TRUE(res.allowed);
        CU_ASSERT_EQUAL(res.remaining, 4 - i);
    }
    ratelimit_take(rl, &r, "user:1", 6, T0, &res);
    CU_ASSERT_FALSE(res.allowed);
    CU_ASSERT_EQUAL(res.remaining, 0);
    CU_ASSERT_EQUAL(res.retry_ms, 12000); /* one request every 12 s */
    /* a refusal is not counted: the wait does not grow */
    ratelimit_take(rl, &r, "user:1", 6, T0, &res);
    CU_ASSERT_EQUAL(res.retry_ms, 12000);
    /* another key has its own bucket */
    CU_ASSERT_EQUAL(take_n(rl, &r, "user:2", 6, T0), 5);
    ratelimit_destroy(rl);
}

static void test_steady_rate(void)
{
    struct ratelimit *rl = ratelimit_create();
    T0 = ratelimit_now_us() + 1000 * MS;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct ratelimit_rule r = {10, 10000}; /* one a second on average */
    CU_ASSERT_EQUAL(take_n(rl, &r, "a", 20, T0), 10);
    CU_ASSERT_EQUAL(take_n(rl, &r, "a", 5, T0 + 999 * MS), 0);
    CU_ASSERT_EQUAL(take_n(rl, &r, "a", 5, T0 + 1000 * MS), 1);
    CU_ASSERT_EQUAL(take_n(rl, &r, "a", 5, T0 + 3000 * MS), 2);
    /* a full period later the whole burst is back */
    CU_ASSERT_EQUAL(take_n(rl, &r, "a", 20, T0 + 20000 * MS), 10);
    ratelimit_destroy(rl);
}

static void test_no_limit(void)
{
    struct ratelimit *rl = ratelimit_create();
    T0 = ratelimit_now_us() + 1000 * MS;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct ratelimit_rule off = {0, 0};
    CU_ASSERT_EQUAL(take_n(rl, &off, "x", 1000, T0), 1000);
    struct ratelimit_rule r = {1, 1000};
    CU_ASSERT_EQUAL(take_n(NULL, &r, "x", 10, T0), 10);
    ratelimit_destroy(rl);
}

/* Workers share the buckets: what a child takes, the parent sees. */
static void test_shared_across_fork(void)
{
    struct ratelimit *rl = ratelimit_create();
    T0 = ratelimit_now_us() + 1000 * MS;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct ratelimit_rule r = {6, 60000};
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0)
        _exit(take_n(rl, &r, "addr:192.0.2.1", 4, T0) == 4 ? 0 : 1);
    int status = 0;
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_EQUAL(take_n(rl, &r, "addr:192.0.2.1", 10, T0), 2);
    ratelimit_destroy(rl);
}

/* Far more keys than buckets: the table keeps working, and a key whose
 * bucket was reused starts over (never refused for someone else's count). */
static void test_crowded_table(void)
{
    struct ratelimit *rl = ratelimit_create();
    T0 = ratelimit_now_us() + 1000 * MS;
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct ratelimit_rule r = {2, 60000};
    char key[32];
    unsigned refused = 0;
    for (unsigned i = 0; i < 4 * RATELIMIT_SLOTS; i++) {
        int n = snprintf(key, sizeof(key), "k%u", i);
        struct ratelimit_result res;
        ratelimit_take(rl, &r, key, (size_t)n, T0, &res);
        refused += !res.allowed;
    }
    CU_ASSERT_EQUAL(refused, 0);
    ratelimit_destroy(rl);
}

/* Rules faster than one a millisecond are counted exactly (microseconds). */
static void test_fast_rule(void)
{
    struct ratelimit *rl = ratelimit_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    T0 = ratelimit_now_us() + 1000 * MS;
    struct ratelimit_rule r = {100000, 1000}; /* 100,000 a second */
    CU_ASSERT_EQUAL(take_n(rl, &r, "fast", 50000, T0), 50000);
    CU_ASSERT_EQUAL(take_n(rl, &r, "fast", 100000, T0), 50000);
    ratelimit_destroy(rl);
}

static void test_rule_parse(void)
{
    struct ratelimit_rule r;
    CU_ASSERT_EQUAL(ratelimit_rule_parse("10/1m", &r), 0);
    CU_ASSERT_EQUAL(r.count, 10);
    CU_ASSERT_EQUAL(r.period_ms, 60000);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("5/s", &r), 0);
    CU_ASSERT_EQUAL(r.period_ms, 1000);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("20/h", &r), 0);
    CU_ASSERT_EQUAL(r.period_ms, 3600000);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("3/15m", &r), 0);
    CU_ASSERT_EQUAL(r.period_ms, 900000);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("1/d", &r), 0);
    CU_ASSERT_EQUAL(r.period_ms, 86400000);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("off", &r), 0);
    CU_ASSERT_EQUAL(r.count, 0);
    CU_ASSERT_EQUAL(ratelimit_rule_parse("0", &r), 0);
    CU_ASSERT_EQUAL(r.count, 0);
    static const char *const bad[] = {"",    "10",    "10/",   "/m",    "10/x",     "10/mm", "-1/m",
                                      "0/m", "10/0m", "10/m ", "1e3/m", "10/1001h", "abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(ratelimit_rule_parse(bad[i], &r), -1);
}

int unit_ratelimit_register(void)
{
    CU_pSuite s = CU_add_suite("ratelimit", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "a burst, then refused with Retry-After", test_burst_then_refused) ||
        !CU_add_test(s, "the steady rate", test_steady_rate) ||
        !CU_add_test(s, "count 0 and no table: no limit", test_no_limit) ||
        !CU_add_test(s, "buckets are shared across fork", test_shared_across_fork) ||
        !CU_add_test(s, "a crowded table refuses no one wrongly", test_crowded_table) ||
        !CU_add_test(s, "rules faster than one a millisecond", test_fast_rule) ||
        !CU_add_test(s, "rule syntax N/PERIOD", test_rule_parse))
        return -1;
    return 0;
}
