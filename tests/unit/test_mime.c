/* Unit tests for MIME assembly (lib/mime.c) and mail templates
 * (lib/mailtmpl.c): quoted-printable vectors, RFC 2047 encoded words (long
 * and multibyte), header injection refused in every field, the message's
 * shape, template parsing (unknown placeholders) and rendering; and the
 * SMTP loopback rule (base/mailer.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mailer.h"
#include "lib/mailtmpl.h"
#include "lib/mime.h"
#include "unit.h"

struct qp_case {
    const char *in, *out;
};

static const struct qp_case qp_cases[] = {
    {"", ""},
    {"plain text", "plain text"},
    {"a=b", "a=3Db"},
    {"trailing space ", "trailing space=20"},
    {"trailing tab\t", "trailing tab=09"},
    {"space before break \nnext", "space before break=20\r\nnext"},
    {"inner  spaces\tand tab", "inner  spaces\tand tab"},
    {"crlf\r\nline", "crlf\r\nline"},
    {"lf\nline\n", "lf\r\nline\r\n"},
    {"bare\rcr", "bare=0Dcr"},
    {"Gr\xc3\xbc\xc3\x9f"
     "e",
     "Gr=C3=BC=C3=9Fe"},
    {".dot first\n.", "=2Edot first\r\n=2E"},
    {"not.first", "not.first"},
    {"\x7f\x01", "=7F=01"},
    /* 76 characters fit on one line; 77 get a soft break after 75 */
    {"0123456789012345678901234567890123456789012345678901234567890123456789012345",
     "0123456789012345678901234567890123456789012345678901234567890123456789012345"},
    {"01234567890123456789012345678901234567890123456789012345678901234567890123456",
     "012345678901234567890123456789012345678901234567890123456789012345678901234=\r\n56"},
    /* an escape is never split across a soft break */
    {"0123456789012345678901234567890123456789012345678901234567890123456789012=ab",
     "0123456789012345678901234567890123456789012345678901234567890123456789012=\r\n=3Dab"},
    /* ... and one that ends at column 75 leaves room for the '=' */
    {"012345678901234567890123456789012345678901234567890123456789012345678901=ab",
     "012345678901234567890123456789012345678901234567890123456789012345678901=3D=\r\nab"},
    /* a '.' that begins a continuation line is escaped too */
    {"012345678901234567890123456789012345678901234567890123456789012345678901234.x",
     "012345678901234567890123456789012345678901234567890123456789012345678901234=\r\n=2Ex"},
};

static void test_qp_vectors(void)
{
    for (size_t i = 0; i < sizeof(qp_cases) / sizeof(qp_cases[0]); i++) {
        size_t n, dn;
        char *e = mime_qp_encode(qp_cases[i].in, strlen(qp_cases[i].in), &n);
        UNIT_ASSERT_STR(e, qp_cases[i].out);
        char *d = mime_qp_decode(e, n, &dn);
        CU_ASSERT_PTR_NOT_NULL(d);
        /* LF comes back as CRLF; the rest exactly */
        if (d != NULL && strchr(qp_cases[i].in, '\n') == NULL)
            UNIT_ASSERT_STR(d, qp_cases[i].in);
        free(d);
        free(e);
    }
}

static void test_qp_decode_strict(void)
{
    static const char *const bad[] = {"=4", "=G1", "=4a", "a\nb", "a\rb", "a \r\nb", "end "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t n;
        char *d = mime_qp_decode(bad[i], strlen(bad[i]), &n);
        CU_ASSERT_PTR_NULL(d);
        free(d);
    }
    size_t n;
    char *d = mime_qp_decode("soft=\r\nbreak =\r\nx", 17, &n);
    UNIT_ASSERT_STR(d, "softbreak x");
    free(d);
}

static const unsigned char fixed_random[MIME_RANDOM] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                                        12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                                        23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static struct mime_message base_message(void)
{
    struct mime_message m = {.from = "Recipes <noreply@recipes.example.org>",
                             .to = "alice@example.org",
                             .subject = "Hello",
                             .text = "Body\n",
                             .text_len = 5,
                             .date = 1796000000};
    memcpy(m.random, fixed_random, sizeof(m.random));
    return m;
}

static char *build(const struct mime_message *m, char *err, size_t errlen)
{
    char *out = NULL;
    size_t len;
    err[0] = '\0';
    if (mime_build(m, &out, &len, err, errlen) != 0)
        return NULL;
    CU_ASSERT_EQUAL(strlen(out), len);
    return out;
}

