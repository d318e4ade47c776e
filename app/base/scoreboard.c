/* The scoreboard lives in one MAP_SHARED anonymous mapping made before fork.
 * All cross-process fields are touched with __atomic builtins only; nothing
 * in it is a pointer, so every process may map it at any address. */
#include "base/scoreboard.h"

#include <string.h>
#include <sys/mman.h>
#include <time.h>

const int scoreboard_statuses[SCOREBOARD_STATUSES] = {200, 201, 204, 304, 400, 401, 403, 404,
                                                      405, 409, 411, 412, 413, 415, 422, 429,
                                                      500, 502, 503, 504, 507, 301, 302, 428};

const double scoreboard_buckets_ms[SCOREBOARD_HIST] = {0.5, 1,   2.5, 5,    10,   25,   50,
                                                       100, 250, 500, 1000, 2500, 5000, 10000};

struct scoreboard *scoreboard_create(void)
{
    void *p = mmap(NULL, sizeof(struct scoreboard), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    struct scoreboard *sb = p;
    memset(sb, 0, sizeof(*sb));
    sb->started_unix = (uint64_t)time(NULL);
    return sb;
}

void scoreboard_destroy(struct scoreboard *sb)
{
    if (sb != NULL)
        munmap(sb, sizeof(*sb));
}

uint64_t scoreboard_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int scoreboard_claim(struct scoreboard *sb, int pid, uint32_t generation)
{
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        struct scoreboard_slot *s = &sb->slots[i];
        if (__atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) != 0)
            continue;
        s->requests = 0;
        s->generation = generation;
        s->route = -1;
        s->stop = 0;
        __atomic_store_n(&s->since_ms, scoreboard_now_ms(), __ATOMIC_RELAXED);
        __atomic_store_n(&s->state, WORKER_STARTING, __ATOMIC_RELAXED);
        __atomic_store_n(&s->pid, pid, __ATOMIC_RELEASE);
        if ((uint32_t)i + 1 > __atomic_load_n(&sb->slot_hwm, __ATOMIC_RELAXED))
            __atomic_store_n(&sb->slot_hwm, (uint32_t)i + 1, __ATOMIC_RELEASE);
        return i;
    }
    return -1;
}

void scoreboard_release(struct scoreboard *sb, int slot)
{
    if (slot < 0 || slot >= SCOREBOARD_SLOTS)
        return;
    __atomic_store_n(&sb->slots[slot].state, WORKER_FREE, __ATOMIC_RELAXED);
    __atomic_store_n(&sb->slots[slot].pid, 0, __ATOMIC_RELEASE);
}

void scoreboard_set_state(struct scoreboard *sb, int slot, enum worker_state st)
{
    if (sb == NULL || slot < 0 || slot >= SCOREBOARD_SLOTS)
        return;
    struct scoreboard_slot *s = &sb->slots[slot];
    /* time first: the watchdog reads state, then the time it was entered */
    __atomic_store_n(&s->since_ms, scoreboard_now_ms(), __ATOMIC_RELAXED);
    __atomic_store_n(&s->state, (int32_t)st, __ATOMIC_RELEASE);
}

int scoreboard_status_index(int status)
{
    for (int i = 0; i < SCOREBOARD_STATUSES; i++)
        if (scoreboard_statuses[i] == status)
            return i;
    return SCOREBOARD_STATUSES; /* other */
}

void scoreboard_add(uint64_t *counter, uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

uint64_t scoreboard_get(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void scoreboard_count(struct scoreboard *sb, int route, int status, uint64_t us, uint64_t db_us)
{
    if (sb == NULL)
        return;
    int r = route < 0 || route >= SCOREBOARD_ROUTES - 2 ? SCOREBOARD_ROUTES - 2 : route;
    scoreboard_add(&sb->requests[r][scoreboard_status_index(status)], 1);
    int b = 0;
    double ms = (double)us / 1000.0;
    while (b < SCOREBOARD_HIST && ms > scoreboard_buckets_ms[b])
        b++;
    scoreboard_add(&sb->latency[r][b], 1);
    scoreboard_add(&sb->latency_sum_us[r], us);
    if (db_us)
        scoreboard_add(&sb->db_us_sum, db_us);
}

int scoreboard_none_idle(const struct scoreboard *sb)
{
    uint32_t hwm = __atomic_load_n(&sb->slot_hwm, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < hwm && i < SCOREBOARD_SLOTS; i++)
        if (__atomic_load_n(&sb->slots[i].state, __ATOMIC_RELAXED) == WORKER_IDLE)
            return 0;
    return 1;
}

void scoreboard_states(const struct scoreboard *sb, unsigned counts[WORKER__MAX])
{
    memset(counts, 0, sizeof(unsigned) * WORKER__MAX);
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        if (__atomic_load_n(&sb->slots[i].pid, __ATOMIC_ACQUIRE) == 0)
            continue;
        int st = __atomic_load_n(&sb->slots[i].state, __ATOMIC_RELAXED);
        if (st >= 0 && st < WORKER__MAX)
            counts[st]++;
    }
}
