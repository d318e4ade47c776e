/* Unit tests for the scoreboard (base/scoreboard.c) through its functions
 * only, as the master, the workers and /metrics use it: slot claim and
 * release, worker states, the stop flag, pool counters, per-route counts,
 * NULL and out-of-range arguments, and sharing across fork. */
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/scoreboard.h"
#include "unit.h"

static struct scoreboard_slot_view read_slot(const struct scoreboard *sb, int slot)
{
    struct scoreboard_slot_view v = {.pid = -99, .state = WORKER__MAX};
    CU_ASSERT_EQUAL(scoreboard_slot_read(sb, slot, &v), 0);
    return v;
}

static void test_claim_and_release(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    CU_ASSERT_EQUAL(scoreboard_slots_used(sb), 0);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 100, 7), 0);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 101, 8), 1);
    CU_ASSERT_EQUAL(scoreboard_slots_used(sb), 2);
    struct scoreboard_slot_view v = read_slot(sb, 1);
    CU_ASSERT_EQUAL(v.pid, 101);
    CU_ASSERT_EQUAL(v.state, WORKER_STARTING);
    CU_ASSERT_EQUAL(v.generation, 8);
    CU_ASSERT_EQUAL(v.requests, 0);
    scoreboard_release(sb, 0);
    v = read_slot(sb, 0);
    CU_ASSERT_EQUAL(v.pid, 0);
    CU_ASSERT_EQUAL(v.state, WORKER_FREE);
    /* the freed slot is reused first; the high-water mark stays */
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 102, 9), 0);
    CU_ASSERT_EQUAL(read_slot(sb, 0).pid, 102);
    CU_ASSERT_EQUAL(scoreboard_slots_used(sb), 2);
    /* claimed before fork with -1, the pid is filled in after */
    int slot = scoreboard_claim(sb, -1, 9);
    CU_ASSERT_EQUAL(slot, 2);
    CU_ASSERT_EQUAL(read_slot(sb, slot).pid, -1);
    scoreboard_slot_set_pid(sb, slot, 4242);
    CU_ASSERT_EQUAL(read_slot(sb, slot).pid, 4242);
    scoreboard_destroy(sb);
}

static void test_claim_until_full(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    int last = -1;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        last = scoreboard_claim(sb, 1000 + i, 1);
    CU_ASSERT_EQUAL(last, SCOREBOARD_SLOTS - 1);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 5000, 1), -1);
    CU_ASSERT_EQUAL(scoreboard_slots_used(sb), SCOREBOARD_SLOTS);
    scoreboard_release(sb, 17);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 5000, 1), 17);
    scoreboard_destroy(sb);
}

static void test_states(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    unsigned counts[WORKER__MAX];
    int a = scoreboard_claim(sb, 10, 1);
    int b = scoreboard_claim(sb, 11, 1);
    int c = scoreboard_claim(sb, 12, 1);
    CU_ASSERT_FATAL(a >= 0 && b >= 0 && c >= 0);
    uint64_t before = scoreboard_now_ms();
    scoreboard_set_state(sb, a, WORKER_IDLE);
    scoreboard_set_state(sb, b, WORKER_BUSY);
    scoreboard_set_state(sb, c, WORKER_BUSY);
    struct scoreboard_slot_view v = read_slot(sb, b);
    CU_ASSERT_EQUAL(v.state, WORKER_BUSY);
    CU_ASSERT(v.since_ms >= before && v.since_ms <= scoreboard_now_ms());
    scoreboard_states(sb, counts);
    CU_ASSERT_EQUAL(counts[WORKER_IDLE], 1);
    CU_ASSERT_EQUAL(counts[WORKER_BUSY], 2);
    CU_ASSERT_EQUAL(counts[WORKER_STARTING], 0);
    CU_ASSERT_EQUAL(scoreboard_none_idle(sb), 0);
    scoreboard_set_state(sb, a, WORKER_READING);
    CU_ASSERT_EQUAL(scoreboard_none_idle(sb), 1);
    /* a released slot is not counted, whatever it was doing */
    scoreboard_release(sb, c);
    scoreboard_states(sb, counts);
    CU_ASSERT_EQUAL(counts[WORKER_BUSY], 1);
    CU_ASSERT_EQUAL(counts[WORKER_READING], 1);
    scoreboard_destroy(sb);
}

