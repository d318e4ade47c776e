/* Address allow-lists for /metrics and trusted proxies: entries are IPv4 or
 * IPv6 addresses or CIDR blocks, separated by commas or spaces. Pure. */
#include "lib/ipmatch.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ipaddr {
    int family;
    unsigned char bytes[16];
};

static int ip_parse(const char *s, struct ipaddr *ip)
{
    memset(ip, 0, sizeof(*ip));
    if (inet_pton(AF_INET, s, ip->bytes) == 1) {
        ip->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, s, ip->bytes) == 1) {
        ip->family = AF_INET6;
        /* an IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address */
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(ip->bytes, mapped, 12) == 0) {
            memmove(ip->bytes, ip->bytes + 12, 4);
            memset(ip->bytes + 4, 0, 12);
            ip->family = AF_INET;
        }
        return 0;
    }
    return -1;
}

/* Parses "ADDR" or "ADDR/BITS" (len bytes of entry). */
static int entry_parse(const char *entry, size_t len, struct ipaddr *ip, unsigned *bits)
{
    char buf[64];
    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, entry, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash != NULL)
        *slash = '\0';
    if (ip_parse(buf, ip) != 0)
        return -1;
    unsigned max = ip->family == AF_INET ? 32 : 128;
    *bits = max;
    if (slash != NULL) {
        char *end;
        const char *digits = slash + 1;
        if (*digits < '0' || *digits > '9')
            return -1;
        unsigned long b = strtoul(digits, &end, 10);
        if (*end != '\0' || b > max)
            return -1;
        *bits = (unsigned)b;
    }
    return 0;
}

static int prefix_equal(const struct ipaddr *a, const struct ipaddr *b, unsigned bits)
{
    if (a->family != b->family)
        return 0;
    unsigned full = bits / 8, rest = bits % 8;
    if (memcmp(a->bytes, b->bytes, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a->bytes[full] & mask) == (b->bytes[full] & mask);
}

/* Calls fn for each entry of list; stops when fn returns non-zero. */
static int list_each(const char *list, int (*fn)(const char *, size_t, void *), void *ctx)
{
    const char *p = list;
    while (*p != '\0') {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if (len > 0) {
            int rc = fn(p, len, ctx);
            if (rc != 0)
                return rc;
        }
        p += len;
    }
    return 0;
}

static int match_one(const char *entry, size_t len, void *ctx)
{
    struct ipaddr net;
    unsigned bits;
    if (entry_parse(entry, len, &net, &bits) != 0)
        return 0;
    return prefix_equal(&net, ctx, bits);
}

int ipmatch_list(const char *list, const char *addr)
{
    struct ipaddr ip;
    if (list == NULL || addr == NULL || ip_parse(addr, &ip) != 0)
        return 0;
    return list_each(list, match_one, &ip) == 1;
}

struct check_ctx {
    char *err;
    unsigned long errlen;
};

static int check_one(const char *entry, size_t len, void *ctx)
{
    struct check_ctx *cc = ctx;
    struct ipaddr ip;
    unsigned bits;
    if (entry_parse(entry, len, &ip, &bits) == 0)
        return 0;
    snprintf(cc->err, cc->errlen, "%.*s", (int)(len > 100 ? 100 : len), entry);
    return -1;
}

int ipmatch_check(const char *list, char *err, unsigned long errlen)
{
    struct check_ctx cc = {err, errlen};
    return list_each(list, check_one, &cc) == 0 ? 0 : -1;
}
