/* The scoreboard: shared memory created by the master before fork, one slot
 * per worker plus counters for /metrics. Its layout is private to
 * scoreboard.c: every process reaches it through these functions, which do
 * the atomics, so no caller can read a field without them. Workers write only
 * their own slot and the counters; the master reads slots to supervise. */
#ifndef RB_BASE_SCOREBOARD_H
#define RB_BASE_SCOREBOARD_H

#include <stdint.h>

#define SCOREBOARD_SLOTS 512  /* 2 x the largest pool, so a reload can overlap */
#define SCOREBOARD_ROUTES 194 /* ROUTER_MAX_ROUTES + unmatched + rejected */
#define SCOREBOARD_HIST 14    /* latency buckets before +Inf */
/* The row counting requests that matched no route (and route indexes out of
 * range). */
#define SCOREBOARD_UNMATCHED (SCOREBOARD_ROUTES - 2)

enum worker_state {
    WORKER_FREE = 0, /* slot unused */
    WORKER_STARTING,
    WORKER_IDLE,    /* waiting for a connection */
    WORKER_READING, /* connection accepted, libfcgi reading the params */
    WORKER_BUSY,    /* the app has the request */
    WORKER_EXITING,
    WORKER__MAX
};

/* The pool-wide counters. */
enum scoreboard_counter {
    SCOREBOARD_ACCEPTED,             /* connections accepted */
    SCOREBOARD_RESTARTS,             /* workers replaced after an unplanned exit */
    SCOREBOARD_KILLS,                /* workers killed by the watchdog */
    SCOREBOARD_MAX_CHILDREN_REACHED, /* requests that found no idle worker */
    SCOREBOARD_DB_ERRORS,            /* database errors */
    SCOREBOARD_DB_US,                /* microseconds in the database, added by scoreboard_count */
    SCOREBOARD__COUNTERS
};

/* Statuses counted by route; anything else counts as "other". */
#define SCOREBOARD_STATUSES 24

struct scoreboard;

/* A copy of one slot, taken with atomics (scoreboard_slot_read). */
struct scoreboard_slot_view {
    int pid; /* 0 when free, -1 while the master is forking its worker */
    enum worker_state state;
    uint64_t since_ms;   /* CLOCK_MONOTONIC ms when state was entered */
    uint64_t requests;   /* handled by this process */
    uint32_t generation; /* config generation the worker started with */
};

/* A copy of one route's counters (scoreboard_route_read). */
struct scoreboard_route_counts {
    uint64_t requests[SCOREBOARD_STATUSES + 1]; /* by scoreboard_statuses, then "other" */
    uint64_t latency[SCOREBOARD_HIST + 1];      /* per bucket (not cumulative), then +Inf */
    uint64_t latency_sum_us;
};

extern const int scoreboard_statuses[SCOREBOARD_STATUSES];
extern const double scoreboard_buckets_ms[SCOREBOARD_HIST];

/* Maps shared anonymous memory, zeroed, with the start time stamped. NULL on
 * failure. Call before fork; the caller owns it (scoreboard_destroy). */
struct scoreboard *scoreboard_create(void);
/* Unmaps it; NULL is ignored. */
void scoreboard_destroy(struct scoreboard *sb);

uint64_t scoreboard_now_ms(void);

/* When the scoreboard was created, Unix time; 0 for NULL. */
uint64_t scoreboard_started(const struct scoreboard *sb);

/* The pool's config generation, bumped by each reload. Setting it on NULL does
 * nothing; reading NULL gives 0. */
void scoreboard_set_generation(struct scoreboard *sb, uint32_t generation);
uint32_t scoreboard_generation(const struct scoreboard *sb);

/* Claims a free slot for pid (-1 before fork; scoreboard_slot_set_pid after),
 * resetting its counters and stop flag. Returns its index, or -1 when full or
 * sb is NULL. Master only. */
int scoreboard_claim(struct scoreboard *sb, int pid, uint32_t generation);
/* Frees a slot (its state becomes FREE). An out-of-range slot or NULL sb is
 * ignored. Master only. */
void scoreboard_release(struct scoreboard *sb, int slot);

/* Records the pid of a claimed slot once fork has returned. Master only;
 * an out-of-range slot or NULL sb is ignored. */
void scoreboard_slot_set_pid(struct scoreboard *sb, int slot, int pid);

/* Sets the state of a worker's own slot and stamps the time. An out-of-range
 * slot or NULL sb is ignored. */
void scoreboard_set_state(struct scoreboard *sb, int slot, enum worker_state st);

/* Asks the slot's worker to leave after its current request (the master sets
 * this with every SIGTERM). An out-of-range slot or NULL sb is ignored. */
/* Marks worker slot as running an expensive request for client key (a hash
 * of its address; 0 clears). A slot freed or reclaimed starts cleared, so
 * a killed worker leaves no mark behind. */
void scoreboard_slot_set_expensive(struct scoreboard *sb, int slot, uint32_t key);

/* How many live workers run an expensive request for key. 0 for key 0. */
unsigned scoreboard_expensive_count(const struct scoreboard *sb, uint32_t key);

void scoreboard_slot_stop(struct scoreboard *sb, int slot);
/* 1 when the master asked the slot's worker to stop; 0 otherwise, and for an
 * out-of-range slot or NULL sb. */
int scoreboard_slot_should_stop(const struct scoreboard *sb, int slot);

/* Counts one request handled by the slot's worker. An out-of-range slot or
 * NULL sb is ignored. */
void scoreboard_slot_count_request(struct scoreboard *sb, int slot);

/* Copies slot into *out. Returns 0, or -1 (out untouched) for an out-of-range
 * slot or NULL sb. */
int scoreboard_slot_read(const struct scoreboard *sb, int slot, struct scoreboard_slot_view *out);

/* 1 + the highest slot ever claimed: slots from there on were never used.
 * 0 for NULL. */
int scoreboard_slots_used(const struct scoreboard *sb);

/* Counts one finished request. route may be -1 (unmatched). NULL sb is
 * ignored. */
void scoreboard_count(struct scoreboard *sb, int route, int status, uint64_t us, uint64_t db_us);

/* Adds one to a pool-wide counter. NULL sb or an unknown counter is ignored. */
void scoreboard_count_event(struct scoreboard *sb, enum scoreboard_counter which);
/* A counter's value; 0 for NULL sb or an unknown counter. */
uint64_t scoreboard_counter(const struct scoreboard *sb, enum scoreboard_counter which);

/* Copies the counters of route (0 .. SCOREBOARD_ROUTES - 1) into *out.
 * Returns 0, or -1 (out untouched) for an out-of-range route or NULL sb. */
int scoreboard_route_read(const struct scoreboard *sb, int route,
                          struct scoreboard_route_counts *out);

/* 1 when no worker of the pool is idle (for max_children_reached). NULL sb
 * counts as none idle. */
int scoreboard_none_idle(const struct scoreboard *sb);

/* Counts workers per state (array of WORKER__MAX); all zero for NULL sb. */
void scoreboard_states(const struct scoreboard *sb, unsigned counts[WORKER__MAX]);

/* Index of status in scoreboard_statuses, or SCOREBOARD_STATUSES ("other"). */
int scoreboard_status_index(int status);

#endif
