/* libFuzzer target: the [database] host list parser. A result is -1 or
 * 1..DBHOSTS_MAX entries, each a non-empty NUL-terminated name without white
 * space and a port in 1..65535; only len bytes are read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dbhosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    struct dbhost h[DBHOSTS_MAX];
    char why[160];
    int n = dbhosts_parse(s, size, 3306, h, DBHOSTS_MAX, why, sizeof(why));
    if (n == 0 || n > DBHOSTS_MAX || n < -1)
        abort();
    for (int i = 0; i < n; i++) {
        size_t l = strnlen(h[i].name, sizeof(h[i].name));
        if (l == 0 || l > DBHOSTS_NAME_MAX || h[i].port < 1 || h[i].port > 65535 ||
            strpbrk(h[i].name, " \t") != NULL)
            abort();
    }
    free(s);
    return 0;
}
