/* Account identities: the normal form of usernames and emails, the rules
 * they follow, and what a display name may not contain. Shared by the HTTP
 * handlers and the command line. Pure; the Unicode tables are libunistring's.
 * libunistring is opened with dlopen the first time a name or address is
 * not plain ASCII: linked, it cost every worker 416 KiB of resident memory
 * for what most requests never use. Plain ASCII takes a path of its own that
 * gives exactly the same answers.
 * The self-contained binary of `make dist` is built with RB_LINK_STATIC: a
 * static program cannot dlopen, so there the table holds the linked
 * functions' and tables' addresses and nothing is opened. */
#include "lib/identity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "lib/dynlib.h"

#define UNISTRING_LIBRARY "libunistring.so.2"

/* The libunistring functions and tables used, resolved at run time; the
 * names below are redirected to them. */
static struct {
    const uint8_t *(*check)(const uint8_t *, size_t);
    int (*mbtouc_aux)(ucs4_t *, const uint8_t *, size_t);
    const uint8_t *(*prev)(ucs4_t *, const uint8_t *, const uint8_t *);
    uint8_t *(*normalize)(uninorm_t, const uint8_t *, size_t, uint8_t *, size_t *);
    uint8_t *(*tolower)(const uint8_t *, size_t, const char *, uninorm_t, uint8_t *, size_t *);
    bool (*is_category)(ucs4_t, uc_general_category_t);
    bool (*is_bidi_control)(ucs4_t);
    bool (*is_ignorable)(ucs4_t);
    bool (*is_white_space)(ucs4_t);
    const struct unicode_normalization_form *nfc, *nfkc;
    const uc_general_category_t *cc, *zl, *zp, *cn, *co;
} uni;

static const struct dynlib_symbol uni_symbols[] = {
    DYNLIB_LINKED(u8_check, uni.check),
    DYNLIB_LINKED(u8_mbtouc_aux, uni.mbtouc_aux),
    DYNLIB_LINKED(u8_prev, uni.prev),
    DYNLIB_LINKED(u8_normalize, uni.normalize),
    DYNLIB_LINKED(u8_tolower, uni.tolower),
    DYNLIB_LINKED(uc_is_general_category, uni.is_category),
    DYNLIB_LINKED(uc_is_property_bidi_control, uni.is_bidi_control),
    DYNLIB_LINKED(uc_is_property_default_ignorable_code_point, uni.is_ignorable),
    DYNLIB_LINKED(uc_is_property_white_space, uni.is_white_space),
    DYNLIB_LINKED(uninorm_nfc, uni.nfc),
    DYNLIB_LINKED(uninorm_nfkc, uni.nfkc),
    DYNLIB_LINKED(UC_CATEGORY_Cc, uni.cc),
    DYNLIB_LINKED(UC_CATEGORY_Zl, uni.zl),
    DYNLIB_LINKED(UC_CATEGORY_Zp, uni.zp),
    DYNLIB_LINKED(UC_CATEGORY_Cn, uni.cn),
    DYNLIB_LINKED(UC_CATEGORY_Co, uni.co),
};

/* Opens libunistring once. 0, or -1 when it is missing (then every
 * identity that is not plain ASCII is refused as IDENTITY_NOMEM: a server
 * fault, not the client's). */
static int uni_load(void)
{
    static int state; /* 0 not tried, 1 loaded, -1 failed */
    return dynlib_load(UNISTRING_LIBRARY, uni_symbols, sizeof(uni_symbols) / sizeof(uni_symbols[0]),
                       &state);
}

static int uni_mbtouc(ucs4_t *puc, const uint8_t *s, size_t n)
{
    if (*s < 0x80) {
        *puc = *s;
        return 1;
    }
    return uni.mbtouc_aux(puc, s, n);
}

#undef UNINORM_NFC
#undef UNINORM_NFKC
#define u8_check uni.check
#define u8_mbtouc uni_mbtouc
#define u8_prev uni.prev
#define u8_normalize uni.normalize
#define u8_tolower uni.tolower
#define uc_is_general_category uni.is_category
#define uc_is_property_bidi_control uni.is_bidi_control
#define uc_is_property_default_ignorable_code_point uni.is_ignorable
#define uc_is_property_white_space uni.is_white_space
#define UNINORM_NFC (uni.nfc)
#define UNINORM_NFKC (uni.nfkc)
#define UC_CATEGORY_Cc (*uni.cc)
#define UC_CATEGORY_Zl (*uni.zl)
#define UC_CATEGORY_Zp (*uni.zp)
#define UC_CATEGORY_Cn (*uni.cn)
#define UC_CATEGORY_Co (*uni.co)

static int is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static int ascii_white_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d);
}

/* identity_email_normalize for plain ASCII: what the Unicode path gives for
 * it (NFC and NFKC leave ASCII alone; the case mappings are ASCII's). */
