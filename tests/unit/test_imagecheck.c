/* Unit tests of the upload image sniffer on hand-made headers: the type and
 * dimensions of minimal JPEG, PNG and WebP files, and the refusal of
 * truncated, padded, animated, oversized-length and non-image inputs. Every
 * input is sniffed from an exact-size heap copy, so ASan catches a read past
 * the end. */
#include <stdlib.h>
#include <string.h>

#include "lib/imagecheck.h"
#include "unit.h"

static char why[96];
static struct imagecheck_info info;

/* imagecheck_sniff on a malloc'ed copy of exactly n bytes. */
static int sniff(const unsigned char *b, size_t n)
{
    unsigned char *copy = malloc(n > 0 ? n : 1);
    if (copy == NULL)
        return -2;
    if (n > 0)
        memcpy(copy, b, n);
    why[0] = '\0';
    int rc = imagecheck_sniff(copy, n, &info, why, sizeof(why));
    free(copy);
    return rc;
}

static void put_be32(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The images below keep one segment or chunk a line, so offsets read off. */
/* clang-format off */
/* Signature, IHDR (w x h, 8-bit RGB), a 2-byte IDAT, IEND. CRCs are not
 * checked, so they are left zero except IEND's. */
static const unsigned char PNG[59] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 2, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0, 0, 0, 0,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
#define PNG_W 16 /* offset of the width in PNG */

/* SOI, APP0 (JFIF), SOF0 (height 0x0102, width 0x0304, one component),
 * SOS, entropy data with a stuffed FF 00 and an RST0, EOI. */
static const unsigned char JPEG[] = {
    0xFF, 0xD8,
    0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xFF, 0xC0, 0, 11, 8, 0x01, 0x02, 0x03, 0x04, 1, 1, 0x11, 0,
    0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0,
    0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78,
    0xFF, 0xD9};
#define JPEG_SOF 20 /* offset of the SOF0 marker in JPEG */

/* Lossless 5 x 7: VP8L signature, width-1 = 4 and height-1 = 6 packed in
 * 14 bits each, and the pad byte after the odd-sized chunk. */
static const unsigned char WEBP_LOSSLESS[] = {
    'R', 'I', 'F', 'F', 18, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'L', 5, 0, 0, 0, 0x2F, 0x04, 0x80, 0x01, 0x00, 0};

/* Lossy 640 x 480: key frame tag, start code 9D 01 2A, 14-bit sizes. */
static const unsigned char WEBP_LOSSY[] = {
    'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', ' ', 10, 0, 0, 0, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01};

/* Extended 1000 x 2 canvas (VP8X, flags at offset 20), then the VP8L. */
static const unsigned char WEBP_EXTENDED[] = {
    'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'X', 10, 0, 0, 0, 0x10, 0, 0, 0, 0xE7, 0x03, 0, 0x01, 0, 0,
    'V', 'P', '8', 'L', 5, 0, 0, 0, 0x2F, 0xE7, 0x43, 0x00, 0x00, 0};
#define WEBP_X_FLAGS 20
/* clang-format on */

static size_t png_sized(unsigned char out[sizeof(PNG)], unsigned w, unsigned h)
{
    memcpy(out, PNG, sizeof(PNG));
    put_be32(out + PNG_W, w);
    put_be32(out + PNG_W + 4, h);
    return sizeof(PNG);
}

static void expect(const unsigned char *b, size_t n, enum imagecheck_type t, unsigned w, unsigned h,
                   unsigned line)
{
    int rc = sniff(b, n);
    UNIT_CHECK_AT(rc == 0, line, "sniff accepts");
    if (rc != 0)
        unit_str_eq(why, "(accepted)", __FILE__, line);
    UNIT_CHECK_AT(info.type == t && info.width == w && info.height == h, line, "type and size");
}

/* Refused with a reason containing want; info->type is the magic's type. */
static void refuse(const unsigned char *b, size_t n, enum imagecheck_type t, const char *want,
                   unsigned line)
{
    UNIT_CHECK_AT(sniff(b, n) == -1, line, "sniff refuses");
    UNIT_CHECK_AT(unit_str_has(why, want, __FILE__, line), line, "the reason");
    UNIT_CHECK_AT(info.type == t && info.width == 0 && info.height == 0, line, "info on refusal");
}

static void test_valid(void)
{
    expect(PNG, sizeof(PNG), IMAGECHECK_PNG, 3, 2, __LINE__);
    expect(JPEG, sizeof(JPEG), IMAGECHECK_JPEG, 0x0304, 0x0102, __LINE__);
    expect(WEBP_LOSSLESS, sizeof(WEBP_LOSSLESS), IMAGECHECK_WEBP, 5, 7, __LINE__);
    expect(WEBP_LOSSY, sizeof(WEBP_LOSSY), IMAGECHECK_WEBP, 640, 480, __LINE__);
    expect(WEBP_EXTENDED, sizeof(WEBP_EXTENDED), IMAGECHECK_WEBP, 1000, 2, __LINE__);
    UNIT_ASSERT_STR(imagecheck_mime(IMAGECHECK_JPEG), "image/jpeg");
    UNIT_ASSERT_STR(imagecheck_mime(IMAGECHECK_PNG), "image/png");
    UNIT_ASSERT_STR(imagecheck_mime(IMAGECHECK_WEBP), "image/webp");
    CU_ASSERT_PTR_NULL(imagecheck_mime(IMAGECHECK_NONE));
}

/* The sizes come back as read; refusing them is the caller's pixel cap. */
static void test_large_dimensions(void)
{
    unsigned char b[sizeof(PNG)];
    expect(b, png_sized(b, 20000, 20000), IMAGECHECK_PNG, 20000, 20000, __LINE__);
    expect(b, png_sized(b, 0x7fffffff, 1), IMAGECHECK_PNG, 0x7fffffff, 1, __LINE__);
    refuse(b, png_sized(b, 0x80000000u, 1), IMAGECHECK_PNG, "out of range", __LINE__);
    unsigned char j[sizeof(JPEG)];
    memcpy(j, JPEG, sizeof(JPEG));
    memset(j + JPEG_SOF + 5, 0xFF, 4);
    expect(j, sizeof(j), IMAGECHECK_JPEG, 65535, 65535, __LINE__);
    unsigned char x[sizeof(WEBP_EXTENDED)];
    memcpy(x, WEBP_EXTENDED, sizeof(x));
    memset(x + WEBP_X_FLAGS + 4, 0xFF, 6);
    expect(x, sizeof(x), IMAGECHECK_WEBP, 1u << 24, 1u << 24, __LINE__);
}

/* Every proper prefix of every valid image is refused. */
static void test_truncated(void)
{
    static const struct {
        const unsigned char *b;
        size_t n;
    } images[] = {{PNG, sizeof(PNG)},
                  {JPEG, sizeof(JPEG)},
                  {WEBP_LOSSLESS, sizeof(WEBP_LOSSLESS)},
                  {WEBP_LOSSY, sizeof(WEBP_LOSSY)},
                  {WEBP_EXTENDED, sizeof(WEBP_EXTENDED)}};
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
        for (size_t n = 0; n < images[i].n; n++)
            CU_ASSERT_EQUAL(sniff(images[i].b, n), -1);
    refuse(PNG, sizeof(PNG) / 2, IMAGECHECK_PNG, "truncated image", __LINE__);
    refuse(JPEG, sizeof(JPEG) - 2, IMAGECHECK_JPEG, "truncated image", __LINE__);
    refuse(JPEG, sizeof(JPEG) / 2, IMAGECHECK_JPEG, "truncated image", __LINE__);
    refuse(WEBP_LOSSY, sizeof(WEBP_LOSSY) - 3, IMAGECHECK_WEBP, "truncated image", __LINE__);
}

/* JPEG may carry zero padding after EOI; nothing else follows any image. */
static void test_trailing(void)
{
    unsigned char b[sizeof(JPEG) + 4] = {0};
    memcpy(b, JPEG, sizeof(JPEG));
    expect(b, sizeof(b), IMAGECHECK_JPEG, 0x0304, 0x0102, __LINE__);
    b[sizeof(b) - 1] = 'x';
    refuse(b, sizeof(b), IMAGECHECK_JPEG, "after the end", __LINE__);
    unsigned char p[sizeof(PNG) + 1] = {0};
    memcpy(p, PNG, sizeof(PNG));
    refuse(p, sizeof(p), IMAGECHECK_PNG, "after the end", __LINE__);
    unsigned char w[sizeof(WEBP_LOSSY) + 2] = {0};
    memcpy(w, WEBP_LOSSY, sizeof(WEBP_LOSSY));
    expect(w, sizeof(w), IMAGECHECK_WEBP, 640, 480, __LINE__);
    memcpy(w + sizeof(WEBP_LOSSY), "<s", 2);
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "after the end", __LINE__);
}

