/* The rate limiter: GCRA (the generic cell rate algorithm, a token bucket
 * kept as one "theoretical arrival time" per key) in shared memory mapped by
 * the master before fork, so every worker of a host counts against the same
 * buckets. Each bucket is one 64-bit word updated with compare-and-swap: no
 * lock, so a worker killed at any instant cannot wedge the others. */
#ifndef RB_BASE_RATELIMIT_H
#define RB_BASE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_SLOTS 16384 /* buckets; a key probes RATELIMIT_PROBE of them */
#define RATELIMIT_PROBE 8

struct ratelimit;

/* Rate classes: each has an account rule and an address rule in the
 * [ratelimit] config section, named after the class; the route table gives
 * each route one (http/limits.c applies it). */
enum rate_class {
    RATE_NONE = 0,
    RATE_READ,     /* reads of one resource or a plain list */
    RATE_WRITE,    /* other state changes */
    RATE_AUTH,     /* password checks: login, password change, account deletion */
    RATE_REGISTER, /* new accounts */
    RATE_RECIPE,   /* recipes created or replaced */
    RATE_COMMENT,  /* comments posted */
    RATE_RATING,   /* ratings and favorites */
    RATE_UPLOAD,   /* image uploads */
    RATE_SEARCH,   /* the recipe list with its search filters */
    RATE_IMPORT,   /* recipe imports: each may make the server fetch pages */
    RATE__MAX
};

/* A limit: at most count requests per period_ms, all of them at once if they
 * come together (burst = count), then one every period_ms / count (counted
 * in microseconds: up to a million a second). count 0 means no limit. */
struct ratelimit_rule {
    unsigned count;
    uint64_t period_ms;
};

/* What a check decided, for the RateLimit headers and Retry-After. */
struct ratelimit_result {
    int allowed;
    unsigned remaining; /* requests left at once after this one */
    uint64_t reset_ms;  /* until the bucket is full again */
    uint64_t retry_ms;  /* when refused: until one request is allowed */
};

/* Maps the buckets (shared, anonymous). NULL on failure. Call before fork. */
struct ratelimit *ratelimit_create(void);
void ratelimit_destroy(struct ratelimit *rl);

/* CLOCK_MONOTONIC in microseconds: the clock ratelimit_take counts in. */
uint64_t ratelimit_now_us(void);

/* Counts one request of key (any bytes, hashed) against rule at now_us and
 * says whether it is allowed. A refused request is not counted. rl NULL or
 * rule.count 0: always allowed. */
void ratelimit_take(struct ratelimit *rl, const struct ratelimit_rule *rule, const void *key,
                    size_t keylen, uint64_t now_us, struct ratelimit_result *out);

/* Parses "N/PERIOD" (PERIOD: s, m, h or d, optionally with a number:
 * "10/15m"), or "0"/"off" for no limit. 0, or -1 when malformed. */
int ratelimit_rule_parse(const char *text, struct ratelimit_rule *out);

#endif
