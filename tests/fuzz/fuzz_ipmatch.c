/* libFuzzer target: address allow-lists. Input "LIST\nADDR". A list that
 * checks clean matches every plain address it names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ipmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
    char err[128];
    int match = ipmatch_list(text, addr);
    if (match != 0 && match != 1)
        abort();
    if (ipmatch_check(text, err, sizeof(err)) == 0 && strchr(addr, '/') == NULL &&
        strpbrk(addr, ", \t") == NULL && addr[0] != '\0' && strstr(text, addr) == text &&
        (text[strlen(addr)] == '\0' || text[strlen(addr)] == ',') && !ipmatch_list(text, addr))
        abort(); /* the first entry, a plain address, must match itself */
    free(text);
    return 0;
}
