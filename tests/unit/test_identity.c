/* Unit tests for account identities (lib/identity.c): the username and
 * email rules, the Unicode normal form of emails (spaces, NFC, case) and
 * the look-alike characters emails and display names refuse. */
#include <string.h>

#include "lib/identity.h"
#include "unit.h"

/* in normalises to want (and to its length). */
#define EMAIL_IS(in, want)                                                                         \
    do {                                                                                           \
        char o_[256];                                                                              \
        long n_ = identity_email_normalize((in), o_, sizeof(o_));                                  \
        CU_ASSERT_EQUAL(n_, (long)strlen(want));                                                   \
        UNIT_ASSERT_STR(n_ >= 0 ? o_ : identity_reason(n_), (want));                               \
    } while (0)

/* in is refused with code, and out is left as it was. */
#define EMAIL_REFUSED(in, code)                                                                    \
    do {                                                                                           \
        char o_[256] = "untouched";                                                                \
        CU_ASSERT_EQUAL(identity_email_normalize((in), o_, sizeof(o_)), (code));                   \
        UNIT_ASSERT_STR(o_, "untouched");                                                          \
    } while (0)

/* The display name s (a string literal, NULs counted) gets code. */
#define DISPLAY_IS(s, code) CU_ASSERT_EQUAL(identity_display_name_check((s), sizeof(s) - 1), (code))

static void test_username_rules(void)
{
    char out[64];
    CU_ASSERT_EQUAL(identity_normalize("  Alice.B_1-\t", out, sizeof(out)), 10);
    UNIT_ASSERT_STR(out, "alice.b_1-");
    CU_ASSERT_EQUAL(identity_normalize("abcdef", out, 6), -1); /* no room for the NUL */
    CU_ASSERT_EQUAL(identity_trim(" Alice ", out, sizeof(out)), 5);
    UNIT_ASSERT_STR(out, "Alice");
    CU_ASSERT_EQUAL(identity_username_valid("alice"), 1);
    CU_ASSERT_EQUAL(identity_username_valid("a.b"), 1);
    CU_ASSERT_EQUAL(identity_username_valid("ab"), 0);
    CU_ASSERT_EQUAL(identity_username_valid("abcdefghijabcdefghijabcdefghij12"), 1);
    CU_ASSERT_EQUAL(identity_username_valid("abcdefghijabcdefghijabcdefghij123"), 0);
    CU_ASSERT_EQUAL(identity_username_valid("Alice"), 0); /* not normalised */
    CU_ASSERT_EQUAL(identity_username_valid("al ice"), 0);
    CU_ASSERT_EQUAL(identity_username_valid("\xc3\xa9mile"), 0);
}

static void test_email_rules(void)
{
    CU_ASSERT_EQUAL(identity_email_valid("a@b.c"), 1);
    CU_ASSERT_EQUAL(identity_email_valid("\xc3\xa9@b.fr"), 1);
    CU_ASSERT_EQUAL(identity_email_valid("a@b"), 0);
    CU_ASSERT_EQUAL(identity_email_valid("@b.c"), 0);
    CU_ASSERT_EQUAL(identity_email_valid("a@@b.c"), 0);
    CU_ASSERT_EQUAL(identity_email_valid("a@b@c.d"), 0);
    CU_ASSERT_EQUAL(identity_email_valid("a@.c"), 0);
    CU_ASSERT_EQUAL(identity_email_valid("a@b.c."), 0);
    CU_ASSERT_EQUAL(identity_email_valid("a b@c.d"), 0);
}

static void test_ascii_email(void)
{
    EMAIL_IS("alice@Example.COM", "alice@example.com");
    EMAIL_IS("bob.smith+tag@example.org", "bob.smith+tag@example.org");
    /* the local part is lower-cased as identity_normalize always did, so
     * the emails stored before keep matching */
    static const char *const ascii[] = {"  Bob@Example.COM\t", "X_Y-Z@A.B", "a@b.c", ""};
    for (size_t i = 0; i < sizeof(ascii) / sizeof(ascii[0]); i++) {
        char old[256], now[256];
        CU_ASSERT(identity_normalize(ascii[i], old, sizeof(old)) >= 0);
        CU_ASSERT(identity_email_normalize(ascii[i], now, sizeof(now)) >= 0);
        UNIT_ASSERT_STR(now, old);
    }
}

