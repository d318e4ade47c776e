/* The router: a linear scan over one table of segment patterns. The table is
 * small and scanned in order, so the first match wins; router_check refuses
 * duplicates at start-up. Pure. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* An {id} segment is a resource id in its one canonical form: 1..18
 * digits, no sign, no leading zero. Anything else does not match the route
 * (404), the same on every route. */
static int id_segment(const char *s, size_t n)
{
    if (n == 0 || n > 18 || s[0] < '1' || s[0] > '9')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* 0 when path cannot match pat: they differ before pat's first {param}.
 * Most of the table is refused here, a few bytes in, which costs far
 * less than walking every pattern segment by segment. */
static int prefix_may_match(const char *p, const char *s)
{
    while (*p != '\0' && *p != '{' && *p == *s) {
        p++;
        s++;
    }
    return *p == '{' || (*p == '\0' && *s == '\0');
}

/* Matches one pattern against path. Returns 1 on a match and fills params. */
static int pattern_match(const char *pat, const char *path, struct arena *a, const char **params,
                         unsigned *nparams)
{
    unsigned np = 0;
    const char *p = pat, *s = path;
    if (!prefix_may_match(pat, path))
        return 0;
    while (*p != '\0' && *s != '\0') {
        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || np == REQUEST_MAX_PARAMS)
                return 0;
            if (plen == 4 && memcmp(p, "{id}", 4) == 0 && !id_segment(s, slen))
                return 0;
            if (a != NULL) {
                params[np] = arena_strndup(a, s, slen);
                if (params[np] == NULL)
                    return 0;
            }
            np++;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return 0;
        }
        p += plen;
        s += slen;
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    *nparams = np;
    return 1;
}

/* The value of the pattern's {id} parameter (already checked), else 0. */
static long long id_param(const char *pat, const char *const *params, unsigned np)
{
    unsigned k = 0;
    for (const char *p = strchr(pat, '{'); p != NULL && k < np; p = strchr(p + 1, '{'), k++)
        if (strncmp(p, "{id}", 4) == 0)
            return params[k] != NULL ? strtoll(params[k], NULL, 10) : 0;
    return 0;
}

int router_match(const struct route *table, size_t n, enum http_method m, const char *path,
                 struct arena *a, struct router_match *out)
{
    memset(out, 0, sizeof(*out));
    out->index = -1;
    enum http_method want = m == METHOD_HEAD ? METHOD_GET : m;
    int path_known = 0;
    for (size_t i = 0; i < n; i++) {
        const char *params[REQUEST_MAX_PARAMS];
        unsigned np = 0;
        int same_method = table[i].method == want;
        if (!pattern_match(table[i].pattern, path, same_method ? a : NULL, params, &np))
            continue;
        path_known = 1;
        out->allow |= 1u << table[i].method;
        if (table[i].method == METHOD_GET)
            out->allow |= 1u << METHOD_HEAD;
        if (same_method && out->index < 0) {
            out->index = (int)i;
            memcpy(out->params, params, sizeof(params[0]) * np);
            out->nparams = np;
            out->id = id_param(table[i].pattern, params, np);
        }
    }
    if (!path_known)
        return 404;
    out->allow |= 1u << METHOD_OPTIONS;
    return out->index >= 0 ? 200 : 405;
}

size_t router_allow_header(unsigned allow, char *buf, size_t size)
{
    size_t off = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    for (int m = 0; m < METHOD_OTHER; m++) {
        if (!(allow & (1u << m)))
            continue;
        const char *name = request_method_name((enum http_method)m);
        size_t need = (off ? 2 : 0) + strlen(name);
        if (need >= size - off)
            break; /* whole names only: never half a method in the header */
        int k = snprintf(buf + off, size - off, "%s%s", off ? ", " : "", name);
        off += (size_t)k;
    }
    return off;
}

/* A pattern: "/" or "/seg/seg...", segments literal or {name} with name in
 * [a-z_], at most REQUEST_MAX_PARAMS parameters, no empty segment. */
static int pattern_valid(const char *p)
{
    if (p == NULL || p[0] != '/')
        return 0;
    if (p[1] == '\0')
        return 1;
    unsigned params = 0;
    for (const char *s = p; *s != '\0';) {
        if (*s != '/')
            return 0;
        s++;
        size_t len = strcspn(s, "/");
        if (len == 0)
            return 0; /* "//" or a trailing "/" */
        if (s[0] == '{') {
            if (len < 3 || s[len - 1] != '}' || ++params > REQUEST_MAX_PARAMS)
                return 0;
            for (size_t i = 1; i + 1 < len; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
                    return 0;
        } else if (memchr(s, '{', len) != NULL || memchr(s, '}', len) != NULL) {
            return 0;
        }
        s += len;
    }
    return 1;
}

int router_check(const struct route *table, size_t n, char *err, size_t errlen)
{
    if (n > ROUTER_MAX_ROUTES) {
        snprintf(err, errlen, "%zu routes, more than %d", n, ROUTER_MAX_ROUTES);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!pattern_valid(table[i].pattern) || table[i].handler == NULL ||
            table[i].method >= METHOD_OTHER || table[i].method == METHOD_HEAD) {
            snprintf(err, errlen, "route %zu (%s): invalid", i,
                     table[i].pattern ? table[i].pattern : "NULL");
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (table[j].method == table[i].method &&
                strcmp(table[j].pattern, table[i].pattern) == 0) {
                snprintf(err, errlen, "route %zu duplicates %s %s", i,
                         request_method_name(table[i].method), table[i].pattern);
                return -1;
            }
        }
    }
    return 0;
}
