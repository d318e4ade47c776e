/* Unit tests of the multipart/form-data parser. Every body is fed whole,
 * one byte at a time and in chunks of 7, and each way must give the same
 * transcript of callbacks and the same result. */
#include <stdio.h>
#include <string.h>

#include "lib/multipart.h"
#include "unit.h"

#define B "--AaB03x"
#define CRLF "\r\n"
#define FILE_HEAD "Content-Disposition: form-data; name=\"image\"; filename=\"a.png\"" CRLF
#define FILE_PART B CRLF FILE_HEAD CRLF
#define FIELD_PART B CRLF "Content-Disposition: form-data; name=\"caption\"" CRLF CRLF

/* What the callbacks saw: "<name|filename|type|is_file>", the data as it
 * came (chunks joined), "</>" at each part end. */
struct transcript {
    char text[32768];
    size_t len;
    int refuse_part; /* on_part returns non-zero */
};

static void append(struct transcript *t, const char *p, size_t n)
{
    if (n > sizeof(t->text) - t->len)
        n = sizeof(t->text) - t->len;
    memcpy(t->text + t->len, p, n);
    t->len += n;
}

static int on_part(void *ctx, const struct multipart_part *part)
{
    struct transcript *t = ctx;
    char buf[600];
    int n = snprintf(buf, sizeof(buf), "<%s|%s|%s|%d>", part->name, part->filename,
                     part->content_type, part->is_file);
    if (n > 0)
        append(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return t->refuse_part;
}

static int on_data(void *ctx, const char *data, size_t len)
{
    append(ctx, data, len);
    return 0;
}

static int on_part_end(void *ctx)
{
    append(ctx, "</>", 3);
    return 0;
}

static const struct multipart_callbacks callbacks = {on_part, on_data, on_part_end};

/* One parse with reads of chunk bytes (0: all at once). The result and
 * m->error are appended to the transcript. */
static void parse(const char *body, size_t len, size_t chunk, int refuse, struct transcript *t)
{
    struct multipart m;
    memset(t, 0, sizeof(*t));
    t->refuse_part = refuse;
    if (multipart_init(&m, "AaB03x", &callbacks, t) != 0) {
        append(t, "init failed", 11);
        return;
    }
    int rc = 0;
    for (size_t off = 0; off < len && rc == 0;) {
        size_t n = chunk == 0 || chunk > len - off ? len - off : chunk;
        rc = multipart_feed(&m, body + off, n);
        off += n;
    }
    rc = multipart_finish(&m);
    if (rc != 0 && multipart_feed(&m, "x", 1) != -1) /* refused stays refused */
        append(t, "[fed after -1]", 14);
    char tail[160];
    int n = snprintf(tail, sizeof(tail), "=%d %s", rc, m.error != NULL ? m.error : "ok");
    if (n > 0)
        append(t, tail, (size_t)n < sizeof(tail) ? (size_t)n : sizeof(tail) - 1);
}

/* The body, fed three ways, gives exactly want (want_len bytes). */
static void expect_n(const char *body, size_t len, const char *want, size_t want_len, int refuse,
                     unsigned line)
{
    static struct transcript t;
    static const size_t chunks[] = {0, 1, 7};
    for (size_t i = 0; i < 3; i++) {
        parse(body, len, chunks[i], refuse, &t);
        int ok = t.len == want_len && memcmp(t.text, want, want_len) == 0;
        if (!ok)
            fprintf(stderr, "\n    line %u, chunks of %zu: got \"%.*s\"\n    want \"%.*s\"\n", line,
                    chunks[i], (int)t.len, t.text, (int)want_len, want);
        UNIT_CHECK_AT(ok, line, "multipart transcript");
    }
}

#define EXPECT(body, want) expect_n((body), strlen(body), (want), strlen(want), 0, __LINE__)
/* a refusal: the transcript ends with the reason */
#define REFUSED(body, events, why) EXPECT((body), events "=-1 " why)

static void test_boundary(void)
{
    char b[MULTIPART_BOUNDARY_MAX + 1];
    CU_ASSERT_EQUAL(multipart_boundary("multipart/form-data; boundary=AaB03x", b), 0);
    UNIT_ASSERT_STR(b, "AaB03x");
    CU_ASSERT_EQUAL(
        multipart_boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=\"a b:c?\"  ", b), 0);
    UNIT_ASSERT_STR(b, "a b:c?");
    CU_ASSERT_EQUAL(multipart_boundary("multipart/form-data; boundary=\"x\\yz\"", b), 0);
    UNIT_ASSERT_STR(b, "xyz");
    char seventy[128] = "multipart/form-data; boundary=";
    size_t n = strlen(seventy);
    memset(seventy + n, 'q', 70);
    seventy[n + 70] = '\0';
    CU_ASSERT_EQUAL(multipart_boundary(seventy, b), 0);
    CU_ASSERT_EQUAL(strlen(b), 70);
    seventy[n + 70] = 'q';
    seventy[n + 71] = '\0';
    CU_ASSERT_EQUAL(multipart_boundary(seventy, b), -1); /* 71 */
    static const char *const bad[] = {
        NULL,
        "",
        "multipart/form-data",
        "multipart/form-data; charset=utf-8",
        "multipart/mixed; boundary=AaB03x",
        "multipart/form-datax; boundary=AaB03x",
        "text/plain; boundary=AaB03x",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"ends in space \"",
        "multipart/form-data; boundary=\"bad*char\"",
        "multipart/form-data; boundary=\"unterminated",
        "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-data; boundary=a junk",
        "multipart/form-data; boundary=a;",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(multipart_boundary(bad[i], b), -1);
    struct multipart m;
    CU_ASSERT_EQUAL(multipart_init(&m, "", &callbacks, NULL), -1);
    UNIT_ASSERT_STR(m.error, "the multipart boundary is missing or invalid");
    CU_ASSERT_EQUAL(multipart_init(&m, NULL, NULL, NULL), -1);
    CU_ASSERT_EQUAL(multipart_init(&m, "a\r\nb", NULL, NULL), -1);
    CU_ASSERT_EQUAL(multipart_feed(&m, "x", 1), -1);
}

/* Binary data with CRs, LFs, NULs, dashes and every kind of near-delimiter
 * comes through byte for byte. */
static void test_binary_file(void)
{
    static const char data[] = "\x89PNG\r\n\x1a\n\0\0\r\r\n--\r\n-\r\n--AaB0\r\n--AaB03"
                               "\r\n--AaB03xX\r\n--AaB03x-x\r\n--AaB03x \t-\r\n--AaB03x \r"
                               "\r\n--AaB03x\rz--AaB03x\r\n\r\n--aab03x\r\n\r\r\n-";
    static const char head[] = FILE_PART;
    static const char tail[] = CRLF B "--";
    char body[512], want[512];
    size_t n = 0, w = 0;
    memcpy(body + n, head, sizeof(head) - 1), n += sizeof(head) - 1;
    memcpy(body + n, data, sizeof(data) - 1), n += sizeof(data) - 1;
    memcpy(body + n, tail, sizeof(tail) - 1), n += sizeof(tail) - 1;
    static const char on[] = "<image|a.png||1>", off[] = "</>=0 ok";
    memcpy(want + w, on, sizeof(on) - 1), w += sizeof(on) - 1;
    memcpy(want + w, data, sizeof(data) - 1), w += sizeof(data) - 1;
    memcpy(want + w, off, sizeof(off) - 1), w += sizeof(off) - 1;
    expect_n(body, n, want, w, 0, __LINE__);
}

static void test_valid_bodies(void)
{
    /* preamble (with a near-delimiter) and epilogue are ignored */
    EXPECT("preamble --AaB03x\r\n\r\n--AaB03x-\r\n" FILE_PART "abc" CRLF B "--" CRLF
           "epilogue\r\n--AaB03x\r\nnot a part",
           "<image|a.png||1>abc</>=0 ok");
    /* a text field beside the file, transport padding, a Content-Type */
    EXPECT(FIELD_PART "Hello" CRLF B " \t" CRLF FILE_HEAD "Content-Type: image/png  " CRLF CRLF
                      "PNG" CRLF B "--",
           "<caption|||0>Hello</><image|a.png|image/png|1>PNG</>=0 ok");
    /* header names and form-data in any case; token and escaped filenames */
    EXPECT(B CRLF "content-DISPOSITION:Form-Data ; NAME=f ; FileName=p.jpg" CRLF CRLF "x" CRLF B
                  "--",
           "<f|p.jpg||1>x</>=0 ok");
    EXPECT(
        B CRLF
        "Content-Disposition: form-data; name=\"f\"; filename=\"a\\\"b\\\\c.png\"" CRLF CRLF CRLF B
        "--",
        "<f|a\"b\\c.png||1></>=0 ok");
    /* an empty file, a filename="" (no file chosen) and UTF-8 names */
    EXPECT(FILE_PART CRLF B "--", "<image|a.png||1></>=0 ok");
    EXPECT(B CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"\"" CRLF CRLF CRLF B "--",
           "<f|||1></>=0 ok");
    EXPECT(B CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"cr\xc3\xa8me.png\"" CRLF
                  "Content-Transfer-Encoding: binary" CRLF "X-Other: ignored" CRLF CRLF CRLF B "--",
           "<f|cr\xc3\xa8me.png||1></>=0 ok");
    /* a field of exactly 1024 bytes is fine */
    static char body[2048], want[2048];
    int n =
        snprintf(body, sizeof(body), "%s%1024d%s%s%s", FIELD_PART, 7, CRLF, FILE_PART, CRLF B "--");
    int w = snprintf(want, sizeof(want), "<caption|||0>%1024d</><image|a.png||1></>=0 ok", 7);
    CU_ASSERT_FATAL(n > 0 && w > 0);
    expect_n(body, (size_t)n, want, (size_t)w, 0, __LINE__);
}

static void test_framing_refused(void)
{
    REFUSED("", "", "the body is empty");
    REFUSED("x--AaB03x\r\n" FILE_HEAD CRLF "x" B "--", "",
            "no multipart delimiter at the start of a line");
    REFUSED("--AaB03xX\r\n", "", "no multipart delimiter at the start of a line");
    REFUSED(FILE_PART "abc", "<image|a.png||1>abc", "the body ends before the closing delimiter");
    REFUSED(FILE_PART "abc" CRLF B, "<image|a.png||1>abc",
            "the body ends before the closing delimiter");
    REFUSED(FILE_PART "abc" CRLF B CRLF, "<image|a.png||1>abc</>",
            "the body ends inside a part's headers");
    REFUSED(B CRLF FILE_HEAD, "", "the body ends inside a part's headers");
    REFUSED(FIELD_PART "x" CRLF B "--", "<caption|||0>x</>", "the body has no file part");
    REFUSED(B "--", "", "the body has no file part");
    REFUSED(FILE_PART CRLF B "                                 " CRLF, "<image|a.png||1>",
            "too much padding after a multipart boundary");
}

static void test_headers_refused(void)
{
    REFUSED(B CRLF CRLF, "", "a part has no Content-Disposition");
    REFUSED(B CRLF "Content-Type: image/png" CRLF CRLF, "", "a part has no Content-Disposition");
    REFUSED(B CRLF "Content-Disposition form-data; name=a" CRLF, "",
            "a part header line has no ':'");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a" CRLF " ; filename=b" CRLF, "",
            "a part header is folded over lines");
    REFUSED(B CRLF "Bad Name: x" CRLF, "", "a part header has an invalid name");
    REFUSED(B CRLF ": x" CRLF, "", "a part header has an invalid name");
    REFUSED(B CRLF "Content-Disposition: attachment; name=a" CRLF, "",
            "a part's Content-Disposition is not form-data");
    REFUSED(B CRLF "Content-Disposition: form-data; filename=a" CRLF, "",
            "a part's Content-Disposition has no name");
    REFUSED(B CRLF "Content-Disposition: form-data; name=\"\"" CRLF, "", "a part's name is empty");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; name=b" CRLF, "",
            "a part's Content-Disposition has two names");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=b; filename=c" CRLF, "",
            "a part's Content-Disposition has two filenames");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"b" CRLF, "",
            "a part's Content-Disposition is malformed");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a b" CRLF, "",
            "a part's Content-Disposition is malformed");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename*=UTF-8''x.png" CRLF, "",
            "filename* is not allowed in form-data (RFC 7578 4.2)");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a" CRLF
                   "Content-Disposition: form-data; name=b" CRLF,
            "", "a part has two Content-Disposition headers");
    REFUSED(B CRLF "Content-Type: a" CRLF "Content-Type: b" CRLF, "",
            "a part has two Content-Type headers");
    REFUSED(B CRLF "Content-Transfer-Encoding: base64" CRLF, "",
            "a part's Content-Transfer-Encoding is not supported");
}