/* The declared type and the sniffed one are separate answers: the caller
 * compares them. */
static void test_declared_vs_sniffed(void)
{
    CU_ASSERT_EQUAL(imagecheck_type_of("image/jpeg"), IMAGECHECK_JPEG);
    expect(PNG, sizeof(PNG), IMAGECHECK_PNG, 3, 2, __LINE__);
    CU_ASSERT_EQUAL(imagecheck_type_of("IMAGE/JPEG; q=1"), IMAGECHECK_JPEG);
    CU_ASSERT_EQUAL(imagecheck_type_of("image/jpg"), IMAGECHECK_JPEG);
    CU_ASSERT_EQUAL(imagecheck_type_of(" image/png ;charset=binary"), IMAGECHECK_PNG);
    CU_ASSERT_EQUAL(imagecheck_type_of("Image/WebP"), IMAGECHECK_WEBP);
    static const char *const others[] = {NULL,
                                         "",
                                         "image/gif",
                                         "image/svg+xml",
                                         "text/html",
                                         "image/png x",
                                         "image/pngx",
                                         "image/jpe",
                                         "image",
                                         "image/png,image/jpeg",
                                         "application/octet-stream",
                                         "image/pjpeg"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        CU_ASSERT_EQUAL(imagecheck_type_of(others[i]), IMAGECHECK_NONE);
}

static void test_not_images(void)
{
#define T(s)                                                                                       \
    {                                                                                              \
        (const unsigned char *)(s), sizeof(s) - 1                                                  \
    }
    static const struct {
        const unsigned char *b;
        size_t n;
    } texts[] = {T("GIF89a\x01\x00\x01\x00\x80\x00\x00"),
                 T("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);"),
                 T("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
                 T("<html>\x89PNG\r\n\x1a\n</html>"),
                 T(" \x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
                 T("BM\x3a\x00\x00\x00\x00\x00"),
                 T("RIFF\x04\x00\x00\x00WAVE"),
                 T("RIFF\x04\x00\x00\x00WEB"),
                 T("\xFF\xD8"),
                 T("\x89PNG\r\n\x1a"),
                 T("x")};
#undef T
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        refuse(texts[i].b, texts[i].n, IMAGECHECK_NONE, "not a JPEG, PNG or WebP image", __LINE__);
    refuse((const unsigned char *)"", 0, IMAGECHECK_NONE, "not a JPEG", __LINE__);
    CU_ASSERT_EQUAL(imagecheck_sniff(NULL, 0, &info, NULL, 0), -1);
    CU_ASSERT_EQUAL(info.type, IMAGECHECK_NONE);
}

/* Lengths that would run far past the buffer are refused, not followed. */
static void test_huge_lengths(void)
{
    unsigned char j[sizeof(JPEG)];
    memcpy(j, JPEG, sizeof(JPEG));
    j[4] = j[5] = 0xFF; /* APP0 length 65535 */
    refuse(j, sizeof(j), IMAGECHECK_JPEG, "truncated image", __LINE__);
    j[4] = 0;
    j[5] = 1; /* a length shorter than itself */
    refuse(j, sizeof(j), IMAGECHECK_JPEG, "corrupt image", __LINE__);
    unsigned char p[sizeof(PNG)];
    memcpy(p, PNG, sizeof(PNG));
    put_be32(p + 33, 0x7fffffff); /* IDAT length */
    refuse(p, sizeof(p), IMAGECHECK_PNG, "truncated image", __LINE__);
    put_be32(p + 33, 0xffffffffu);
    refuse(p, sizeof(p), IMAGECHECK_PNG, "corrupt image", __LINE__);
    unsigned char w[sizeof(WEBP_LOSSY)];
    memcpy(w, WEBP_LOSSY, sizeof(w));
    memset(w + 4, 0xFF, 4); /* RIFF size */
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "truncated image", __LINE__);
    memcpy(w, WEBP_LOSSY, sizeof(w));
    memset(w + 16, 0xFF, 4); /* VP8 chunk size */
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "truncated image", __LINE__);
}

static void test_zero_dimensions(void)
{
    unsigned char b[sizeof(PNG)];
    refuse(b, png_sized(b, 0, 2), IMAGECHECK_PNG, "dimensions missing or zero", __LINE__);
    refuse(b, png_sized(b, 3, 0), IMAGECHECK_PNG, "dimensions missing or zero", __LINE__);
    unsigned char j[sizeof(JPEG)];
    memcpy(j, JPEG, sizeof(JPEG));
    j[JPEG_SOF + 7] = j[JPEG_SOF + 8] = 0; /* width */
    refuse(j, sizeof(j), IMAGECHECK_JPEG, "dimensions missing or zero", __LINE__);
    memcpy(j, JPEG, sizeof(JPEG));
    j[JPEG_SOF + 1] = 0xC4; /* the SOF becomes a DHT: SOS comes first */
    refuse(j, sizeof(j), IMAGECHECK_JPEG, "dimensions missing or zero", __LINE__);
    static const unsigned char eoi_first[] = {0xFF, 0xD8, 0xFF, 0xD9};
    refuse(eoi_first, sizeof(eoi_first), IMAGECHECK_JPEG, "dimensions missing", __LINE__);
    unsigned char w[sizeof(WEBP_LOSSY)];
    memcpy(w, WEBP_LOSSY, sizeof(w));
    w[26] = 0;
    w[27] = 0xC0; /* the scale bits only */
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "dimensions missing or zero", __LINE__);
}

