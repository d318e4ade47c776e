/* libFuzzer target: the router over the real route table. A match returns
 * a valid index whose method fits; 405 always comes with an Allow mask. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes.h"
#include "core/arena.h"
#include "core/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
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
    int rc = router_match(routes_table, routes_count, m, path, &a, &rm);
    if (rc == 200) {
        if (rm.index < 0 || (size_t)rm.index >= routes_count)
            abort();
        enum http_method want = m == METHOD_HEAD ? METHOD_GET : m;
        if (routes_table[rm.index].method != want || rm.nparams > REQUEST_MAX_PARAMS)
            abort();
        for (unsigned i = 0; i < rm.nparams; i++)
            if (rm.params[i][0] == '\0' || strchr(rm.params[i], '/') != NULL)
                abort();
    } else if (rc == 405) {
        if (rm.allow == 0 || rm.index != -1)
            abort();
    } else if (rc != 404) {
        abort();
    }
    arena_free(&a);
    free(path);
    return 0;
}
