/* A QR code (libqrencode) drawn as a 1-bit grayscale PNG (libpng) in
 * memory: for the otpauth:// URI of a TOTP enrolment. Pure but for the
 * one-time dlopen of libqrencode. */
#ifndef RB_LIB_QRPNG_H
#define RB_LIB_QRPNG_H

#include <stddef.h>

/* Encodes text (error correction M) as a PNG with scale pixels per module
 * and a 4-module quiet zone. On success returns 0 and a malloc'd buffer in
 * *png (the caller frees it) of *len bytes; -2 when libqrencode is not
 * there (the static build: see lib/dynlib.h); -1 otherwise. */
int qrpng_encode(const char *text, unsigned scale, unsigned char **png, size_t *len);

#endif