static void test_message_shape(void)
{
    struct mime_message m = base_message();
    char err[256];
    char *msg = build(&m, err, sizeof(err));
    UNIT_ASSERT_STR(msg, "Date: Mon, 30 Nov 2026 00:53:20 +0000\r\n"
                         "Message-ID: <0102030405060708090A0B0C0D0E0F10@recipes.example.org>\r\n"
                         "From: \"Recipes\" <noreply@recipes.example.org>\r\n"
                         "To: alice@example.org\r\n"
                         "Subject: Hello\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n"
                         "\r\n"
                         "Body\r\n");
    free(msg);
}

static void test_message_alternative_unsubscribe(void)
{
    struct mime_message m = base_message();
    m.html = "<p>Body</p>";
    m.html_len = strlen(m.html);
    m.unsubscribe = "https://recipes.example.org/u?t=abc";
    char err[256];
    char *msg = build(&m, err, sizeof(err));
    UNIT_ASSERT_HAS(msg, "\r\nList-Unsubscribe: <https://recipes.example.org/u?t=abc>\r\n"
                         "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    UNIT_ASSERT_HAS(msg, "Content-Type: multipart/alternative; "
                         "boundary=\"=_rb_1112131415161718191A1B1C1D1E1F20\"\r\n\r\n"
                         "--=_rb_1112131415161718191A1B1C1D1E1F20\r\n"
                         "Content-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n\r\nBody\r\n\r\n"
                         "--=_rb_1112131415161718191A1B1C1D1E1F20\r\n"
                         "Content-Type: text/html; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                         "<p>Body</p>\r\n\r\n--=_rb_1112131415161718191A1B1C1D1E1F20--\r\n");
    free(msg);
    m.unsubscribe = "http://recipes.example.org/u"; /* RFC 8058: HTTPS only */
    CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
    UNIT_ASSERT_HAS(err, "unsubscribe");
}

struct subject_case {
    const char *subject, *header;
};

static const struct subject_case subjects[] = {
    {"Hello there", "Subject: Hello there\r\n"},
    {"Gr\xc3\xbc\xc3\x9f"
     "e",
     "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"},
    {"has =? in it", "Subject: =?UTF-8?Q?has_=3D=3F_in_it?=\r\n"},
    {" leading space", "Subject: =?UTF-8?Q?_leading_space?=\r\n"},
    /* long: folded into words of at most 75 characters, lines of 76 */
    {"A subject line that is far too long to stand on one header line as it is, really",
     "Subject: =?UTF-8?Q?A_subject_line_that_is_far_too_long_to_stand_on_one_hea?=\r\n"
     " =?UTF-8?Q?der_line_as_it_is=2C_really?=\r\n"},
    /* multibyte: the 4-byte emoji and the 2-byte letters stay whole */
    {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xf0\x9f\x8d"
     "\xb2\xc3\xa9",
     "Subject: =?UTF-8?Q?=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9?=\r\n"
     " =?UTF-8?Q?=C3=A9=F0=9F=8D=B2=C3=A9?=\r\n"},
};

static void test_subject_words(void)
{
    for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
        struct mime_message m = base_message();
        m.subject = subjects[i].subject;
        char err[256];
        char *msg = build(&m, err, sizeof(err));
        UNIT_ASSERT_HAS(msg, subjects[i].header);
        free(msg);
    }
}

static void test_from_forms(void)
{
    static const struct {
        const char *from, *header;
    } cases[] = {
        {"noreply@x.example", "From: noreply@x.example\r\n"},
        {"Say \"hi\" <a@x.example>", "From: \"Say \\\"hi\\\"\" <a@x.example>\r\n"},
        {"Zo\xc3\xab <a@x.example>", "From: =?UTF-8?Q?Zo=C3=AB?= <a@x.example>\r\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mime_message m = base_message();
        m.from = cases[i].from;
        char err[256];
        char *msg = build(&m, err, sizeof(err));
        UNIT_ASSERT_HAS(msg, cases[i].header);
        free(msg);
    }
    char addr[MIME_ADDRESS_MAX + 1];
    CU_ASSERT_EQUAL(mime_from_address("Name <a@b.example>", addr, sizeof(addr)), 0);
    UNIT_ASSERT_STR(addr, "a@b.example");
}

/* Every field that reaches a header refuses CR, LF and other controls. */
static void test_injection_refused(void)
{
    static const char *const evil[] = {"x\r\nBcc: eve@evil.example",
                                       "x\nBcc: eve@evil.example",
                                       "x\rBcc: eve@evil.example",
                                       "x\tY",
                                       "x\x01y",
                                       "x\x7fy",
                                       "x\xc2\x85y" /* U+0085 NEL */};
    for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
        char field[128], err[256];
        for (int which = 0; which < 4; which++) {
            struct mime_message m = base_message();
            switch (which) {
            case 0:
                snprintf(field, sizeof(field), "%s <a@b.example>", evil[i]);
                m.from = field;
                break;
            case 1:
                snprintf(field, sizeof(field), "a@b.example%s", evil[i]);
                m.to = field;
                break;
            case 2:
                m.subject = evil[i];
                break;
            default:
                snprintf(field, sizeof(field), "https://x.example/%s", evil[i]);
                m.unsubscribe = field;
            }
            char *msg = build(&m, err, sizeof(err));
            UNIT_CHECK_AT(msg == NULL && err[0] != '\0', __LINE__, "header field refused");
            free(msg);
        }
    }
}