static long ascii_email(const char *in, size_t n, char *out, size_t size)
{
    size_t from = 0, to = n;
    while (from < to && ascii_white_space((unsigned char)in[from]))
        from++;
    while (to > from && ascii_white_space((unsigned char)in[to - 1]))
        to--;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x20 || c == 0x7f)
            return IDENTITY_CONTROL;
        if (c == ' ')
            return IDENTITY_SPACE;
    }
    if (to - from >= size)
        return IDENTITY_TOO_LONG;
    for (size_t i = from; i < to; i++)
        out[i - from] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
    out[to - from] = '\0';
    return (long)(to - from);
}

/* Copies in without surrounding white space, lower-cased when lower. */
static long trim_copy(const char *in, char *out, unsigned long size, int lower)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    if (n >= size)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = lower && in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
    out[n] = '\0';
    return (long)n;
}

long identity_normalize(const char *in, char *out, unsigned long size)
{
    return trim_copy(in, out, size, 1);
}

long identity_trim(const char *in, char *out, unsigned long size)
{
    return trim_copy(in, out, size, 0);
}

/* Characters that draw nothing, so "ad<U+200B>min" looks like "admin". ZWJ
 * and ZWNJ are among them: that costs emoji ZWJ sequences and Persian
 * ZWNJ in display names, and buys names that cannot hide a difference. */
