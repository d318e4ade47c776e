/* Unit tests for the row-binding helpers (no database needed). */
#include <CUnit/CUnit.h>
#include <stddef.h>
#include <string.h>

#include "base/arena.h"
#include "db/bind.h"
#include "db/db.h"
#include "unit.h"

static void test_params(void)
{
    struct db_arg args[] = {DB_ARG_INT(-42), DB_ARG_STR("héllo", 6), DB_ARG_NULL,
                            DB_ARG_DOUBLE(2.5)};
    MYSQL_BIND b[4];
    CU_ASSERT_EQUAL_FATAL(bind_params(args, 4, b), 0);
    CU_ASSERT_EQUAL(b[0].buffer_type, MYSQL_TYPE_LONGLONG);
    CU_ASSERT_EQUAL(*(long long *)b[0].buffer, -42);
    CU_ASSERT_FALSE(b[0].is_unsigned);
    CU_ASSERT_EQUAL(b[1].buffer_type, MYSQL_TYPE_STRING);
    CU_ASSERT_PTR_EQUAL(b[1].buffer, args[1].s); /* no copy: bound in place */
    CU_ASSERT_EQUAL(b[1].buffer_length, 6);
    CU_ASSERT_EQUAL(b[2].buffer_type, MYSQL_TYPE_NULL);
    CU_ASSERT_EQUAL(b[3].buffer_type, MYSQL_TYPE_DOUBLE);
    CU_ASSERT_EQUAL(*(double *)b[3].buffer, 2.5);
}

static void test_params_limits(void)
{
    struct db_arg many[DB_MAX_BIND + 1];
    MYSQL_BIND b[DB_MAX_BIND + 1];
    for (size_t i = 0; i < DB_MAX_BIND + 1; i++)
        many[i] = DB_ARG_INT(i);
    CU_ASSERT_EQUAL(bind_params(many, DB_MAX_BIND + 1, b), -1);
    CU_ASSERT_EQUAL(bind_params(many, DB_MAX_BIND, b), 0);
    struct db_arg bad = {.type = (enum db_type)99};
    CU_ASSERT_EQUAL(bind_params(&bad, 1, b), -1);
}

struct row {
    long long id;
    char *title;
    size_t title_len;
    int title_null;
    double score;
    char *note;
    int note_null;
};

static const struct db_col cols[] = {
    DB_COL_INT(struct row, id),
    {DB_T_STR, offsetof(struct row, title), offsetof(struct row, title_len),
     offsetof(struct row, title_null)},
    DB_COL_DOUBLE(struct row, score),
    {DB_T_STR, offsetof(struct row, note), DB_NO_OFFSET, offsetof(struct row, note_null)},
};

static void test_row_fill(void)
{
    struct arena a;
    arena_init(&a, 0);
    const char title[] = {'a', 'b', '\0', 'c'}; /* 4 bytes with a NUL inside */
    struct db_value vals[] = {{.i = 7}, {.s = title, .len = 4}, {.d = 4.25}, {.is_null = 1}};
    struct row r;
    memset(&r, 0xab, sizeof(r)); /* garbage that must be cleared */
    CU_ASSERT_EQUAL_FATAL(bind_row_fill(cols, 4, vals, &r, sizeof(r), &a), 0);
    CU_ASSERT_EQUAL(r.id, 7);
    CU_ASSERT_EQUAL(r.title_len, 4);
    CU_ASSERT_EQUAL(memcmp(r.title, title, 4), 0);
    CU_ASSERT_EQUAL(r.title[4], '\0');
    CU_ASSERT_PTR_NOT_EQUAL(r.title, title); /* an arena copy */
    CU_ASSERT_EQUAL(r.title_null, 0);
    CU_ASSERT_EQUAL(r.score, 4.25);
    CU_ASSERT_PTR_NULL(r.note);
    CU_ASSERT_EQUAL(r.note_null, 1);
    arena_free(&a);
}

static void test_row_fill_arena_full(void)
{
    struct arena a;
    arena_init(&a, 16); /* too small for the string */
    char big[100];
    memset(big, 'x', sizeof(big));
    struct db_value vals[] = {{.i = 1}, {.s = big, .len = sizeof(big)}, {.d = 0}, {.is_null = 1}};
    struct row r;
    CU_ASSERT_EQUAL(bind_row_fill(cols, 4, vals, &r, sizeof(r), &a), -1);
    arena_free(&a);
}

/* The column a data error names, for the 422 that reports it. */
static void test_error_column(void)
{
    char col[64];
    UNIT_ASSERT_STR(db_error_column("Incorrect string value: '\\xF4\\x90\\x80\\x80ab' for column "
                                    "`recipebox`.`recipes`.`title` at row 1",
                                    col, sizeof(col)),
                    "title");
    UNIT_ASSERT_STR(db_error_column("Data too long for column 'note' at row 3", col, sizeof(col)),
                    "note");
    UNIT_ASSERT_STR(
        db_error_column("Out of range value for column `servings` at row 1", col, sizeof(col)),
        "servings");
    UNIT_ASSERT_STR(db_error_column("Deadlock found when trying to get lock", col, sizeof(col)),
                    "");
    UNIT_ASSERT_STR(db_error_column("for column ", col, sizeof(col)), "");
}

int unit_db_bind_register(void)
{
    CU_pSuite s = CU_add_suite("db_bind", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "the column a data error names", test_error_column) ||
        !CU_add_test(s, "parameters bind by type", test_params) ||
        !CU_add_test(s, "too many or unknown parameters are refused", test_params_limits) ||
        !CU_add_test(s, "a row fills the struct, NULLs flagged", test_row_fill) ||
        !CU_add_test(s, "an exhausted arena fails the row", test_row_fill_arena_full))
        return -1;
    return 0;
}
