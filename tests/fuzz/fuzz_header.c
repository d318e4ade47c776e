/* libFuzzer target: CGI header names and building a request from a CGI
 * environment. The input is split on '\n' into "NAME=value" strings; the
 * first byte chooses whether X-Forwarded-For is trusted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "http/request.h"
#include "lib/ipmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENV 128

static void check_header_name(struct arena *a, const char *line)
{
    const char *eq = strchr(line, '=');
    size_t len = eq ? (size_t)(eq - line) : strlen(line);
    char *hn = request_header_name(a, line, len);
    int is_header = (len > 5 && strncmp(line, "HTTP_", 5) == 0) ||
                    (len == 12 && strncmp(line, "CONTENT_TYPE", 12) == 0) ||
                    (len == 14 && strncmp(line, "CONTENT_LENGTH", 14) == 0);
    if (hn == NULL) {
        if (is_header)
            abort();
        return;
    }
    if (!is_header)
        abort();
    size_t want = strncmp(line, "HTTP_", 5) == 0 ? len - 5 : len;
    if (strlen(hn) != want || strpbrk(hn, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static struct config cfg;
    config_defaults(&cfg);
    cfg.trust_forwarded = data[0] & 1;
    if (data[0] & 2)
        snprintf(cfg.trusted_proxies, sizeof(cfg.trusted_proxies), "%s",
                 "10.0.0.0/8, 127.0.0.1, ::1");

    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *env[MAX_ENV + 1];
    size_t n = 0;
    for (char *line = text; line != NULL && n < MAX_ENV;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        env[n++] = line;
        line = nl ? nl + 1 : NULL;
    }
    env[n] = NULL;

    struct arena a;
    arena_init(&a, 1 << 22);
    for (size_t i = 0; i < n; i++)
        check_header_name(&a, env[i]);

    struct request req;
    memset(&req, 0, sizeof(req));
    int rc = request_from_env(&req, &a, env, &cfg);
    if (req.path == NULL || req.path[0] != '/' || !request_id_valid(req.request_id) ||
        strlen(req.request_id) > REQUEST_ID_MAX || req.method_name == NULL ||
        req.remote_addr == NULL || req.query_string == NULL || req.nheaders > REQUEST_MAX_HEADERS)
        abort();
    if (rc == 0) {
        if (req.uri == NULL || req.nquery > REQUEST_MAX_QUERY ||
            req.ncookies > REQUEST_MAX_COOKIES || req.content_length < -1 ||
            req.method != request_method_parse(req.method_name))
            abort();
        for (size_t i = 0; i < req.nheaders; i++)
            if (strpbrk(req.headers[i].name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != NULL ||
                strlen(req.headers[i].value) != req.headers[i].value_len)
                abort();
        /* the client address is REMOTE_ADDR unless a trusted proxy named a
         * real address */
        const char *peer = "";
        for (size_t i = 0; i < n; i++)
            if (strncmp(env[i], "REMOTE_ADDR=", 12) == 0)
                peer = env[i] + 12;
        if (strcmp(req.remote_addr, peer) != 0 &&
            (!cfg.trust_forwarded || !ipmatch_list("0.0.0.0/0, ::/0", req.remote_addr) ||
             ipmatch_list(cfg.trusted_proxies, req.remote_addr)))
            abort();
        unsigned count = 0;
        const char *s = request_cookie(&req, "rb_session", &count);
        if ((s == NULL) != (count == 0))
            abort();
    } else if (rc != 400 && rc != 404 && rc != 500) {
        abort();
    }
    arena_free(&a);
    free(text);
    return 0;
}
