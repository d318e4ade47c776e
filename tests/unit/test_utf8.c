/* Unit tests for the strict UTF-8 validator (lib/utf8.c): valid and invalid
 * sequences at every RFC 3629 boundary, the control-character flags, and
 * cutting a string on a character boundary. */
#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"
#include "unit.h"

struct utf8_case {
    const char *bytes;
    size_t len; /* explicit: some cases hold NUL */
    int want;   /* utf8_check without flags */
    const char *what;
};

#define CASE(s, want, what)                                                                        \
    {                                                                                              \
        s, sizeof(s) - 1, want, what                                                               \
    }

static const struct utf8_case cases[] = {
    CASE("", UTF8_OK, "empty"),
    CASE("plain ASCII", UTF8_OK, "ASCII"),
    CASE("\x00", UTF8_OK, "U+0000 is a character (refused only as a control)"),
    CASE("\x7f", UTF8_OK, "U+007F, last one-byte form"),
    CASE("\xc2\x80", UTF8_OK, "U+0080, first two-byte form"),
    CASE("\xc3\xa9", UTF8_OK, "U+00E9 e-acute"),
    CASE("\xdf\xbf", UTF8_OK, "U+07FF, last two-byte form"),
    CASE("\xe0\xa0\x80", UTF8_OK, "U+0800, first three-byte form"),
    CASE("\xe4\xb8\xad", UTF8_OK, "U+4E2D"),
    CASE("\xed\x9f\xbf", UTF8_OK, "U+D7FF, last before the surrogates"),
    CASE("\xee\x80\x80", UTF8_OK, "U+E000, first after the surrogates"),
    CASE("\xef\xbf\xbd", UTF8_OK, "U+FFFD"),
    CASE("\xef\xbf\xbf", UTF8_OK, "U+FFFF, last three-byte form"),
    CASE("\xf0\x90\x80\x80", UTF8_OK, "U+10000, first four-byte form"),
    CASE("\xf0\x9f\x98\x80", UTF8_OK, "U+1F600 emoji"),
    CASE("\xf4\x8f\xbf\xbf", UTF8_OK, "U+10FFFF, the last code point"),
    CASE("a\xc3\xa9z\xf0\x9f\x98\x80!", UTF8_OK, "mixed"),
    /* overlong forms */
    CASE("\xc0\x80", UTF8_ENCODING, "overlong U+0000"),
    CASE("\xc0\xaf", UTF8_ENCODING, "overlong '/'"),
    CASE("\xc1\xbf", UTF8_ENCODING, "overlong U+007F"),
    CASE("\xe0\x80\xaf", UTF8_ENCODING, "three-byte overlong '/'"),
    CASE("\xe0\x9f\xbf", UTF8_ENCODING, "three-byte overlong U+07FF"),
    CASE("\xf0\x80\x80\xaf", UTF8_ENCODING, "four-byte overlong '/'"),
    CASE("\xf0\x8f\xbf\xbf", UTF8_ENCODING, "four-byte overlong U+FFFF"),
    /* surrogates */
    CASE("\xed\xa0\x80", UTF8_ENCODING, "U+D800, first surrogate"),
    CASE("\xed\xbf\xbf", UTF8_ENCODING, "U+DFFF, last surrogate"),
    CASE("\xed\xa0\xbd\xed\xb8\x80", UTF8_ENCODING, "CESU-8 surrogate pair"),
    /* beyond U+10FFFF */
    CASE("\xf4\x90\x80\x80", UTF8_ENCODING, "U+110000"),
    CASE("\xf5\x80\x80\x80", UTF8_ENCODING, "lead byte 0xF5"),
    CASE("\xf7\xbf\xbf\xbf", UTF8_ENCODING, "U+1FFFFF"),
    CASE("\xf8\x88\x80\x80\x80", UTF8_ENCODING, "five-byte form"),
    CASE("\xfc\x84\x80\x80\x80\x80", UTF8_ENCODING, "six-byte form"),
    CASE("\xfe", UTF8_ENCODING, "0xFE"),
    CASE("\xff", UTF8_ENCODING, "0xFF"),
    /* stray continuation bytes */
    CASE("\x80", UTF8_ENCODING, "lone 0x80"),
    CASE("\xbf", UTF8_ENCODING, "lone 0xBF"),
    CASE("a\x80z", UTF8_ENCODING, "continuation between ASCII"),
    CASE("\xc3\xa9\xa9", UTF8_ENCODING, "one continuation too many"),
    /* truncated sequences */
    CASE("\xc3", UTF8_ENCODING, "two-byte form cut after 1"),
    CASE("\xe4\xb8", UTF8_ENCODING, "three-byte form cut after 2"),
    CASE("\xf0\x9f\x98", UTF8_ENCODING, "four-byte form cut after 3"),
    CASE("\xc3z", UTF8_ENCODING, "two-byte form with an ASCII second byte"),
    CASE("\xe4\xb8z", UTF8_ENCODING, "three-byte form with an ASCII third byte"),
    CASE("\xf0\x9f\x98z", UTF8_ENCODING, "four-byte form with an ASCII fourth byte"),
    CASE("\xe4\xc3\xa9", UTF8_ENCODING, "a lead byte where a continuation belongs"),
};

