/* AES-256-GCM sealing of small secrets (see include/lib/secretbox.h). The
 * nonce comes from RAND_bytes for every seal; a key's id is a hint for
 * choosing the key, never a substitute for the tag check. */
#include "lib/secretbox.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

#define NONCE 12
#define TAG 16
#define RAW_MAX (1 + NONCE + SECRETBOX_MAX_PLAIN + TAG)

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Base64 (with or without padding) of exactly want bytes into out. 0/-1. */
static int b64_exact(const char *text, size_t len, unsigned char *out, size_t want)
{
    char padded[SECRETBOX_TEXT + 4];
    unsigned char buf[SECRETBOX_TEXT];
    if (len + 3 >= sizeof(padded) || len == 0)
        return -1;
    memcpy(padded, text, len);
    size_t n = len, pad = 0;
    while (n % 4 != 0)
        padded[n++] = '=';
    for (size_t i = len; i > 0 && padded[i - 1] == '='; i--)
        pad++;
    pad += n - len;
    int got = EVP_DecodeBlock(buf, (const unsigned char *)padded, (int)n);
    if (got < 0 || (size_t)got < pad || (size_t)got - pad != want)
        return -1;
    memcpy(out, buf, want);
    return 0;
}

int secretbox_key_parse(const char *text, struct secretbox_key *key)
{
    memset(key, 0, sizeof(*key));
    size_t len = strlen(text);
    if (len == 0)
        return 0;
    int ok = 0;
    if (len == 2 * SECRETBOX_KEY) {
        ok = 1;
        for (size_t i = 0; i < SECRETBOX_KEY && ok; i++) {
            int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            key->k[i] = (unsigned char)(hi * 16 + lo);
        }
    } else if (len == 43 || len == 44) {
        ok = b64_exact(text, len, key->k, SECRETBOX_KEY) == 0;
    }
    if (!ok) {
        memset(key, 0, sizeof(*key));
        return -1;
    }
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(key->k, SECRETBOX_KEY, d);
    key->id = d[0];
    key->set = 1;
    return 0;
}

/* One GCM pass; enc 1 seals (tag written), 0 opens (tag checked). */
static int gcm(int enc, const unsigned char *k, const unsigned char *nonce, const char *ad,
               size_t adlen, const unsigned char *in, size_t len, unsigned char *out,
               unsigned char *tag)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, ok = c != NULL &&
                    EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) == 1 &&
                    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE, NULL) == 1 &&
                    EVP_CipherInit_ex(c, NULL, NULL, k, nonce, enc) == 1 &&
                    EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)ad, (int)adlen) == 1 &&
                    EVP_CipherUpdate(c, out, &n, in, (int)len) == 1;
    if (ok && !enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG, tag) == 1;
    ok = ok && EVP_CipherFinal_ex(c, out + n, &n) == 1;
    if (ok && enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG, tag) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

int secretbox_seal(const struct secretbox_key *key, const unsigned char *plain, size_t len,
                   const char *ad, size_t adlen, char out[SECRETBOX_TEXT])
{
    unsigned char raw[RAW_MAX];
    if (!key->set || len > SECRETBOX_MAX_PLAIN)
        return -1;
    raw[0] = key->id;
    if (RAND_bytes(raw + 1, NONCE) != 1 ||
        gcm(1, key->k, raw + 1, ad, adlen, plain, len, raw + 1 + NONCE, raw + 1 + NONCE + len) != 0)
        return -1;
    EVP_EncodeBlock((unsigned char *)out, raw, (int)(1 + NONCE + len + TAG));
    return 0;
}

long secretbox_open(const struct secretbox_key *key, const struct secretbox_key *previous,
                    const char *sealed, const char *ad, size_t adlen, unsigned char *out,
                    size_t outlen, int *used_previous)
{
    unsigned char raw[SECRETBOX_TEXT];
    size_t len = strlen(sealed);
    if (len == 0 || len % 4 != 0 || len >= SECRETBOX_TEXT)
        return -1;
    int got = EVP_DecodeBlock(raw, (const unsigned char *)sealed, (int)len);
    size_t pad = (sealed[len - 1] == '=') + (len > 1 && sealed[len - 2] == '=');
    if (got < 0 || (size_t)got < pad + 1 + NONCE + TAG)
        return -1;
    size_t n = (size_t)got - pad - 1 - NONCE - TAG;
    const struct secretbox_key *k = NULL;
    *used_previous = 0;
    if (key != NULL && key->set && key->id == raw[0])
        k = key;
    else if (previous != NULL && previous->set && previous->id == raw[0])
        k = previous, *used_previous = 1;
    if (k == NULL || n > outlen)
        return -1;
    if (gcm(0, k->k, raw + 1, ad, adlen, raw + 1 + NONCE, n, out, raw + 1 + NONCE + n) != 0)
        return -1;
    return (long)n;
}