static void test_animated(void)
{
    unsigned char x[sizeof(WEBP_EXTENDED)];
    memcpy(x, WEBP_EXTENDED, sizeof(x));
    x[WEBP_X_FLAGS] |= 0x02;
    refuse(x, sizeof(x), IMAGECHECK_WEBP, "animated images are not accepted", __LINE__);
    memcpy(x, WEBP_EXTENDED, sizeof(x));
    memcpy(x + 30, "ANMF", 4); /* a frame without the flag */
    refuse(x, sizeof(x), IMAGECHECK_WEBP, "animated images are not accepted", __LINE__);
    unsigned char p[sizeof(PNG)];
    memcpy(p, PNG, sizeof(PNG));
    memcpy(p + 37, "acTL", 4); /* the IDAT becomes an acTL (length checks aside) */
    refuse(p, sizeof(p), IMAGECHECK_PNG, "animated images are not accepted", __LINE__);
}

static void test_structure(void)
{
    unsigned char p[sizeof(PNG)];
    memcpy(p, PNG, sizeof(PNG));
    memcpy(p + 37, "tEXt", 4); /* no IDAT before IEND */
    refuse(p, sizeof(p), IMAGECHECK_PNG, "corrupt image", __LINE__);
    memcpy(p, PNG, sizeof(PNG));
    p[11] = 12; /* IHDR of the wrong length */
    refuse(p, sizeof(p), IMAGECHECK_PNG, "corrupt image", __LINE__);
    unsigned char w[sizeof(WEBP_EXTENDED)];
    memcpy(w, WEBP_EXTENDED, sizeof(w));
    memcpy(w + 30, "EXIF", 4); /* VP8X without a bitstream */
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "corrupt image", __LINE__);
    memcpy(w, WEBP_EXTENDED, sizeof(w));
    memcpy(w + 12, "ALPH", 4); /* the first chunk must say the format */
    refuse(w, sizeof(w), IMAGECHECK_WEBP, "corrupt image", __LINE__);
    unsigned char j[sizeof(JPEG)];
    memcpy(j, JPEG, sizeof(JPEG));
    j[2] = 0x00; /* no marker after SOI */
    refuse(j, sizeof(j), IMAGECHECK_NONE, "not a JPEG", __LINE__);
    memcpy(j, JPEG, sizeof(JPEG));
    j[JPEG_SOF] = 0x7F; /* garbage where a marker belongs */
    refuse(j, sizeof(j), IMAGECHECK_JPEG, "corrupt image", __LINE__);
}

