/* What kind of address an outbound fetch would connect to: public, or one
 * of the kinds a server-side request must never reach on a user's behalf
 * (loopback, private, link-local, CGNAT, multicast, reserved, IPv4-mapped
 * IPv6). The guarded fetcher (base/fetch.c) refuses every kind but
 * ADDRCLASS_PUBLIC unless the config allows the address. Pure. */
#ifndef RB_LIB_ADDRCLASS_H
#define RB_LIB_ADDRCLASS_H

#include <stddef.h>

enum addrclass {
    ADDRCLASS_PUBLIC = 0,
    ADDRCLASS_UNSPECIFIED, /* 0.0.0.0/8, :: */
    ADDRCLASS_LOOPBACK,    /* 127.0.0.0/8, ::1 */
    ADDRCLASS_PRIVATE,     /* RFC 1918, fc00::/7, fec0::/10, 64:ff9b:1::/48 */
    ADDRCLASS_LINK_LOCAL,  /* 169.254.0.0/16 (cloud metadata), fe80::/10 */
    ADDRCLASS_CGNAT,       /* 100.64.0.0/10 (RFC 6598) */
    ADDRCLASS_MULTICAST,   /* 224.0.0.0/4, ff00::/8 */
    ADDRCLASS_RESERVED,    /* documentation, benchmarking, 240/4, IETF, outside 2000::/3 */
    ADDRCLASS_MAPPED,      /* ::ffff:0:0/96 and ::/96 (IPv4 in IPv6): refused outright */
    ADDRCLASS__MAX
};

/* The kind of a raw address: family AF_INET (bytes: 4, network order) or
 * AF_INET6 (16). NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are
 * the kind of the IPv4 address they carry. An unknown family: RESERVED. */
enum addrclass addrclass_of(int family, const unsigned char *bytes);

/* The kind of a textual address ("10.0.0.1", "::1", no brackets or zone);
 * RESERVED when text is not an address. */
enum addrclass addrclass_of_text(const char *text);

/* "public", "loopback", ... for messages and logs; never NULL. */
const char *addrclass_name(enum addrclass c);

#endif
