/* libFuzzer target: the router over a small static table with {id}
 * parameters. Input: one method byte, then the path. A 200 names a route of
 * the wanted method whose pattern, with the parameters put back, is the
 * path; a 405 carries an Allow mask without that method; a 404 none. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum http_status handler(struct app *app, struct request *req, struct response *res)
{
    (void)app;
    (void)req;
    (void)res;
    return HTTP_OK;
}

#define R(m, p)                                                                                    \
    {                                                                                              \
        m, p, handler, ROLE_ANON, 0, RATE_NONE, BODY_NONE                                          \
    }

static const struct route table[] = {
    R(METHOD_GET, "/"),
    R(METHOD_GET, "/healthz"),
    R(METHOD_GET, "/api/v1/recipes"),
    R(METHOD_POST, "/api/v1/recipes"),
    R(METHOD_GET, "/api/v1/recipes/{id}"),
    R(METHOD_PUT, "/api/v1/recipes/{id}"),
    R(METHOD_PATCH, "/api/v1/recipes/{id}"),
    R(METHOD_DELETE, "/api/v1/recipes/{id}"),
    R(METHOD_GET, "/api/v1/recipes/{id}/comments"),
    R(METHOD_POST, "/api/v1/recipes/{id}/comments"),
    R(METHOD_DELETE, "/api/v1/recipes/{id}/comments/{cid}"),
    R(METHOD_GET, "/api/v1/users/{name}"),
    R(METHOD_OPTIONS, "/api/v1/cors"),
    R(METHOD_GET, "/{a}/{b}/{c}/{d}"),
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

/* Puts the parameters back into the pattern; 1 when that gives path. */
static int rebuild_equals(const char *pattern, const char *const *params, unsigned np,
                          const char *path)
{
    char buf[8192];
    size_t o = 0;
    unsigned k = 0;
    for (const char *p = pattern; *p != '\0';) {
        if (*p == '{') {
            if (k >= np)
                return 0;
            size_t l = strlen(params[k]);
            if (o + l >= sizeof(buf))
                return 0;
            memcpy(buf + o, params[k++], l);
            o += l;
            p = strchr(p, '}') + 1;
        } else {
            if (o + 1 >= sizeof(buf))
                return 0;
            buf[o++] = *p++;
        }
    }
    buf[o] = '\0';
    return k == np && strcmp(buf, path) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int checked;
    if (!checked) {
        char err[256];
        if (router_check(table, NTABLE, err, sizeof(err)) != 0)
            abort();
        checked = 1;
    }
    if (size < 1 || size > 4096)
        return 0;
    enum http_method m = (enum http_method)(data[0] % METHOD__MAX);
    char *path = malloc(size);
    if (path == NULL)
        return 0;
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';

    struct arena a;
    arena_init(&a, 1 << 20);
    struct router_match rm;
    int rc = router_match(table, NTABLE, m, path, &a, &rm);
    enum http_method want = m == METHOD_HEAD ? METHOD_GET : m;
    if (rc == 200) {
        if (rm.index < 0 || (size_t)rm.index >= NTABLE || table[rm.index].method != want ||
            rm.nparams > REQUEST_MAX_PARAMS || !(rm.allow & (1u << want)) ||
            !(rm.allow & (1u << METHOD_OPTIONS)))
            abort();
        for (unsigned i = 0; i < rm.nparams; i++)
            if (rm.params[i] == NULL || rm.params[i][0] == '\0' ||
                strchr(rm.params[i], '/') != NULL)
                abort();
        if (!rebuild_equals(table[rm.index].pattern, rm.params, rm.nparams, path))
            abort();
        /* no earlier route of that method matches the path */
        for (int i = 0; i < rm.index; i++) {
            struct router_match one;
            if (table[i].method == want && router_match(&table[i], 1, want, path, &a, &one) == 200)
                abort();
        }
    } else if (rc == 405) {
        /* OPTIONS is always in the mask: the dispatcher answers it itself */
        if (rm.index != -1 || rm.nparams != 0 || !(rm.allow & (1u << METHOD_OPTIONS)) ||
            (want != METHOD_OPTIONS && (rm.allow & (1u << want))))
            abort();
        if (m == METHOD_HEAD && (rm.allow & (1u << METHOD_HEAD)))
            abort();
    } else if (rc == 404) {
        if (rm.index != -1 || rm.allow != 0)
            abort();
    } else {
        abort();
    }
    char allow[128];
    size_t n = router_allow_header(rm.allow, allow, sizeof(allow));
    if (n != strlen(allow) || (rm.allow != 0 && n == 0))
        abort();

    /* the same path after normalisation must also route without trouble */
    const char *norm = NULL;
    if (request_path_normalize(&a, path, strlen(path), &norm) == 0) {
        rc = router_match(table, NTABLE, m, norm, &a, &rm);
        if (rc != 200 && rc != 404 && rc != 405)
            abort();
    }
    arena_free(&a);
    free(path);
    return 0;
}
