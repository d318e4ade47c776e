/* Cursors are base64url("c1:" decimal position) or, for orders by another
 * key, base64url("c2:" kind ":" key ":" id): opaque to clients, cheap to
 * check, versioned by the prefix. */
#include "lib/cursor.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "lib/token.h"

/* base64url of raw into out; -1 when it does not fit. */
static int wrap(const char *raw, int n, char out[CURSOR_TEXT])
{
    char tmp[CURSOR_TEXT + 8];
    if (n <= 0 || token_b64url((const unsigned char *)raw, (size_t)n, tmp, sizeof(tmp)) < 0 ||
        strlen(tmp) >= CURSOR_TEXT)
        return -1;
    memcpy(out, tmp, strlen(tmp) + 1);
    return 0;
}

/* base64url text back to its bytes (NUL-terminated). Returns the length or
 * -1. Whether it is the canonical spelling is checked by the callers, by
 * encoding the decoded value again. */
static int unwrap(const char *text, char raw[CURSOR_TEXT])
{
    size_t n = strlen(text);
    if (n < 4 || n >= CURSOR_TEXT)
        return -1;
    char b64[CURSOR_TEXT + 4];
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return -1;
        b64[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (n % 4 != 0)
        b64[n++] = '=';
    b64[n] = '\0';
    unsigned char bytes[CURSOR_TEXT];
    int len = EVP_DecodeBlock(bytes, (const unsigned char *)b64, (int)n);
    while (len > 0 && bytes[len - 1] == '\0') /* EVP_DecodeBlock counts padding as zero bytes */
        len--;
    if (len < 4 || memchr(bytes, '\0', (size_t)len) != NULL)
        return -1;
    memcpy(raw, bytes, (size_t)len);
    raw[len] = '\0';
    return len;
}

/* A decimal without sign or leading zeros ("0" itself allowed when zero_ok),
 * ending at stop. Returns the position after it, or NULL. */
static const char *number(const char *p, char stop, int zero_ok, long long *out)
{
    long long v = 0;
    const char *start = p;
    for (; *p >= '0' && *p <= '9'; p++) {
        int d = *p - '0';
        if (v > (0x7fffffffffffffffLL - d) / 10)
            return NULL;
        v = v * 10 + d;
    }
    size_t n = (size_t)(p - start);
    if (n == 0 || *p != stop || (start[0] == '0' && (n > 1 || !zero_ok)))
        return NULL;
    *out = v;
    return p;
}

int cursor_encode(long long position, char out[CURSOR_TEXT])
{
    char raw[32];
    if (position <= 0)
        return -1;
    return wrap(raw, snprintf(raw, sizeof(raw), "c1:%lld", position), out);
}

int cursor_decode(const char *text, long long *position)
{
    char raw[CURSOR_TEXT];
    long long v = 0;
    if (unwrap(text, raw) < 0 || strncmp(raw, "c1:", 3) != 0 ||
        number(raw + 3, '\0', 0, &v) == NULL)
        return -1;
    /* only the one spelling we hand out (base64 has others with stray bits) */
    char again[CURSOR_TEXT];
    if (cursor_encode(v, again) != 0 || strcmp(again, text) != 0)
        return -1;
    *position = v;
    return 0;
}

int cursor_encode_keyed(char kind, long long key, long long id, char out[CURSOR_TEXT])
{
    char raw[64];
    if (kind < 'a' || kind > 'z' || key < 0 || id <= 0)
        return -1;
    return wrap(raw, snprintf(raw, sizeof(raw), "c2:%c:%lld:%lld", kind, key, id), out);
}

int cursor_decode_keyed(const char *text, char kind, long long *key, long long *id)
{
    char raw[CURSOR_TEXT];
    long long k = 0, v = 0;
    const char *p;
    if (unwrap(text, raw) < 0 || strncmp(raw, "c2:", 3) != 0 || raw[3] != kind || raw[4] != ':' ||
        (p = number(raw + 5, ':', 1, &k)) == NULL || number(p + 1, '\0', 0, &v) == NULL)
        return -1;
    char again[CURSOR_TEXT];
    if (cursor_encode_keyed(kind, k, v, again) != 0 || strcmp(again, text) != 0)
        return -1;
    *key = k;
    *id = v;
    return 0;
}

int cursor_limit(const char *text, int dflt, int max)
{
    if (text == NULL)
        return dflt;
    size_t n = strlen(text);
    if (n == 0 || n > 3 || strspn(text, "0123456789") != n)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (text[i] - '0');
    return v >= 1 && v <= max ? v : -1;
}
