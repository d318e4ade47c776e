/* Passwords: scrypt through libscrypt with the pitfalls handled
 * (docs/pitfalls.md): explicit N/r/p from config, the MCF parsed and its
 * parameters held to policy before libscrypt_check trusts them, check on a
 * copy, only == 1 is a match, a dummy check for unknown users, and a policy
 * (length, NUL, common passwords) with no silent truncation. */
#ifndef RB_LIB_PASSWORD_H
#define RB_LIB_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

#define PASSWORD_MCF_LEN 128

struct password_params {
    uint64_t n; /* a power of two */
    uint32_t r;
    uint32_t p;
};

/* The largest parameters a stored hash may claim (refused above: a hash
 * with N = 2^30 would make one login allocate gigabytes). */
#define PASSWORD_MAX_LOG2_N 20
#define PASSWORD_MAX_R 32
#define PASSWORD_MAX_P 16

/* Reads N/r/p from a libscrypt MCF string ("$s1$0f0801$salt$hash").
 * Returns 0, or -1 for anything malformed or outside the limits above. */
int password_mcf_params(const char *mcf, struct password_params *out);

/* Hashes password (len bytes, no NUL inside) into out (PASSWORD_MCF_LEN).
 * 0/-1. */
int password_hash(const char *password, size_t len, const struct password_params *pp,
                  char out[PASSWORD_MCF_LEN]);

/* 1 when password matches mcf, 0 when not or when mcf is malformed or out
 * of policy. mcf is not modified. */
int password_verify(const char *password, size_t len, const char *mcf);

/* 1 when mcf was made with parameters other than pp (re-hash at login). */
int password_needs_rehash(const char *mcf, const struct password_params *pp);

/* Runs one verification's worth of work against a dummy hash made with pp,
 * so that an unknown account costs what a known one does. */
void password_dummy_verify(const char *password, size_t len, const struct password_params *pp);

enum password_verdict {
    PASSWORD_OK = 0,
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_HAS_NUL,
    PASSWORD_COMMON
};

/* Applies the policy: min..max bytes, no NUL, not in the common list
 * (compared case-insensitively). */
enum password_verdict password_policy(const char *password, size_t len, size_t min, size_t max);

/* Loads the common-password list (one per line). 0, or -1 when the file
 * cannot be read (the list is then empty and the error is the caller's). */
int password_load_common(const char *path);
void password_free_common(void);

/* Constant-time equality of two byte strings of the same length. */
int password_ct_equal(const void *a, const void *b, size_t len);

#endif
