/* libFuzzer target: Cookie header parsing (request_parse_cookies). Accepted
 * names are non-empty RFC 6265 tokens, values hold no ';', there are at most
 * REQUEST_MAX_COOKIES pairs, and request_cookie counts each name it finds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = malloc(size + 1);
    if (h == NULL)
        return 0;
    memcpy(h, data, size);
    h[size] = '\0';
    size_t len = strlen(h);

    struct arena a;
    arena_init(&a, 1 << 20);
    struct kv *c = NULL;
    size_t n = 0;
    int rc = request_parse_cookies(&a, h, &c, &n);
    if (rc == 0) {
        if (n > REQUEST_MAX_COOKIES || (n > 0 && c == NULL))
            abort();
        for (size_t i = 0; i < n; i++) {
            if (c[i].name == NULL || c[i].name[0] == '\0' || c[i].value == NULL)
                abort();
            for (const char *p = c[i].name; *p != '\0'; p++)
                if (!token_char((unsigned char)*p))
                    abort();
            if (strlen(c[i].value) != c[i].value_len || strchr(c[i].value, ';') != NULL ||
                strlen(c[i].name) + c[i].value_len > len)
                abort();
        }
        struct request req;
        memset(&req, 0, sizeof(req));
        req.cookies = c;
        req.ncookies = n;
        for (size_t i = 0; i < n; i++) {
            unsigned count = 0;
            const char *v = request_cookie(&req, c[i].name, &count);
            if (v == NULL || count < 1 || count > n)
                abort();
        }
    } else if (rc != 400 && rc != 500) {
        abort();
    }
    arena_free(&a);
    free(h);
    return 0;
}