/* A short why is cut, never overrun; no why at all is fine. */
static void test_why_buffer(void)
{
    char small[8] = "xxxxxxx";
    CU_ASSERT_EQUAL(imagecheck_sniff((const unsigned char *)"GIF89a", 6, &info, small, 5), -1);
    UNIT_ASSERT_STR(small, "not ");
    CU_ASSERT_EQUAL(small[6], 'x');
    CU_ASSERT_EQUAL(imagecheck_sniff((const unsigned char *)"GIF89a", 6, &info, NULL, 0), -1);
    CU_ASSERT_EQUAL(imagecheck_sniff(PNG, sizeof(PNG), &info, NULL, 0), 0);
}

int unit_imagecheck_register(void)
{
    CU_pSuite s = CU_add_suite("imagecheck", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "valid JPEG, PNG and WebP headers", test_valid) ||
        !CU_add_test(s, "large dimensions are returned as read", test_large_dimensions) ||
        !CU_add_test(s, "truncated images are refused", test_truncated) ||
        !CU_add_test(s, "data after the end of the image", test_trailing) ||
        !CU_add_test(s, "declared and sniffed types", test_declared_vs_sniffed) ||
        !CU_add_test(s, "not images (GIF, SVG, HTML, polyglots, empty)", test_not_images) ||
        !CU_add_test(s, "huge segment and chunk lengths", test_huge_lengths) ||
        !CU_add_test(s, "zero or missing dimensions", test_zero_dimensions) ||
        !CU_add_test(s, "animated images are refused", test_animated) ||
        !CU_add_test(s, "structural errors", test_structure) ||
        !CU_add_test(s, "the reason buffer", test_why_buffer))
        return -1;
    return 0;
}
