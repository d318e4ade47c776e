/* TOTP (RFC 6238) through liboath: codes, checks within a window of steps,
 * base32 secrets and otpauth:// URIs. Only liboath computes codes here; no
 * HMAC is written by hand. Pure apart from liboath's one-time init. */
#ifndef RB_LIB_TOTP_H
#define RB_LIB_TOTP_H

#include <stddef.h>
#include <time.h>

#define TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226's recommendation */
#define TOTP_STEP 30         /* seconds per time step */
#define TOTP_DIGITS 6
#define TOTP_BASE32 40 /* base32 text of a secret (32 chars for 20 bytes) + NUL, with room */

enum totp_hash { TOTP_SHA1 = 0, TOTP_SHA256, TOTP_SHA512 };

/* The code of secret (len bytes) at time now for digits (6..8) into out
 * (digits + 1 bytes). 0, or -1 when liboath refuses. */
int totp_code(const unsigned char *secret, size_t len, time_t now, unsigned digits,
              enum totp_hash hash, char *out);

/* Checks a 6-digit code against the steps now-window..now+window. On a match
 * returns 0 and the matching step (now / TOTP_STEP + offset) in *step; -1
 * when no step matches or code is not 6 digits. */
int totp_verify(const unsigned char *secret, size_t len, time_t now, unsigned window,
                const char *code, long long *step);

/* 1 when s is exactly TOTP_DIGITS ASCII digits. */
int totp_code_shape(const char *s);

/* base32 (RFC 4648, no padding) of len bytes into out (size outlen).
 * Returns the text length or -1. */
long totp_base32(const unsigned char *in, size_t len, char *out, size_t outlen);

/* Decodes base32 text (case-insensitive, padding optional, no spaces) into
 * out (size outlen). Returns the byte count or -1 for text that is not
 * base32 or does not fit. */
long totp_base32_decode(const char *in, char *out, size_t outlen);

/* otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1&
 * digits=6&period=30 into out; account and issuer are percent-encoded.
 * 0, or -1 when it does not fit. */
int totp_uri(const char *issuer, const char *account, const char *base32, char *out, size_t outlen);

/* Recovery codes: 80 random bits as 16 base32 characters, shown in groups
 * of four ("ABCD-EFGH-IJKL-MNOP"). */
#define TOTP_RECOVERY_TEXT 20 /* shown form + NUL */
#define TOTP_RECOVERY_NORM 17 /* normal form (16 characters) + NUL */

/* A new recovery code (CSPRNG) in its shown form. 0/-1. */
int totp_recovery_new(char out[TOTP_RECOVERY_TEXT]);

/* The normal form of a typed code (len bytes): '-' and spaces dropped,
 * letters upper-cased; 0 when the rest is exactly 16 base32 characters,
 * else -1. */
int totp_recovery_normalize(const char *in, size_t len, char out[TOTP_RECOVERY_NORM]);

#endif
