/* Decoding an uploaded image with libgd and encoding the sizes we store: a
 * fresh encode of the pixels only, turned upright by a JPEG's EXIF
 * orientation (read with libexif), so EXIF/GPS metadata, comments and
 * anything appended to the file (polyglots) are left behind. The input must
 * have passed imagecheck_sniff and the pixel cap first. No file I/O. */
#ifndef RB_LIB_IMAGE_H
#define RB_LIB_IMAGE_H

#include <stddef.h>

#include "lib/imagecheck.h"

#define IMAGE_MAX_OUTPUTS 8

/* The longest side a stored file may have: WebP cannot encode more than
 * 16383 pixels either way (JPEG's 65535 is larger). */
#define IMAGE_MAX_SIDE 16383u

struct image_output {
    unsigned width, height;
    enum imagecheck_type type; /* IMAGECHECK_WEBP or IMAGECHECK_JPEG */
    void *data;                /* libgd's buffer (gdFree) */
    size_t size;
};

struct image_result {
    unsigned width, height; /* of the decoded original, upright */
    size_t n;
    struct image_output out[IMAGE_MAX_OUTPUTS];
};

struct image_options {
    const unsigned *widths; /* largest first; none wider than the original is made */
    unsigned nwidths;
    int webp, jpeg;
    unsigned quality; /* 1..100 */
};

/* Decodes len bytes of type, turns a JPEG upright by its EXIF orientation,
 * and encodes every width x format into res (largest first, WebP before
 * JPEG; each size as image_target_size says, a width made twice only once).
 * 0; -1 when the data does not decode (reason in why); -2 when memory ran
 * out or libgd or libexif cannot be loaded. res is empty after a failure. */
int image_process(const unsigned char *buf, size_t len, enum imagecheck_type type,
                  const struct image_options *opt, struct image_result *res, char *why,
                  size_t whylen);

void image_result_free(struct image_result *res);

/* The size one configured width of a w x h (upright) image is stored at:
 * never wider than the original, and smaller still when the height would
 * pass IMAGE_MAX_SIDE, so that neither side does (aspect ratio kept up to
 * rounding, each side at least 1). Pure; tw and th must not be NULL. */
void image_target_size(unsigned w, unsigned h, unsigned width, unsigned *tw, unsigned *th);

/* How to turn a stored image upright: swap x and y first (transpose), then
 * mirror left-right (flip_x) and top-bottom (flip_y), in the swapped frame. */
struct image_orientation {
    int transpose, flip_x, flip_y;
};

/* The transform for an EXIF Orientation value: 1 none, 2 mirror, 3 rotate
 * 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate
 * 270 clockwise. Any other value is treated as 1 (no transform). Pure. */
struct image_orientation image_orientation_of(unsigned exif_orientation);

/* Where pixel (x, y) of a w x h image lands once t is applied; the result
 * is h x w when t transposes. x < w and y < h. Pure; dx, dy non-NULL. */
void image_orient_point(struct image_orientation t, unsigned w, unsigned h, unsigned x, unsigned y,
                        unsigned *dx, unsigned *dy);

/* ".webp" or ".jpg". */
const char *image_extension(enum imagecheck_type type);

#endif
