/* libFuzzer target: address allow-lists. Input "LIST\nADDR". Results are
 * 0 or 1; a valid address matches itself and any list it is added to; a
 * list ipmatch_check refuses is reported by an entry taken from it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ipmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *addr = "127.0.0.1";
    if (nl != NULL) {
        *nl = '\0';
        addr = nl + 1;
    }
    const char *list = text;
    int match = ipmatch_list(list, addr);
    if (match != 0 && match != 1)
        abort();
    int valid = ipmatch_list("0.0.0.0/0, ::/0", addr);
    if (match && !valid)
        abort(); /* only addresses ever match */
    char err[128];
    if (ipmatch_check(list, err, sizeof(err)) != 0) {
        if (err[0] == '\0' || strstr(list, err) == NULL)
            abort();
    } else if (valid) {
        char err2[128];
        if (ipmatch_check(addr, err2, sizeof(err2)) != 0 || ipmatch_list(addr, addr) != 1)
            abort();
    }
    if (valid) {
        /* appending the address to any list makes it match */
        size_t n = strlen(list) + strlen(addr) + 3;
        char *more = malloc(n);
        if (more == NULL)
            abort();
        snprintf(more, n, "%s, %s", list, addr);
        if (ipmatch_list(more, addr) != 1)
            abort();
        free(more);
    }
    free(text);
    return 0;
}
