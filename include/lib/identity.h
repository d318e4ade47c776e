/* Account identities: normalising and checking usernames, emails and display
 * names. Pure; includes nothing of the app (Unicode rules via libunistring). */
#ifndef RB_LIB_IDENTITY_H
#define RB_LIB_IDENTITY_H

#include <stddef.h>

/* Why an identity was refused. Negative, so a function can return either a
 * length or one of these; identity_reason() gives the words for a field
 * error. IDENTITY_TOO_LONG is -1, the value identity_normalize() has always
 * returned for "does not fit". IDENTITY_NOMEM is not the input's fault
 * (answer 500, not a field error). */
enum identity_refusal {
    IDENTITY_TOO_LONG = -1,
    IDENTITY_BAD_UTF8 = -2,
    IDENTITY_CONTROL = -3,    /* C0, C1, U+2028, U+2029 */
    IDENTITY_BIDI = -4,       /* U+061C, U+200E/F, U+202A-E, U+2066-9 */
    IDENTITY_INVISIBLE = -5,  /* U+00AD, U+200B-D, U+2060-4, U+FEFF, ... */
    IDENTITY_SPACE = -6,      /* white space inside an email */
    IDENTITY_UNASSIGNED = -7, /* unassigned or private-use code point */
    IDENTITY_COMPAT = -8,     /* changed by NFKC: U+212A, U+FF20, U+FB01 */
    IDENTITY_NOMEM = -9,
};

/* Lower-cases ASCII and trims surrounding white space into out (size
 * bytes). Returns the length, or -1 when it does not fit. Pure. */
long identity_normalize(const char *in, char *out, unsigned long size);

/* Trims surrounding white space into out, keeping case (the name as typed,
 * for display). Returns the length, or -1 when it does not fit. */
long identity_trim(const char *in, char *out, unsigned long size);

/* The normal form of an email (or of a login that may be one) into out
 * (size bytes, NUL-terminated): surrounding white space trimmed, Unicode
 * spaces and U+FEFF included; NFC; the local part (before the last '@', or
 * all of a login without one) lower-cased by Unicode's language-independent
 * mapping, so ASCII as identity_normalize() does; in the domain only ASCII
 * is lower-cased (no IDNA). Returns the length, or a negative enum
 * identity_refusal: invalid UTF-8, a control, bidi, invisible or unassigned
 * character, white space inside, or a character that NFKC would change (so
 * NFKC(out) == out for every accepted input). Does not check the address's
 * shape: identity_email_valid() does that on out. in must not be NULL; out
 * is written only on success. Allocates only temporarily (libunistring). */
long identity_email_normalize(const char *in, char *out, size_t size);

/* 0 when the len bytes at s are acceptable as a display name, else a
 * negative enum identity_refusal: invalid UTF-8, a control character (NUL
 * included), a bidi control, or an invisible character. Does not trim or
 * normalise. s must not be NULL unless len is 0. */
int identity_display_name_check(const char *s, size_t len);

/* The words for a refusal code, for a field error ("contains ..."). A
 * static string, never NULL; "" for a code that is not a refusal. */
const char *identity_reason(long code);

/* 1 for a valid normalised username: 3..32 of [a-z0-9_.-]. */
int identity_username_valid(const char *norm);

/* 1 for a plausible normalised email: one '@', non-empty parts, a dot in
 * the domain, no white space, at most 254 bytes. */
int identity_email_valid(const char *norm);

#endif
