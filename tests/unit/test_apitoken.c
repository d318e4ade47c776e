/* Unit tests for personal access token text (lib/apitoken.c): the format
 * pinned against vectors computed with Python's zlib.crc32, the checksum
 * refusing any one changed character, the Authorization header rules and
 * RFC 3339 times. */
#include <string.h>

#include "lib/apitoken.h"
#include "unit.h"

static void test_format_vectors(void)
{
    unsigned char raw[32];
    char out[APITOKEN_TEXT];
    memset(raw, 0, sizeof(raw));
    apitoken_format(raw, out);
    UNIT_ASSERT_STR(out, "rbx_00000000000000000000000000000000000000000002CZclj");
    memset(raw, 0xff, sizeof(raw));
    apitoken_format(raw, out);
    UNIT_ASSERT_STR(out, "rbx_yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp13sRzl1");
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)i;
    apitoken_format(raw, out);
    UNIT_ASSERT_STR(out, "rbx_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf1Yo7hP");
    CU_ASSERT_EQUAL(strlen(out), APITOKEN_LEN);
    CU_ASSERT_EQUAL(apitoken_check(out, strlen(out)), 1);
}

static void test_new_tokens_differ(void)
{
    char a[APITOKEN_TEXT], b[APITOKEN_TEXT];
    CU_ASSERT_EQUAL_FATAL(apitoken_new(a), 0);
    CU_ASSERT_EQUAL_FATAL(apitoken_new(b), 0);
    CU_ASSERT_EQUAL(apitoken_check(a, strlen(a)), 1);
    CU_ASSERT_EQUAL(apitoken_check(b, strlen(b)), 1);
    CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
    CU_ASSERT_EQUAL(strncmp(a, "rbx_", 4), 0);
}

/* Every single-character change after the prefix is caught: CRC-32 detects
 * every error confined to 32 bits, and one character is 8. */
static void test_checksum_catches_flips(void)
{
    char t[APITOKEN_TEXT];
    CU_ASSERT_EQUAL_FATAL(apitoken_new(t), 0);
    unsigned caught = 0, tried = 0;
    for (size_t i = APITOKEN_PREFIX_LEN; i < APITOKEN_LEN; i++) {
        char keep = t[i];
        t[i] = keep == 'a' ? 'b' : 'a';
        tried++;
        caught += apitoken_check(t, APITOKEN_LEN) == 0;
        t[i] = keep;
    }
    CU_ASSERT_EQUAL(caught, tried);
    CU_ASSERT_EQUAL(apitoken_check(t, APITOKEN_LEN), 1);
}

static void test_check_shape(void)
{
    const char *good = "rbx_00000000000000000000000000000000000000000002CZclj";
    CU_ASSERT_EQUAL(apitoken_check(good, strlen(good)), 1);
    CU_ASSERT_EQUAL(apitoken_check(good, strlen(good) - 1), 0); /* truncated */
    CU_ASSERT_EQUAL(apitoken_check("rbx_", 4), 0);
    CU_ASSERT_EQUAL(apitoken_check(NULL, 0), 0);
    char t[APITOKEN_TEXT + 1];
    memcpy(t, good, APITOKEN_TEXT);
    t[0] = 'R'; /* the prefix is case-sensitive */
    CU_ASSERT_EQUAL(apitoken_check(t, APITOKEN_LEN), 0);
    memcpy(t, good, APITOKEN_TEXT);
    t[10] = '-'; /* not base62 */
    CU_ASSERT_EQUAL(apitoken_check(t, APITOKEN_LEN), 0);
    memcpy(t, good, APITOKEN_TEXT);
    t[APITOKEN_LEN] = 'x'; /* one more character */
    t[APITOKEN_LEN + 1] = '\0';
    CU_ASSERT_EQUAL(apitoken_check(t, APITOKEN_LEN + 1), 0);
}

#define AUTH_IS(h, want, tok)                                                                      \
    do {                                                                                           \
        const char *t_ = NULL;                                                                     \
        size_t n_ = 0;                                                                             \
        CU_ASSERT_EQUAL(apitoken_authorization((h), &t_, &n_), (want));                            \
        if ((tok) != NULL) {                                                                       \
            CU_ASSERT_EQUAL(n_, strlen(tok));                                                      \
            CU_ASSERT(t_ != NULL && strncmp(t_, (tok), n_) == 0);                                  \
        }                                                                                          \
    } while (0)

