/* libFuzzer target: Cookie header parsing. Names are tokens; at most
 * REQUEST_MAX_COOKIES pairs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = malloc(size + 1);
    if (h == NULL)
        return 0;
    memcpy(h, data, size);
    h[size] = '\0';
    struct arena a;
    arena_init(&a, 1 << 22);
    struct kv *c;
    size_t n;
    if (request_parse_cookies(&a, h, &c, &n) == 0) {
        if (n > REQUEST_MAX_COOKIES)
            abort();
        for (size_t i = 0; i < n; i++)
            if (c[i].name[0] == '\0' || strpbrk(c[i].name, " ;=\t") != NULL)
                abort();
    }
    arena_free(&a);
    free(h);
    return 0;
}
