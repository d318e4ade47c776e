/* The rate-limit guard: applies the route's rate class to the request, per
 * account (or per client address when anonymous) and per client address,
 * through the shared GCRA buckets (base/ratelimit), and answers 429 with
 * Retry-After and the IETF RateLimit-Policy / RateLimit headers. */
#ifndef RB_HTTP_LIMITS_H
#define RB_HTTP_LIMITS_H

#include <stdint.h>

#include "base/ratelimit.h"
#include "http/router.h"

struct request;
struct response;

/* The rules of every class: per account (anonymous: per address) and per
 * address whoever asks. A count of 0 is no limit. */
struct limits {
    struct ratelimit_rule account[RATE__MAX];
    struct ratelimit_rule address[RATE__MAX];
};

/* The class's config name ("write"); NULL for RATE_NONE or out of range. */
const char *limits_class_name(enum rate_class c);

/* Counts req against its class. Returns 0 when allowed (RateLimit headers
 * set on res when a rule applies), or 429 with Retry-After and the headers
 * set (the caller renders the problem). rl NULL: nothing is limited. */
int limits_check(struct ratelimit *rl, const struct limits *l, enum rate_class c,
                 const struct request *req, struct response *res, uint64_t now_ms);

#endif