static void test_stop_flag(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    int a = scoreboard_claim(sb, 20, 1);
    int b = scoreboard_claim(sb, 21, 1);
    CU_ASSERT_EQUAL(scoreboard_slot_should_stop(sb, a), 0);
    scoreboard_slot_stop(sb, a);
    CU_ASSERT_EQUAL(scoreboard_slot_should_stop(sb, a), 1);
    CU_ASSERT_EQUAL(scoreboard_slot_should_stop(sb, b), 0);
    /* a new worker in the slot must not inherit the old one's stop */
    scoreboard_release(sb, a);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 22, 2), a);
    CU_ASSERT_EQUAL(scoreboard_slot_should_stop(sb, a), 0);
    scoreboard_destroy(sb);
}

static void test_slot_requests(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    int a = scoreboard_claim(sb, 30, 1);
    int b = scoreboard_claim(sb, 31, 1);
    for (int i = 0; i < 3; i++)
        scoreboard_slot_count_request(sb, a);
    CU_ASSERT_EQUAL(read_slot(sb, a).requests, 3);
    CU_ASSERT_EQUAL(read_slot(sb, b).requests, 0);
    scoreboard_release(sb, a);
    CU_ASSERT_EQUAL(scoreboard_claim(sb, 32, 1), a);
    CU_ASSERT_EQUAL(read_slot(sb, a).requests, 0);
    scoreboard_destroy(sb);
}

static void test_counters(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    for (int c = 0; c < SCOREBOARD__COUNTERS; c++)
        CU_ASSERT_EQUAL(scoreboard_counter(sb, (enum scoreboard_counter)c), 0);
    scoreboard_count_event(sb, SCOREBOARD_RESTARTS);
    scoreboard_count_event(sb, SCOREBOARD_RESTARTS);
    scoreboard_count_event(sb, SCOREBOARD_KILLS);
    scoreboard_count_event(sb, SCOREBOARD_DB_ERRORS);
    scoreboard_count_event(sb, SCOREBOARD__COUNTERS); /* not a counter: ignored */
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_RESTARTS), 2);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_KILLS), 1);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_DB_ERRORS), 1);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_ACCEPTED), 0);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_MAX_CHILDREN_REACHED), 0);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD__COUNTERS), 0);
    scoreboard_set_generation(sb, 5);
    CU_ASSERT_EQUAL(scoreboard_generation(sb), 5);
    uint64_t now = (uint64_t)time(NULL);
    CU_ASSERT(scoreboard_started(sb) <= now && scoreboard_started(sb) + 5 >= now);
    scoreboard_destroy(sb);
}

static void test_route_counts(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    scoreboard_count(sb, 3, 200, 1500, 700);   /* 1.5 ms: the 2.5 ms bucket */
    scoreboard_count(sb, 3, 418, 20000000, 0); /* other status, past the last bucket */
    scoreboard_count(sb, -1, 404, 100, 0);
    scoreboard_count(sb, SCOREBOARD_ROUTES + 5, 404, 100, 50);
    struct scoreboard_route_counts rc;
    CU_ASSERT_EQUAL_FATAL(scoreboard_route_read(sb, 3, &rc), 0);
    CU_ASSERT_EQUAL(rc.requests[scoreboard_status_index(200)], 1);
    CU_ASSERT_EQUAL(rc.requests[SCOREBOARD_STATUSES], 1);
    CU_ASSERT_EQUAL(scoreboard_buckets_ms[2], 2.5);
    CU_ASSERT_EQUAL(rc.latency[2], 1);
    CU_ASSERT_EQUAL(rc.latency[1], 0);
    CU_ASSERT_EQUAL(rc.latency[SCOREBOARD_HIST], 1);
    CU_ASSERT_EQUAL(rc.latency_sum_us, 20001500);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_DB_US), 750);
    /* unmatched and out-of-range routes share one row */
    CU_ASSERT_EQUAL_FATAL(scoreboard_route_read(sb, SCOREBOARD_UNMATCHED, &rc), 0);
    CU_ASSERT_EQUAL(rc.requests[scoreboard_status_index(404)], 2);
    CU_ASSERT_EQUAL(rc.latency[0], 2);
    CU_ASSERT_EQUAL_FATAL(scoreboard_route_read(sb, 4, &rc), 0);
    CU_ASSERT_EQUAL(rc.requests[scoreboard_status_index(200)], 0);
    CU_ASSERT_EQUAL(rc.latency_sum_us, 0);
    CU_ASSERT_EQUAL(scoreboard_route_read(sb, -1, &rc), -1);
    CU_ASSERT_EQUAL(scoreboard_route_read(sb, SCOREBOARD_ROUTES, &rc), -1);
    scoreboard_destroy(sb);
}

