/* TOTP by liboath (see include/lib/totp.h). The secret is handed to liboath
 * as raw bytes; base32 is liboath's too. */
#include "lib/totp.h"

#include <liboath/oath.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* oath_init is cheap and idempotent; liboath asks every user to call it. */
static int ready(void)
{
    static int done;
    if (!done && oath_init() == OATH_OK)
        done = 1;
    return done;
}

static int hash_flags(enum totp_hash h)
{
    return h == TOTP_SHA256 ? OATH_TOTP_HMAC_SHA256 : h == TOTP_SHA512 ? OATH_TOTP_HMAC_SHA512 : 0;
}

int totp_code(const unsigned char *secret, size_t len, time_t now, unsigned digits,
              enum totp_hash hash, char *out)
{
    if (!ready() || digits < 6 || digits > 8)
        return -1;
    return oath_totp_generate2((const char *)secret, len, now, TOTP_STEP, 0, digits,
                               hash_flags(hash), out) == OATH_OK
               ? 0
               : -1;
}

int totp_code_shape(const char *s)
{
    size_t i = 0;
    for (; s[i] != '\0'; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return i == TOTP_DIGITS;
}

int totp_verify(const unsigned char *secret, size_t len, time_t now, unsigned window,
                const char *code, long long *step)
{
    if (!ready() || !totp_code_shape(code))
        return -1;
    int pos = 0;
    int rc = oath_totp_validate2((const char *)secret, len, now, TOTP_STEP, 0, window, &pos, code);
    if (rc < 0)
        return -1;
    *step = (long long)(now / TOTP_STEP) + pos;
    return 0;
}

long totp_base32(const unsigned char *in, size_t len, char *out, size_t outlen)
{
    char *b32 = NULL;
    size_t n = 0;
    if (!ready() || oath_base32_encode((const char *)in, len, &b32, &n) != OATH_OK)
        return -1;
    while (n > 0 && b32[n - 1] == '=') /* authenticator apps take it unpadded */
        n--;
    long rc = n < outlen ? (long)n : -1;
    if (rc >= 0) {
        memcpy(out, b32, n);
        out[n] = '\0';
    }
    free(b32);
    return rc;
}

long totp_base32_decode(const char *in, char *out, size_t outlen)
{
    char *bin = NULL;
    size_t n = 0;
    if (!ready() || oath_base32_decode(in, strlen(in), &bin, &n) != OATH_OK)
        return -1;
    long rc = n <= outlen ? (long)n : -1;
    if (rc >= 0 && n > 0)
        memcpy(out, bin, n);
    free(bin);
    return rc;
}

/* Percent-encodes s (RFC 3986 unreserved kept) onto out at *n. -1 when full. */
static int pct(const char *s, char *out, size_t outlen, size_t *n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
        if (*n + (keep ? 1 : 3) >= outlen)
            return -1;
        if (keep) {
            out[(*n)++] = (char)*p;
        } else {
            out[(*n)++] = '%';
            out[(*n)++] = hex[*p >> 4];
            out[(*n)++] = hex[*p & 15];
        }
    }
    out[*n] = '\0';
    return 0;
}

int totp_uri(const char *issuer, const char *account, const char *base32, char *out, size_t outlen)
{
    size_t n = 0;
    int k = snprintf(out, outlen, "otpauth://totp/");
    if (k < 0 || (size_t)k >= outlen)
        return -1;
    n = (size_t)k;
    if (pct(issuer, out, outlen, &n) != 0 || n + 1 >= outlen)
        return -1;
    out[n++] = ':';
    if (pct(account, out, outlen, &n) != 0)
        return -1;
    k = snprintf(out + n, outlen - n, "?secret=%s&issuer=", base32);
    if (k < 0 || (size_t)k >= outlen - n)
        return -1;
    n += (size_t)k;
    if (pct(issuer, out, outlen, &n) != 0)
        return -1;
    k = snprintf(out + n, outlen - n, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
                 TOTP_STEP);
    return k < 0 || (size_t)k >= outlen - n ? -1 : 0;
}

int totp_recovery_new(char out[TOTP_RECOVERY_TEXT])
{
    unsigned char raw[10];
    char b32[TOTP_BASE32];
    if (RAND_bytes(raw, sizeof(raw)) != 1 || totp_base32(raw, sizeof(raw), b32, sizeof(b32)) != 16)
        return -1;
    int k =
        snprintf(out, TOTP_RECOVERY_TEXT, "%.4s-%.4s-%.4s-%.4s", b32, b32 + 4, b32 + 8, b32 + 12);
    return k == TOTP_RECOVERY_TEXT - 1 ? 0 : -1;
}

int totp_recovery_normalize(const char *in, size_t len, char out[TOTP_RECOVERY_NORM])
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) || n == TOTP_RECOVERY_NORM - 1)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == TOTP_RECOVERY_NORM - 1 ? 0 : -1;
}
