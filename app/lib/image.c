/* Image decode, orient, resize and re-encode with libgd and libexif (see
 * include/lib/image.h).
 * libgd reports corrupt data through its error callback and, for JPEG with
 * ignore_warning = 0, by returning NULL: a truncated or damaged file is
 * refused rather than stored half grey.
 * libgd and libexif are loaded with dlopen on the first upload, not linked:
 * libgd brings 45 shared libraries (codecs for AVIF, HEIF, TIFF, X11...)
 * that cost every worker 2-3 MB of resident memory and start-up time, though
 * only the worker handling an upload needs them (and it is replaced
 * afterwards).
 * The self-contained binary of `make dist` is built with RB_LINK_STATIC: a
 * static program cannot dlopen, so there the same tables hold the linked
 * functions' addresses and nothing is opened. */
#include "lib/image.h"

#include <gd.h>
#include <libexif/exif-data.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/dynlib.h"

#define GD_LIBRARY "libgd.so.3"
#define EXIF_LIBRARY "libexif.so.12"

/* The libgd functions used, resolved at run time. */
static struct {
    gdImagePtr (*from_jpeg)(int, void *, int);
    gdImagePtr (*from_png)(int, void *);
    gdImagePtr (*from_webp)(int, void *);
    gdImagePtr (*create)(int, int);
    void (*fill)(gdImagePtr, int, int, int, int, int);
    void (*blending)(gdImagePtr, int);
    void (*copy)(gdImagePtr, gdImagePtr, int, int, int, int, int, int);
    void (*save_alpha)(gdImagePtr, int);
    void *(*webp)(gdImagePtr, int *, int);
    void *(*jpeg)(gdImagePtr, int *, int);
    void (*destroy)(gdImagePtr);
    void (*free)(void *);
    gdImagePtr (*scale)(const gdImagePtr, const unsigned int, const unsigned int);
    void (*error_method)(gdErrorMethod);
    int (*to_truecolor)(gdImagePtr);
    int (*interpolation)(gdImagePtr, gdInterpolationMethod);
} gd;

/* The libexif functions used, resolved at run time. */
static struct {
    ExifData *(*data_new)(void);
    void (*unset_option)(ExifData *, ExifDataOption);
    void (*load)(ExifData *, const unsigned char *, unsigned int);
    ExifEntry *(*get_entry)(ExifContent *, ExifTag);
    ExifByteOrder (*byte_order)(ExifData *);
    ExifShort (*get_short)(const unsigned char *, ExifByteOrder);
    void (*unref)(ExifData *);
} exif;

static const struct dynlib_symbol gd_symbols[] = {
    DYNLIB_LINKED(gdImageCreateFromJpegPtrEx, gd.from_jpeg),
    DYNLIB_LINKED(gdImageCreateFromPngPtr, gd.from_png),
    DYNLIB_LINKED(gdImageCreateFromWebpPtr, gd.from_webp),
    DYNLIB_LINKED(gdImageCreateTrueColor, gd.create),
    DYNLIB_LINKED(gdImageFilledRectangle, gd.fill),
    DYNLIB_LINKED(gdImageAlphaBlending, gd.blending),
    DYNLIB_LINKED(gdImageCopy, gd.copy),
    DYNLIB_LINKED(gdImageSaveAlpha, gd.save_alpha),
    DYNLIB_LINKED(gdImageWebpPtrEx, gd.webp),
    DYNLIB_LINKED(gdImageJpegPtr, gd.jpeg),
    DYNLIB_LINKED(gdImageDestroy, gd.destroy),
    DYNLIB_LINKED(gdFree, gd.free),
    DYNLIB_LINKED(gdImageScale, gd.scale),
    DYNLIB_LINKED(gdSetErrorMethod, gd.error_method),
    DYNLIB_LINKED(gdImagePaletteToTrueColor, gd.to_truecolor),
    DYNLIB_LINKED(gdImageSetInterpolationMethod, gd.interpolation),
};