/* NULL, a negative or a too-large slot: nothing happens, nothing is read. */
static void test_null_and_out_of_range(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    struct scoreboard_slot_view v = {.pid = 77};
    CU_ASSERT_EQUAL(scoreboard_slot_read(sb, -1, &v), -1);
    CU_ASSERT_EQUAL(scoreboard_slot_read(sb, SCOREBOARD_SLOTS, &v), -1);
    CU_ASSERT_EQUAL(scoreboard_slot_read(NULL, 0, &v), -1);
    CU_ASSERT_EQUAL(v.pid, 77);
    scoreboard_slot_stop(sb, SCOREBOARD_SLOTS);
    scoreboard_set_state(sb, -1, WORKER_BUSY);
    scoreboard_slot_count_request(sb, SCOREBOARD_SLOTS);
    scoreboard_release(sb, -3);
    CU_ASSERT_EQUAL(scoreboard_slot_should_stop(sb, -1), 0);
    CU_ASSERT_EQUAL(scoreboard_claim(NULL, 1, 1), -1);
    CU_ASSERT_EQUAL(scoreboard_counter(NULL, SCOREBOARD_KILLS), 0);
    CU_ASSERT_EQUAL(scoreboard_slots_used(NULL), 0);
    CU_ASSERT_EQUAL(scoreboard_started(NULL), 0);
    scoreboard_count_event(NULL, SCOREBOARD_KILLS);
    scoreboard_count(NULL, 1, 200, 1, 1);
    scoreboard_slot_stop(NULL, 0);
    unsigned counts[WORKER__MAX] = {9, 9, 9, 9, 9, 9};
    scoreboard_states(NULL, counts);
    CU_ASSERT_EQUAL(counts[WORKER_BUSY], 0);
    /* nothing above reached the real scoreboard */
    scoreboard_states(sb, counts);
    CU_ASSERT_EQUAL(counts[WORKER_BUSY], 0);
    CU_ASSERT_EQUAL(scoreboard_slots_used(sb), 0);
    scoreboard_destroy(sb);
    scoreboard_destroy(NULL);
}

/* What a worker writes after fork, the master reads: the mapping is shared. */
static void test_shared_across_fork(void)
{
    struct scoreboard *sb = scoreboard_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
    int slot = scoreboard_claim(sb, -1, 3);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        scoreboard_set_state(sb, slot, WORKER_BUSY);
        scoreboard_slot_count_request(sb, slot);
        scoreboard_count_event(sb, SCOREBOARD_ACCEPTED);
        _exit(scoreboard_slot_should_stop(sb, slot) ? 1 : 0);
    }
    scoreboard_slot_set_pid(sb, slot, (int)pid);
    int status = 0;
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct scoreboard_slot_view v = read_slot(sb, slot);
    CU_ASSERT_EQUAL(v.state, WORKER_BUSY);
    CU_ASSERT_EQUAL(v.requests, 1);
    CU_ASSERT_EQUAL(v.pid, (int)pid);
    CU_ASSERT_EQUAL(scoreboard_counter(sb, SCOREBOARD_ACCEPTED), 1);
    scoreboard_destroy(sb);
}

int unit_scoreboard_register(void)
{
    CU_pSuite s = CU_add_suite("scoreboard", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "claim, release and set the pid", test_claim_and_release) ||
        !CU_add_test(s, "claims stop when every slot is taken", test_claim_until_full) ||
        !CU_add_test(s, "worker states, their time and counts", test_states) ||
        !CU_add_test(s, "the stop flag is per slot and reset", test_stop_flag) ||
        !CU_add_test(s, "requests per slot", test_slot_requests) ||
        !CU_add_test(s, "pool counters and generation", test_counters) ||
        !CU_add_test(s, "requests and latency by route", test_route_counts) ||
        !CU_add_test(s, "NULL and out-of-range arguments", test_null_and_out_of_range) ||
        !CU_add_test(s, "a worker's writes reach the master", test_shared_across_fork))
        return -1;
    return 0;
}
