/* scrypt password hashing through libscrypt, and the password policy.
 * libscrypt_check writes into the MCF it is given and believes the N/r/p it
 * finds there; both are handled here and nowhere else. */
#include "lib/password.h"

#include <libscrypt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int password_mcf_params(const char *mcf, struct password_params *out)
{
    /* "$s1$" 6 hex digits "$" salt "$" hash: libscrypt's own layout */
    if (mcf == NULL || strncmp(mcf, "$s1$", 4) != 0 || strlen(mcf) >= PASSWORD_MCF_LEN)
        return -1;
    int d[6];
    for (int i = 0; i < 6; i++)
        if ((d[i] = hexval(mcf[4 + i])) < 0)
            return -1;
    if (mcf[10] != '$')
        return -1;
    const char *salt = mcf + 11, *dollar = strchr(salt, '$');
    if (dollar == NULL || dollar == salt || dollar[1] == '\0' || strchr(dollar + 1, '$') != NULL)
        return -1;
    unsigned logn = (unsigned)(d[0] * 16 + d[1]), r = (unsigned)(d[2] * 16 + d[3]),
             p = (unsigned)(d[4] * 16 + d[5]);
    if (logn < 1 || logn > PASSWORD_MAX_LOG2_N || r < 1 || r > PASSWORD_MAX_R || p < 1 ||
        p > PASSWORD_MAX_P)
        return -1;
    out->n = 1ULL << logn;
    out->r = r;
    out->p = p;
    return 0;
}

int password_hash(const char *password, size_t len, const struct password_params *pp,
                  char out[PASSWORD_MCF_LEN])
{
    if (memchr(password, '\0', len) != NULL || pp->n > (1ULL << PASSWORD_MAX_LOG2_N) ||
        pp->r > 255 || pp->p > 255)
        return -1;
    char *copy = malloc(len + 1); /* libscrypt takes a C string */
    if (copy == NULL)
        return -1;
    memcpy(copy, password, len);
    copy[len] = '\0';
    /* libscrypt_hash returns > 0 on success (libscrypt_scrypt returns 0) */
    int rc = libscrypt_hash(out, copy, (uint32_t)pp->n, (uint8_t)pp->r, (uint8_t)pp->p);
    OPENSSL_cleanse(copy, len);
    free(copy);
    return rc > 0 ? 0 : -1;
}

int password_verify(const char *password, size_t len, const char *mcf)
{
    struct password_params pp;
    if (memchr(password, '\0', len) != NULL || password_mcf_params(mcf, &pp) != 0)
        return 0;
    char work[PASSWORD_MCF_LEN]; /* libscrypt_check writes into its argument */
    snprintf(work, sizeof(work), "%s", mcf);
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, password, len);
    copy[len] = '\0';
    int rc = libscrypt_check(work, copy);
    OPENSSL_cleanse(copy, len);
    free(copy);
    return rc == 1; /* -1 (malformed) is truthy: only 1 is a match */
}

int password_needs_rehash(const char *mcf, const struct password_params *pp)
{
    struct password_params cur;
    if (password_mcf_params(mcf, &cur) != 0)
        return 1;
    return cur.n != pp->n || cur.r != pp->r || cur.p != pp->p;
}

void password_dummy_verify(const char *password, size_t len, const struct password_params *pp)
{
    static char dummy[PASSWORD_MCF_LEN];
    static struct password_params made;
    if (dummy[0] == '\0' || made.n != pp->n || made.r != pp->r || made.p != pp->p) {
        if (password_hash("dummy password for unknown accounts", 35, pp, dummy) != 0)
            return;
        made = *pp;
    }
    (void)password_verify(password, len, dummy);
}

/* The common-password list: sorted lower-case entries, binary search. */
static char **common;
static size_t ncommon;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void password_free_common(void)
{
    for (size_t i = 0; i < ncommon; i++)
        free(common[i]);
    free(common);
    common = NULL;
    ncommon = 0;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

int password_load_common(const char *path)
{
    password_free_common();
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t cap = 0;
    char line[256];
    int rc = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        if (ncommon == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            char **p = realloc(common, ncap * sizeof(*p));
            if (p == NULL) {
                rc = -1;
                break;
            }
            common = p;
            cap = ncap;
        }
        if ((common[ncommon] = strdup(line)) == NULL) {
            rc = -1;
            break;
        }
        lower(common[ncommon++]);
    }
    fclose(f);
    if (rc != 0) {
        password_free_common();
        return -1;
    }
    qsort(common, ncommon, sizeof(*common), cmp_str);
    return 0;
}

enum password_verdict password_policy(const char *password, size_t len, size_t min, size_t max)
{
    if (memchr(password, '\0', len) != NULL)
        return PASSWORD_HAS_NUL;
    if (len < min)
        return PASSWORD_TOO_SHORT;
    if (len > max)
        return PASSWORD_TOO_LONG;
    if (ncommon > 0 && len < 256) {
        char key[256];
        memcpy(key, password, len);
        key[len] = '\0';
        lower(key);
        const char *k = key;
        if (bsearch(&k, common, ncommon, sizeof(*common), cmp_str) != NULL)
            return PASSWORD_COMMON;
    }
    return PASSWORD_OK;
}

int password_ct_equal(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}
