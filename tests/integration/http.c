/* libcurl wrapper for the integration suites. */
#include "http.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct buf {
    char *p;
    size_t n;
};

static size_t collect(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct buf *b = ctx;
    size_t add = size * nmemb;
    char *p = realloc(b->p, b->n + add + 1);
    if (p == NULL)
        return 0;
    memcpy(p + b->n, data, add);
    b->p = p;
    b->n += add;
    b->p[b->n] = '\0';
    return add;
}

static _Thread_local const char *source_ip;

/* The exchange log (RB_EXCHANGE_LOG): one JSON object a line, built in a
 * buffer sized for the worst case (every byte escaped as \u00XX) and
 * appended with one write(2), so concurrent threads do not interleave. */
struct jbuf {
    char *p; /* NULL once an append did not fit */
    size_t n, cap;
};

static void put(struct jbuf *j, const char *s, size_t n)
{
    if (j->p == NULL || n > j->cap - j->n) {
        free(j->p);
        j->p = NULL;
        return;
    }
    memcpy(j->p + j->n, s, n);
    j->n += n;
}

static void put_lit(struct jbuf *j, const char *s)
{
    put(j, s, strlen(s));
}

/* S (N bytes, may hold NULs) as a JSON string; bytes >= 0x80 pass as is */
static void put_str(struct jbuf *j, const char *s, size_t n)
{
    put(j, "\"", 1);
    size_t run = 0; /* start of the bytes that need no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[8];
        size_t elen = 2;
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            e[0] = '\\';
            e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(e, sizeof(e), "\\u%04x", (unsigned)c);
            elen = 6;
        } else {
            continue;
        }
        put(j, s + run, i - run);
        put(j, e, elen);
        run = i + 1;
    }
    put(j, s + run, n - run);
    put(j, "\"", 1);
}

static void log_exchange(const char *method, const char *path, const char *const *headers,
                         const struct http_response *r)
{
    const char *file = getenv("RB_EXCHANGE_LOG");
    if (file == NULL || *file == '\0' || r->status == 0)
        return;
    size_t in = strlen(method) + strlen(path) + strlen(r->content_type) + r->body_len;
    for (const char *const *p = headers; p != NULL && *p != NULL; p++)
        in += strlen(*p) + 1;
    struct jbuf j = {NULL, 0, in * 6 + 256};
    j.p = malloc(j.cap);
    char num[32];
    snprintf(num, sizeof(num), "%d", r->status);
    put_lit(&j, "{\"method\":");
    put_str(&j, method, strlen(method));
    put_lit(&j, ",\"url\":");
    put_str(&j, path, strlen(path));
    put_lit(&j, ",\"status\":");
    put_lit(&j, num);
    put_lit(&j, ",\"content_type\":");
    if (r->content_type[0] != '\0')
        put_str(&j, r->content_type, strlen(r->content_type));
    else
        put_lit(&j, "null");
    put_lit(&j, ",\"request_headers\":[");
    for (const char *const *p = headers; p != NULL && *p != NULL; p++) {
        if (p != headers)
            put_lit(&j, ",");
        put_str(&j, *p, strlen(*p));
    }
    put_lit(&j, "],\"body\":");
    put_str(&j, r->body, r->body_len);
    put_lit(&j, "}\n");
    if (j.p == NULL)
        return;
    int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, j.p, j.n);
        (void)w;
        close(fd);
    }
    free(j.p);
}

void http_set_source(const char *ip)
{
    source_ip = ip;
}

const char *http_get_source(void)
{
    return source_ip;
}

int http_request_ex(const char *method, const char *path, const char *const *headers,
                    const char *body, size_t len, long timeout_s, struct http_response *r)
{
    memset(r, 0, sizeof(*r));
    const char *base = getenv("RB_BASE_URL");
    char url[4096];
    snprintf(url, sizeof(url), "%s%s", base ? base : "http://127.0.0.1:8080", path);
    CURL *c = curl_easy_init();
    struct buf b = {NULL, 0}, h = {NULL, 0};
    struct curl_slist *list = NULL;
    for (const char *const *p = headers; p != NULL && *p != NULL; p++)
        list = curl_slist_append(list, *p);
    if (body == NULL)
        list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (source_ip != NULL)
        curl_easy_setopt(c, CURLOPT_INTERFACE, source_ip);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 15L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body != NULL) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r->seconds);
    r->status = (int)status;
    r->body = b.p ? b.p : calloc(1, 1);
    r->body_len = b.n;
    r->headers = h.p ? h.p : calloc(1, 1);
    const char *ct = http_header(r, "Content-Type");
    snprintf(r->content_type, sizeof(r->content_type), "%s", ct ? ct : "");
    log_exchange(method, path, headers, r);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return r->status;
}

int http_request(const char *method, const char *path, const char *content_type, const char *body,
                 size_t len, struct http_response *r)
{
    char ct[160];
    const char *headers[2] = {NULL, NULL};
    if (content_type != NULL) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
        headers[0] = ct;
    }
    return http_request_ex(method, path, headers, body, len, 15, r);
}

const char *http_header(const struct http_response *r, const char *name)
{
    static _Thread_local char value[1024];
    size_t n = strlen(name);
    const char *p = r->headers;
    /* the last header block wins (after a 100 Continue) */
    const char *block = p;
    for (const char *q = p; (q = strstr(q, "HTTP/")) != NULL; q++)
        if (q == p || q[-1] == '\n')
            block = q;
    for (const char *line = block; line != NULL && *line != '\0';) {
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= sizeof(value))
                len = sizeof(value) - 1;
            memcpy(value, v, len);
            value[len] = '\0';
            return value;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return NULL;
}

void http_response_free(struct http_response *r)
{
    free(r->body);
    free(r->headers);
    r->body = NULL;
    r->headers = NULL;
}
