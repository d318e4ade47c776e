/* libFuzzer target: building a request from a CGI environment (headers,
 * cookies, URI, content length), the input split into NAME=value lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config cfg;
    static int ready;
    if (!ready) {
        config_defaults(&cfg);
        cfg.trust_forwarded = 1;
        ready = 1;
    }
    char *text = malloc(size + 1);
    char *env[80];
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t n = 0;
    for (char *line = text; line != NULL && n < 79;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        env[n++] = line;
        line = nl ? nl + 1 : NULL;
    }
    env[n] = NULL;
    struct arena a;
    arena_init(&a, 1 << 22);
    struct request req;
    memset(&req, 0, sizeof(req));
    int rc = request_from_env(&req, &a, env, &cfg);
    if (rc == 0) {
        if (req.path == NULL || req.path[0] != '/' || strlen(req.request_id) == 0)
            abort();
        for (size_t i = 0; i < req.nheaders; i++)
            if (strpbrk(req.headers[i].name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != NULL)
                abort();
        unsigned count;
        request_cookie(&req, "rb_session", &count);
    } else if (rc != 400 && rc != 404 && rc != 500) {
        abort();
    }
    arena_free(&a);
    free(text);
    return 0;
}
