/* Image decode, resize and re-encode with libgd (see include/lib/image.h).
 * libgd reports corrupt data through its error callback and, for JPEG with
 * ignore_warning = 0, by returning NULL: a truncated or damaged file is
 * refused rather than stored half grey.
 * libgd is loaded with dlopen on the first upload, not linked: it brings 45
 * shared libraries (codecs for AVIF, HEIF, TIFF, X11...) that cost every
 * worker 2-3 MB of resident memory and start-up time, though only the
 * worker handling an upload needs them (and it is replaced afterwards). */
#include "lib/image.h"

#include <dlfcn.h>
#include <gd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GD_LIBRARY "libgd.so.3"

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

static int resolve(void *lib, const char *name, void *slot)
{
    void *f = dlsym(lib, name);
    memcpy(slot, &f, sizeof(f)); /* object to function pointer, as POSIX allows */
    return f != NULL ? 0 : -1;
}

/* 0 when libgd is loaded (once per process), -1 when it cannot be. */
static int gd_load(void)
{
    static int state; /* 0 untried, 1 loaded, -1 failed */
    if (state != 0)
        return state > 0 ? 0 : -1;
    void *lib = dlopen(GD_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    int bad = lib == NULL;
    if (!bad)
        bad = resolve(lib, "gdImageCreateFromJpegPtrEx", &gd.from_jpeg) |
              resolve(lib, "gdImageCreateFromPngPtr", &gd.from_png) |
              resolve(lib, "gdImageCreateFromWebpPtr", &gd.from_webp) |
              resolve(lib, "gdImageCreateTrueColor", &gd.create) |
              resolve(lib, "gdImageFilledRectangle", &gd.fill) |
              resolve(lib, "gdImageAlphaBlending", &gd.blending) |
              resolve(lib, "gdImageCopy", &gd.copy) |
              resolve(lib, "gdImageSaveAlpha", &gd.save_alpha) |
              resolve(lib, "gdImageWebpPtrEx", &gd.webp) |
              resolve(lib, "gdImageJpegPtr", &gd.jpeg) |
              resolve(lib, "gdImageDestroy", &gd.destroy) | resolve(lib, "gdFree", &gd.free) |
              resolve(lib, "gdImageScale", &gd.scale) |
              resolve(lib, "gdSetErrorMethod", &gd.error_method) |
              resolve(lib, "gdImagePaletteToTrueColor", &gd.to_truecolor) |
              resolve(lib, "gdImageSetInterpolationMethod", &gd.interpolation);
    state = bad ? -1 : 1;
    return bad ? -1 : 0;
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

/* JPEG has no alpha: transparent pixels go on white, not black. */
static gdImagePtr flatten(gdImagePtr im)
{
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
        if (flat != NULL)
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

/* Encodes one width in each format. 0 or -1 (out of memory). */
static int make_size(gdImagePtr im, unsigned width, const struct image_options *opt,
                     struct image_result *res)
{
    unsigned w0 = (unsigned)gdImageSX(im), h0 = (unsigned)gdImageSY(im);
    unsigned h = (unsigned)(((unsigned long long)h0 * width + w0 / 2) / w0);
    gdImagePtr scaled = width == w0 ? im : gd.scale(im, width, h > 0 ? h : 1);
    if (scaled == NULL)
        return -1;
    static const enum imagecheck_type order[] = {IMAGECHECK_WEBP, IMAGECHECK_JPEG};
    int rc = 0;
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        int wanted = order[i] == IMAGECHECK_WEBP ? opt->webp : opt->jpeg;
        if (!wanted)
            continue;
        if (res->n >= IMAGE_MAX_OUTPUTS ||
            encode(scaled, order[i], opt->quality, &res->out[res->n]) != 0)
            rc = -1;
        else
            res->n++;
    }
    if (scaled != im)
        gd.destroy(scaled);
    return rc;
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
    gd.error_method(quiet);
    gd_out_of_memory = 0;
    gdImagePtr im = decode(buf, len, type);
    if (im == NULL && gd_out_of_memory) {
        snprintf(why, whylen, "out of memory decoding the image");
        return -2; /* the server's limit, not the client's data */
    }
    if (im == NULL) {
        snprintf(why, whylen, "the image data is damaged or incomplete");
        return -1;
    }
    if (!gdImageTrueColor(im) && !gd.to_truecolor(im)) {
        gd.destroy(im);
        return -2;
    }
    gd.interpolation(im, GD_BILINEAR_FIXED);
    res->width = (unsigned)gdImageSX(im);
    res->height = (unsigned)gdImageSY(im);
    unsigned last = 0;
    int rc = 0;
    for (unsigned i = 0; i < opt->nwidths && rc == 0; i++) {
        /* never enlarge: sizes wider than the original collapse to it, once */
        unsigned w = opt->widths[i] < res->width ? opt->widths[i] : res->width;
        if (w != last)
            rc = make_size(im, w, opt, res);
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
