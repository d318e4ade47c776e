/* Unit tests for address allow-lists (lib/ipmatch.c): exact addresses, CIDR
 * blocks on and off byte boundaries, IPv6, IPv4-mapped addresses, list
 * separators, malformed entries and what ipmatch_check reports. */
#include <string.h>

#include "lib/ipmatch.h"
#include "unit.h"

static void test_exact(void)
{
    const char *l = "127.0.0.1, ::1";
    CU_ASSERT_EQUAL(ipmatch_list(l, "127.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(l, "::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list(l, "0:0:0:0:0:0:0:1"), 1); /* any spelling of ::1 */
    CU_ASSERT_EQUAL(ipmatch_list(l, "127.0.0.2"), 0);
    CU_ASSERT_EQUAL(ipmatch_list(l, "::2"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/32", "10.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/32", "10.0.0.0"), 0);
}

static void test_cidr_v4(void)
{
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "10.255.255.255"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "10.0.0.0"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "11.0.0.0"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "9.255.255.255"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("192.168.1.0/24", "192.168.1.200"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("192.168.1.0/24", "192.168.2.1"), 0);
    /* off a byte boundary: 172.16.0.0/12 is 172.16.0.0 .. 172.31.255.255 */
    CU_ASSERT_EQUAL(ipmatch_list("172.16.0.0/12", "172.16.0.0"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("172.16.0.0/12", "172.31.255.255"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("172.16.0.0/12", "172.32.0.0"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("172.16.0.0/12", "172.15.255.255"), 0);
    /* 192.0.2.64/27 is .64 .. .95 */
    CU_ASSERT_EQUAL(ipmatch_list("192.0.2.64/27", "192.0.2.95"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("192.0.2.64/27", "192.0.2.96"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("192.0.2.64/27", "192.0.2.63"), 0);
    /* host bits in the entry do not matter */
    CU_ASSERT_EQUAL(ipmatch_list("10.1.2.3/8", "10.9.9.9"), 1);
    /* /0 is every IPv4 address, and no IPv6 one */
    CU_ASSERT_EQUAL(ipmatch_list("0.0.0.0/0", "203.0.113.9"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("0.0.0.0/0", "2001:db8::1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/08", "10.1.1.1"), 1); /* leading zero in bits */
}

static void test_cidr_v6(void)
{
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::/32", "2001:db8:ffff::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::/32", "2001:db9::1"), 0);
    /* fe80::/10 is fe80:: .. febf:ffff:... */
    CU_ASSERT_EQUAL(ipmatch_list("fe80::/10", "febf::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("fe80::/10", "fec0::1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("FE80::/10", "fe80::abcd"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("::/0", "2001:db8::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("::/0", "127.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::1/128", "2001:db8::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::1/128", "2001:db8::2"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::/127", "2001:db8::1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("2001:db8::/127", "2001:db8::2"), 0);
}

static void test_mapped(void)
{
    /* an IPv4-mapped IPv6 peer (dual-stack socket) is its IPv4 address */
    CU_ASSERT_EQUAL(ipmatch_list("127.0.0.1", "::ffff:127.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "::ffff:10.1.2.3"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "::FFFF:10.1.2.3"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/8", "::ffff:11.1.2.3"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("::ffff:10.0.0.1", "10.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("0.0.0.0/0", "::ffff:203.0.113.9"), 1);
}

static void test_separators(void)
{
    const char *lists[] = {"10.0.0.1,10.0.0.2", "10.0.0.1 10.0.0.2", "10.0.0.1\t10.0.0.2",
                           ", 10.0.0.1 ,, 10.0.0.2 ,", "10.0.0.1 , \t 10.0.0.2"};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        CU_ASSERT_EQUAL(ipmatch_list(lists[i], "10.0.0.1"), 1);
        CU_ASSERT_EQUAL(ipmatch_list(lists[i], "10.0.0.2"), 1);
        CU_ASSERT_EQUAL(ipmatch_list(lists[i], "10.0.0.3"), 0);
    }
    CU_ASSERT_EQUAL(ipmatch_list("", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list(" , ", "10.0.0.1"), 0);
}

static void test_malformed(void)
{
    /* a bad entry never matches, and does not stop the others */
    CU_ASSERT_EQUAL(ipmatch_list("bogus, 10.0.0.1", "10.0.0.1"), 1);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/33", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/x", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/8x", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/-1", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/+8", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.1/8/8", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0.0/99999999999999999999", "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("::1/129", "::1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("localhost", "127.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("10.0.0", "10.0.0.0"), 0);
    /* an address that is not one never matches, even against /0 */
    static const char *const bad[] = {"",           "localhost",    "10.0.0.1 ", " 10.0.0.1",
                                      "10.0.0",     "999.0.0.1",    "010.0.0.1", "10.0.0.1/32",
                                      "fe80::1%lo", "2001:db8:::1", "1.2.3.4.5", "::ffff:1.2.3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(ipmatch_list("0.0.0.0/0, ::/0", bad[i]), 0);
    CU_ASSERT_EQUAL(ipmatch_list(NULL, "10.0.0.1"), 0);
    CU_ASSERT_EQUAL(ipmatch_list("0.0.0.0/0", NULL), 0);
}

static void test_check(void)
{
    char err[128] = "unchanged";
    CU_ASSERT_EQUAL(ipmatch_check("127.0.0.1, ::1, 10.0.0.0/8, fe80::/10", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(ipmatch_check("", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(ipmatch_check("::1/128, 0.0.0.0/0", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(ipmatch_check("127.0.0.1, bogus, 10.0.0.1", err, sizeof(err)), -1);
    UNIT_ASSERT_STR(err, "bogus"); /* the bad entry alone */
    CU_ASSERT_EQUAL(ipmatch_check("10.0.0.0/33", err, sizeof(err)), -1);
    UNIT_ASSERT_STR(err, "10.0.0.0/33");
    CU_ASSERT_EQUAL(ipmatch_check("::1 ::1/129", err, sizeof(err)), -1);
    UNIT_ASSERT_STR(err, "::1/129");
    CU_ASSERT_EQUAL(ipmatch_check("a, b", err, sizeof(err)), -1);
    UNIT_ASSERT_STR(err, "a"); /* the first bad one */
    CU_ASSERT_EQUAL(ipmatch_check("example.com", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(ipmatch_check("fe80::1%eth0", err, sizeof(err)), -1);
    /* a long entry is quoted up to 100 bytes */
    char longer[200];
    memset(longer, 'z', 150);
    longer[150] = '\0';
    CU_ASSERT_EQUAL(ipmatch_check(longer, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(strlen(err), 100);
    /* a small err buffer is still terminated */
    char small[6];
    CU_ASSERT_EQUAL(ipmatch_check("bogusbogus", small, sizeof(small)), -1);
    UNIT_ASSERT_STR(small, "bogus");
}

int unit_ipmatch_register(void)
{
    CU_pSuite s = CU_add_suite("ipmatch", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "exact addresses", test_exact) ||
        !CU_add_test(s, "IPv4 CIDR blocks", test_cidr_v4) ||
        !CU_add_test(s, "IPv6 CIDR blocks", test_cidr_v6) ||
        !CU_add_test(s, "IPv4-mapped addresses", test_mapped) ||
        !CU_add_test(s, "list separators", test_separators) ||
        !CU_add_test(s, "malformed entries and addresses", test_malformed) ||
        !CU_add_test(s, "ipmatch_check names the bad entry", test_check))
        return -1;
    return 0;
}