static void test_authorization_header(void)
{
    const char *none = NULL;
    AUTH_IS(NULL, APITOKEN_AUTH_NONE, none);
    AUTH_IS("", APITOKEN_AUTH_NONE, none);
    AUTH_IS("Basic dXNlcjpwYXNz", APITOKEN_AUTH_NONE, none); /* a front's own auth: not ours */
    AUTH_IS("Bearerx abc", APITOKEN_AUTH_NONE, none);
    AUTH_IS("Bearer abc", APITOKEN_AUTH_BEARER, "abc");
    AUTH_IS("bearer abc", APITOKEN_AUTH_BEARER, "abc"); /* the scheme is case-insensitive */
    AUTH_IS("BEARER abc", APITOKEN_AUTH_BEARER, "abc");
    AUTH_IS("Bearer a.b-c_d~e+f/g==", APITOKEN_AUTH_BEARER, "a.b-c_d~e+f/g==");
    AUTH_IS("Bearer", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer ", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer  abc", APITOKEN_AUTH_MALFORMED, none); /* exactly one space */
    AUTH_IS("Bearer\tabc", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer abc ", APITOKEN_AUTH_MALFORMED, none); /* no trailing junk */
    AUTH_IS("Bearer abc def", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer abc=d", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer ab\x01", APITOKEN_AUTH_MALFORMED, none);
    AUTH_IS("Bearer =", APITOKEN_AUTH_MALFORMED, none);
    char big[APITOKEN_HEADER_MAX + 8];
    memcpy(big, "Bearer ", 7);
    memset(big + 7, 'a', sizeof(big) - 8);
    big[sizeof(big) - 1] = '\0'; /* 7 + 512 bytes: over the cap */
    AUTH_IS(big, APITOKEN_AUTH_MALFORMED, none);
    big[APITOKEN_HEADER_MAX] = '\0'; /* exactly the cap */
    AUTH_IS(big, APITOKEN_AUTH_BEARER, big + 7);
}

#define TIME_IS(s, want)                                                                           \
    do {                                                                                           \
        long long e_ = -1;                                                                         \
        CU_ASSERT_EQUAL(apitoken_time_parse((s), &e_), 0);                                         \
        CU_ASSERT_EQUAL(e_, (want));                                                               \
    } while (0)
#define TIME_BAD(s)                                                                                \
    do {                                                                                           \
        long long e_ = 0;                                                                          \
        CU_ASSERT_EQUAL(apitoken_time_parse((s), &e_), -1);                                        \
    } while (0)

static void test_rfc3339(void)
{
    TIME_IS("1970-01-01T00:00:00Z", 0LL);
    TIME_IS("2027-01-31T12:00:00Z", 1801396800LL);
    TIME_IS("2027-01-31t12:00:00z", 1801396800LL);
    TIME_IS("2027-01-31T14:00:00.123456+02:00", 1801396800LL);
    TIME_IS("2027-01-31T07:30:00-04:30", 1801396800LL);
    TIME_IS("2028-02-29T00:00:00Z", 1835395200LL); /* a leap day */
    TIME_IS("2016-12-31T23:59:60Z", 1483228799LL); /* a leap second */
    TIME_BAD("2027-02-29T00:00:00Z");
    TIME_BAD("2027-13-01T00:00:00Z");
    TIME_BAD("2027-01-01T24:00:00Z");
    TIME_BAD("2027-01-01T00:60:00Z");
    TIME_BAD("2027-01-01T00:00:00");  /* no offset */
    TIME_BAD("2027-01-01 00:00:00Z"); /* a space is not RFC 3339's T */
    TIME_BAD("2027-01-01T00:00:00.Z");
    TIME_BAD("2027-01-01T00:00:00Zjunk");
    TIME_BAD("2027-01-01T00:00:00+0200");
    TIME_BAD("2027-01-01");
    TIME_BAD("");
    TIME_BAD(NULL);
    TIME_BAD("2027-01-01T00:00:00.0000000000000000000000000000000000000000000000000000000Z");
}

int unit_apitoken_register(void)
{
    CU_pSuite s = CU_add_suite("apitoken", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "format vectors", test_format_vectors) ||
        !CU_add_test(s, "new tokens", test_new_tokens_differ) ||
        !CU_add_test(s, "checksum catches one changed character", test_checksum_catches_flips) ||
        !CU_add_test(s, "shape", test_check_shape) ||
        !CU_add_test(s, "Authorization header", test_authorization_header) ||
        !CU_add_test(s, "RFC 3339 times", test_rfc3339))
        return -1;
    return 0;
}
