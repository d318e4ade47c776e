/* Entity tags (see include/lib/etag.h). */
#include "lib/etag.h"

#include <string.h>

#include "lib/token.h"

void etag_of(const char *body, size_t len, char out[ETAG_TEXT])
{
    char hex[TOKEN_SHA256_HEX];
    token_sha256_hex(body, len, hex);
    out[0] = '"';
    memcpy(out + 1, hex, 32);
    out[33] = '"';
    out[34] = '\0';
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int etag_match(const char *header, const char *tag, int weak)
{
    if (header == NULL || tag == NULL)
        return 0;
    const char *p = skip_space(header);
    if (*p == '*')
        return *skip_space(p + 1) == '\0';
    size_t tag_len = strlen(tag);
    int found = 0;
    for (;;) {
        int is_weak = strncmp(p, "W/", 2) == 0;
        if (is_weak)
            p += 2;
        if (*p != '"')
            return 0;
        const char *end = strchr(p + 1, '"');
        if (end == NULL)
            return 0;
        size_t n = (size_t)(end - p) + 1; /* with both quotes */
        if (n == tag_len && memcmp(p, tag, n) == 0 && (weak || !is_weak))
            found = 1;
        p = skip_space(end + 1);
        if (*p == '\0')
            return found;
        if (*p != ',')
            return 0;
        p = skip_space(p + 1);
    }
}
