/* QR code to PNG (see include/lib/qrpng.h). libpng reports errors by
 * longjmp; everything that must be freed after one is declared volatile or
 * lives in the writer struct. */
#include "lib/qrpng.h"

#include <png.h>
#include <qrencode.h>

#include "lib/dynlib.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define QUIET 4

struct sink {
    unsigned char *buf;
    size_t len, cap;
    int failed;
};

static void sink_write(png_structp png, png_bytep data, png_size_t n)
{
    struct sink *s = png_get_io_ptr(png);
    if (s->failed)
        return;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->len + n)
            cap *= 2;
        unsigned char *grown = realloc(s->buf, cap);
        if (grown == NULL) {
            s->failed = 1;
            return;
        }
        s->buf = grown;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
}

static void sink_flush(png_structp png)
{
    (void)png;
}

/* One pixel row: bit set = white (grayscale 1 bit), module dark = 0. */
static void draw_row(const QRcode *qr, int y, unsigned scale, unsigned char *row, size_t rowlen)
{
    int w = qr->width;
    memset(row, 0xff, rowlen);
    if (y < 0 || y >= w)
        return;
    for (int x = 0; x < w; x++) {
        if (!(qr->data[y * w + x] & 1))
            continue;
        for (unsigned k = 0; k < scale; k++) {
            size_t px = (size_t)(x + QUIET) * scale + k;
            row[px / 8] &= (unsigned char)~(0x80u >> (px % 8));
        }
    }
}

static int write_png(const QRcode *qr, unsigned scale, struct sink *s)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    unsigned side = (unsigned)(qr->width + 2 * QUIET) * scale;
    size_t rowlen = (side + 7) / 8;
    unsigned char *volatile row = malloc(rowlen);
    int rc = -1;
    if (info == NULL || row == NULL)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_set_write_fn(png, s, sink_write, sink_flush);
    png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (unsigned y = 0; y < side; y++) {
        draw_row(qr, (int)(y / scale) - QUIET, scale, row, rowlen);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    rc = s->failed ? -1 : 0;
out:
    free(row);
    png_destroy_write_struct(&png, &info);
    return rc;
}

/* libqrencode, opened on the first enrolment (lib/dynlib.h): workers that
 * never draw a QR code do not carry it, and the static build (which has
 * no libqrencode.a to link) answers without the picture. */
static struct {
    QRcode *(*encode)(const char *, int, QRecLevel, QRencodeMode, int);
    void (*free)(QRcode *);
} qrlib;

static int qrlib_load(void)
{
    static const struct dynlib_symbol syms[] = {
        {"QRcode_encodeString", &qrlib.encode, NULL},
        {"QRcode_free", &qrlib.free, NULL},
    };
    static int state;
    return dynlib_load("libqrencode.so.4", syms, sizeof(syms) / sizeof(syms[0]), &state);
}

int qrpng_encode(const char *text, unsigned scale, unsigned char **png, size_t *len)
{
    if (scale == 0 || scale > 16)
        return -1;
    if (qrlib_load() != 0)
        return -2;
    QRcode *qr = qrlib.encode(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return -1;
    struct sink s = {NULL, 0, 0, 0};
    int rc = write_png(qr, scale, &s);
    qrlib.free(qr);
    if (rc != 0) {
        free(s.buf);
        return -1;
    }
    *png = s.buf;
    *len = s.len;
    return 0;
}