static void test_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct utf8_case *c = &cases[i];
        int got = utf8_check(c->bytes, c->len, 0);
        if (got != c->want)
            fprintf(stderr, "\n    %s: got %d, want %d\n", c->what, got, c->want);
        CU_ASSERT_EQUAL(got, c->want);
        CU_ASSERT_EQUAL(utf8_valid(c->bytes, c->len, 0), c->want == UTF8_OK);
        /* the control flags never make bad UTF-8 good */
        if (c->want == UTF8_ENCODING)
            CU_ASSERT_EQUAL(utf8_check(c->bytes, c->len, UTF8_NO_CONTROLS), UTF8_ENCODING);
    }
}

/* Only len bytes are read: a valid sequence cut by len is truncated. */
static void test_length_bounds(void)
{
    CU_ASSERT_EQUAL(utf8_check("\xc3\xa9", 1, 0), UTF8_ENCODING);
    CU_ASSERT_EQUAL(utf8_check("\xf0\x9f\x98\x80", 3, 0), UTF8_ENCODING);
    CU_ASSERT_EQUAL(utf8_check("ab\xff", 2, 0), UTF8_OK);
    CU_ASSERT_EQUAL(utf8_check(NULL, 0, UTF8_NO_CONTROLS), UTF8_OK);
    CU_ASSERT_EQUAL(utf8_check("a\0b", 3, 0), UTF8_OK); /* NUL is data */
}

static void test_controls(void)
{
    const unsigned no = UTF8_NO_CONTROLS, nl = UTF8_NO_CONTROLS | UTF8_ALLOW_NEWLINES;
    CU_ASSERT_EQUAL(utf8_check("a\0b", 3, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("\x01", 1, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("\x1f", 1, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check(" ~", 2, no), UTF8_OK); /* U+0020 and U+007E are not */
    CU_ASSERT_EQUAL(utf8_check("\x7f", 1, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("\xc2\x80", 2, no), UTF8_CONTROL); /* U+0080, first C1 */
    CU_ASSERT_EQUAL(utf8_check("\xc2\x85", 2, no), UTF8_CONTROL); /* NEL */
    CU_ASSERT_EQUAL(utf8_check("\xc2\x9f", 2, no), UTF8_CONTROL); /* U+009F, last C1 */
    CU_ASSERT_EQUAL(utf8_check("\xc2\xa0", 2, no), UTF8_OK);      /* U+00A0 */
    CU_ASSERT_EQUAL(utf8_check("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9, no), UTF8_OK);
    /* TAB, LF and CR only with UTF8_ALLOW_NEWLINES */
    CU_ASSERT_EQUAL(utf8_check("a\tb", 3, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("a\nb", 3, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("a\rb", 3, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("a\tb\r\nc", 6, nl), UTF8_OK);
    CU_ASSERT_EQUAL(utf8_check("a\vb", 3, nl), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("a\0b", 3, nl), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("\xc2\x85", 2, nl), UTF8_CONTROL);
    /* UTF8_ALLOW_NEWLINES alone refuses nothing */
    CU_ASSERT_EQUAL(utf8_check("\x01\x7f\xc2\x80", 4, UTF8_ALLOW_NEWLINES), UTF8_OK);
    /* the first offence decides */
    CU_ASSERT_EQUAL(utf8_check("\x01\xff", 2, no), UTF8_CONTROL);
    CU_ASSERT_EQUAL(utf8_check("\xff\x01", 2, no), UTF8_ENCODING);
}

static void test_prefix(void)
{
    const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"; /* 1 + 2 + 3 + 4 bytes */
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 10), 10);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 100), 10);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 9), 6); /* not inside the emoji */
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 7), 6);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 6), 6);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 5), 3);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 2), 1);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 1), 1);
    CU_ASSERT_EQUAL(utf8_prefix(s, 10, 0), 0);
    CU_ASSERT_EQUAL(utf8_prefix("", 0, 0), 0);
}

int unit_utf8_register(void)
{
    CU_pSuite s = CU_add_suite("utf8", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "valid and invalid sequences", test_table) ||
        !CU_add_test(s, "only len bytes are read", test_length_bounds) ||
        !CU_add_test(s, "control characters", test_controls) ||
        !CU_add_test(s, "prefixes end on a character boundary", test_prefix))
        return -1;
    return 0;
}
