/* Image decode, resize and re-encode with libgd (see include/lib/image.h).
 * libgd reports corrupt data through its error callback and, for JPEG with
 * ignore_warning = 0, by returning NULL: a truncated or damaged file is
 * refused rather than stored half grey. */
#include "lib/image.h"

#include <gd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* libgd would print to stderr; the request log says what happened instead */
static void quiet(int priority, const char *format, va_list args)
{
    (void)priority;
    (void)format;
    (void)args;
}

static gdImagePtr decode(const unsigned char *buf, size_t len, enum imagecheck_type type)
{
    void *data = (void *)(uintptr_t)buf; /* libgd's API is not const-correct; it only reads */
    int size = (int)len;
    switch (type) {
    case IMAGECHECK_JPEG:
        return gdImageCreateFromJpegPtrEx(size, data, 0);
    case IMAGECHECK_PNG:
        return gdImageCreateFromPngPtr(size, data);
    case IMAGECHECK_WEBP:
        return gdImageCreateFromWebpPtr(size, data);
    default:
        return NULL;
    }
}

/* JPEG has no alpha: transparent pixels go on white, not black. */
static gdImagePtr flatten(gdImagePtr im)
{
    gdImagePtr flat = gdImageCreateTrueColor(gdImageSX(im), gdImageSY(im));
    if (flat == NULL)
        return NULL;
    gdImageFilledRectangle(flat, 0, 0, gdImageSX(im) - 1, gdImageSY(im) - 1,
                           gdTrueColor(255, 255, 255));
    gdImageAlphaBlending(flat, 1);
    gdImageCopy(flat, im, 0, 0, 0, 0, gdImageSX(im), gdImageSY(im));
    return flat;
}

static int encode(gdImagePtr im, enum imagecheck_type type, unsigned quality,
                  struct image_output *out)
{
    int size = 0;
    void *data = NULL;
    if (type == IMAGECHECK_WEBP) {
        gdImageSaveAlpha(im, 1);
        data = gdImageWebpPtrEx(im, &size, (int)quality);
    } else {
        gdImagePtr flat = flatten(im);
        if (flat != NULL)
            data = gdImageJpegPtr(flat, &size, (int)quality);
        if (flat != NULL)
            gdImageDestroy(flat);
    }
    if (data == NULL || size <= 0) {
        gdFree(data);
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
    gdImagePtr scaled = width == w0 ? im : gdImageScale(im, width, h > 0 ? h : 1);
    if (scaled == NULL)
        return -1;
    static const enum imagecheck_type order[] = {IMAGECHECK_WEBP, IMAGECHECK_JPEG};
    int rc = 0;
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        int wanted = order[i] == IMAGECHECK_WEBP ? opt->webp : opt->jpeg;
        if (!wanted)
            continue;
        if (res->n >= IMAGE_MAX_OUTPUTS || encode(scaled, order[i], opt->quality, &res->out[res->n]) != 0)
            rc = -1;
        else
            res->n++;
    }
    if (scaled != im)
        gdImageDestroy(scaled);
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
    gdSetErrorMethod(quiet);
    gdImagePtr im = decode(buf, len, type);
    if (im == NULL) {
        snprintf(why, whylen, "the image data is damaged or incomplete");
        return -1;
    }
    if (!gdImageTrueColor(im) && !gdImagePaletteToTrueColor(im)) {
        gdImageDestroy(im);
        return -2;
    }
    gdImageSetInterpolationMethod(im, GD_BILINEAR_FIXED);
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
    gdImageDestroy(im);
    if (rc != 0) {
        image_result_free(res);
        return -2;
    }
    return 0;
}

void image_result_free(struct image_result *res)
{
    for (size_t i = 0; i < res->n; i++)
        gdFree(res->out[i].data);
    res->n = 0;
}

const char *image_extension(enum imagecheck_type type)
{
    return type == IMAGECHECK_WEBP ? ".webp" : ".jpg";
}
