/* The rate-limit guard: applies the route's rate class to the request, per
 * account (or per client address when anonymous) and per client address,
 * through the shared GCRA buckets (base/ratelimit), and answers 429 with
 * Retry-After and the IETF RateLimit-Policy / RateLimit headers. */
#ifndef RB_HTTP_LIMITS_H
#define RB_HTTP_LIMITS_H

#include <stdint.h>

#include "base/ratelimit.h"

struct config;
struct request;
struct response;

/* Counts req against class c's rules in cfg ([ratelimit]: per account, or
 * per personal access token for a bearer request (req->token_id), or per
 * address when anonymous; and per address). Returns 0 when allowed
 * (RateLimit headers set on res when a rule applies), or 429 with
 * Retry-After and the headers set (the caller renders the problem). rl
 * NULL: nothing is limited. */
int limits_check(struct ratelimit *rl, const struct config *cfg, enum rate_class c,
                 const struct request *req, struct response *res, uint64_t now_us);

#endif