/* Control characters in a name or filename: raw (caught on the header
 * line) or escaped inside a quoted-string (caught in the value). */
static void test_controls_refused(void)
{
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"x\ry.png\"" CRLF, "",
            "a part header has a CR without LF");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"x\ny.png\"" CRLF, "",
            "a part header has an LF without CR");
    REFUSED(B CRLF "Content-Disposition: form-data; name=\"a\x01\"" CRLF, "",
            "a part header has a control character");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"x\ty.png\"" CRLF, "",
            "a filename has control characters or is not UTF-8");
    REFUSED(B CRLF "Content-Disposition: form-data; name=\"a\\\tb\"" CRLF, "",
            "a part's name has control characters or is not UTF-8");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"\xff.png\"" CRLF, "",
            "a filename has control characters or is not UTF-8");
    REFUSED(B CRLF "Content-Disposition: form-data; name=a; filename=\"\xc0\xaf.png\"" CRLF, "",
            "a filename has control characters or is not UTF-8");
    static const char nul[] =
        B CRLF "Content-Disposition: form-data; name=a; filename=\"x\0y\"" CRLF;
    static const char why[] = "=-1 a part header has a control character";
    expect_n(nul, sizeof(nul) - 1, why, sizeof(why) - 1, 0, __LINE__);
}