static int invisible(ucs4_t c)
{
    return c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

/* What every identity refuses: controls (line and paragraph separators
 * included: they break the line a name is shown on), bidi controls (U+202E
 * shows "moc.elpmaxe" as "example.com") and invisible characters. */
static int common_refusal(ucs4_t c)
{
    if (uc_is_general_category(c, UC_CATEGORY_Cc) || uc_is_general_category(c, UC_CATEGORY_Zl) ||
        uc_is_general_category(c, UC_CATEGORY_Zp))
        return IDENTITY_CONTROL;
    if (uc_is_property_bidi_control(c))
        return IDENTITY_BIDI;
    return invisible(c) ? IDENTITY_INVISIBLE : 0;
}

/* IDENTITY_COMPAT when NFKC changes the one code point at p (k bytes).
 * Per code point rather than NFKC(x) != NFC(x) over the string: the Kelvin
 * sign and the Ohm sign have singleton canonical decompositions, so NFC
 * and NFKC agree on them (both give K) and the string test lets them in. A
 * string whose code points NFKC each leaves alone has NFKC(x) == NFC(x). */
static int compat_refusal(const uint8_t *p, size_t k)
{
    uint8_t buf[64];
    size_t len = sizeof(buf);
    uint8_t *r = u8_normalize(UNINORM_NFKC, p, k, buf, &len);
    if (r == NULL)
        return IDENTITY_NOMEM;
    int same = len == k && memcmp(r, p, k) == 0;
    if (r != buf)
        free(r);
    return same ? 0 : IDENTITY_COMPAT;
}

/* What an email refuses beyond common_refusal, for the code point c at p
 * (k bytes). Unassigned code points are refused because their NFC may
 * change once a later Unicode assigns them (libunistring's tables fix the
 * version), and then a stored address would no longer match itself. */
static int email_refusal(ucs4_t c, const uint8_t *p, size_t k)
{
    int r = common_refusal(c);
    if (r != 0)
        return r;
    if (c < 0x80) /* the rest of ASCII is assigned and NFKC leaves it alone */
        return c == ' ' ? IDENTITY_SPACE : 0;
    if (uc_is_property_default_ignorable_code_point(c))
        return IDENTITY_INVISIBLE; /* variation selectors, tags, Hangul fillers... */
    if (uc_is_property_white_space(c))
        return IDENTITY_SPACE;
    if (uc_is_general_category(c, UC_CATEGORY_Cn) || uc_is_general_category(c, UC_CATEGORY_Co))
        return IDENTITY_UNASSIGNED;
    return compat_refusal(p, k);
}

/* The first refusal among the code points of s (n bytes of valid UTF-8). */
static int scan(const uint8_t *s, size_t n, int email)
{
    for (size_t i = 0; i < n;) {
        ucs4_t c;
        size_t k = (size_t)u8_mbtouc(&c, s + i, n - i);
        int r = email ? email_refusal(c, s + i, k) : common_refusal(c);
        if (r != 0)
            return r;
        i += k;
    }
    return 0;
}

/* U+FEFF is not White_Space, but a byte order mark pasted in front of an
 * address is the same slip as a space; inside one it is refused. */
static int edge_space(ucs4_t c)
{
    return c == 0xFEFF || uc_is_property_white_space(c);
}

/* Narrows [*from, *to) of s (valid UTF-8) to leave out surrounding spaces. */
static void trim_bounds(const uint8_t *s, size_t *from, size_t *to)
{
    ucs4_t c;
    while (*from < *to) {
        int k = u8_mbtouc(&c, s + *from, *to - *from);
        if (!edge_space(c))
            break;
        *from += (size_t)k;
    }
    while (*to > *from) {
        const uint8_t *p = u8_prev(&c, s + *to, s + *from);
        if (p == NULL || !edge_space(c))
            break;
        *to = (size_t)(p - s);
    }
}

/* The domain d (n bytes, NFC) with ASCII lower-cased, then NFC again: a
 * small letter can compose with a mark its capital could not (J + U+030C
 * stays two code points, j + U+030C is U+01F0). Malloc'd; NULL on ENOMEM. */
static uint8_t *domain_fold(const uint8_t *d, size_t n, size_t *len)
{
    uint8_t *low = malloc(n + 1);
    if (low == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = d[i] >= 'A' && d[i] <= 'Z' ? (uint8_t)(d[i] - 'A' + 'a') : d[i];
    uint8_t *r = u8_normalize(UNINORM_NFC, low, n, NULL, len);
    free(low);
    return r;
}

/* Writes nfc (len bytes, NFC) case-folded into out: the local part (before
 * the last '@', or all of it) through Unicode's language-independent
 * lower-case mapping, the domain through domain_fold. */
static long fold_case(const uint8_t *nfc, size_t len, char *out, size_t size)
{
    const uint8_t *at = memrchr(nfc, '@', len);
    size_t llen = 0, dlen = 0, cut = at != NULL ? (size_t)(at - nfc) : len;
    uint8_t *local = u8_tolower(nfc, cut, NULL, UNINORM_NFC, NULL, &llen);
    uint8_t *dom = at != NULL ? domain_fold(at + 1, len - cut - 1, &dlen) : NULL;
    long rc = local == NULL || (at != NULL && dom == NULL) ? IDENTITY_NOMEM : 0;
    size_t total = llen + (at != NULL ? 1 + dlen : 0);
    if (rc == 0 && total >= size)
        rc = IDENTITY_TOO_LONG;
    if (rc == 0) {
        memcpy(out, local, llen);
        if (at != NULL) {
            out[llen] = '@';
            memcpy(out + llen + 1, dom, dlen);
        }
        out[total] = '\0';
        rc = (long)total;
    }
    free(local);
    free(dom);
    return rc;
}

long identity_email_normalize(const char *in, char *out, size_t size)
{
    const uint8_t *s = (const uint8_t *)in;
    size_t from = 0, to = strlen(in);
    if (is_ascii(in, to))
        return ascii_email(in, to, out, size);
    if (uni_load() != 0)
        return IDENTITY_NOMEM;
    if (u8_check(s, to) != NULL)
        return IDENTITY_BAD_UTF8;
    trim_bounds(s, &from, &to);
    int r = scan(s + from, to - from, 1);
    if (r != 0)
        return r;
    size_t len = 0;
    uint8_t *nfc = u8_normalize(UNINORM_NFC, s + from, to - from, NULL, &len);
    if (nfc == NULL)
        return IDENTITY_NOMEM;
    long rc = fold_case(nfc, len, out, size);
    free(nfc);
    return rc;
}

int identity_display_name_check(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (is_ascii(s, len)) {
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return IDENTITY_CONTROL;
        return 0;
    }
    if (uni_load() != 0)
        return IDENTITY_NOMEM;
    if (u8_check((const uint8_t *)s, len) != NULL)
        return IDENTITY_BAD_UTF8;
    return scan((const uint8_t *)s, len, 0);
}

const char *identity_reason(long code)
{
    switch (code) {
    case IDENTITY_TOO_LONG:
        return "is too long";
    case IDENTITY_BAD_UTF8:
        return "is not valid UTF-8";
    case IDENTITY_CONTROL:
        return "contains a control character";
    case IDENTITY_BIDI:
        return "contains a bidirectional control character (U+202E and the like)";
    case IDENTITY_INVISIBLE:
        return "contains an invisible character (U+200B and the like)";
    case IDENTITY_SPACE:
        return "contains white space";
    case IDENTITY_UNASSIGNED:
        return "contains an unassigned or private-use character";
    case IDENTITY_COMPAT:
        return "contains a look-alike form of a character (fullwidth, ligature, Kelvin "
               "sign...): type the plain character";
    case IDENTITY_NOMEM:
        return "could not be checked (out of memory)";
    default:
        return "";
    }
}

int identity_username_valid(const char *norm)
{
    size_t n = strlen(norm);
    if (n < 3 || n > 32)
        return 0;
    return strspn(norm, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

int identity_email_valid(const char *norm)
{
    size_t n = strlen(norm);
    const char *at = strchr(norm, '@');
    if (n < 3 || n > 254 || at == NULL || at == norm || strchr(at + 1, '@') != NULL)
        return 0;
    const char *dot = strrchr(at + 1, '.');
    if (dot == NULL || dot == at + 1 || dot[1] == '\0')
        return 0;
    return strpbrk(norm, " \t\r\n") == NULL;
}
