/* Strict UTF-8 (RFC 3629): the one validator for JSON strings and keys, the
 * request path and query parameters, so that nothing MariaDB would refuse or
 * store as garbage (overlong forms, surrogates, > U+10FFFF) gets in. Pure. */
#ifndef RB_LIB_UTF8_H
#define RB_LIB_UTF8_H

#include <stddef.h>

/* Flags for utf8_check and utf8_valid. */
#define UTF8_NO_CONTROLS 1u    /* refuse C0 (NUL included), DEL and C1 (U+0080..U+009F) */
#define UTF8_ALLOW_NEWLINES 2u /* with UTF8_NO_CONTROLS: TAB, LF and CR are still fine */

/* What utf8_check found. */
#define UTF8_OK 0
#define UTF8_ENCODING 1 /* not UTF-8: bad, overlong, truncated or out-of-range sequence */
#define UTF8_CONTROL 2  /* valid UTF-8, but a control character the flags refuse */

/* Checks len bytes of s (NUL bytes are data, not an end; s may be NULL when
 * len is 0). Returns UTF8_OK, or what the first offending character is. */
int utf8_check(const char *s, size_t len, unsigned flags);

/* 1 when utf8_check(s, len, flags) is UTF8_OK, else 0. */
int utf8_valid(const char *s, size_t len, unsigned flags);

/* The length of the longest prefix of s (len bytes of valid UTF-8) that is
 * at most max bytes and does not cut a character in two: for shortening a
 * string that is shown to someone. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
