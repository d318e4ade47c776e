/* libFuzzer target: the two-factor text parsers - keys (hex/base64), base32
 * secrets, typed recovery codes and sealed secrets. Properties: a parsed
 * key is set and 32 bytes; a normalised recovery code is 16 base32
 * characters; a sealed text that opens, opens to at most the buffer and
 * re-seals to something that opens to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/secretbox.h"
#include "lib/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256];
    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct secretbox_key k;
    if (secretbox_key_parse(text, &k) == 0 && text[0] != '\0' && !k.set)
        abort();
    char bin[64];
    long n = totp_base32_decode(text, bin, sizeof(bin));
    if (n > (long)sizeof(bin))
        abort();
    char norm[TOTP_RECOVERY_NORM];
    if (totp_recovery_normalize(text, size, norm) == 0) {
        if (strlen(norm) != 16 || strspn(norm, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != 16)
            abort();
    }
    struct secretbox_key fixed;
    if (secretbox_key_parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                            &fixed) != 0)
        abort();
    unsigned char out[SECRETBOX_MAX_PLAIN], again[SECRETBOX_MAX_PLAIN];
    int prev = 0;
    long len = secretbox_open(&fixed, NULL, text, "ad", 2, out, sizeof(out), &prev);
    if (len > (long)sizeof(out))
        abort();
    if (len >= 0) {
        char sealed[SECRETBOX_TEXT];
        if (secretbox_seal(&fixed, out, (size_t)len, "ad", 2, sealed) != 0 ||
            secretbox_open(&fixed, NULL, sealed, "ad", 2, again, sizeof(again), &prev) != len ||
            memcmp(out, again, (size_t)len) != 0)
            abort();
    }
    return 0;
}
