/* Cursors are base64url("c1:" decimal position): opaque to clients, cheap
 * to check, versioned by the prefix. */
#include "lib/cursor.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "lib/token.h"

int cursor_encode(long long position, char out[CURSOR_TEXT])
{
    char raw[32];
    if (position <= 0)
        return -1;
    int n = snprintf(raw, sizeof(raw), "c1:%lld", position);
    char tmp[48];
    if (token_b64url((const unsigned char *)raw, (size_t)n, tmp, sizeof(tmp)) < 0 ||
        strlen(tmp) >= CURSOR_TEXT)
        return -1;
    memcpy(out, tmp, strlen(tmp) + 1);
    return 0;
}

int cursor_decode(const char *text, long long *position)
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
    unsigned char raw[CURSOR_TEXT];
    int len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
    if (len < 4)
        return -1;
    while (len > 0 && raw[len - 1] == '\0') /* EVP_DecodeBlock counts padding as zero bytes */
        len--;
    if (len < 4 || memcmp(raw, "c1:", 3) != 0)
        return -1;
    long long v = 0;
    for (int i = 3; i < len; i++) {
        int d = raw[i] - '0';
        if (d < 0 || d > 9 || v > (0x7fffffffffffffffLL - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v <= 0 || raw[3] == '0')
        return -1;
    /* only the one spelling we hand out (base64 has others with stray bits) */
    char again[CURSOR_TEXT];
    if (cursor_encode(v, again) != 0 || strcmp(again, text) != 0)
        return -1;
    *position = v;
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