static void test_addresses(void)
{
    static const char *const good[] = {"a@b", "first.last+tag@sub.example.org",
                                       "x!#$%&'*/=?^_`{|}~-@example.org"};
    static const char *const bad[] = {"",        "@b.example", "a@",        "a.@b.example",
                                      ".a@b",    "a..b@c",     "a b@c.d",   "a@b..c",
                                      "a@-b.c",  "a@b-.c",     "\"q\"@b.c", "a@b.c>",
                                      "<a@b.c>", "a@b.c\r\n",  "a,b@c.d",   "\xc3\xa9@b.c"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        CU_ASSERT_TRUE(mime_address_valid(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        UNIT_CHECK_AT(!mime_address_valid(bad[i]), __LINE__, bad[i]);
}

static void test_body_refusals(void)
{
    struct mime_message m = base_message();
    char err[256];
    m.text = "a\0b";
    m.text_len = 3;
    CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
    m.text = "\xc3\x28";
    m.text_len = 2;
    CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
    UNIT_ASSERT_HAS(err, "text");
}

static void test_smtp_loopback(void)
{
    CU_ASSERT_TRUE(mailer_smtp_loopback("smtp://127.0.0.1:25"));
    CU_ASSERT_TRUE(mailer_smtp_loopback("smtp://127.0.0.2:2525"));
    CU_ASSERT_TRUE(mailer_smtp_loopback("smtp://127.255.255.254:25"));
    CU_ASSERT_TRUE(mailer_smtp_loopback("smtp://[::1]:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://localhost:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://128.0.0.1:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://10.0.0.1:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://[::2]:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://127.0.0.1.example.org:25"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("smtp://mail.example.org:587"));
    CU_ASSERT_FALSE(mailer_smtp_loopback("127.0.0.1:25"));
}

/* ---- templates ---- */

static int parse(enum mailtmpl_kind kind, const char *txt, const char *html, struct mailtmpl *t,
                 char *err, size_t errlen)
{
    return mailtmpl_parse(t, kind, txt, strlen(txt), html, html ? strlen(html) : 0, err, errlen);
}

static void test_template_parse_errors(void)
{
    static const struct {
        enum mailtmpl_kind kind;
        const char *txt, *html, *want;
    } cases[] = {
        {MAILTMPL_PASSWORD_RESET, "Subject: x\n\n{{recipe_title}}\n", NULL,
         "password_reset.txt:3: unknown placeholder {{recipe_title}}"},
        {MAILTMPL_PASSWORD_RESET, "Subject: x\n\nline\n{{lnk}}\n", NULL,
         "password_reset.txt:4: unknown placeholder {{lnk}}"},
        {MAILTMPL_PASSWORD_RESET, "Subject: {{nope}}\n\nx", NULL,
         "password_reset.txt:1: unknown placeholder {{nope}}"},
        {MAILTMPL_INVITE, "Subject: x\n\nx", "<p>{{comments}}</p>",
         "invite.html:1: unknown placeholder {{comments}}"},
        {MAILTMPL_INVITE, "Subject: x\n\n{{ link }}", NULL, "invite.txt:3: \"{{\" not followed"},
        {MAILTMPL_INVITE, "Subject: x\n\n{{link}", NULL, "invite.txt:3: \"{{\" not followed"},
        {MAILTMPL_INVITE, "Subj: x\n\nbody", NULL, "invite.txt:1: the first line"},
        {MAILTMPL_INVITE, "Subject: x\nbody", NULL, "invite.txt:2: an empty line"},
        {MAILTMPL_INVITE, "Subject: a\tb\n\nbody", NULL, "invite.txt:1: not UTF-8, or holds"},
        {MAILTMPL_INVITE, "Subject: x\n\n\xff", NULL, "invite.txt:3: not UTF-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mailtmpl t;
        char err[256] = "";
        CU_ASSERT_EQUAL(parse(cases[i].kind, cases[i].txt, cases[i].html, &t, err, sizeof(err)),
                        -1);
        UNIT_ASSERT_HAS(err, cases[i].want);
    }
}

static void test_template_render(void)
{
    struct mailtmpl t;
    char err[256];
    int rc = parse(MAILTMPL_COMMENT_NOTIFICATION,
                   "Subject: New on {{recipe_title}}\r\n\r\nHi {{username}},\n{{comments}}\n",
                   "<b>{{recipe_title}}</b> {{link}}", &t, err, sizeof(err));
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const struct mailtmpl_var vars[] = {{"recipe_title", "Pie <&> \"q\" 'x'"},
                                        {"username", "Zo\xc3\xab"},
                                        {"comments", "a: {{link}} stays text\n"},
                                        {"link", "https://x.example/r/1"}};
    struct mailtmpl_out out;
    CU_ASSERT_EQUAL_FATAL(mailtmpl_render(&t, vars, 4, &out, err, sizeof(err)), 0);
    UNIT_ASSERT_STR(out.subject, "New on Pie <&> \"q\" 'x'");
    UNIT_ASSERT_STR(out.text, "Hi Zo\xc3\xab,\na: {{link}} stays text\n\n");
    CU_ASSERT_EQUAL(out.text_len, strlen(out.text));
    UNIT_ASSERT_STR(out.html,
                    "<b>Pie &lt;&amp;&gt; &quot;q&quot; &#39;x&#39;</b> https://x.example/r/1");
    mailtmpl_out_free(&out);
    /* a placeholder without a value, and a value the template does not take */
    CU_ASSERT_EQUAL(mailtmpl_render(&t, vars, 2, &out, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "no value for {{comments}}");
    const struct mailtmpl_var extra[] = {{"inviter", "x"}};
    CU_ASSERT_EQUAL(mailtmpl_render(&t, extra, 1, &out, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "does not take {{inviter}}");
    mailtmpl_free(&t);
}

/* The shipped templates load: every placeholder known, every file well formed. */
static void test_shipped_templates(void)
{
    static struct config c;
    char err[512] = "";
    config_defaults(&c);
    snprintf(c.mail_templates, sizeof(c.mail_templates), "conf/mail");
    CU_ASSERT_EQUAL(mailer_templates_check(&c, err, sizeof(err)), 0);
    UNIT_ASSERT_STR(err, "");
    snprintf(c.mail_templates, sizeof(c.mail_templates), "conf/no-such-dir");
    CU_ASSERT_EQUAL(mailer_templates_check(&c, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "password_reset.txt");
}

static void test_template_names(void)
{
    for (int k = 0; k < MAILTMPL__MAX; k++)
        CU_ASSERT_EQUAL(mailtmpl_find(mailtmpl_name((enum mailtmpl_kind)k)), k);
    CU_ASSERT_EQUAL(mailtmpl_find("nope"), -1);
    CU_ASSERT_PTR_NULL(mailtmpl_name(MAILTMPL__MAX));
    CU_ASSERT_TRUE(mailtmpl_allowed(MAILTMPL_INVITE, "site_name"));
    CU_ASSERT_FALSE(mailtmpl_allowed(MAILTMPL_INVITE, "unsubscribe_link"));
}

int unit_mime_register(void)
{
    CU_pSuite s = CU_add_suite("mime", NULL, NULL);
    if (s == NULL)
        return -1;
    CU_add_test(s, "quoted-printable vectors", test_qp_vectors);
    CU_add_test(s, "quoted-printable decoder is strict", test_qp_decode_strict);
    CU_add_test(s, "message shape, single part", test_message_shape);
    CU_add_test(s, "multipart/alternative and RFC 8058 headers",
                test_message_alternative_unsubscribe);
    CU_add_test(s, "subjects: plain and encoded words, folded", test_subject_words);
    CU_add_test(s, "From forms", test_from_forms);
    CU_add_test(s, "header injection refused in every field", test_injection_refused);
    CU_add_test(s, "addresses", test_addresses);
    CU_add_test(s, "bodies: NUL and bad UTF-8 refused", test_body_refusals);
    CU_add_test(s, "SMTP loopback rule", test_smtp_loopback);
    CU_add_test(s, "template parse errors", test_template_parse_errors);
    CU_add_test(s, "template rendering", test_template_render);
    CU_add_test(s, "template names", test_template_names);
    CU_add_test(s, "the shipped templates in conf/mail load", test_shipped_templates);
    return 0;
}
