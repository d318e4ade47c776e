/* The scoreboard: shared memory created by the master before fork, one slot
 * per worker plus counters for /metrics. Workers write only their own slot and
 * atomic counters; the master reads slots to supervise. */
#ifndef RB_BASE_SCOREBOARD_H
#define RB_BASE_SCOREBOARD_H

#include <stdint.h>

#define SCOREBOARD_SLOTS 512  /* 2 x the largest pool, so a reload can overlap */
#define SCOREBOARD_ROUTES 130 /* ROUTER_MAX_ROUTES + unmatched + rejected */
#define SCOREBOARD_HIST 14    /* latency buckets before +Inf */

enum worker_state {
    WORKER_FREE = 0, /* slot unused */
    WORKER_STARTING,
    WORKER_IDLE,    /* waiting for a connection */
    WORKER_READING, /* connection accepted, libfcgi reading the params */
    WORKER_BUSY,    /* the app has the request */
    WORKER_EXITING,
    WORKER__MAX
};

/* Statuses counted by route; anything else counts as "other". */
#define SCOREBOARD_STATUSES 24

struct scoreboard_slot {
    int32_t pid;
    int32_t state;       /* enum worker_state */
    uint64_t since_ms;   /* CLOCK_MONOTONIC ms when state was entered */
    uint64_t requests;   /* handled by this process */
    uint32_t generation; /* config generation the worker started with */
    int32_t route;       /* route of the current request, -1 when none */
    int32_t stop;        /* set by the master: leave after the current request */
};

struct scoreboard {
    uint64_t started_unix;
    uint64_t accepted; /* connections accepted */
    uint64_t restarts; /* workers replaced after an unplanned exit */
    uint64_t kills;    /* workers killed by the watchdog */
    uint64_t max_children_reached;
    uint64_t db_errors;
    uint64_t listen_queue_max;
    uint32_t slot_hwm;   /* 1 + highest slot ever claimed */
    uint32_t generation; /* config generation, bumped by reload */
    uint64_t requests[SCOREBOARD_ROUTES][SCOREBOARD_STATUSES + 1];
    uint64_t latency[SCOREBOARD_ROUTES][SCOREBOARD_HIST + 1]; /* cumulative at render */
    uint64_t latency_sum_us[SCOREBOARD_ROUTES];
    uint64_t db_us_sum;
    struct scoreboard_slot slots[SCOREBOARD_SLOTS];
};

extern const int scoreboard_statuses[SCOREBOARD_STATUSES];
extern const double scoreboard_buckets_ms[SCOREBOARD_HIST];

/* Maps shared anonymous memory. NULL on failure. Call before fork. */
struct scoreboard *scoreboard_create(void);
void scoreboard_destroy(struct scoreboard *sb);

uint64_t scoreboard_now_ms(void);

/* Claims a free slot for pid. Returns its index or -1 when full. Master only. */
int scoreboard_claim(struct scoreboard *sb, int pid, uint32_t generation);
void scoreboard_release(struct scoreboard *sb, int slot);

/* Sets the state of a worker's own slot and stamps the time. */
void scoreboard_set_state(struct scoreboard *sb, int slot, enum worker_state st);

/* Counts one finished request. route may be -1 (unmatched). */
void scoreboard_count(struct scoreboard *sb, int route, int status, uint64_t us, uint64_t db_us);

/* Atomic add for the single counters above. */
void scoreboard_add(uint64_t *counter, uint64_t n);
uint64_t scoreboard_get(const uint64_t *counter);

/* Counts workers per state (array of WORKER__MAX). */
/* 1 when no worker of the pool is idle (for max_children_reached). */
int scoreboard_none_idle(const struct scoreboard *sb);

void scoreboard_states(const struct scoreboard *sb, unsigned counts[WORKER__MAX]);

int scoreboard_status_index(int status);

#endif