static const struct dynlib_symbol exif_symbols[] = {
    DYNLIB_LINKED(exif_data_new, exif.data_new),
    DYNLIB_LINKED(exif_data_unset_option, exif.unset_option),
    DYNLIB_LINKED(exif_data_load_data, exif.load),
    DYNLIB_LINKED(exif_content_get_entry, exif.get_entry),
    DYNLIB_LINKED(exif_data_get_byte_order, exif.byte_order),
    DYNLIB_LINKED(exif_get_short, exif.get_short),
    DYNLIB_LINKED(exif_data_unref, exif.unref),
};

static int gd_load(void)
{
    static int state;
    return dynlib_load(GD_LIBRARY, gd_symbols, sizeof(gd_symbols) / sizeof(gd_symbols[0]), &state);
}

static int exif_load(void)
{
    static int state;
    return dynlib_load(EXIF_LIBRARY, exif_symbols, sizeof(exif_symbols) / sizeof(exif_symbols[0]),
                        &state);
}

/* libgd would print to stderr; the request log says what happened instead */
static int gd_out_of_memory; /* set when libgd says an allocation failed */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void quiet(int priority, const char *format, va_list args)
{
    char msg[256];
    (void)priority;
    vsnprintf(msg, sizeof(msg), format, args);
    if (strstr(msg, "allocate") != NULL || strstr(msg, "memory") != NULL)
        gd_out_of_memory = 1;
}
#pragma GCC diagnostic pop

static gdImagePtr decode(const unsigned char *buf, size_t len, enum imagecheck_type type)
{
    void *data = (void *)(uintptr_t)buf; /* libgd's API is not const-correct; it only reads */
    int size = (int)len;
    switch (type) {
    case IMAGECHECK_JPEG:
        return gd.from_jpeg(size, data, 0);
    case IMAGECHECK_PNG:
        return gd.from_png(size, data);
    case IMAGECHECK_WEBP:
        return gd.from_webp(size, data);
    default:
        return NULL;
    }
}

/* 1 when some pixel is not opaque. */
static int has_alpha(gdImagePtr im)
{
    for (int y = 0; y < gdImageSY(im); y++)
        for (int x = 0; x < gdImageSX(im); x++)
            if (gdTrueColorGetAlpha(im->tpixels[y][x]) != gdAlphaOpaque)
                return 1;
    return 0;
}

/* JPEG has no alpha: transparent pixels go on white, not black. An opaque
 * image is used as it is (the JPEG encoder ignores alpha): the copy would
 * cost an allocation per row, which a tall image has 16383 of. */
static gdImagePtr flatten(gdImagePtr im)
{
    if (!has_alpha(im))
        return im;
    gdImagePtr flat = gd.create(gdImageSX(im), gdImageSY(im));
    if (flat == NULL)
        return NULL;
    gd.fill(flat, 0, 0, gdImageSX(im) - 1, gdImageSY(im) - 1, gdTrueColor(255, 255, 255));
    gd.blending(flat, 1);
    gd.copy(flat, im, 0, 0, 0, 0, gdImageSX(im), gdImageSY(im));
    return flat;
}

static int encode(gdImagePtr im, enum imagecheck_type type, unsigned quality,
                  struct image_output *out)
{
    int size = 0;
    void *data = NULL;
    if (type == IMAGECHECK_WEBP) {
        gd.save_alpha(im, 1);
        data = gd.webp(im, &size, (int)quality);
    } else {
        gdImagePtr flat = flatten(im);
        if (flat != NULL)
            data = gd.jpeg(flat, &size, (int)quality);
        if (flat != NULL && flat != im)
            gd.destroy(flat);
    }
    if (data == NULL || size <= 0) {
        gd.free(data);
        return -1;
    }
    *out = (struct image_output){(unsigned)gdImageSX(im), (unsigned)gdImageSY(im), type, data,
                                 (size_t)size};
    return 0;
}

