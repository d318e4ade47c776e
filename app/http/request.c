/* Building struct request from a CGI environment, and the pure parsers it
 * uses (path, query, cookies, header names). Every parser here has a fuzz
 * target; none may read past the length it is given. */
#include "http/request.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/config.h"
#include "lib/ipmatch.h"
#include "lib/utf8.h"

static const char *const method_names[METHOD__MAX] = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};

enum http_method request_method_parse(const char *name)
{
    if (name == NULL)
        return METHOD_OTHER;
    for (int m = 0; m < METHOD_OTHER; m++)
        if (strcmp(name, method_names[m]) == 0)
            return (enum http_method)m;
    return METHOD_OTHER;
}

const char *request_method_name(enum http_method m)
{
    return (unsigned)m < METHOD__MAX ? method_names[m] : "OTHER";
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long request_url_decode(struct arena *a, const char *s, size_t n, int plus_space, char **out)
{
    char *dst = arena_alloc(a, n + 1);
    if (dst == NULL)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            dst[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            dst[j++] = ' ';
        } else {
            dst[j++] = (char)c;
        }
    }
    dst[j] = '\0';
    *out = dst;
    return (long)j;
}

/* The reason a decoded path segment or query parameter is refused, or NULL
 * when it is strict UTF-8 without control characters (MariaDB would refuse
 * the rest, or store it and serve it back as garbage). */
static const char *text_problem(const char *s, size_t n, int query)
{
    static const char *const reasons[][2] = {
        {"the path is not valid UTF-8", "the path holds control characters"},
        {"a query parameter is not valid UTF-8", "a query parameter holds control characters"},
    };
    int r = utf8_check(s, n, UTF8_NO_CONTROLS);
    return r == UTF8_OK ? NULL : reasons[query != 0][r == UTF8_CONTROL];
}

/* One decoded path segment: returns its length, or a negative status. */
static int segment_decode(const char *s, size_t n, char *dst, const char **why)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "bad %-escape in the path";
                return -400;
            }
            c = (unsigned char)(hi * 16 + lo);
            if (c == '/' || c == '\\')
                return -404; /* an encoded slash never names one of our resources */
            i += 2;
        }
        dst[j++] = (char)c;
    }
    if ((*why = text_problem(dst, j, 0)) != NULL)
        return -400;
    return (int)j;
}

/* request_path_normalize, saying in *why what makes a 400 one. */
static int path_normalize(struct arena *a, const char *uri, size_t len, const char **out,
                          const char **why)
{
    size_t n = 0;
    while (n < len && uri[n] != '?' && uri[n] != '#')
        n++;
    *why = n == 0 || uri[0] != '/' ? "the request target is not an absolute path"
           : n > 8192              ? "the path is longer than 8192 bytes"
                                   : NULL;
    if (*why != NULL)
        return 400;
    char *dst = arena_alloc(a, n + 2);
    size_t *starts = arena_alloc(a, sizeof(size_t) * (n / 2 + 2)); /* segment starts in dst */
    if (dst == NULL || starts == NULL)
        return 500;
    size_t depth = 0, o = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && uri[i] == '/')
            i++;
        size_t seg = i;
        while (i < n && uri[i] != '/')
            i++;
        if (i == seg)
            break;
        int dl = segment_decode(uri + seg, i - seg, dst + o + 1, why);
        if (dl < 0)
            return -dl;
        if (dl == 1 && dst[o + 1] == '.')
            continue;
        if (dl == 2 && dst[o + 1] == '.' && dst[o + 2] == '.') {
            if (depth == 0) {
                *why = "the path climbs above the root";
                return 400;
            }
            o = starts[--depth];
            continue;
        }
        starts[depth++] = o;
        dst[o] = '/';
        o += 1 + (size_t)dl;
    }
    if (o == 0)
        dst[o++] = '/';
    dst[o] = '\0';
    *out = dst;
    return 0;
}

int request_path_normalize(struct arena *a, const char *uri, size_t len, const char **out)
{
    const char *why;
    return path_normalize(a, uri, len, out, &why);
}

/* One name=value pair of len bytes at p into *item; 0 or 400 with *why. */
static int query_pair(struct arena *a, const char *p, size_t len, struct kv *item, const char **why)
{
    const char *eq = memchr(p, '=', len);
    size_t nlen = eq ? (size_t)(eq - p) : len;
    char *name, *value;
    long nl = request_url_decode(a, p, nlen, 1, &name);
    long vl = eq ? request_url_decode(a, eq + 1, len - nlen - 1, 1, &value)
                 : request_url_decode(a, "", 0, 1, &value);
    if (nl < 0 || vl < 0) {
        *why = "bad %-escape in the query";
        return 400;
    }
    if ((*why = text_problem(name, (size_t)nl, 1)) != NULL ||
        (*why = text_problem(value, (size_t)vl, 1)) != NULL)
        return 400; /* NUL too: it is a control character */
    item->name = name;
    item->value = value;
    item->value_len = (size_t)vl;
    return 0;
}

