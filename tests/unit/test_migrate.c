/* Unit tests for the migration file scanner and the checksum. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/migrate.h"
#include "unit.h"

static void test_parse_name(void)
{
    unsigned v = 0;
    char name[MIGRATE_NAME];
    int up = -1;
    CU_ASSERT_EQUAL(migrate_parse_name("0001_init.up.sql", &v, name, sizeof(name), &up), 0);
    CU_ASSERT_EQUAL(v, 1);
    CU_ASSERT_STRING_EQUAL(name, "0001_init");
    CU_ASSERT_EQUAL(up, 1);
    CU_ASSERT_EQUAL(migrate_parse_name("0042_add_users.down.sql", &v, name, sizeof(name), &up), 0);
    CU_ASSERT_EQUAL(v, 42);
    CU_ASSERT_STRING_EQUAL(name, "0042_add_users");
    CU_ASSERT_EQUAL(up, 0);
    CU_ASSERT_EQUAL(migrate_parse_name("12345_x.up.sql", &v, name, sizeof(name), &up), 0);
    CU_ASSERT_EQUAL(v, 12345);
}

static void test_parse_name_rejects(void)
{
    unsigned v;
    char name[MIGRATE_NAME];
    int up;
    static const char *const bad[] = {
        "001_short.up.sql",       "0001init.up.sql",
        "0001_.up.sql",           "0001_x.sql",
        "0001_x.up.sql.bak",      "0001_X.up.sql",
        "0001_a-b.up.sql",        "README.md",
        "0001_x.UP.sql",          ".0001_x.up.sql",
        "abcd_x.up.sql",          "0001_x.upsql",
        "0001234567890_x.up.sql", "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = migrate_parse_name(bad[i], &v, name, sizeof(name), &up);
        if (rc != -1)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CU_ASSERT_EQUAL(rc, -1);
    }
    /* a name that does not fit the buffer is refused, never cut */
    char tiny[8];
    CU_ASSERT_EQUAL(migrate_parse_name("0001_longer_name.up.sql", &v, tiny, sizeof(tiny), &up), -1);
}

static void test_checksum(void)
{
    char a[65], b[65], c[65], d[65];
    /* SHA-256 of "" NUL "" is SHA-256 of a single zero byte */
    migrate_checksum("", 0, "", 0, a);
    CU_ASSERT_STRING_EQUAL(a, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    migrate_checksum("CREATE TABLE t (x INT);", 23, "DROP TABLE t;", 13, b);
    migrate_checksum("CREATE TABLE t (x INT); ", 24, "DROP TABLE t;", 13, c);
    migrate_checksum("CREATE TABLE t (x INT);", 23, "DROP TABLE t; ", 14, d);
    CU_ASSERT_EQUAL(strlen(b), 64);
    CU_ASSERT_STRING_NOT_EQUAL(b, c); /* an edited up file is seen */
    CU_ASSERT_STRING_NOT_EQUAL(b, d); /* so is an edited down file */
    /* the separator keeps "ab"+"c" apart from "a"+"bc" */
    migrate_checksum("ab", 2, "c", 1, c);
    migrate_checksum("a", 1, "bc", 2, d);
    CU_ASSERT_STRING_NOT_EQUAL(c, d);
}

static char tmpdir[64];

static void put(const char *file, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, file);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* Empties the scratch directory; also used by the suite cleanup, so it
 * reports instead of asserting. */
static int clear_dir(void)
{
    DIR *d = opendir(tmpdir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        char path[512];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
        rc |= unlink(path);
    }
    closedir(d);
    return rc;
}

static int suite_init(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/rbunitmig.XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int suite_clean(void)
{
    return clear_dir() == 0 && rmdir(tmpdir) == 0 ? 0 : -1;
}

static void test_scan_sorted(void)
{
    CU_ASSERT_EQUAL_FATAL(clear_dir(), 0);
    put("0010_b.up.sql", "B");
    put("0010_b.down.sql", "b");
    put("0002_a.up.sql", "A");
    put("0002_a.down.sql", "a");
    struct migration_set set;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(migrate_scan(tmpdir, &set, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(set.n, 2);
    CU_ASSERT_EQUAL(set.items[0].version, 2);
    CU_ASSERT_STRING_EQUAL(set.items[0].name, "0002_a");
    CU_ASSERT_STRING_EQUAL(set.items[0].up, "A");
    CU_ASSERT_STRING_EQUAL(set.items[0].down, "a");
    CU_ASSERT_EQUAL(set.items[1].version, 10);
    char sum[65];
    migrate_checksum("B", 1, "b", 1, sum);
    CU_ASSERT_STRING_EQUAL(set.items[1].checksum, sum);
    migrate_set_free(&set);
}

static void test_scan_errors(void)
{
    struct migration_set set;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(clear_dir(), 0);
    put("0001_a.up.sql", "A");
    CU_ASSERT_EQUAL(migrate_scan(tmpdir, &set, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ".down.sql file is missing"));
    CU_ASSERT_EQUAL_FATAL(clear_dir(), 0);
    put("0001_a.up.sql", "A");
    put("0001_a.down.sql", "a");
    put("0001_b.up.sql", "B");
    CU_ASSERT_EQUAL(migrate_scan(tmpdir, &set, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "version 1 is used twice"));
    CU_ASSERT_EQUAL_FATAL(clear_dir(), 0);
    put("0001_a.up.sql", "A");
    put("0001_a.down.sql", "a");
    put("notes.txt", "x");
    CU_ASSERT_EQUAL(migrate_scan(tmpdir, &set, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "notes.txt: not a migration name"));
    CU_ASSERT_EQUAL(migrate_scan("/nonexistent/dir", &set, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/dir"));
}

static void test_scan_repo(void)
{
    /* the shipped migrations scan cleanly, in order, each with a down file */
    struct migration_set set;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(migrate_scan("sql/migrations", &set, err, sizeof(err)), 0);
    CU_ASSERT(set.n >= 2);
    for (size_t i = 1; i < set.n; i++)
        CU_ASSERT(set.items[i - 1].version < set.items[i].version);
    CU_ASSERT_STRING_EQUAL(set.items[0].name, "0001_init");
    migrate_set_free(&set);
}

int unit_migrate_register(void)
{
    CU_pSuite s = CU_add_suite("migrate", suite_init, suite_clean);
    if (s == NULL || !CU_add_test(s, "file names parse", test_parse_name) ||
        !CU_add_test(s, "bad file names are refused", test_parse_name_rejects) ||
        !CU_add_test(s, "checksum covers both files", test_checksum) ||
        !CU_add_test(s, "scan sorts and reads both files", test_scan_sorted) ||
        !CU_add_test(s, "scan reports what is wrong", test_scan_errors) ||
        !CU_add_test(s, "the shipped migrations scan", test_scan_repo))
        return -1;
    return 0;
}
