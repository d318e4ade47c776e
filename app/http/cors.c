/* CORS headers for the origins in [security] allowed_origins. Called once
 * per answer from server.c, after the answer is final, so errors written by
 * any stage carry them too: without them a browser hides the error. */
#include "http/cors.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/config.h"
#include "http/request.h"
#include "http/response.h"

int cors_origin_allowed(const char *list, const char *origin)
{
    if (list == NULL || origin == NULL || *origin == '\0' || strcmp(origin, "null") == 0 ||
        strcmp(origin, "*") == 0)
        return 0;
    size_t n = strlen(origin);
    for (const char *p = list; *p != '\0';) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if (len == n && strncmp(p, origin, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

int cors_is_preflight(const struct request *req)
{
    return req->method == METHOD_OPTIONS && request_header(req, "origin") != NULL &&
           request_header(req, "access-control-request-method") != NULL;
}

/* 1 when the comma list holds token (case-insensitive), as Vary's does. */
static int list_has(const char *list, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = list; *p != '\0';) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if ((len == n && strncasecmp(p, token, n) == 0) || (len == 1 && *p == '*'))
            return 1;
        p += len;
    }
    return 0;
}

/* Appends token to Vary (keeping what a handler set, such as Cookie). */
static int vary_add(struct response *res, const char *token)
{
    const char *vary = response_header_get(res, "Vary");
    if (vary == NULL)
        return response_header(res, "Vary", token, 1);
    if (list_has(vary, token))
        return 0;
    char buf[256];
    int k = snprintf(buf, sizeof(buf), "%s, %s", vary, token);
    if (k < 0 || (size_t)k >= sizeof(buf))
        return -1;
    return response_header(res, "Vary", buf, 1);
}

/* The preflight's own fields; allow is the router's Allow text. */
static int preflight_headers(const struct config *cfg, const char *allow, struct response *res)
{
    char age[16];
    snprintf(age, sizeof(age), "%u", cfg->cors_max_age);
    if (response_header(res, "Access-Control-Allow-Methods", allow, 1) != 0 ||
        response_header(res, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS, 1) != 0 ||
        response_header(res, "Access-Control-Max-Age", age, 1) != 0)
        return -1;
    return 0;
}

int cors_headers(const struct config *cfg, const struct request *req, struct response *res)
{
    if (cfg->allowed_origins[0] == '\0')
        return 0;
    /* the answer depends on Origin from here on, with or without one: a
     * shared cache must not give one origin's copy to another */
    if (vary_add(res, "Origin") != 0)
        return -1;
    const char *origin = request_header(req, "origin");
    if (!cors_origin_allowed(cfg->allowed_origins, origin))
        return 0;
    if (response_header(res, "Access-Control-Allow-Origin", origin, 1) != 0 ||
        response_header(res, "Access-Control-Allow-Credentials", "true", 1) != 0)
        return -1;
    const char *allow = response_header_get(res, "Allow");
    if (cors_is_preflight(req) && res->status == 204 && allow != NULL)
        return preflight_headers(cfg, allow, res);
    return response_header(res, "Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS, 1);
}
