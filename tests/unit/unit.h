/* The unit test runner's shared declarations: each suite registers itself
 * through one function listed here (and in main.c), and a few assertions
 * that report the values they compared instead of crashing on NULL. */
#ifndef RB_TESTS_UNIT_H
#define RB_TESTS_UNIT_H

#include <CUnit/CUnit.h>

int unit_arena_register(void);
int unit_config_register(void);
int unit_request_register(void);
int unit_router_register(void);
int unit_response_register(void);
int unit_ipmatch_register(void);
int unit_dbhosts_register(void);
int unit_core_register(void);
int unit_migrate_register(void);
int unit_db_bind_register(void);
int unit_password_register(void);
int unit_recipe_register(void);
int unit_multipart_register(void);
int unit_imagecheck_register(void);
int unit_image_register(void);
int unit_ratelimit_register(void);
int unit_api_page_register(void);
int unit_scoreboard_register(void);
int unit_identity_register(void);
int unit_utf8_register(void);
int unit_ical_register(void);
int unit_cors_register(void);
int unit_apitoken_register(void);
int unit_limits_register(void);
int unit_mime_register(void);
int unit_mail_job_register(void);
int unit_jobs_register(void);
int unit_mfa_register(void);
int unit_archive_register(void);
int unit_schemaorg_register(void);
int unit_shopping_register(void);
int unit_units_register(void);
int unit_collection_input_register(void);
int unit_addrclass_register(void);

/* 1 when both strings are non-NULL and equal; otherwise prints both (with
 * file and line) to stderr and returns 0. */
int unit_str_eq(const char *actual, const char *expected, const char *file, unsigned line);

/* 1 when haystack is non-NULL and contains needle; otherwise prints both. */
int unit_str_has(const char *haystack, const char *needle, const char *file, unsigned line);

/* One assertion recorded at an explicit line, for helpers that are called
 * from many places and should report the caller's line. */
#define UNIT_CHECK_AT(ok, line, what)                                                              \
    CU_assertImplementation((ok) ? CU_TRUE : CU_FALSE, (unsigned)(line), (what), __FILE__, "",     \
                            CU_FALSE)

/* CU_ASSERT_STRING_EQUAL without the crash on NULL, and with the values. */
#define UNIT_ASSERT_STR(actual, expected)                                                          \
    UNIT_CHECK_AT(unit_str_eq((actual), (expected), __FILE__, __LINE__), __LINE__,                 \
                  "UNIT_ASSERT_STR(" #actual ", " #expected ")")

/* haystack contains needle. */
#define UNIT_ASSERT_HAS(haystack, needle)                                                          \
    UNIT_CHECK_AT(unit_str_has((haystack), (needle), __FILE__, __LINE__), __LINE__,                \
                  "UNIT_ASSERT_HAS(" #haystack ", " #needle ")")

#endif
