/* Random tokens and their digests: session cookies and CSRF tokens are 256
 * random bits in base64url; only the SHA-256 of a session token is stored. */
#ifndef RB_LIB_TOKEN_H
#define RB_LIB_TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES 32
#define TOKEN_TEXT 44 /* base64url of 32 bytes without padding: 43 chars + NUL */
#define TOKEN_SHA256_HEX 65

/* Fills out with a new random token (base64url, no padding). 0/-1. */
int token_new(char out[TOKEN_TEXT]);

/* base64url without padding of n bytes into out (size >= 4*ceil(n/3)+1).
 * Returns the text length, or -1 when out is too small. */
long token_b64url(const unsigned char *in, size_t n, char *out, size_t outlen);

/* 1 when s is exactly a token's shape: 43 base64url characters. */
int token_valid(const char *s);

/* Lower-case hex SHA-256 of len bytes. */
void token_sha256_hex(const char *s, size_t len, char out[TOKEN_SHA256_HEX]);

#endif
