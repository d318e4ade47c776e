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

/* A tag derived from the inputs of a representation rather than from its
 * bytes: fields are appended (numbers, and strings with their length, so
 * that no two field lists give the same key) and the key is hashed. A key
 * longer than the buffer is folded into its hash as it grows, so any
 * input fits. */
#define ETAG_KEY_MAX 512
struct etag_key {
    char buf[ETAG_KEY_MAX];
    size_t len;
};

void etag_key_init(struct etag_key *k);
void etag_key_num(struct etag_key *k, long long v);
/* s may be NULL, a value of its own (not ""). */
void etag_key_str(struct etag_key *k, const char *s);
void etag_key_finish(const struct etag_key *k, char out[ETAG_TEXT]);

/* 1 when header (a comma-separated list of entity tags, or "*") holds tag.
 * weak = 1 compares weakly (If-None-Match: W/"x" matches "x"); weak = 0
 * compares strongly (If-Match: a W/ tag never matches). A malformed list
 * matches nothing. */
int etag_match(const char *header, const char *tag, int weak);

#endif
