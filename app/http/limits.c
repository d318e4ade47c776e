/* The rate-limit guard (see include/http/limits.h). Two buckets per
 * request at most: the account's (or, anonymous, the address's) and the
 * address's. The headers describe the tighter of the two. */
#include "http/limits.h"

#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "http/request.h"
#include "http/response.h"

static const char *const class_names[RATE__MAX] = {
    [RATE_NONE] = NULL,         [RATE_READ] = "read",         [RATE_WRITE] = "write",
    [RATE_AUTH] = "auth",       [RATE_REGISTER] = "register", [RATE_RECIPE] = "recipe",
    [RATE_COMMENT] = "comment", [RATE_RATING] = "rating",     [RATE_UPLOAD] = "upload",
    [RATE_SEARCH] = "search",   [RATE_IMPORT] = "import",
};

static const char *limits_class_name(enum rate_class c)
{
    return (unsigned)c < RATE__MAX ? class_names[c] : NULL;
}

struct verdict {
    const struct ratelimit_rule *rule;
    struct ratelimit_result res;
    const char *scope; /* "account", "token", "anonymous" or "address" */
};

static void take(struct ratelimit *rl, const struct ratelimit_rule *rule, enum rate_class c,
                 const char *scope, const char *who, uint64_t now_us, struct verdict *v)
{
    char key[160];
    int n = snprintf(key, sizeof(key), "%d:%s:%s", (int)c, scope, who);
    v->rule = rule;
    v->scope = scope;
    ratelimit_take(rl, rule, key, n > 0 ? (size_t)n : 0, now_us, &v->res);
}

/* The IETF httpapi RateLimit fields: the policy (quota q per window w
 * seconds) and what is left (r) and when it is whole again (t seconds). */
static void headers(struct response *res, const char *cls, const struct verdict *v)
{
    char buf[160];
    snprintf(buf, sizeof(buf), "\"%s-%s\";q=%u;w=%llu", cls, v->scope, v->rule->count,
             (unsigned long long)(v->rule->period_ms / 1000));
    response_header(res, "RateLimit-Policy", buf, 1);
    snprintf(buf, sizeof(buf), "\"%s-%s\";r=%u;t=%llu", cls, v->scope, v->res.remaining,
             (unsigned long long)((v->res.reset_ms + 999) / 1000));
    response_header(res, "RateLimit", buf, 1);
}

int limits_check(struct ratelimit *rl, const struct config *cfg, enum rate_class c,
                 const struct request *req, struct response *res, uint64_t now_us)
{
    const struct ratelimit_rule *account = cfg->rate_account, *address = cfg->rate_address;
    const char *cls = limits_class_name(c);
    if (rl == NULL || cls == NULL)
        return 0;
    struct verdict v[2];
    int n = 0;
    char id[32];
    if (req->token_id > 0 && account[c].count > 0) {
        /* a token gets the account's rules as its own: one leaked or busy
         * token does not spend its user's other clients' budget */
        snprintf(id, sizeof(id), "%lld", req->token_id);
        take(rl, &account[c], c, "token", id, now_us, &v[n++]);
    } else if (req->user_id > 0 && account[c].count > 0) {
        snprintf(id, sizeof(id), "%lld", req->user_id);
        take(rl, &account[c], c, "account", id, now_us, &v[n++]);
    } else if (req->user_id == 0 && account[c].count > 0) {
        /* anonymous: the account rule applies to the address */
        take(rl, &account[c], c, "anonymous", req->remote_addr, now_us, &v[n++]);
    }
    if (address[c].count > 0 && (n == 0 || v[0].res.allowed))
        take(rl, &address[c], c, "address", req->remote_addr, now_us, &v[n++]);
    if (n == 0)
        return 0;
    /* the refused one, else the one with the fewest requests left */
    const struct verdict *worst = &v[0];
    for (int i = 1; i < n; i++)
        if (!v[i].res.allowed || (worst->res.allowed && v[i].res.remaining < worst->res.remaining))
            worst = &v[i];
    headers(res, cls, worst);
    if (worst->res.allowed)
        return 0;
    char ra[32];
    snprintf(ra, sizeof(ra), "%llu", (unsigned long long)((worst->res.retry_ms + 999) / 1000));
    response_header(res, "Retry-After", ra, 1);
    return 429;
}
