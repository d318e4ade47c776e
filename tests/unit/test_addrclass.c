/* Unit tests for the outbound address classifier (lib/addrclass.c): every
 * refused kind at its edges (the first and last address of each block and
 * the neighbours just outside), IPv4-mapped and -compatible IPv6, NAT64 and
 * 6to4 carrying an IPv4 address, and what counts as public. */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "lib/addrclass.h"
#include "unit.h"

#define IS(text, cls) CU_ASSERT_EQUAL(addrclass_of_text(text), cls)

static void test_v4_blocks(void)
{
    IS("0.0.0.0", ADDRCLASS_UNSPECIFIED);
    IS("0.255.255.255", ADDRCLASS_UNSPECIFIED);
    IS("1.0.0.0", ADDRCLASS_PUBLIC);
    IS("127.0.0.1", ADDRCLASS_LOOPBACK);
    IS("127.255.255.254", ADDRCLASS_LOOPBACK);
    IS("128.0.0.1", ADDRCLASS_PUBLIC);
    IS("126.255.255.255", ADDRCLASS_PUBLIC);
    IS("10.0.0.0", ADDRCLASS_PRIVATE);
    IS("10.255.255.255", ADDRCLASS_PRIVATE);
    IS("11.0.0.0", ADDRCLASS_PUBLIC);
    IS("172.16.0.0", ADDRCLASS_PRIVATE);
    IS("172.31.255.255", ADDRCLASS_PRIVATE);
    IS("172.15.255.255", ADDRCLASS_PUBLIC);
    IS("172.32.0.0", ADDRCLASS_PUBLIC);
    IS("192.168.0.1", ADDRCLASS_PRIVATE);
    IS("192.169.0.1", ADDRCLASS_PUBLIC);
    IS("169.254.169.254", ADDRCLASS_LINK_LOCAL); /* the cloud metadata service */
    IS("169.255.0.1", ADDRCLASS_PUBLIC);
    IS("224.0.0.1", ADDRCLASS_MULTICAST);
    IS("239.255.255.255", ADDRCLASS_MULTICAST);
    IS("240.0.0.1", ADDRCLASS_RESERVED);
    IS("255.255.255.255", ADDRCLASS_RESERVED);
    IS("192.0.2.10", ADDRCLASS_RESERVED);
    IS("198.18.0.1", ADDRCLASS_RESERVED);
    IS("198.19.255.255", ADDRCLASS_RESERVED);
    IS("198.20.0.0", ADDRCLASS_PUBLIC);
    IS("93.184.215.14", ADDRCLASS_PUBLIC);
    IS("8.8.8.8", ADDRCLASS_PUBLIC);
}

static void test_cgnat(void)
{
    /* 100.64.0.0/10 is 100.64.0.0 .. 100.127.255.255: off a byte boundary */
    IS("100.64.0.0", ADDRCLASS_CGNAT);
    IS("100.127.255.255", ADDRCLASS_CGNAT);
    IS("100.100.100.200", ADDRCLASS_CGNAT); /* Alibaba's metadata address */
    IS("100.63.255.255", ADDRCLASS_PUBLIC);
    IS("100.128.0.0", ADDRCLASS_PUBLIC);
}

static void test_v6_blocks(void)
{
    IS("::", ADDRCLASS_UNSPECIFIED);
    IS("::1", ADDRCLASS_LOOPBACK);
    IS("0:0:0:0:0:0:0:1", ADDRCLASS_LOOPBACK);
    IS("fe80::1", ADDRCLASS_LINK_LOCAL);
    IS("febf:ffff::1", ADDRCLASS_LINK_LOCAL);
    IS("fec0::1", ADDRCLASS_PRIVATE);
    IS("fc00::1", ADDRCLASS_PRIVATE);
    IS("fd12:3456::1", ADDRCLASS_PRIVATE);
    IS("ff02::1", ADDRCLASS_MULTICAST);
    IS("2001:db8::1", ADDRCLASS_RESERVED);
    IS("2001::1", ADDRCLASS_RESERVED); /* Teredo */
    IS("100::1", ADDRCLASS_RESERVED);  /* discard */
    IS("4000::1", ADDRCLASS_RESERVED); /* outside 2000::/3 */
    IS("1fff::1", ADDRCLASS_RESERVED);
    IS("2606:4700::1111", ADDRCLASS_PUBLIC);
    IS("2a00:1450:4001::1", ADDRCLASS_PUBLIC);
    IS("3ffe::1", ADDRCLASS_PUBLIC);
    IS("64:ff9b:1::1", ADDRCLASS_PRIVATE);
}

static void test_mapped(void)
{
    /* IPv4-mapped: refused outright, whatever the IPv4 address */
    IS("::ffff:127.0.0.1", ADDRCLASS_MAPPED);
    IS("::ffff:169.254.169.254", ADDRCLASS_MAPPED);
    IS("::ffff:8.8.8.8", ADDRCLASS_MAPPED);
    IS("::ffff:7f00:1", ADDRCLASS_MAPPED);
    IS("::127.0.0.1", ADDRCLASS_MAPPED); /* IPv4-compatible (deprecated) */
    /* ::ffff:0:0/96 exactly: ::fffe:... and ::1:ffff:... are not in it */
    IS("::fffe:7f00:1", ADDRCLASS_RESERVED);
    IS("::1:ffff:7f00:1", ADDRCLASS_RESERVED);
}

static void test_embedded(void)
{
    /* NAT64 and 6to4 are what the IPv4 address inside them is */
    IS("64:ff9b::127.0.0.1", ADDRCLASS_LOOPBACK);
    IS("64:ff9b::a9fe:a9fe", ADDRCLASS_LINK_LOCAL);
    IS("64:ff9b::8.8.8.8", ADDRCLASS_PUBLIC);
    IS("2002:7f00:1::", ADDRCLASS_LOOPBACK);
    IS("2002:0a00:0001::1", ADDRCLASS_PRIVATE);
    IS("2002:0808:0808::1", ADDRCLASS_PUBLIC);
}

static void test_raw_and_names(void)
{
    unsigned char v4[4] = {100, 64, 0, 1};
    CU_ASSERT_EQUAL(addrclass_of(AF_INET, v4), ADDRCLASS_CGNAT);
    CU_ASSERT_EQUAL(addrclass_of(AF_UNIX, v4), ADDRCLASS_RESERVED);
    IS("localhost", ADDRCLASS_RESERVED); /* not an address: never public */
    IS("", ADDRCLASS_RESERVED);
    IS("[::1]", ADDRCLASS_RESERVED);
    UNIT_ASSERT_STR(addrclass_name(ADDRCLASS_CGNAT), "CGNAT");
    UNIT_ASSERT_STR(addrclass_name(ADDRCLASS_MAPPED), "IPv4-mapped IPv6");
    UNIT_ASSERT_STR(addrclass_name(ADDRCLASS__MAX), "reserved");
}

int unit_addrclass_register(void)
{
    CU_pSuite s = CU_add_suite("addrclass", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "IPv4 blocks at their edges", test_v4_blocks) ||
        !CU_add_test(s, "CGNAT 100.64.0.0/10", test_cgnat) ||
        !CU_add_test(s, "IPv6 blocks", test_v6_blocks) ||
        !CU_add_test(s, "IPv4-mapped IPv6 refused", test_mapped) ||
        !CU_add_test(s, "NAT64 and 6to4 carry their IPv4 kind", test_embedded) ||
        !CU_add_test(s, "raw bytes, non-addresses and names", test_raw_and_names))
        return -1;
    return 0;
}