/* request_parse_query, saying in *why what makes a 400 one. */
static int parse_query(struct arena *a, const char *qs, struct kv **out, size_t *n,
                       const char **why)
{
    *out = NULL;
    *n = 0;
    if (qs == NULL || *qs == '\0')
        return 0;
    struct kv *items = arena_alloc(a, sizeof(struct kv) * REQUEST_MAX_QUERY);
    if (items == NULL)
        return 500;
    size_t count = 0;
    const char *p = qs;
    while (*p != '\0') {
        size_t len = strcspn(p, "&");
        if (len > 0) {
            if (count == REQUEST_MAX_QUERY) {
                *why = "more than 64 query parameters";
                return 400;
            }
            int rc = query_pair(a, p, len, &items[count], why);
            if (rc != 0)
                return rc;
            count++;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    *out = items;
    *n = count;
    return 0;
}

int request_parse_query(struct arena *a, const char *qs, struct kv **out, size_t *n)
{
    const char *why;
    return parse_query(a, qs, out, n, &why);
}

static int cookie_name_char(unsigned char c)
{
    /* RFC 6265 token: visible ASCII except separators */
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

int request_parse_cookies(struct arena *a, const char *header, struct kv **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (header == NULL || *header == '\0')
        return 0;
    size_t room = 1;
    for (const char *q = header; *q != '\0' && room < REQUEST_MAX_COOKIES; q++)
        room += *q == ';';
    struct kv *items = arena_alloc(a, sizeof(struct kv) * room);
    if (items == NULL)
        return 500;
    size_t count = 0;
    const char *p = header;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        size_t len = strcspn(p, ";");
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0)
            break;
        const char *eq = memchr(p, '=', len);
        if (eq != NULL && eq > p) {
            size_t nlen = (size_t)(eq - p);
            for (size_t i = 0; i < nlen; i++)
                if (!cookie_name_char((unsigned char)p[i]))
                    return 400;
            const char *v = eq + 1;
            size_t vlen = len - nlen - 1;
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            if (count == room) { /* past the cap: other sites' cookies, ignored */
                p += len;
                continue;
            }
            items[count].name = arena_strndup(a, p, nlen);
            items[count].value = arena_strndup(a, v, vlen);
            items[count].value_len = vlen;
            if (items[count].name == NULL || items[count].value == NULL)
                return 500;
            count++;
        }
        p += len;
        while (*p != '\0' && *p != ';')
            p++; /* skip trimmed whitespace */
    }
    *out = items;
    *n = count;
    return 0;
}

char *request_header_name(struct arena *a, const char *env_name, size_t len)
{
    const char *src;
    size_t n;
    if (len > 5 && strncmp(env_name, "HTTP_", 5) == 0) {
        src = env_name + 5;
        n = len - 5;
    } else if (len == 12 && strncmp(env_name, "CONTENT_TYPE", 12) == 0) {
        src = env_name;
        n = len;
    } else if (len == 14 && strncmp(env_name, "CONTENT_LENGTH", 14) == 0) {
        src = env_name;
        n = len;
    } else {
        return NULL;
    }
    char *dst = arena_alloc(a, n + 1);
    if (dst == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        dst[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    dst[n] = '\0';
    return dst;
}

int request_id_valid(const char *id)
{
    size_t n = 0;
    for (; id[n] != '\0'; n++) {
        char c = id[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
        if (n >= REQUEST_ID_MAX)
            return 0;
    }
    return n > 0;
}

/* Request ids: a random 64-bit prefix per process and a counter, so that
 * no request pays for a getrandom(2) call. request_id_reseed() runs after
 * fork; ids stay unique across workers because each draws its own prefix. */
static struct {
    unsigned long long prefix, counter;
    int seeded;
} request_ids;

void request_id_reseed(void)
{
    unsigned long long r[2];
    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
        r[0] = (unsigned long long)getpid() << 32 ^ (unsigned long long)time(NULL);
        r[1] = 0;
    }
    request_ids.prefix = r[0];
    request_ids.counter = r[1];
    request_ids.seeded = 1;
}

static void request_id_generate(char out[REQUEST_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    if (!request_ids.seeded)
        request_id_reseed();
    unsigned long long v[2] = {request_ids.prefix, ++request_ids.counter};
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < 16; i++)
            out[16 * w + i] = hex[(v[w] >> (60 - 4 * i)) & 15];
    out[REQUEST_ID_LEN] = '\0';
}

static int parse_content_length(const char *v, long long *out)
{
    *out = -1;
    if (v == NULL || *v == '\0')
        return 0;
    long long n = 0;
    for (const char *p = v; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || n > (INT64_MAX - 9) / 10)
            return 400;
        n = n * 10 + (*p - '0');
    }
    *out = n;
    return 0;
}

/* The client address: REMOTE_ADDR, or with trust_forwarded the rightmost
 * X-Forwarded-For entry that is not itself a trusted proxy. */
static const char *client_address(struct request *req, const struct config *cfg)
{
    const char *addr = req->remote_addr;
    const char *xff = request_header(req, "x-forwarded-for");
    if (!cfg->trust_forwarded || xff == NULL || !ipmatch_list(cfg->trusted_proxies, addr))
        return addr;
    const char *end = xff + strlen(xff);
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *s = start, *e = end;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        char *cand = arena_strndup(req->arena, s, (size_t)(e - s));
        if (cand == NULL || !ipmatch_list("0.0.0.0/0, ::/0", cand))
            return addr; /* garbage in the header: keep the peer address */
        if (!ipmatch_list(cfg->trusted_proxies, cand))
            return cand;
        end = start > xff ? start - 1 : xff;
    }
    return addr;
}

int request_from_env(struct request *req, struct arena *a, char **envp, const struct config *cfg)
{
    memset(req, 0, sizeof(*req));
    clock_gettime(CLOCK_MONOTONIC, &req->started);
    req->arena = a;
    req->route_index = -1;
    req->content_length = -1;
    /* set before any early return: the error answer and the log use them */
    req->method_name = "";
    req->path = "/";
    req->uri = "";
    req->remote_addr = "";
    req->query_string = "";
    req->headers = arena_alloc(a, sizeof(struct kv) * REQUEST_MAX_HEADERS);
    if (req->headers == NULL)
        return 500;
    const char *method = NULL, *uri = NULL, *qs = NULL, *script = NULL, *pinfo = NULL;
    const char *clen = NULL;
    for (char **e = envp; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL)
            continue;
        size_t nl = (size_t)(eq - *e);
        const char *v = eq + 1;
#define IS(name) (nl == sizeof(name) - 1 && memcmp(*e, name, nl) == 0)
        if (IS("REQUEST_METHOD"))
            method = v;
        else if (IS("REQUEST_URI"))
            uri = v;
        else if (IS("QUERY_STRING"))
            qs = v;
        else if (IS("SCRIPT_NAME"))
            script = v;
        else if (IS("PATH_INFO"))
            pinfo = v;
        else if (IS("REMOTE_ADDR"))
            req->remote_addr = v;
        else if (IS("CONTENT_TYPE"))
            req->content_type = *v ? v : NULL;
        else if (IS("CONTENT_LENGTH"))
            clen = v;
#undef IS
        char *hn = request_header_name(a, *e, nl);
        if (hn != NULL && req->nheaders < REQUEST_MAX_HEADERS) {
            req->headers[req->nheaders].name = hn;
            req->headers[req->nheaders].value = v;
            req->headers[req->nheaders].value_len = strlen(v);
            req->nheaders++;
        }
    }
    req->method_name = method ? method : "";
    req->method = request_method_parse(method);
    if (uri == NULL || *uri == '\0') {
        /* plain CGI servers may not send REQUEST_URI */
        uri = arena_printf(a, "%s%s%s%s", script ? script : "", pinfo ? pinfo : "",
                           qs && *qs ? "?" : "", qs && *qs ? qs : "");
        if (uri == NULL)
            return 500;
    }
    req->uri = uri;
    const char *q = strchr(uri, '?');
    req->query_string = q ? q + 1 : "";
    const char *id = request_header(req, "x-request-id");
    if (id != NULL && request_id_valid(id))
        snprintf(req->request_id, sizeof(req->request_id), "%s", id);
    else
        request_id_generate(req->request_id);
    int rc = parse_content_length(clen, &req->content_length);
    req->why = rc != 0 ? "malformed Content-Length" : NULL;
    if (rc == 0)
        rc = path_normalize(a, uri, strlen(uri), &req->path, &req->why);
    if (rc == 0)
        rc = parse_query(a, req->query_string, &req->query, &req->nquery, &req->why);
    if (rc == 0) {
        rc = request_parse_cookies(a, request_header(req, "cookie"), &req->cookies, &req->ncookies);
        req->why = rc == 400 ? "malformed Cookie header or too many cookies" : NULL;
    }
    if (rc == 0 && cfg != NULL)
        req->remote_addr = client_address(req, cfg);
    return rc;
}

const char *request_header(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nheaders; i++)
        if (strcmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

const char *request_query(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].name, name) == 0)
            return req->query[i].value;
    return NULL;
}

const char *request_cookie(const struct request *req, const char *name, unsigned *count)
{
    const char *found = NULL;
    unsigned c = 0;
    for (size_t i = 0; i < req->ncookies; i++) {
        if (strcmp(req->cookies[i].name, name) == 0) {
            if (found == NULL)
                found = req->cookies[i].value;
            c++;
        }
    }
    if (count != NULL)
        *count = c;
    return found;
}
