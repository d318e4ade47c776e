/* Tokens: getrandom(2) for the bits, OpenSSL for base64 and SHA-256. */
#include "lib/token.h"

#include <openssl/evp.h>
#include <string.h>
#include <sys/random.h>

long token_b64url(const unsigned char *in, size_t n, char *out, size_t outlen)
{
    size_t need = 4 * ((n + 2) / 3) + 1;
    if (outlen < need || n > 1 << 20)
        return -1;
    int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    if (len < 0)
        return -1;
    while (len > 0 && out[len - 1] == '=')
        len--;
    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    out[len] = '\0';
    return len;
}

int token_new(char out[TOKEN_TEXT])
{
    unsigned char raw[TOKEN_BYTES];
    char text[4 * ((TOKEN_BYTES + 2) / 3) + 1]; /* the encoder writes padding first */
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw) ||
        token_b64url(raw, sizeof(raw), text, sizeof(text)) != TOKEN_TEXT - 1)
        return -1;
    memcpy(out, text, TOKEN_TEXT);
    return 0;
}

int token_valid(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_') ||
            n >= TOKEN_TEXT - 1)
            return 0;
    }
    return n == TOKEN_TEXT - 1;
}

void token_sha256_hex(const char *s, size_t len, char out[TOKEN_SHA256_HEX])
{
    static const char hex[] = "0123456789abcdef";
    /* fetched and made once per process: EVP_sha256() makes OpenSSL 3 look
     * the algorithm up again on every call, and EVP_Digest allocates and
     * frees a context each time (ETags hash every recipe answer) */
    static EVP_MD *sha256;
    static EVP_MD_CTX *ctx;
    unsigned char md[32];
    unsigned mdlen = 0;
    if (sha256 == NULL)
        sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (ctx == NULL)
        ctx = EVP_MD_CTX_new();
    if (sha256 == NULL || ctx == NULL || EVP_DigestInit_ex2(ctx, sha256, NULL) != 1 ||
        EVP_DigestUpdate(ctx, s, len) != 1 || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 ||
        mdlen != 32)
        memset(md, 0, sizeof(md));
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}
