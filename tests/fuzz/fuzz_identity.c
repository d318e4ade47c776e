/* libFuzzer target: account identities (lib/identity.c). An accepted email
 * is valid UTF-8 in NFC and NFKC, normalising it again gives it back, its
 * NFD form gives the same result, and it holds no bidi, invisible, control
 * or space character and no ASCII capital; an accepted display name holds
 * no bidi, invisible or control character. Checked with libunistring's
 * tables directly, not through identity.c's own predicates. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "lib/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when c is one of the characters no identity may hold. */
static int forbidden(ucs4_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
           uc_is_property_bidi_control(c) || c == 0x061C || c == 0xAD ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

/* Aborts unless the n bytes at s are valid UTF-8 free of forbidden() ones;
 * email adds: no white space, nothing default-ignorable, no ASCII capital. */
static void check_chars(const uint8_t *s, size_t n, int email)
{
    if (u8_check(s, n) != NULL)
        abort();
    for (size_t i = 0; i < n;) {
        ucs4_t c;
        i += (size_t)u8_mbtouc(&c, s + i, n - i);
        if (forbidden(c))
            abort();
        if (email && (uc_is_property_white_space(c) ||
                      uc_is_property_default_ignorable_code_point(c) || (c >= 'A' && c <= 'Z')))
            abort();
    }
}

/* Aborts unless nf leaves the n bytes at s as they are. */
static void check_fixed(uninorm_t nf, const uint8_t *s, size_t n)
{
    size_t len = 0;
    uint8_t *r = u8_normalize(nf, s, n, NULL, &len);
    if (r == NULL)
        return; /* out of memory: nothing learnt */
    int same = len == n && memcmp(r, s, n) == 0;
    free(r);
    if (!same)
        abort();
}

/* The NFD form of the string in gives out too (canonical equivalence). */
static void check_nfd(const char *in, const char *out, size_t cap)
{
    size_t len = 0;
    uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)in, strlen(in), NULL, &len);
    char *z = d != NULL ? malloc(len + 1) : NULL;
    char *again = malloc(cap);
    if (z != NULL && again != NULL) {
        memcpy(z, d, len);
        z[len] = '\0';
        if (identity_email_normalize(z, again, cap) < 0 || strcmp(again, out) != 0)
            abort();
    }
    free(d);
    free(z);
    free(again);
}

/* Printable ASCII only: the same answer as identity_normalize, the form
 * stored emails were made with. */
static void check_ascii(const char *in, const char *out)
{
    size_t n = strlen(in);
    for (size_t i = 0; i < n; i++)
        if (in[i] < 0x20 || in[i] > 0x7e)
            return;
    char old[1100];
    if (identity_normalize(in, old, sizeof(old)) < 0 || strcmp(old, out) != 0)
        abort();
}

static void fuzz_email(const char *in, size_t cap)
{
    char *out = malloc(cap), *again = malloc(cap);
    if (out == NULL || again == NULL) {
        free(out);
        free(again);
        return;
    }
    long n = identity_email_normalize(in, out, cap);
    /* a refusal is one of the codes and has words; cap leaves room enough */
    if (n < 0 && (n < IDENTITY_NOMEM || identity_reason(n)[0] == '\0' || n == IDENTITY_TOO_LONG))
        abort();
    if (n >= 0) {
        if (strlen(out) != (size_t)n)
            abort();
        check_chars((const uint8_t *)out, (size_t)n, 1);
        check_fixed(UNINORM_NFC, (const uint8_t *)out, (size_t)n);
        check_fixed(UNINORM_NFKC, (const uint8_t *)out, (size_t)n);
        if (identity_email_normalize(out, again, cap) != n || strcmp(again, out) != 0)
            abort();
        if (identity_display_name_check(out, (size_t)n) != 0)
            abort();
        check_nfd(in, out, cap);
        check_ascii(in, out);
    }
    free(out);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024)
        return 0;
    if (identity_display_name_check((const char *)data, size) == 0)
        check_chars(data, size, 0);
    char *in = malloc(size + 1);
    if (in == NULL)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    /* room for any growth: NFC, and U+0130 lower-cased to three bytes */
    fuzz_email(in, 8 * size + 64);
    free(in);
    return 0;
}
