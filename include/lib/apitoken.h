/* Personal access tokens: the secret's text format and the Authorization
 * header that carries it. Pure: no database, no app state. A token is
 * "rbx_" + 43 base62 characters (32 random bytes) + 6 base62 characters of
 * the CRC-32 (zlib) of those 43, so secret scanners can spot one and the
 * server refuses a mistyped or truncated one before any lookup. */
#ifndef RB_LIB_APITOKEN_H
#define RB_LIB_APITOKEN_H

#include <stddef.h>

#define APITOKEN_PREFIX "rbx_"
#define APITOKEN_PREFIX_LEN 4
#define APITOKEN_RANDOM_LEN 43 /* base62 digits of 32 bytes */
#define APITOKEN_CHECK_LEN 6   /* base62 digits of a CRC-32 */
#define APITOKEN_LEN (APITOKEN_PREFIX_LEN + APITOKEN_RANDOM_LEN + APITOKEN_CHECK_LEN) /* 53 */
#define APITOKEN_TEXT (APITOKEN_LEN + 1)
#define APITOKEN_HEADER_MAX 512 /* Authorization values longer than this are refused */

/* Writes the token text of 32 random bytes into out (NUL-terminated). */
void apitoken_format(const unsigned char raw[32], char out[APITOKEN_TEXT]);

/* A new token from getrandom(2) into out. 0, or -1 when no randomness. */
int apitoken_new(char out[APITOKEN_TEXT]);

/* 1 when the len bytes at s are a well-formed token: the prefix, exactly
 * APITOKEN_LEN bytes, base62 digits, and a checksum that matches. */
int apitoken_check(const char *s, size_t len);

enum apitoken_auth {
    APITOKEN_AUTH_NONE = 0,  /* no header, or another scheme (Basic at a front): not ours */
    APITOKEN_AUTH_BEARER,    /* "Bearer TOKEN": *token and *len name TOKEN (not checked) */
    APITOKEN_AUTH_MALFORMED, /* the Bearer scheme, but not one space and a token68 */
};

/* Parses an Authorization header value (h may be NULL: none). The scheme is
 * case-insensitive (RFC 9110); after "Bearer" comes exactly one space and
 * then a token68 (RFC 7235: [A-Za-z0-9-._~+/]+ "="*) with nothing after it.
 * A value over APITOKEN_HEADER_MAX bytes, or with a control byte, is
 * malformed when its scheme is Bearer. The token points into h. */
enum apitoken_auth apitoken_authorization(const char *h, const char **token, size_t *len);

/* Parses an RFC 3339 date-time ("2027-01-31T12:00:00Z", "...T12:00:00.5+02:00")
 * into seconds since the epoch (the fraction is dropped). 0, or -1 when s is
 * not one (bad form or out-of-range field; at most 64 bytes). */
int apitoken_time_parse(const char *s, long long *epoch);

#endif