static void test_unicode_spaces_trimmed(void)
{
    EMAIL_IS("bob@example.com\xc2\xa0", "bob@example.com"); /* NBSP */
    EMAIL_IS("\xe3\x80\x80"
             "bob@example.com",
             "bob@example.com"); /* U+3000 */
    EMAIL_IS("\xe2\x80\x83"
             "bob@example.com\xe2\x80\xaf",
             "bob@example.com");
    EMAIL_IS("\xe2\x81\x9f"
             "bob@example.com\r\n",
             "bob@example.com");
    EMAIL_IS("\xef\xbb\xbf"
             "bob@example.com\xef\xbb\xbf",
             "bob@example.com"); /* BOM */
    EMAIL_IS(" \xc2\xa0 ", "");
    /* inside the address they are not trimmed but refused */
    EMAIL_REFUSED("bob\xc2\xa0@example.com", IDENTITY_SPACE);
    EMAIL_REFUSED("bob @example.com", IDENTITY_SPACE);
    EMAIL_REFUSED("bob\xef\xbb\xbf@example.com", IDENTITY_INVISIBLE);
}

static void test_nfc(void)
{
    /* e + U+0301 and U+00E9 are one address, stored as U+00E9 */
    EMAIL_IS("e\xcc\x81@example.fr", "\xc3\xa9@example.fr");
    EMAIL_IS("\xc3\xa9@example.fr", "\xc3\xa9@example.fr");
    EMAIL_IS("Jos\xc3\xa9@Example.fr", "jos\xc3\xa9@example.fr");
    /* NFC before lower-casing: K + U+0301 and U+1E30 are the same letter */
    EMAIL_IS("K\xcc\x81@x.fr", "\xe1\xb8\xb1@x.fr");
    EMAIL_IS("\xe1\xb8\xb0@x.fr", "\xe1\xb8\xb1@x.fr");
    /* and NFC after: j + U+030C composes to U+01F0, J + U+030C does not */
    EMAIL_IS("a@J\xcc\x8c"
             "x.fr",
             "a@\xc7\xb0x.fr");
}

static void test_case(void)
{
    /* local part: Unicode lower case; domain: ASCII only (no IDNA mapping) */
    EMAIL_IS("\xc3\x89mile@\xc3\x89"
             "COLE.FR",
             "\xc3\xa9mile@\xc3\x89"
             "cole.fr");
    EMAIL_IS("\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91\xce\xa3@x.gr",
             "\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1\xcf\x82@x.gr"); /* final sigma */
}

static void test_compat_refused(void)
{
    EMAIL_REFUSED("\xe2\x84\xaa"
                  "elvin@example.com",
                  IDENTITY_COMPAT); /* U+212A */
    EMAIL_REFUSED("bob\xef\xbc\xa0"
                  "example.com",
                  IDENTITY_COMPAT);                               /* fullwidth @ */
    EMAIL_REFUSED("\xef\xbd\x82ob@example.com", IDENTITY_COMPAT); /* fullwidth b */
    EMAIL_REFUSED("\xef\xac\x81"
                  "sh@example.com",
                  IDENTITY_COMPAT);                      /* fi ligature */
    EMAIL_REFUSED("a@\xe2\x84\xa6.gr", IDENTITY_COMPAT); /* Ohm sign */
    EMAIL_REFUSED("a\xc2\xb2@x.fr", IDENTITY_COMPAT);    /* superscript 2 */
}

static void test_bidi_invisible_controls(void)
{
    EMAIL_REFUSED("\xe2\x80\xae"
                  "moc.elpmaxe@bob",
                  IDENTITY_BIDI);                                /* U+202E */
    EMAIL_REFUSED("bob@exa\xe2\x80\x8fmple.com", IDENTITY_BIDI); /* U+200F */
    EMAIL_REFUSED("bob@exa\xe2\x81\xa6mple.com", IDENTITY_BIDI); /* U+2066 */
    EMAIL_REFUSED("bob@exa\xd8\x9cmple.com", IDENTITY_BIDI);     /* U+061C */
    EMAIL_REFUSED("bo\xe2\x80\x8b"
                  "b@example.com",
                  IDENTITY_INVISIBLE);
    EMAIL_REFUSED("bob@example.com\xe2\x80\x8b", IDENTITY_INVISIBLE); /* not a space */
    EMAIL_REFUSED("bo\xc2\xad"
                  "b@example.com",
                  IDENTITY_INVISIBLE); /* soft hyphen */
    EMAIL_REFUSED("bo\xe2\x81\xa3"
                  "b@example.com",
                  IDENTITY_INVISIBLE);
    EMAIL_REFUSED("bo\xef\xb8\x8f"
                  "b@example.com",
                  IDENTITY_INVISIBLE); /* U+FE0F */
    EMAIL_REFUSED("bo\x01"
                  "b@example.com",
                  IDENTITY_CONTROL);
    EMAIL_REFUSED("bo\x7f"
                  "b@example.com",
                  IDENTITY_CONTROL);
    EMAIL_REFUSED("bo\xc2\x85"
                  "b@example.com",
                  IDENTITY_CONTROL); /* C1 */
    EMAIL_REFUSED("bo\xe2\x80\xa8"
                  "b@example.com",
                  IDENTITY_CONTROL);
    EMAIL_REFUSED("bo\xcd\xb8"
                  "b@example.com",
                  IDENTITY_UNASSIGNED); /* U+0378 */
    EMAIL_REFUSED("bo\xee\x80\x80"
                  "b@example.com",
                  IDENTITY_UNASSIGNED);
}

