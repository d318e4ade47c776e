/* The strict UTF-8 validator (RFC 3629, table 3-7 of the Unicode standard):
 * json-c lets overlong forms, encoded surrogates and code points above
 * U+10FFFF through, and MariaDB then refuses them or stores garbage. */
#include "lib/utf8.h"

/* A control character for UTF8_NO_CONTROLS: C0, DEL and C1. */
static int utf8_control(unsigned long cp, unsigned flags)
{
    if ((flags & UTF8_ALLOW_NEWLINES) && (cp == '\t' || cp == '\n' || cp == '\r'))
        return 0;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Decodes the multi-byte sequence at p (avail bytes left, p[0] >= 0x80).
 * Returns its length and *cp, or 0 when it is not UTF-8. */
static size_t utf8_decode(const unsigned char *p, size_t avail, unsigned long *cp)
{
    static const unsigned long least[5] = {0, 0, 0x80, 0x800, 0x10000}; /* below: overlong */
    size_t n;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4;
    else
        return 0; /* a continuation byte, 0xc0/0xc1 (always overlong) or 0xf5..0xff */
    unsigned long c = p[0] & (0x7fu >> n); /* the lead byte's payload bits */
    if (avail < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[k] & 0x3fu);
    }
    if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

int utf8_check(const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned long cp = p[i];
        size_t n = 1;
        if (cp >= 0x80 && (n = utf8_decode(p + i, len - i, &cp)) == 0)
            return UTF8_ENCODING;
        if ((flags & UTF8_NO_CONTROLS) && utf8_control(cp, flags))
            return UTF8_CONTROL;
        i += n;
    }
    return UTF8_OK;
}

int utf8_valid(const char *s, size_t len, unsigned flags)
{
    return utf8_check(s, len, flags) == UTF8_OK;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--; /* s[n] is the first byte left out: back up to a character start */
    return n;
}
