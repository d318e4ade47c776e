/* GCRA buckets in shared memory (see include/base/ratelimit.h). A bucket is
 * one word: a 24-bit tag of the key's hash and a 40-bit theoretical arrival
 * time in microseconds since the map was made (it wraps every 12.7 days: an
 * arrival time more than a period ahead cannot be one GCRA stored, so it is
 * taken for an empty bucket). Keys are hashed with a random seed, so
 * a client cannot aim its keys at another client's buckets. When every
 * probed bucket is taken, the one that is emptiest is reused: a full bucket
 * (arrival time in the past) holds nothing, so reusing it loses nothing. */
#include "base/ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#define TAT_BITS 40
#define TAT_MASK ((UINT64_C(1) << TAT_BITS) - 1)
#define CAS_TRIES 8

struct ratelimit {
    uint64_t seed;
    uint64_t base_us; /* CLOCK_MONOTONIC µs at creation, minus one */
    uint64_t slots[RATELIMIT_SLOTS];
};

uint64_t ratelimit_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct ratelimit *ratelimit_create(void)
{
    struct ratelimit *rl =
        mmap(NULL, sizeof(*rl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rl == MAP_FAILED)
        return NULL;
    if (getrandom(&rl->seed, sizeof(rl->seed), 0) != (ssize_t)sizeof(rl->seed))
        rl->seed = ratelimit_now_us() * UINT64_C(0x9E3779B97F4A7C15);
    rl->base_us = ratelimit_now_us() - 1;
    return rl;
}

void ratelimit_destroy(struct ratelimit *rl)
{
    if (rl != NULL)
        munmap(rl, sizeof(*rl));
}

/* FNV-1a over the key, seeded, then a splitmix64 finaliser to spread it. */
static uint64_t key_hash(uint64_t seed, const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    h ^= h >> 30;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    h ^= h >> 27;
    h *= UINT64_C(0x94d049bb133111eb);
    return h ^ (h >> 31);
}

static uint64_t word_tag(uint64_t w)
{
    return w >> TAT_BITS;
}

static uint64_t word_tat(uint64_t w)
{
    return w & TAT_MASK;
}

/* The bucket for tag among the probed ones: its own, else an empty one,
 * else the one with the earliest arrival time. */
static uint64_t *find_slot(struct ratelimit *rl, uint64_t h, uint64_t tag)
{
    uint64_t *victim = NULL, victim_tat = UINT64_MAX;
    for (unsigned i = 0; i < RATELIMIT_PROBE; i++) {
        uint64_t *slot = &rl->slots[(h + i) % RATELIMIT_SLOTS];
        uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (w != 0 && word_tag(w) == tag)
            return slot;
        uint64_t tat = w == 0 ? 0 : word_tat(w);
        if (tat < victim_tat) {
            victim = slot;
            victim_tat = tat;
        }
    }
    return victim;
}

static uint64_t ms_up(uint64_t us)
{
    return (us + 999) / 1000;
}

/* One GCRA step from the stored word w, in microseconds. Fills out;
 * returns the new word, or w itself when refused (nothing is counted). */
static uint64_t gcra(uint64_t w, uint64_t tag, const struct ratelimit_rule *rule, uint64_t now,
                     struct ratelimit_result *out)
{
    uint64_t period = rule->period_ms > 0 ? rule->period_ms * 1000 : 1;
    uint64_t step = period / rule->count > 0 ? period / rule->count : 1;
    uint64_t tat = (w != 0 && word_tag(w) == tag) ? word_tat(w) : 0;
    if (tat > now + period) /* the clock wrapped: the bucket is stale */
        tat = 0;
    if (tat < now)
        tat = now;
    uint64_t next = tat + step;
    if (next - now > period) {
        out->allowed = 0;
        out->remaining = 0;
        out->retry_ms = ms_up(next - now - period);
        out->reset_ms = ms_up(tat - now);
        return w;
    }
    out->allowed = 1;
    out->remaining = (unsigned)((period - (next - now)) / step);
    out->retry_ms = 0;
    out->reset_ms = ms_up(next - now);
    return (tag << TAT_BITS) | (next & TAT_MASK);
}

void ratelimit_take(struct ratelimit *rl, const struct ratelimit_rule *rule, const void *key,
                    size_t keylen, uint64_t now_us, struct ratelimit_result *out)
{
    memset(out, 0, sizeof(*out));
    out->allowed = 1;
    if (rl == NULL || rule->count == 0)
        return;
    uint64_t h = key_hash(rl->seed, key, keylen);
    uint64_t tag = (h >> TAT_BITS) | 1; /* never 0: a zero word is an empty bucket */
    uint64_t now = now_us > rl->base_us ? (now_us - rl->base_us) & TAT_MASK : 1;
    for (int attempt = 0; attempt < CAS_TRIES; attempt++) {
        uint64_t *slot = find_slot(rl, h, tag);
        uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        uint64_t next = gcra(w, tag, rule, now, out);
        if (next == w)
            return; /* refused: nothing to store */
        if (__atomic_compare_exchange_n(slot, &w, next, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return;
    }
    /* lost every race: another worker is counting the same key right now;
     * let this one through rather than wait */
}

int ratelimit_rule_parse(const char *text, struct ratelimit_rule *out)
{
    out->count = 0;
    out->period_ms = 0;
    if (strcmp(text, "0") == 0 || strcmp(text, "off") == 0)
        return 0;
    char *end = NULL;
    unsigned long n = strtoul(text, &end, 10);
    if (end == text || *end != '/' || n == 0 || n > 1000000 || text[0] == '-')
        return -1;
    const char *p = end + 1;
    unsigned long mult = 1;
    if (*p >= '0' && *p <= '9') {
        mult = strtoul(p, &end, 10);
        if (mult == 0 || mult > 1000)
            return -1;
        p = end;
    }
    uint64_t unit;
    switch (*p) {
    case 's':
        unit = 1000;
        break;
    case 'm':
        unit = 60000;
        break;
    case 'h':
        unit = 3600000;
        break;
    case 'd':
        unit = 86400000;
        break;
    default:
        return -1;
    }
    if (p[1] != '\0')
        return -1;
    out->count = (unsigned)n;
    out->period_ms = unit * mult;
    return 0;
}
