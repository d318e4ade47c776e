/* Unit tests for the outbound address classifier (lib/addrclass.c): every
 * refused kind at its edges (the first and last address of each block and
 * the neighbours just outside), IPv4-mapped and -compatible IPv6, NAT64 and
 * 6to4 carrying an IPv4 address, and what counts as public; then the
 * fetcher's policy over it ([import] allow_private_addresses) and the
 * [import] keys' checks. */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "base/config.h"
#include "base/fetch.h"
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

/* fetch_address_allowed over a textual address with allow as the key. */
static int allowed(const char *allow, const char *text)
{
    struct config c;
    unsigned char a[16];
    int family = inet_pton(AF_INET, text, a) == 1 ? AF_INET : AF_INET6;
    config_defaults(&c);
    snprintf(c.import_allow_private, sizeof(c.import_allow_private), "%s", allow);
    if (family == AF_INET6 && inet_pton(AF_INET6, text, a) != 1)
        return -1;
    return fetch_address_allowed(&c, family, a, NULL);
}

static void test_policy(void)
{
    CU_ASSERT_EQUAL(allowed("false", "8.8.8.8"), 1);
    CU_ASSERT_EQUAL(allowed("false", "2606:4700::1111"), 1);
    CU_ASSERT_EQUAL(allowed("false", "127.0.0.2"), 0);
    CU_ASSERT_EQUAL(allowed("false", "169.254.169.254"), 0);
    CU_ASSERT_EQUAL(allowed("false", "100.64.0.1"), 0);
    CU_ASSERT_EQUAL(allowed("false", "::ffff:8.8.8.8"), 0);
    /* a list allows exactly what it names */
    CU_ASSERT_EQUAL(allowed("127.0.0.2/32", "127.0.0.2"), 1);
    CU_ASSERT_EQUAL(allowed("127.0.0.2/32", "127.0.0.1"), 0);
    CU_ASSERT_EQUAL(allowed("127.0.0.2/32", "::1"), 0);
    CU_ASSERT_EQUAL(allowed("127.0.0.2/32", "169.254.169.254"), 0);
    CU_ASSERT_EQUAL(allowed("10.0.0.0/8, fd00::/8", "10.9.8.7"), 1);
    CU_ASSERT_EQUAL(allowed("10.0.0.0/8, fd00::/8", "fd00::5"), 1);
    /* never an IPv4-mapped address through a list, even of a listed one */
    CU_ASSERT_EQUAL(allowed("127.0.0.2/32", "::ffff:127.0.0.2"), 0);
    CU_ASSERT_EQUAL(allowed("::/0", "::ffff:127.0.0.2"), 0);
    /* true: everything */
    CU_ASSERT_EQUAL(allowed("true", "127.0.0.1"), 1);
    CU_ASSERT_EQUAL(allowed("true", "::ffff:127.0.0.1"), 1);
    UNIT_ASSERT_STR(fetch_error_code(FETCH_FORBIDDEN), "forbidden");
    UNIT_ASSERT_STR(fetch_error_code(FETCH__MAX), "unreachable");
}

static int import_key(const char *key, const char *value, char *err, size_t errlen)
{
    struct config c;
    config_defaults(&c);
    err[0] = '\0';
    return config_set(&c, "import", key, value, err, errlen);
}

static void test_import_keys(void)
{
    char err[256];
    CU_ASSERT_EQUAL(import_key("allow_private_addresses", "false", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(import_key("allow_private_addresses", "127.0.0.2/32, ::1", err, sizeof(err)),
                    0);
    CU_ASSERT_EQUAL(import_key("allow_private_addresses", "yes", err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "allow_private_addresses");
    CU_ASSERT_EQUAL(import_key("allow_private_addresses", "", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("proxy", "http://proxy.internal:3128", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(import_key("proxy", "socks5h://127.0.0.1:1080", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(import_key("proxy", "proxy:3128", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("proxy", "http://", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("test_hosts", "a.test=127.0.0.2, b.test=::1", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(import_key("test_hosts", "a.test", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("test_hosts", "a.test=localhost", err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "localhost");
    CU_ASSERT_EQUAL(import_key("test_hosts", "=1.2.3.4", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("max_redirects", "11", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(import_key("page_limit", "5M", err, sizeof(err)), 0);
}

int unit_addrclass_register(void)
{
    CU_pSuite s = CU_add_suite("addrclass", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "IPv4 blocks at their edges", test_v4_blocks) ||
        !CU_add_test(s, "CGNAT 100.64.0.0/10", test_cgnat) ||
        !CU_add_test(s, "IPv6 blocks", test_v6_blocks) ||
        !CU_add_test(s, "IPv4-mapped IPv6 refused", test_mapped) ||
        !CU_add_test(s, "NAT64 and 6to4 carry their IPv4 kind", test_embedded) ||
        !CU_add_test(s, "raw bytes, non-addresses and names", test_raw_and_names) ||
        !CU_add_test(s, "fetch policy: allow_private_addresses", test_policy) ||
        !CU_add_test(s, "[import] keys refuse bad values", test_import_keys))
        return -1;
    return 0;
}
