/* The address classifier (see include/lib/addrclass.h). Tables of prefixes
 * in the order they are tried; the first that matches decides. IPv6 is
 * public only inside 2000::/3 (global unicast), minus its special blocks. */
#include "lib/addrclass.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

struct prefix {
    unsigned char bytes[16];
    unsigned bits;
    enum addrclass cls;
};

static const struct prefix v4_prefixes[] = {
    {{0}, 8, ADDRCLASS_UNSPECIFIED},
    {{10}, 8, ADDRCLASS_PRIVATE},
    {{100, 64}, 10, ADDRCLASS_CGNAT},
    {{127}, 8, ADDRCLASS_LOOPBACK},
    {{169, 254}, 16, ADDRCLASS_LINK_LOCAL},
    {{172, 16}, 12, ADDRCLASS_PRIVATE},
    {{192, 0, 0}, 24, ADDRCLASS_RESERVED},   /* IETF protocol assignments */
    {{192, 0, 2}, 24, ADDRCLASS_RESERVED},   /* TEST-NET-1 */
    {{192, 88, 99}, 24, ADDRCLASS_RESERVED}, /* 6to4 relay anycast */
    {{192, 168}, 16, ADDRCLASS_PRIVATE},
    {{198, 18}, 15, ADDRCLASS_RESERVED},      /* benchmarking */
    {{198, 51, 100}, 24, ADDRCLASS_RESERVED}, /* TEST-NET-2 */
    {{203, 0, 113}, 24, ADDRCLASS_RESERVED},  /* TEST-NET-3 */
    {{224}, 4, ADDRCLASS_MULTICAST},
    {{240}, 4, ADDRCLASS_RESERVED}, /* and 255.255.255.255 */
};

static const struct prefix v6_prefixes[] = {
    {{0}, 128, ADDRCLASS_UNSPECIFIED},
    {{[15] = 1}, 128, ADDRCLASS_LOOPBACK},
    {{[10] = 0xff, [11] = 0xff}, 96, ADDRCLASS_MAPPED},
    {{0}, 96, ADDRCLASS_MAPPED},                          /* IPv4-compatible (deprecated) */
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, ADDRCLASS_PRIVATE}, /* local-use NAT64 */
    {{0x01}, 64, ADDRCLASS_RESERVED},                     /* 100::/64 discard */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, ADDRCLASS_RESERVED},   /* documentation */
    {{0x20, 0x01}, 23, ADDRCLASS_RESERVED},               /* IETF: Teredo, ORCHID... */
    {{0x3f, 0xff}, 20, ADDRCLASS_RESERVED},               /* documentation */
    {{0xfc}, 7, ADDRCLASS_PRIVATE},                       /* unique local */
    {{0xfe, 0x80}, 10, ADDRCLASS_LINK_LOCAL},
    {{0xfe, 0xc0}, 10, ADDRCLASS_PRIVATE}, /* site-local (deprecated) */
    {{0xff}, 8, ADDRCLASS_MULTICAST},
};

static int in_prefix(const unsigned char *a, const struct prefix *p)
{
    unsigned whole = p->bits / 8, rest = p->bits % 8;
    if (memcmp(a, p->bytes, whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (a[whole] & mask) == (p->bytes[whole] & mask);
}

static enum addrclass lookup(const unsigned char *a, const struct prefix *t, size_t n,
                             enum addrclass otherwise)
{
    for (size_t i = 0; i < n; i++)
        if (in_prefix(a, &t[i]))
            return t[i].cls;
    return otherwise;
}

static enum addrclass v6_class(const unsigned char *a)
{
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
    enum addrclass c =
        lookup(a, v6_prefixes, sizeof(v6_prefixes) / sizeof(v6_prefixes[0]), ADDRCLASS__MAX);
    if (c != ADDRCLASS__MAX)
        return c;
    if (memcmp(a, nat64, sizeof(nat64)) == 0)
        return addrclass_of(AF_INET, a + 12);
    if (a[0] == 0x20 && a[1] == 0x02) /* 6to4: 2002:V4ADDR::/48 */
        return addrclass_of(AF_INET, a + 2);
    return (a[0] & 0xe0) == 0x20 ? ADDRCLASS_PUBLIC : ADDRCLASS_RESERVED;
}

enum addrclass addrclass_of(int family, const unsigned char *bytes)
{
    if (family == AF_INET)
        return lookup(bytes, v4_prefixes, sizeof(v4_prefixes) / sizeof(v4_prefixes[0]),
                      ADDRCLASS_PUBLIC);
    if (family == AF_INET6)
        return v6_class(bytes);
    return ADDRCLASS_RESERVED;
}

enum addrclass addrclass_of_text(const char *text)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, text, a) == 1)
        return addrclass_of(AF_INET, a);
    if (inet_pton(AF_INET6, text, a) == 1)
        return addrclass_of(AF_INET6, a);
    return ADDRCLASS_RESERVED;
}

const char *addrclass_name(enum addrclass c)
{
    static const char *const names[ADDRCLASS__MAX] = {
        [ADDRCLASS_PUBLIC] = "public",           [ADDRCLASS_UNSPECIFIED] = "unspecified",
        [ADDRCLASS_LOOPBACK] = "loopback",       [ADDRCLASS_PRIVATE] = "private",
        [ADDRCLASS_LINK_LOCAL] = "link-local",   [ADDRCLASS_CGNAT] = "CGNAT",
        [ADDRCLASS_MULTICAST] = "multicast",     [ADDRCLASS_RESERVED] = "reserved",
        [ADDRCLASS_MAPPED] = "IPv4-mapped IPv6",
    };
    return (unsigned)c < ADDRCLASS__MAX ? names[c] : "reserved";
}
