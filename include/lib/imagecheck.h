/* Checks an uploaded image before any decoder sees it: the format from its
 * magic bytes, the pixel dimensions from its header, and a structural walk
 * that refuses truncated files, trailing data and animations. Pure (no
 * libgd, no I/O); has a fuzz target. */
#ifndef RB_LIB_IMAGECHECK_H
#define RB_LIB_IMAGECHECK_H

#include <stddef.h>

enum imagecheck_type { IMAGECHECK_NONE = 0, IMAGECHECK_JPEG, IMAGECHECK_PNG, IMAGECHECK_WEBP };

struct imagecheck_info {
    enum imagecheck_type type;
    unsigned width, height;
};

/* Sniffs the format from magic bytes (never from a name or Content-Type)
 * and reads the pixel dimensions from the header without decoding. Returns
 * 0 and fills info (type != NONE, width and height >= 1), or -1 with a
 * client-facing reason in why (when why is non-NULL and whylen > 0). On -1,
 * info->type is still the type the magic bytes named (IMAGECHECK_NONE when
 * they named none: "not a JPEG, PNG or WebP image"), so the caller can tell
 * "not an image we take" from "a broken one"; width and height are 0.
 * Only buf[0..len) is read. The dimensions are as the header says: the
 * caller checks them against its pixel cap (in 64 bits).
 *
 * - JPEG: the marker segments are walked from SOI to EOI, including the
 *   entropy-coded data after each SOS; the first SOF gives the size. The
 *   file must end with EOI; zero bytes after it are ignored (some encoders
 *   pad), anything else is refused.
 * - PNG: IHDR first (1..2^31-1 each way), at least one IDAT, and IEND
 *   ending exactly at len. CRCs are not checked. Animated PNG (an acTL
 *   chunk) is refused: the decoder would keep only the first frame.
 * - WebP: the RIFF size must fit in len (bytes after it must be zeros); the
 *   first chunk is VP8, VP8L or VP8X. Animations (the VP8X flag, an ANIM or
 *   ANMF chunk) are refused; a VP8X file needs a VP8 or VP8L chunk. */
int imagecheck_sniff(const unsigned char *buf, size_t len, struct imagecheck_info *info, char *why,
                     size_t whylen);

/* "image/jpeg", "image/png", "image/webp"; NULL for NONE. */
const char *imagecheck_mime(enum imagecheck_type t);

/* A Content-Type header value to a type: image/jpeg, image/png or
 * image/webp, case-insensitive, surrounding blanks and parameters ignored.
 * The common misspelling image/jpg is taken as JPEG too (some clients send
 * it, and the bytes decide the real type anyway). IMAGECHECK_NONE for
 * anything else, NULL included. */
enum imagecheck_type imagecheck_type_of(const char *content_type);

#endif
