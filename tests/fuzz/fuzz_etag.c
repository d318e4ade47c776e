/* libFuzzer target: If-Match / If-None-Match lists. A header never matches
 * a tag it does not contain, and a strong match implies a weak one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/etag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char header[512];
    if (size >= sizeof(header))
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    char tag[ETAG_TEXT];
    etag_of(header, strlen(header), tag);
    static const char fixed[] = "\"0123456789abcdef0123456789abcdef\"";
    const char *tags[] = {tag, fixed};
    for (int i = 0; i < 2; i++) {
        int strong = etag_match(header, tags[i], 0), weak = etag_match(header, tags[i], 1);
        if (strong && !weak)
            abort();
        int star = strchr(header, '*') != NULL;
        if (weak && !star && strstr(header, tags[i]) == NULL)
            abort();
    }
    return 0;
}
