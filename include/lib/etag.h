/* Entity tags (RFC 9110 section 8.8.3): making one from a representation
 * and matching If-Match / If-None-Match header lists against it. Pure; has
 * a fuzz target. */
#ifndef RB_LIB_ETAG_H
#define RB_LIB_ETAG_H

#include <stddef.h>

#define ETAG_TEXT 36 /* a quoted 32-hex-digit tag and the NUL */

/* The strong tag of a representation: the first 128 bits of its SHA-256,
 * quoted. */
void etag_of(const char *body, size_t len, char out[ETAG_TEXT]);

/* 1 when header (a comma-separated list of entity tags, or "*") holds tag.
 * weak = 1 compares weakly (If-None-Match: W/"x" matches "x"); weak = 0
 * compares strongly (If-Match: a W/ tag never matches). A malformed list
 * matches nothing. */
int etag_match(const char *header, const char *tag, int weak);

#endif