/* The EXIF Orientation (IFD0, tag 0x0112) of a JPEG, 1 when it has none or
 * an unreadable one. libexif finds the APP1 segment itself; the option
 * "follow specification" is dropped because it would add the mandatory
 * tags it finds missing rather than only read. */
static unsigned exif_orientation(const unsigned char *buf, size_t len)
{
    ExifData *d = exif.data_new();
    if (d == NULL)
        return 1;
    exif.unset_option(d, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif.load(d, buf, (unsigned)len);
    ExifEntry *e = exif.get_entry(d->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    unsigned o = 1;
    if (e != NULL && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->size >= 2 &&
        e->data != NULL)
        o = exif.get_short(e->data, exif.byte_order(d));
    exif.unref(d);
    return o;
}

struct image_orientation image_orientation_of(unsigned exif_orientation)
{
    /* the EXIF values are the 8 combinations of the three flags */
    static const struct image_orientation table[9] = {
        [2] = {0, 1, 0}, [3] = {0, 1, 1}, [4] = {0, 0, 1}, [5] = {1, 0, 0},
        [6] = {1, 1, 0}, [7] = {1, 1, 1}, [8] = {1, 0, 1},
    };
    return exif_orientation < 9 ? table[exif_orientation] : table[1];
}

void image_orient_point(struct image_orientation t, unsigned w, unsigned h, unsigned x, unsigned y,
                        unsigned *dx, unsigned *dy)
{
    unsigned ox = t.transpose ? y : x, oy = t.transpose ? x : y;
    unsigned ow = t.transpose ? h : w, oh = t.transpose ? w : h;
    *dx = t.flip_x ? ow - 1 - ox : ox;
    *dy = t.flip_y ? oh - 1 - oy : oy;
}

static int is_identity(struct image_orientation t)
{
    return !t.transpose && !t.flip_x && !t.flip_y;
}

/* im turned by t: im itself when t does nothing, else a new image (NULL
 * when out of memory). Pixels are copied as they are, alpha included. */
static gdImagePtr orient(gdImagePtr im, struct image_orientation t)
{
    if (is_identity(t))
        return im;
    unsigned w = (unsigned)gdImageSX(im), h = (unsigned)gdImageSY(im);
    gdImagePtr out = t.transpose ? gd.create((int)h, (int)w) : gd.create((int)w, (int)h);
    if (out == NULL)
        return NULL;
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            unsigned dx, dy;
            image_orient_point(t, w, h, x, y, &dx, &dy);
            out->tpixels[dy][dx] = im->tpixels[y][x];
        }
    return out;
}

void image_target_size(unsigned w, unsigned h, unsigned width, unsigned *tw, unsigned *th)
{
    unsigned long long w0 = w > 0 ? w : 1, h0 = h > 0 ? h : 1;
    unsigned long long x = width < w0 ? width : w0;
    if (x > IMAGE_MAX_SIDE)
        x = IMAGE_MAX_SIDE;
    unsigned long long y = (h0 * x + w0 / 2) / w0;
    if (y > IMAGE_MAX_SIDE) { /* tall: the height sets the scale instead */
        y = IMAGE_MAX_SIDE;
        x = (w0 * IMAGE_MAX_SIDE + h0 / 2) / h0;
    }
    *tw = x > 0 ? (unsigned)x : 1;
    *th = y > 0 ? (unsigned)y : 1;
}

/* Encodes one upright size w x h in each format: im (as stored) is scaled
 * to it first, then turned, so a full-size turned copy is only ever made
 * when that is the size stored. 0 or -1 (out of memory). */
static int make_size(gdImagePtr im, struct image_orientation t, unsigned w, unsigned h,
                     const struct image_options *opt, struct image_result *res)
{
    unsigned sw = t.transpose ? h : w, sh = t.transpose ? w : h;
    int same = sw == (unsigned)gdImageSX(im) && sh == (unsigned)gdImageSY(im);
    gdImagePtr scaled = same ? im : gd.scale(im, sw, sh);
    gdImagePtr turned = scaled != NULL ? orient(scaled, t) : NULL;
    static const enum imagecheck_type order[] = {IMAGECHECK_WEBP, IMAGECHECK_JPEG};
    int rc = turned != NULL ? 0 : -1;
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        int wanted = order[i] == IMAGECHECK_WEBP ? opt->webp : opt->jpeg;
        if (!wanted)
            continue;
        if (res->n >= IMAGE_MAX_OUTPUTS ||
            encode(turned, order[i], opt->quality, &res->out[res->n]) != 0)
            rc = -1;
        else
            res->n++;
    }
    if (turned != NULL && turned != scaled)
        gd.destroy(turned);
    if (scaled != NULL && scaled != im)
        gd.destroy(scaled);
    return rc;
}

