/* libFuzzer target: query-string parsing (request_parse_query). Every
 * accepted pair is decoded, NUL-free, no longer than its source, and there
 * are never more pairs than REQUEST_MAX_QUERY or than '&'-separated parts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *qs = malloc(size + 1);
    if (qs == NULL)
        return 0;
    memcpy(qs, data, size);
    qs[size] = '\0';
    size_t len = strlen(qs); /* the parser sees a C string: up to the first NUL */
    size_t parts = 1;
    for (size_t i = 0; i < len; i++)
        parts += qs[i] == '&';

    struct arena a;
    arena_init(&a, 1 << 20);
    struct kv *q = NULL;
    size_t n = 0;
    int rc = request_parse_query(&a, qs, &q, &n);
    if (rc == 0) {
        if (n > REQUEST_MAX_QUERY || n > parts || (n > 0 && q == NULL))
            abort();
        for (size_t i = 0; i < n; i++) {
            size_t nl = strlen(q[i].name);
            if (q[i].value == NULL || strlen(q[i].value) != q[i].value_len)
                abort(); /* a NUL inside a value must have been refused */
            if (nl + q[i].value_len > len)
                abort(); /* decoding never grows */
        }
        /* without escapes or '+', names and values are the source bytes */
        if (n == 1 && strpbrk(qs, "%+&") == NULL) {
            const char *eq = strchr(qs, '=');
            size_t nlen = eq ? (size_t)(eq - qs) : len;
            if (strncmp(q[0].name, qs, nlen) != 0 || q[0].name[nlen] != '\0' ||
                strcmp(q[0].value, eq ? eq + 1 : "") != 0)
                abort();
        }
    } else if (rc != 400 && rc != 500) {
        abort();
    } else if (rc == 400 && len == 0) {
        abort(); /* an empty query string is never an error */
    }
    arena_free(&a);
    free(qs);
    return 0;
}
