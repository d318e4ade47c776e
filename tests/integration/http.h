/* A small libcurl client for the integration suites: any method, headers,
 * body, the status, response headers and body captured. RB_BASE_URL names
 * the front server. */
#ifndef RB_TESTS_HTTP_H
#define RB_TESTS_HTTP_H

#include <stddef.h>

struct http_response {
    int status; /* 0 when the request failed at the transport level */
    char *body; /* NUL-terminated, never NULL after a request */
    size_t body_len;
    char *headers; /* raw header block */
    char content_type[128];
    double seconds;
};

/* Performs METHOD BASE_URL+path. content_type and body may be NULL. Extra
 * request headers: NULL-terminated "Name: value" list through
 * http_request_ex. The path is sent as is (no dot-segment removal). Returns
 * the status. Free r with http_response_free. When RB_EXCHANGE_LOG names a
 * file, each exchange that got a status is appended to it as one JSON line
 * (method, url as sent, status, content_type, request_headers, body) for
 * tests/support/validate-responses.sh. */
int http_request(const char *method, const char *path, const char *content_type, const char *body,
                 size_t len, struct http_response *r);
int http_request_ex(const char *method, const char *path, const char *const *headers,
                    const char *body, size_t len, long timeout_s, struct http_response *r);

/* A response header's value (first match, case-insensitive) copied into a
 * static buffer, or NULL. */
const char *http_header(const struct http_response *r, const char *name);

void http_response_free(struct http_response *r);

/* Makes the following requests of this thread leave from this local
 * address (e.g. "127.0.0.2"), or the default when NULL. */
void http_set_source(const char *ip);
/* The address set by http_set_source, NULL for the default. */
const char *http_get_source(void);

#endif
