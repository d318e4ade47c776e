/* The scoreboard lives in one MAP_SHARED anonymous mapping made before fork.
 * All cross-process fields are touched with __atomic builtins only, and only
 * in this file; nothing in it is a pointer, so every process may map it at
 * any address. */
#include "base/scoreboard.h"

#include <string.h>
#include <sys/mman.h>
#include <time.h>

struct scoreboard_slot {
    int32_t pid;
    int32_t state;       /* enum worker_state */
    uint64_t since_ms;   /* CLOCK_MONOTONIC ms when state was entered */
    uint64_t requests;   /* handled by this process */
    uint32_t generation; /* config generation the worker started with */
    int32_t stop;        /* set by the master: leave after the current request */
    uint32_t expensive;  /* client key of the search this worker runs, 0 = none */
};

struct scoreboard {
    uint64_t started_unix;
    uint64_t counters[SCOREBOARD__COUNTERS];
    uint32_t slot_hwm;   /* 1 + highest slot ever claimed */
    uint32_t generation; /* config generation, bumped by reload */
    uint64_t requests[SCOREBOARD_ROUTES][SCOREBOARD_STATUSES + 1];
    uint64_t latency[SCOREBOARD_ROUTES][SCOREBOARD_HIST + 1];
    uint64_t latency_sum_us[SCOREBOARD_ROUTES];
    struct scoreboard_slot slots[SCOREBOARD_SLOTS];
};

const int scoreboard_statuses[SCOREBOARD_STATUSES] = {200, 201, 204, 304, 400, 401, 403, 404,
                                                      405, 409, 411, 412, 413, 415, 422, 429,
                                                      500, 502, 503, 504, 507, 301, 302, 428};

const double scoreboard_buckets_ms[SCOREBOARD_HIST] = {0.5, 1,   2.5, 5,    10,   25,   50,
                                                       100, 250, 500, 1000, 2500, 5000, 10000};

static int valid_slot(const struct scoreboard *sb, int slot)
{
    return sb != NULL && slot >= 0 && slot < SCOREBOARD_SLOTS;
}

