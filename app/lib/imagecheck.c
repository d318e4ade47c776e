/* Upload checks before decoding: magic bytes, header dimensions and a walk
 * of the container structure, so that truncated files, appended data and
 * animations are refused with a clear reason instead of reaching libgd.
 * Every length is compared against what is left before it is used. */
#include "lib/imagecheck.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char NOT_IMAGE[] = "not a JPEG, PNG or WebP image";
static const char TRUNCATED[] = "truncated image";
static const char CORRUPT[] = "corrupt image";
static const char NO_DIMS[] = "image dimensions missing or zero";
static const char BIG_DIMS[] = "image dimensions out of range";
static const char TRAILING[] = "unexpected data after the end of the image";
static const char ANIMATED[] = "animated images are not accepted";

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | le24(p);
}

/* 1 when b[from..len) are all zero bytes (padding some encoders add). */
static int zeros_only(const unsigned char *b, size_t from, size_t len)
{
    for (; from < len; from++)
        if (b[from] != 0)
            return 0;
    return 1;
}

/* ---- JPEG ---- */

static int jpeg_is_sof(unsigned m)
{
    /* C4 is DHT, C8 reserved, CC is DAC */
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Skips the entropy-coded data that follows an SOS segment: there FF is
 * followed by 00 (a stuffed byte) or RSTn; anything else is the next
 * marker. Returns the position of that marker's FF, or len when the data
 * runs off the end. */
static size_t jpeg_skip_scan(const unsigned char *b, size_t len, size_t p)
{
    while (p + 1 < len) {
        unsigned m = b[p + 1];
        if (b[p] != 0xFF || m == 0xFF) /* data, or a fill byte before a marker */
            p++;
        else if (m == 0x00 || (m >= 0xD0 && m <= 0xD7))
            p += 2;
        else
            return p;
    }
    return len;
}

/* The frame header: precision, then height and width. */
static const char *jpeg_sof(const unsigned char *seg, size_t n, unsigned *w, unsigned *h)
{
    if (n < 8)
        return CORRUPT;
    *h = be16(seg + 3);
    *w = be16(seg + 5);
    return *w == 0 || *h == 0 ? NO_DIMS : NULL;
}

/* One marker segment at b[p] (the marker byte already read as m, p just
 * after it): sets *next past it. NULL or the reason. */
static const char *jpeg_segment(const unsigned char *b, size_t len, size_t p, unsigned m,
                                int *sof_seen, unsigned *w, unsigned *h, size_t *next)
{
    if (len - p < 2)
        return TRUNCATED;
    size_t n = be16(b + p); /* counts its own two bytes */
    if (n < 2)
        return CORRUPT;
    if (n > len - p)
        return TRUNCATED;
    *next = p + n;
    if (jpeg_is_sof(m)) {
        if (*sof_seen)
            return CORRUPT;
        *sof_seen = 1;
        return jpeg_sof(b + p, n, w, h);
    }
    if (m == 0xDA) {
        if (!*sof_seen)
            return NO_DIMS;
        *next = jpeg_skip_scan(b, len, p + n);
    }
    return NULL;
}

static const char *jpeg(const unsigned char *b, size_t len, unsigned *w, unsigned *h)
{
    int sof_seen = 0, sos_seen = 0;
    size_t p = 2; /* after SOI */
    for (;;) {
        if (p >= len)
            return TRUNCATED;
        if (b[p] != 0xFF)
            return CORRUPT;
        while (p < len && b[p] == 0xFF) /* fill bytes */
            p++;
        if (p >= len)
            return TRUNCATED;
        unsigned m = b[p++];
        if (m == 0xD9) { /* EOI */
            if (!sof_seen)
                return NO_DIMS;
            if (!sos_seen)
                return CORRUPT;
            return zeros_only(b, p, len) ? NULL : TRAILING;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) /* TEM, RSTn: no length */
            continue;
        if (m == 0x00 || m == 0xD8)
            return CORRUPT;
        sos_seen |= m == 0xDA;
        const char *err = jpeg_segment(b, len, p, m, &sof_seen, w, h, &p);
        if (err != NULL)
            return err;
    }
}

/* ---- PNG ---- */

static int png_type_ok(const unsigned char *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

static const char *png_ihdr(const unsigned char *d, unsigned *w, unsigned *h)
{
    uint32_t x = be32(d), y = be32(d + 4);
    if (x == 0 || y == 0)
        return NO_DIMS;
    if (x > 0x7fffffffu || y > 0x7fffffffu)
        return BIG_DIMS;
    *w = (unsigned)x;
    *h = (unsigned)y;
    return NULL;
}

/* The chunk after IHDR whose type is t and which ends at p. NULL to go on,
 * "" when IEND ended the image well, or the reason. */
static const char *png_chunk(const unsigned char *t, uint32_t n, size_t p, size_t len, int *idat)
{
    if (memcmp(t, "IHDR", 4) == 0)
        return CORRUPT;
    if (memcmp(t, "acTL", 4) == 0)
        return ANIMATED;
    if (memcmp(t, "IDAT", 4) == 0)
        *idat = 1;
    if (memcmp(t, "IEND", 4) != 0)
        return NULL;
    if (n != 0 || !*idat)
        return CORRUPT;
    return p == len ? "" : TRAILING;
}

static const char *png(const unsigned char *b, size_t len, unsigned *w, unsigned *h)
{
    int idat = 0;
    size_t p = 8; /* after the signature; p <= len throughout */
    for (int first = 1;; first = 0) {
        if (len - p < 8)
            return TRUNCATED;
        uint32_t n = be32(b + p);
        const unsigned char *t = b + p + 4;
        if (n > 0x7fffffffu || !png_type_ok(t) || (first && (memcmp(t, "IHDR", 4) != 0 || n != 13)))
            return CORRUPT;
        if (n > len - p - 8 || len - p - 8 - n < 4) /* data and CRC */
            return TRUNCATED;
        p += 8 + (size_t)n + 4;
        const char *err = first ? png_ihdr(t + 4, w, h) : png_chunk(t, n, p, len, &idat);
        if (err != NULL)
            return *err == '\0' ? NULL : err;
    }
}

/* ---- WebP ---- */

/* Lossy: a key frame's tag, start code, then 14-bit width and height. */
static const char *webp_vp8(const unsigned char *d, uint32_t n, unsigned *w, unsigned *h)
{
    if (n < 10)
        return TRUNCATED;
    if ((d[0] & 1) != 0 || d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A)
        return CORRUPT;
    *w = le16(d + 6) & 0x3fff;
    *h = le16(d + 8) & 0x3fff;
    return *w == 0 || *h == 0 ? NO_DIMS : NULL;
}

/* Lossless: signature 2F, then width-1 and height-1 in 14 bits each, an
 * alpha bit and a 3-bit version that must be 0. */
static const char *webp_vp8l(const unsigned char *d, uint32_t n, unsigned *w, unsigned *h)
{
    if (n < 5)
        return TRUNCATED;
    uint32_t bits = le32(d + 1);
    if (d[0] != 0x2F || (bits >> 29) != 0)
        return CORRUPT;
    *w = (unsigned)(bits & 0x3fff) + 1;
    *h = (unsigned)((bits >> 14) & 0x3fff) + 1;
    return NULL;
}

/* Extended: flags, 3 reserved bytes, canvas width-1 and height-1 (24 bits). */
static const char *webp_vp8x(const unsigned char *d, uint32_t n, unsigned *w, unsigned *h)
{
    if (n < 10)
        return TRUNCATED;
    if ((d[0] & 0x02) != 0)
        return ANIMATED;
    *w = (unsigned)le24(d + 4) + 1;
    *h = (unsigned)le24(d + 7) + 1;
    return NULL;
}

/* One chunk (fourcc t, n data bytes at d). *image is set once there is a
 * bitstream (VP8 or VP8L); first says it is the first chunk. */
static const char *webp_chunk(const unsigned char *t, const unsigned char *d, uint32_t n, int first,
                              int *image, unsigned *w, unsigned *h)
{
    int vp8 = memcmp(t, "VP8 ", 4) == 0, vp8l = memcmp(t, "VP8L", 4) == 0;
    if (memcmp(t, "ANIM", 4) == 0 || memcmp(t, "ANMF", 4) == 0)
        return ANIMATED;
    *image |= vp8 || vp8l;
    if (!first)
        return NULL;
    if (vp8)
        return webp_vp8(d, n, w, h);
    if (vp8l)
        return webp_vp8l(d, n, w, h);
    if (memcmp(t, "VP8X", 4) == 0)
        return webp_vp8x(d, n, w, h);
    return CORRUPT;
}

static const char *webp(const unsigned char *b, size_t len, unsigned *w, unsigned *h)
{
    uint32_t riff = le32(b + 4); /* counts "WEBP" and the chunks */
    if (riff > len - 8)
        return TRUNCATED;
    size_t end = 8 + (size_t)riff, p = 12;
    if (!zeros_only(b, end, len))
        return TRAILING;
    int image = 0;
    for (int first = 1; first || p < end; first = 0) {
        if (p > end || end - p < 8)
            return TRUNCATED;
        uint32_t n = le32(b + p + 4);
        if (n > end - p - 8 || (n & 1u) > end - p - 8 - n) /* data, then a pad byte when odd */
            return TRUNCATED;
        const char *err = webp_chunk(b + p, b + p + 8, n, first, &image, w, h);
        if (err != NULL)
            return err;
        p += 8 + (size_t)n + (n & 1u);
    }
    return image ? NULL : CORRUPT;
}

/* ---- public ---- */

static enum imagecheck_type magic(const unsigned char *b, size_t len)
{
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return IMAGECHECK_JPEG;
    if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return IMAGECHECK_PNG;
    if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return IMAGECHECK_WEBP;
    return IMAGECHECK_NONE;
}

int imagecheck_sniff(const unsigned char *buf, size_t len, struct imagecheck_info *info, char *why,
                     size_t whylen)
{
    unsigned w = 0, h = 0;
    enum imagecheck_type t = buf != NULL ? magic(buf, len) : IMAGECHECK_NONE;
    const char *err = t == IMAGECHECK_JPEG   ? jpeg(buf, len, &w, &h)
                      : t == IMAGECHECK_PNG  ? png(buf, len, &w, &h)
                      : t == IMAGECHECK_WEBP ? webp(buf, len, &w, &h)
                                             : NOT_IMAGE;
    info->type = t;
    info->width = err == NULL ? w : 0;
    info->height = err == NULL ? h : 0;
    if (err == NULL)
        return 0;
    if (why != NULL && whylen > 0)
        snprintf(why, whylen, "%s", err);
    return -1;
}

const char *imagecheck_mime(enum imagecheck_type t)
{
    switch (t) {
    case IMAGECHECK_JPEG:
        return "image/jpeg";
    case IMAGECHECK_PNG:
        return "image/png";
    case IMAGECHECK_WEBP:
        return "image/webp";
    case IMAGECHECK_NONE:
        break;
    }
    return NULL;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* 1 when s[0..n) is word, ASCII case-insensitively (no locale). */
static int same_word(const char *s, size_t n, const char *word)
{
    if (n != strlen(word))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != word[i])
            return 0;
    }
    return 1;
}

enum imagecheck_type imagecheck_type_of(const char *content_type)
{
    if (content_type == NULL)
        return IMAGECHECK_NONE;
    const char *s = content_type;
    while (blank(*s))
        s++;
    size_t n = strcspn(s, "; \t");
    for (const char *q = s + n; *q != '\0' && *q != ';'; q++)
        if (!blank(*q)) /* "image/png x" is no media type */
            return IMAGECHECK_NONE;
    if (same_word(s, n, "image/jpeg") || same_word(s, n, "image/jpg"))
        return IMAGECHECK_JPEG;
    if (same_word(s, n, "image/png"))
        return IMAGECHECK_PNG;
    if (same_word(s, n, "image/webp"))
        return IMAGECHECK_WEBP;
    return IMAGECHECK_NONE;
}
