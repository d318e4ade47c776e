/* libFuzzer target: path normalisation. A normalised path starts with '/',
 * has no "//", no "." or ".." segment, no control byte, and normalising it
 * again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a, 1 << 22);
    const char *out;
    if (request_path_normalize(&a, (const char *)data, size, &out) == 0) {
        size_t n = strlen(out);
        if (out[0] != '/' || strstr(out, "//") != NULL || strstr(out, "/./") != NULL ||
            strstr(out, "/../") != NULL || (n >= 2 && strcmp(out + n - 2, "/.") == 0) ||
            (n >= 3 && strcmp(out + n - 3, "/..") == 0) || (n > 1 && out[n - 1] == '/'))
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
                abort();
        /* idempotent unless the decoded path holds '%', '?' or '#' */
        if (strpbrk(out, "%?#") == NULL) {
            const char *again;
            if (request_path_normalize(&a, out, n, &again) != 0 || strcmp(again, out) != 0)
                abort();
        }
    }
    arena_free(&a);
    return 0;
}
