/* Unit tests for the rate-limit guard's keys (http/limits.c): a request
 * made with a personal access token counts in a bucket of that token, apart
 * from the same user's other tokens and sessions, and says so in
 * RateLimit-Policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/ratelimit.h"
#include "http/limits.h"
#include "http/request.h"
#include "http/response.h"
#include "unit.h"

/* One read by (user, token) at now; the status, and the policy header in
 * policy (when not NULL). */
static int read_as(struct ratelimit *rl, const struct config *cfg, long long user, long long token,
                   char *policy, size_t len)
{
    struct arena a;
    arena_init(&a, 1 << 16);
    struct response res;
    struct request req;
    memset(&req, 0, sizeof(req));
    req.user_id = user;
    req.token_id = token;
    req.remote_addr = "192.0.2.7";
    int st = response_init(&res, &a) == 0
                 ? limits_check(rl, cfg, RATE_READ, &req, &res, 1000000000ULL)
                 : -1;
    const char *p = response_header_get(&res, "RateLimit-Policy");
    if (policy != NULL)
        snprintf(policy, len, "%s", p != NULL ? p : "");
    arena_free(&a);
    return st;
}

static void test_token_has_its_own_bucket(void)
{
    struct ratelimit *rl = ratelimit_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(rl);
    struct config *cfg = calloc(1, sizeof(*cfg));
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    cfg->rate_account[RATE_READ] = (struct ratelimit_rule){2, 60000};
    char policy[160];
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 70, policy, sizeof(policy)), 0);
    UNIT_ASSERT_HAS(policy, "\"read-token\";q=2");
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 70, NULL, 0), 0);
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 70, NULL, 0), 429);             /* token 70 spent */
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 71, NULL, 0), 0);               /* the user's other token */
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 0, policy, sizeof(policy)), 0); /* the session */
    UNIT_ASSERT_HAS(policy, "\"read-account\"");
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 0, NULL, 0), 0);
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 0, NULL, 0), 429);
    CU_ASSERT_EQUAL(read_as(rl, cfg, 5, 71, NULL, 0), 0); /* still apart from the session */
    free(cfg);
    ratelimit_destroy(rl);
}

int unit_limits_register(void)
{
    CU_pSuite s = CU_add_suite("limits", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "a token has its own bucket", test_token_has_its_own_bucket))
        return -1;
    return 0;
}