static void test_bad_utf8_and_size(void)
{
    EMAIL_REFUSED("bob\xff@example.com", IDENTITY_BAD_UTF8);
    EMAIL_REFUSED("bob@example.com\xc3", IDENTITY_BAD_UTF8);         /* cut short */
    EMAIL_REFUSED("bob\xc0\xaf@example.com", IDENTITY_BAD_UTF8);     /* overlong '/' */
    EMAIL_REFUSED("bob\xed\xa0\x80@example.com", IDENTITY_BAD_UTF8); /* surrogate */
    char small[8] = "kept";
    CU_ASSERT_EQUAL(identity_email_normalize("a@b.cd", small, 7), 6);
    CU_ASSERT_EQUAL(identity_email_normalize("a@b.cde", small, 7), IDENTITY_TOO_LONG);
    UNIT_ASSERT_STR(small, "a@b.cd");
}

static void test_display_names(void)
{
    DISPLAY_IS("Ana Mar\xc3\xad"
               "a",
               0);
    DISPLAY_IS("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99 \xf0\x9f\x8d\xb0", 0);
    DISPLAY_IS("\xef\xbc\xa1nna", 0); /* fullwidth: shown as typed, not an identity key */
    DISPLAY_IS("", 0);
    DISPLAY_IS("admin\xe2\x80\xae"
               "evil",
               IDENTITY_BIDI);
    DISPLAY_IS("\xe2\x80\xaa"
               "x",
               IDENTITY_BIDI);
    DISPLAY_IS("x\xe2\x81\xa9", IDENTITY_BIDI);
    DISPLAY_IS("ad\xe2\x80\x8bmin", IDENTITY_INVISIBLE);
    DISPLAY_IS("ad\xc2\xad"
               "min",
               IDENTITY_INVISIBLE);
    DISPLAY_IS("ad\xef\xbb\xbfmin", IDENTITY_INVISIBLE);
    DISPLAY_IS("line\nbreak", IDENTITY_CONTROL);
    DISPLAY_IS("nul\0inside", IDENTITY_CONTROL);
    DISPLAY_IS("c1\xc2\x9b", IDENTITY_CONTROL);
    DISPLAY_IS("ls\xe2\x80\xa8", IDENTITY_CONTROL);
    DISPLAY_IS("bad\xff", IDENTITY_BAD_UTF8);
}

static void test_reasons(void)
{
    for (long c = IDENTITY_NOMEM; c <= IDENTITY_TOO_LONG; c++)
        CU_ASSERT(identity_reason(c)[0] != '\0');
    UNIT_ASSERT_HAS(identity_reason(IDENTITY_BIDI), "bidirectional");
    UNIT_ASSERT_STR(identity_reason(0), "");
    UNIT_ASSERT_STR(identity_reason(12), "");
}

int unit_identity_register(void)
{
    CU_pSuite s = CU_add_suite("identity", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "username rules", test_username_rules) ||
        !CU_add_test(s, "email shape", test_email_rules) ||
        !CU_add_test(s, "ASCII emails as before", test_ascii_email) ||
        !CU_add_test(s, "Unicode spaces trimmed", test_unicode_spaces_trimmed) ||
        !CU_add_test(s, "emails are NFC", test_nfc) ||
        !CU_add_test(s, "case of local part and domain", test_case) ||
        !CU_add_test(s, "compatibility characters refused", test_compat_refused) ||
        !CU_add_test(s, "bidi, invisible, control refused", test_bidi_invisible_controls) ||
        !CU_add_test(s, "bad UTF-8 and size", test_bad_utf8_and_size) ||
        !CU_add_test(s, "display names", test_display_names) ||
        !CU_add_test(s, "refusal reasons", test_reasons))
        return -1;
    return 0;
}
