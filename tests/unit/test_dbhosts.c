/* Unit tests for the [database] host list (lib/dbhosts.c): one host and
 * several, default and explicit ports, bracketed and bare IPv6, and what is
 * refused. */
#include <string.h>

#include "lib/dbhosts.h"
#include "unit.h"

static int parse(const char *s, struct dbhost *h)
{
    char why[160];
    return dbhosts_parse(s, strlen(s), 3306, h, DBHOSTS_MAX, why, sizeof(why));
}

static void test_single(void)
{
    struct dbhost h[DBHOSTS_MAX];
    CU_ASSERT_EQUAL(parse("localhost", h), 1);
    UNIT_ASSERT_STR(h[0].name, "localhost");
    CU_ASSERT_EQUAL(h[0].port, 3306);
    CU_ASSERT_EQUAL(parse(" 10.0.0.5:3307 ", h), 1);
    UNIT_ASSERT_STR(h[0].name, "10.0.0.5");
    CU_ASSERT_EQUAL(h[0].port, 3307);
}

static void test_list(void)
{
    struct dbhost h[DBHOSTS_MAX];
    CU_ASSERT_EQUAL(parse("db1:3306, db2,db3:4000", h), 3);
    UNIT_ASSERT_STR(h[0].name, "db1");
    UNIT_ASSERT_STR(h[1].name, "db2");
    CU_ASSERT_EQUAL(h[1].port, 3306);
    UNIT_ASSERT_STR(h[2].name, "db3");
    CU_ASSERT_EQUAL(h[2].port, 4000);
}

static void test_ipv6(void)
{
    struct dbhost h[DBHOSTS_MAX];
    CU_ASSERT_EQUAL(parse("[fd00::3]:3307, ::1, [::2]", h), 3);
    UNIT_ASSERT_STR(h[0].name, "fd00::3");
    CU_ASSERT_EQUAL(h[0].port, 3307);
    UNIT_ASSERT_STR(h[1].name, "::1");
    CU_ASSERT_EQUAL(h[1].port, 3306);
    UNIT_ASSERT_STR(h[2].name, "::2");
}

static void test_refused(void)
{
    struct dbhost h[DBHOSTS_MAX];
    CU_ASSERT_EQUAL(parse("", h), -1);
    CU_ASSERT_EQUAL(parse("db1,,db2", h), -1);
    CU_ASSERT_EQUAL(parse("db1,", h), -1);
    CU_ASSERT_EQUAL(parse("db1:0", h), -1);
    CU_ASSERT_EQUAL(parse("db1:65536", h), -1);
    CU_ASSERT_EQUAL(parse("db1:33a", h), -1);
    CU_ASSERT_EQUAL(parse("db1:", h), -1);
    CU_ASSERT_EQUAL(parse("db 1", h), -1);
    CU_ASSERT_EQUAL(parse("[fd00::3", h), -1);
    CU_ASSERT_EQUAL(parse("[fd00::3]x", h), -1);
    CU_ASSERT_EQUAL(parse("a,b,c,d,e,f,g,h,i", h), -1); /* nine: over DBHOSTS_MAX */
    CU_ASSERT_EQUAL(parse("a,b,c,d,e,f,g,h", h), 8);
    char longname[DBHOSTS_NAME_MAX + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    CU_ASSERT_EQUAL(parse(longname, h), -1);
}

int unit_dbhosts_register(void)
{
    CU_pSuite s = CU_add_suite("dbhosts", NULL, NULL);
    if (s == NULL)
        return -1;
    CU_add_test(s, "one host", test_single);
    CU_add_test(s, "several hosts", test_list);
    CU_add_test(s, "IPv6", test_ipv6);
    CU_add_test(s, "refused", test_refused);
    return 0;
}
