/* libFuzzer target: path normalisation (request_path_normalize). The input
 * is passed with its length and no terminator, so reading past it is caught.
 * A normalised path starts with '/', has no "//", "." or ".." segment, no
 * control byte, is no longer than its source, and normalises to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *uri = malloc(size ? size : 1); /* exactly size bytes: ASan sees over-reads */
    if (uri == NULL)
        return 0;
    if (size > 0)
        memcpy(uri, data, size);
    struct arena a;
    arena_init(&a, 1 << 20);
    const char *out = NULL;
    int rc = request_path_normalize(&a, uri, size, &out);
    if (rc == 0) {
        size_t n = strlen(out);
        if (out[0] != '/' || n > size || strstr(out, "//") != NULL || strstr(out, "/./") != NULL ||
            strstr(out, "/../") != NULL || (n >= 2 && strcmp(out + n - 2, "/.") == 0) ||
            (n >= 3 && strcmp(out + n - 3, "/..") == 0) || (n > 1 && out[n - 1] == '/'))
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
                abort();
        /* idempotent unless the decoded path holds '%', '?' or '#' */
        if (strpbrk(out, "%?#") == NULL) {
            const char *again = NULL;
            if (request_path_normalize(&a, out, n, &again) != 0 || strcmp(again, out) != 0)
                abort();
        }
    } else if (rc != 400 && rc != 404 && rc != 500) {
        abort();
    }
    arena_free(&a);
    free(uri);
    return 0;
}