/* A header line of len bytes "X-Pad: aaa...". */
static size_t pad_line(char *out, size_t len)
{
    memcpy(out, "X-Pad: ", 7);
    memset(out + 7, 'a', len - 7);
    memcpy(out + len, CRLF, 2);
    return len + 2;
}

static void test_limits_refused(void)
{
    static char body[16384];
    size_t n = 0;
    char name[300];
    /* a filename of 255 bytes is fine, 256 is not */
    for (size_t len = 255; len <= 256; len++) {
        memset(name, 'f', len);
        name[len] = '\0';
        int k = snprintf(body, sizeof(body),
                         "%s\r\nContent-Disposition: form-data; name=a; filename=\"%s\"\r\n\r\n"
                         "\r\n%s--",
                         B, name, B);
        static char want[400];
        int w = len == 255
                    ? snprintf(want, sizeof(want), "<a|%s||1></>=0 ok", name)
                    : snprintf(want, sizeof(want), "=-1 a filename is longer than 255 bytes");
        CU_ASSERT_FATAL(k > 0 && w > 0);
        expect_n(body, (size_t)k, want, (size_t)w, 0, __LINE__);
    }
    memset(name, 'n', 64);
    name[64] = '\0';
    int k =
        snprintf(body, sizeof(body), "%s\r\nContent-Disposition: form-data; name=%s\r\n", B, name);
    static const char long_name[] = "=-1 a part's name is longer than 63 bytes";
    expect_n(body, (size_t)k, long_name, sizeof(long_name) - 1, 0, __LINE__);

    /* a line of 1024 bytes is fine, 1025 is not */
    n = 0;
    memcpy(body, B CRLF, 10), n = 10;
    n += pad_line(body + n, 1024);
    n += pad_line(body + n, 1025);
    static const char long_line[] = "=-1 a part header line is longer than 1024 bytes";
    expect_n(body, n, long_line, sizeof(long_line) - 1, 0, __LINE__);

    /* nine short header lines */
    n = 10;
    for (int i = 0; i < 9; i++)
        n += pad_line(body + n, 10);
    static const char nine[] = "=-1 a part has more than 8 header lines";
    expect_n(body, n, nine, sizeof(nine) - 1, 0, __LINE__);

    /* eight long lines pass 8 KiB */
    n = 10;
    for (int i = 0; i < 8; i++)
        n += pad_line(body + n, 1024);
    static const char big[] = "=-1 a part's headers are longer than 8 KiB";
    expect_n(body, n, big, sizeof(big) - 1, 0, __LINE__);

    /* a field of 1025 bytes: the first 1024 are seen, then the refusal */
    k = snprintf(body, sizeof(body), "%s%1025d%s", FIELD_PART, 7, CRLF B "--");
    static char want[1200];
    int w = snprintf(want, sizeof(want), "<caption|||0>%1024s=-1 %s", "",
                     "a form field is longer than 1024 bytes");
    CU_ASSERT_FATAL(k > 0 && w > 0);
    expect_n(body, (size_t)k, want, (size_t)w, 0, __LINE__);
}

