/* libFuzzer target: query-string parsing. Every accepted pair is decoded,
 * NUL-free and no longer than its source. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *qs = malloc(size + 1);
    if (qs == NULL)
        return 0;
    memcpy(qs, data, size);
    qs[size] = '\0';
    struct arena a;
    arena_init(&a, 1 << 22);
    struct kv *q;
    size_t n;
    if (request_parse_query(&a, qs, &q, &n) == 0) {
        if (n > REQUEST_MAX_QUERY)
            abort();
        for (size_t i = 0; i < n; i++)
            if (strlen(q[i].value) != q[i].value_len || q[i].value_len > strlen(qs))
                abort();
    }
    arena_free(&a);
    free(qs);
    return 0;
}
