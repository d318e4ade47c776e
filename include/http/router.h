/* The router: matches a method and a normalised path against one route
 * table. Patterns are literal segments and {name} parameters. Pure. */
#ifndef RB_HTTP_ROUTER_H
#define RB_HTTP_ROUTER_H

#include <stddef.h>

#include "base/ratelimit.h"
#include "http/request.h"
#include "http/status.h"
#include "lib/role.h"

struct app;
struct response;

enum body_kind {
    BODY_NONE = 0,
    BODY_JSON,
    BODY_MERGE_PATCH, /* application/merge-patch+json (RFC 7396) or application/json */
    BODY_RAW,
    BODY_PAGE /* import: JSON, text/html or application/ld+json up to [import] page_limit; the
                 handler checks the type */
};
enum route_flag {
    ROUTE_CSRF = 1 << 0,       /* cookie-authenticated calls need X-CSRF-Token */
    ROUTE_RESTRICTED = 1 << 1, /* only for addresses in metrics_allow */
    ROUTE_TEST = 1 << 2,       /* only when [server] test_routes = true */
    ROUTE_ROOT = 1 << 3,       /* outside /api/v1: no JSON content negotiation */
    ROUTE_SESSION = 1 << 4,    /* refused (403) to personal access tokens: a login session only */
    ROUTE_POSTS = 1 << 5,      /* publishes content: refused to an unconfirmed address when
                                  [auth] require_verified_email */
    ROUTE_SECRET_PATH = 1 << 6 /* the path holds a credential (a calendar feed's token): the
                                  request log shows the route's pattern instead */
};

/* A handler returns the status of its answer (never 0 or -1; see
 * http/status.h). When it returns >= HTTP_BAD_REQUEST without having set a
 * body, the dispatcher renders problem+json for that status. */
typedef enum http_status (*route_handler)(struct app *app, struct request *req,
                                          struct response *res);

struct route {
    enum http_method method;
    const char *pattern; /* "/api/v1/recipes/{id}" */
    route_handler handler;
    enum role min_role;
    unsigned flags; /* enum route_flag */
    enum rate_class rate;
    enum body_kind body;
};

#define ROUTER_MAX_ROUTES 192

struct router_match {
    int index;      /* into the table, -1 when none */
    unsigned allow; /* bit (1 << method) of every method the path has */
    const char *params[REQUEST_MAX_PARAMS];
    unsigned nparams;
    long long id; /* the {id} parameter, > 0 when the pattern has one */
};

/* Finds the route for (m, path). HEAD matches GET routes. Returns 200 with
 * m->index set, 404 when no pattern matches the path (an {id} segment
 * matches only a canonical id: 1..18 digits, no sign or leading zero), or 405 when patterns
 * match but not for this method (m->allow lists the methods). Parameter
 * values are copied into a. Pure; table must not be NULL. */
int router_match(const struct route *table, size_t n, enum http_method m, const char *path,
                 struct arena *a, struct router_match *out);

/* Writes "GET, HEAD, OPTIONS"-style text for an allow mask into buf. */
size_t router_allow_header(unsigned allow, char *buf, size_t size);

/* Checks a table at start-up: valid patterns, no duplicate (method,
 * pattern), at most ROUTER_MAX_ROUTES. 0, or -1 with err. */
int router_check(const struct route *table, size_t n, char *err, size_t errlen);

#endif
