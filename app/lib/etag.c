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

void etag_key_init(struct etag_key *k)
{
    k->len = 0;
}

/* Makes room for n bytes, folding what the key holds into its hash when
 * it would not fit; n must be below ETAG_KEY_MAX - TOKEN_SHA256_HEX. */
static void key_room(struct etag_key *k, size_t n)
{
    if (k->len + n <= sizeof(k->buf))
        return;
    char hex[TOKEN_SHA256_HEX];
    token_sha256_hex(k->buf, k->len, hex);
    k->len = strlen(hex);
    memcpy(k->buf, hex, k->len);
}

static void key_put(struct etag_key *k, const char *s, size_t n)
{
    while (n > 0) {
        size_t part = n < 256 ? n : 256;
        key_room(k, part);
        memcpy(k->buf + k->len, s, part);
        k->len += part;
        s += part;
        n -= part;
    }
}

void etag_key_num(struct etag_key *k, long long v)
{
    char text[24];
    size_t i = sizeof(text);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    text[--i] = '|';
    do {
        text[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        text[--i] = '-';
    key_put(k, text + i, sizeof(text) - i);
}

void etag_key_str(struct etag_key *k, const char *s)
{
    if (s == NULL) {
        key_put(k, "N|", 2);
        return;
    }
    size_t n = strlen(s);
    etag_key_num(k, (long long)n);
    key_put(k, s, n);
}

void etag_key_finish(const struct etag_key *k, char out[ETAG_TEXT])
{
    etag_of(k->buf, k->len, out);
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
