/* libFuzzer target: the strict UTF-8 validator against a reference that
 * re-encodes each code point and compares (overlong forms fall out without a
 * table). The first byte picks the flags and a prefix length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shortest UTF-8 form of cp into out; its length. */
static size_t ref_encode(uint32_t cp, uint8_t out[4])
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xc0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xe0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (uint8_t)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (uint8_t)(0xf0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (uint8_t)(0x80 | (cp & 0x3f));
    return 4;
}

static int ref_control(uint32_t cp, unsigned flags)
{
    if (!(flags & UTF8_NO_CONTROLS))
        return 0;
    if ((flags & UTF8_ALLOW_NEWLINES) && (cp == 0x09 || cp == 0x0a || cp == 0x0d))
        return 0;
    return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

static int ref_check(const uint8_t *p, size_t n, unsigned flags)
{
    size_t i = 0;
    while (i < n) {
        size_t len = 0;
        while (len < 8 && (p[i] << len & 0x80))
            len++; /* leading one bits: 0 for ASCII, 2..4 for a lead byte */
        if (len == 1 || len > 4)
            return UTF8_ENCODING;
        if (len == 0)
            len = 1;
        if (len > n - i)
            return UTF8_ENCODING;
        uint32_t cp = len == 1 ? p[i] : p[i] & (0x7fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return UTF8_ENCODING;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        uint8_t again[4];
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || ref_encode(cp, again) != len ||
            memcmp(again, p + i, len) != 0)
            return UTF8_ENCODING;
        if (ref_control(cp, flags))
            return UTF8_CONTROL;
        i += len;
    }
    return UTF8_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0] & 3u;
    size_t n = size - 1;
    char *s = malloc(n ? n : 1); /* exactly n bytes: ASan sees over-reads */
    if (s == NULL)
        return 0;
    memcpy(s, data + 1, n);
    int got = utf8_check(s, n, flags), want = ref_check((const uint8_t *)s, n, flags);
    if (got != want || utf8_valid(s, n, flags) != (want == UTF8_OK))
        abort();
    /* a valid text cut by utf8_prefix stays valid and is cut as late as it can be */
    if (utf8_check(s, n, 0) == UTF8_OK) {
        size_t max = data[0] >> 2;
        size_t cut = utf8_prefix(s, n, max);
        if (cut > max || cut > n || utf8_check(s, cut, 0) != UTF8_OK)
            abort();
        if (cut < n && cut < max && utf8_check(s, cut + 1, 0) == UTF8_OK)
            abort();
        if (cut < n && cut + 4 <= max)
            abort();
    }
    free(s);
    return 0;
}