static void add(uint64_t *counter, uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

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

uint64_t scoreboard_started(const struct scoreboard *sb)
{
    return sb != NULL ? sb->started_unix : 0; /* written once, before fork */
}

void scoreboard_set_generation(struct scoreboard *sb, uint32_t generation)
{
    if (sb != NULL)
        __atomic_store_n(&sb->generation, generation, __ATOMIC_RELAXED);
}

uint32_t scoreboard_generation(const struct scoreboard *sb)
{
    return sb != NULL ? __atomic_load_n(&sb->generation, __ATOMIC_RELAXED) : 0;
}

int scoreboard_claim(struct scoreboard *sb, int pid, uint32_t generation)
{
    for (int i = 0; sb != NULL && i < SCOREBOARD_SLOTS; i++) {
        struct scoreboard_slot *s = &sb->slots[i];
        if (__atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) != 0)
            continue;
        __atomic_store_n(&s->requests, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->generation, generation, __ATOMIC_RELAXED);
        __atomic_store_n(&s->stop, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->expensive, 0, __ATOMIC_RELAXED);
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
    if (!valid_slot(sb, slot))
        return;
    __atomic_store_n(&sb->slots[slot].state, WORKER_FREE, __ATOMIC_RELAXED);
    __atomic_store_n(&sb->slots[slot].pid, 0, __ATOMIC_RELEASE);
}

void scoreboard_slot_set_pid(struct scoreboard *sb, int slot, int pid)
{
    if (valid_slot(sb, slot))
        __atomic_store_n(&sb->slots[slot].pid, pid, __ATOMIC_RELEASE);
}

void scoreboard_set_state(struct scoreboard *sb, int slot, enum worker_state st)
{
    if (!valid_slot(sb, slot))
        return;
    struct scoreboard_slot *s = &sb->slots[slot];
    /* time first: the watchdog reads state, then the time it was entered */
    __atomic_store_n(&s->since_ms, scoreboard_now_ms(), __ATOMIC_RELAXED);
    __atomic_store_n(&s->state, (int32_t)st, __ATOMIC_RELEASE);
}

void scoreboard_slot_set_expensive(struct scoreboard *sb, int slot, uint32_t key)
{
    if (valid_slot(sb, slot))
        __atomic_store_n(&sb->slots[slot].expensive, key, __ATOMIC_RELEASE);
}

unsigned scoreboard_expensive_count(const struct scoreboard *sb, uint32_t key)
{
    unsigned n = 0;
    if (sb == NULL || key == 0)
        return 0;
    uint32_t hwm = __atomic_load_n(&sb->slot_hwm, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < hwm && i < SCOREBOARD_SLOTS; i++)
        n += __atomic_load_n(&sb->slots[i].pid, __ATOMIC_ACQUIRE) != 0 &&
             __atomic_load_n(&sb->slots[i].expensive, __ATOMIC_ACQUIRE) == key;
    return n;
}

void scoreboard_slot_stop(struct scoreboard *sb, int slot)
{
    if (valid_slot(sb, slot))
        __atomic_store_n(&sb->slots[slot].stop, 1, __ATOMIC_RELEASE);
}

int scoreboard_slot_should_stop(const struct scoreboard *sb, int slot)
{
    return valid_slot(sb, slot) && __atomic_load_n(&sb->slots[slot].stop, __ATOMIC_ACQUIRE) != 0;
}

void scoreboard_slot_count_request(struct scoreboard *sb, int slot)
{
    if (valid_slot(sb, slot))
        add(&sb->slots[slot].requests, 1);
}

int scoreboard_slot_read(const struct scoreboard *sb, int slot, struct scoreboard_slot_view *out)
{
    if (!valid_slot(sb, slot))
        return -1;
    const struct scoreboard_slot *s = &sb->slots[slot];
    out->pid = __atomic_load_n(&s->pid, __ATOMIC_ACQUIRE);
    /* state before its time, the reverse of scoreboard_set_state's writes */
    out->state = (enum worker_state)__atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    out->since_ms = __atomic_load_n(&s->since_ms, __ATOMIC_RELAXED);
    out->requests = get(&s->requests);
    out->generation = __atomic_load_n(&s->generation, __ATOMIC_RELAXED);
    return 0;
}

int scoreboard_slots_used(const struct scoreboard *sb)
{
    if (sb == NULL)
        return 0;
    uint32_t hwm = __atomic_load_n(&sb->slot_hwm, __ATOMIC_ACQUIRE);
    return hwm < SCOREBOARD_SLOTS ? (int)hwm : SCOREBOARD_SLOTS;
}

int scoreboard_status_index(int status)
{
    for (int i = 0; i < SCOREBOARD_STATUSES; i++)
        if (scoreboard_statuses[i] == status)
            return i;
    return SCOREBOARD_STATUSES; /* other */
}

void scoreboard_count(struct scoreboard *sb, int route, int status, uint64_t us, uint64_t db_us)
{
    if (sb == NULL)
        return;
    int r = route < 0 || route >= SCOREBOARD_UNMATCHED ? SCOREBOARD_UNMATCHED : route;
    add(&sb->requests[r][scoreboard_status_index(status)], 1);
    int b = 0;
    double ms = (double)us / 1000.0;
    while (b < SCOREBOARD_HIST && ms > scoreboard_buckets_ms[b])
        b++;
    add(&sb->latency[r][b], 1);
    add(&sb->latency_sum_us[r], us);
    if (db_us)
        add(&sb->counters[SCOREBOARD_DB_US], db_us);
}

void scoreboard_count_event(struct scoreboard *sb, enum scoreboard_counter which)
{
    if (sb != NULL && (unsigned)which < SCOREBOARD__COUNTERS)
        add(&sb->counters[which], 1);
}

uint64_t scoreboard_counter(const struct scoreboard *sb, enum scoreboard_counter which)
{
    if (sb == NULL || (unsigned)which >= SCOREBOARD__COUNTERS)
        return 0;
    return get(&sb->counters[which]);
}

int scoreboard_route_read(const struct scoreboard *sb, int route,
                          struct scoreboard_route_counts *out)
{
    if (sb == NULL || route < 0 || route >= SCOREBOARD_ROUTES)
        return -1;
    for (int s = 0; s <= SCOREBOARD_STATUSES; s++)
        out->requests[s] = get(&sb->requests[route][s]);
    for (int b = 0; b <= SCOREBOARD_HIST; b++)
        out->latency[b] = get(&sb->latency[route][b]);
    out->latency_sum_us = get(&sb->latency_sum_us[route]);
    return 0;
}

int scoreboard_none_idle(const struct scoreboard *sb)
{
    int used = scoreboard_slots_used(sb);
    for (int i = 0; i < used; i++)
        if (__atomic_load_n(&sb->slots[i].state, __ATOMIC_RELAXED) == WORKER_IDLE)
            return 0;
    return 1;
}

void scoreboard_states(const struct scoreboard *sb, unsigned counts[WORKER__MAX])
{
    memset(counts, 0, sizeof(unsigned) * WORKER__MAX);
    for (int i = 0; sb != NULL && i < SCOREBOARD_SLOTS; i++) {
        if (__atomic_load_n(&sb->slots[i].pid, __ATOMIC_ACQUIRE) == 0)
            continue;
        int st = __atomic_load_n(&sb->slots[i].state, __ATOMIC_RELAXED);
        if (st >= 0 && st < WORKER__MAX)
            counts[st]++;
    }
}
