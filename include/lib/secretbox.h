/* Secrets at rest: AES-256-GCM (OpenSSL EVP) with a fresh 96-bit nonce per
 * seal and associated data that binds a sealed secret to its owner (a row's
 * secret copied onto another row does not open). The sealed form is text:
 * base64 of key id (1 byte) | nonce (12) | ciphertext | tag (16). The key
 * id is the first byte of SHA-256(key), so that a rotation can tell which
 * of two keys sealed a value. Pure. */
#ifndef RB_LIB_SECRETBOX_H
#define RB_LIB_SECRETBOX_H

#include <stddef.h>

#define SECRETBOX_KEY 32
#define SECRETBOX_MAX_PLAIN 64
#define SECRETBOX_TEXT 128 /* base64 of 1 + 12 + 64 + 16 bytes, + NUL */

struct secretbox_key {
    unsigned char k[SECRETBOX_KEY];
    unsigned char id;
    int set; /* 0 = no key configured */
};

/* Reads a key written as 64 hex digits or as base64 of 32 bytes (44
 * characters, with or without padding); "" leaves key unset (returns 0).
 * 0, or -1 for anything else (key unset). */
int secretbox_key_parse(const char *text, struct secretbox_key *key);

/* Seals len (<= SECRETBOX_MAX_PLAIN) bytes under key, bound to ad (adlen
 * bytes), into out as text. 0 or -1. */
int secretbox_seal(const struct secretbox_key *key, const unsigned char *plain, size_t len,
                   const char *ad, size_t adlen, char out[SECRETBOX_TEXT]);

/* Opens sealed text with whichever of key and previous (may be NULL or
 * unset) has its key id; *used_previous says which did. Returns the byte
 * count written to out (size outlen), or -1 when the text is malformed,
 * no key matches, or the tag does not verify. */
long secretbox_open(const struct secretbox_key *key, const struct secretbox_key *previous,
                    const char *sealed, const char *ad, size_t adlen, unsigned char *out,
                    size_t outlen, int *used_previous);

#endif