static void test_parts_refused(void)
{
    REFUSED(FILE_PART "1" CRLF FILE_PART "2" CRLF B "--", "<image|a.png||1>1</>",
            "more than one file part");
    static char body[2048];
    size_t n = 0;
    for (int i = 0; i < 9; i++) {
        int k = snprintf(body + n, sizeof(body) - n, "%s%d%s", FIELD_PART, i, CRLF);
        CU_ASSERT_FATAL(k > 0);
        n += (size_t)k;
    }
    memcpy(body + n, B "--", 10);
    n += 10;
    static const char want[] = "<caption|||0>0</><caption|||0>1</><caption|||0>2</>"
                               "<caption|||0>3</><caption|||0>4</><caption|||0>5</>"
                               "<caption|||0>6</><caption|||0>7</>=-1 more than 8 parts";
    expect_n(body, n, want, sizeof(want) - 1, 0, __LINE__);
    /* the caller says no */
    static const char file[] = FILE_PART "x" CRLF B "--";
    static const char no[] = "<image|a.png||1>=-1 the upload was refused at the start of a part";
    expect_n(file, sizeof(file) - 1, no, sizeof(no) - 1, 1, __LINE__);
}

int unit_multipart_register(void)
{
    CU_pSuite s = CU_add_suite("multipart", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "boundary parameter and init", test_boundary) ||
        !CU_add_test(s, "binary file data byte for byte", test_binary_file) ||
        !CU_add_test(s, "valid bodies", test_valid_bodies) ||
        !CU_add_test(s, "framing refusals", test_framing_refused) ||
        !CU_add_test(s, "header refusals", test_headers_refused) ||
        !CU_add_test(s, "control characters in names", test_controls_refused) ||
        !CU_add_test(s, "size limits", test_limits_refused) ||
        !CU_add_test(s, "part counts and caller refusal", test_parts_refused))
        return -1;
    return 0;
}