/* Decodes into a true-colour image. NULL with *rc -1 (the data, reason in
 * why) or -2 (the server: memory). */
static gdImagePtr decode_checked(const unsigned char *buf, size_t len, enum imagecheck_type type,
                                 int *rc, char *why, size_t whylen)
{
    gd.error_method(quiet);
    gd_out_of_memory = 0;
    gdImagePtr im = decode(buf, len, type);
    *rc = -2;
    if (im == NULL && gd_out_of_memory) {
        snprintf(why, whylen, "out of memory decoding the image");
        return NULL; /* the server's limit, not the client's data */
    }
    if (im == NULL) {
        snprintf(why, whylen, "the image data is damaged or incomplete");
        *rc = -1;
        return NULL;
    }
    if (!gdImageTrueColor(im) && !gd.to_truecolor(im)) {
        gd.destroy(im);
        return NULL;
    }
    gd.interpolation(im, GD_BILINEAR_FIXED);
    *rc = 0;
    return im;
}

int image_process(const unsigned char *buf, size_t len, enum imagecheck_type type,
                  const struct image_options *opt, struct image_result *res, char *why,
                  size_t whylen)
{
    memset(res, 0, sizeof(*res));
    if (len == 0 || len > 0x7fffffff) {
        snprintf(why, whylen, "the image is empty or too large");
        return -1;
    }
    if (gd_load() != 0) {
        snprintf(why, whylen, "image processing is not available (" GD_LIBRARY " missing)");
        return -2;
    }
    int rc;
    gdImagePtr im = decode_checked(buf, len, type, &rc, why, whylen);
    if (im == NULL)
        return rc;
    /* only JPEG: phone cameras write EXIF there; PNG and WebP rarely carry it.
     * Without libexif the image is stored as it was sent, not refused. */
    int has_exif = type == IMAGECHECK_JPEG && exif_load() == 0;
    struct image_orientation t = image_orientation_of(has_exif ? exif_orientation(buf, len) : 1);
    unsigned sx = (unsigned)gdImageSX(im), sy = (unsigned)gdImageSY(im);
    res->width = t.transpose ? sy : sx;
    res->height = t.transpose ? sx : sy;
    unsigned last = 0;
    for (unsigned i = 0; i < opt->nwidths && rc == 0; i++) {
        /* never enlarge: sizes wider than the original collapse to it, once */
        unsigned w, h;
        image_target_size(res->width, res->height, opt->widths[i], &w, &h);
        if (w != last)
            rc = make_size(im, t, w, h, opt, res);
        last = w;
    }
    gd.destroy(im);
    if (rc != 0) {
        image_result_free(res);
        return -2;
    }
    return 0;
}

void image_result_free(struct image_result *res)
{
    for (size_t i = 0; i < res->n && gd.free != NULL; i++)
        gd.free(res->out[i].data);
    res->n = 0;
}

const char *image_extension(enum imagecheck_type type)
{
    return type == IMAGECHECK_WEBP ? ".webp" : ".jpg";
}
