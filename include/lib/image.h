/* Decoding an uploaded image with libgd and encoding the sizes we store: a
 * fresh encode of the pixels only, so EXIF/GPS metadata, comments and
 * anything appended to the file (polyglots) are left behind. The input must
 * have passed imagecheck_sniff and the pixel cap first. No file I/O. */
#ifndef RB_LIB_IMAGE_H
#define RB_LIB_IMAGE_H

#include <stddef.h>

#include "lib/imagecheck.h"

#define IMAGE_MAX_OUTPUTS 8

struct image_output {
    unsigned width, height;
    enum imagecheck_type type; /* IMAGECHECK_WEBP or IMAGECHECK_JPEG */
    void *data;                /* libgd's buffer (gdFree) */
    size_t size;
};

struct image_result {
    unsigned width, height; /* of the decoded original */
    size_t n;
    struct image_output out[IMAGE_MAX_OUTPUTS];
};

struct image_options {
    const unsigned *widths; /* largest first; none wider than the original is made */
    unsigned nwidths;
    int webp, jpeg;
    unsigned quality; /* 1..100 */
};

/* Decodes len bytes of type and encodes every width x format into res
 * (largest first, WebP before JPEG). 0; -1 when the data does not decode
 * (reason in why); -2 when memory ran out. res is empty after a failure. */
int image_process(const unsigned char *buf, size_t len, enum imagecheck_type type,
                  const struct image_options *opt, struct image_result *res, char *why,
                  size_t whylen);

void image_result_free(struct image_result *res);

/* ".webp" or ".jpg". */
const char *image_extension(enum imagecheck_type type);

#endif
