/* The guarded fetcher (see include/base/fetch.h). Each hop: parse the URL
 * with libcurl's own parser, resolve the name once (or take it from
 * [import] test_hosts), refuse unless every address is allowed, pin the
 * connection to those addresses, check the socket libcurl opens once more,
 * and follow a redirect only by starting the next hop. It must never let
 * libcurl resolve a name itself, nor follow a Location on its own. */
#include "base/fetch.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/libcurl.h"
#include "lib/ipmatch.h"

#define FETCH_MAX_ADDRS 8
#define FETCH_HOST_MAX 256

/* One hop's target: where it goes and the addresses it may connect to. */
struct target {
    char host[FETCH_HOST_MAX]; /* as in the URL, without brackets */
    long port;
    int literal; /* the host is an address: nothing to resolve or pin */
    unsigned naddrs;
    char addrs[FETCH_MAX_ADDRS][INET6_ADDRSTRLEN];
};

/* The transfer's state, seen by libcurl's callbacks. */
struct transfer {
    const struct config *cfg;
    char *buf;
    size_t len, cap, max;
    int too_large;
    int refused; /* the socket callback refused an address */
    char refused_addr[INET6_ADDRSTRLEN];
    enum addrclass refused_cls;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fetch_address_allowed(const struct config *cfg, int family, const unsigned char *bytes,
                          enum addrclass *cls)
{
    enum addrclass c = addrclass_of(family, bytes);
    char text[INET6_ADDRSTRLEN];
    if (cls != NULL)
        *cls = c;
    const char *allow = cfg->import_allow_private;
    if (c == ADDRCLASS_PUBLIC || strcmp(allow, "true") == 0)
        return 1;
    if (strcmp(allow, "false") == 0 || c == ADDRCLASS_MAPPED ||
        inet_ntop(family, bytes, text, sizeof(text)) == NULL)
        return 0;
    return ipmatch_list(allow, text);
}

const char *fetch_error_code(enum fetch_error e)
{
    static const char *const codes[FETCH__MAX] = {
        [FETCH_OK] = "ok",
        [FETCH_UNAVAILABLE] = "unavailable",
        [FETCH_BAD_URL] = "bad_url",
        [FETCH_FORBIDDEN] = "forbidden",
        [FETCH_UNRESOLVED] = "unresolved",
        [FETCH_UNREACHABLE] = "unreachable",
        [FETCH_TIMEOUT] = "timeout",
        [FETCH_TOO_LARGE] = "too_large",
        [FETCH_REDIRECTS] = "redirects",
        [FETCH_STATUS] = "http_status",
        [FETCH_NO_MEMORY] = "no_memory",
    };
    return (unsigned)e < FETCH__MAX ? codes[e] : "unreachable";
}

/* Address text (a literal host or a test_hosts value) to bytes. */
static int parse_addr(const char *text, int *family, unsigned char bytes[16])
{
    if (inet_pton(AF_INET, text, bytes) == 1)
        return *family = AF_INET, 0;
    if (inet_pton(AF_INET6, text, bytes) == 1)
        return *family = AF_INET6, 0;
    return -1;
}

/* Checks one address and keeps it in t. FETCH_OK or FETCH_FORBIDDEN. */
static enum fetch_error admit(const struct config *cfg, struct target *t, int family,
                              const unsigned char *bytes, char *err, size_t errlen)
{
    enum addrclass cls;
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(family, bytes, text, sizeof(text)) == NULL)
        return FETCH_FORBIDDEN;
    if (!fetch_address_allowed(cfg, family, bytes, &cls)) {
        if (strcmp(t->host, text) == 0)
            snprintf(err, errlen, "%s is a %s address; the server does not fetch from those", text,
                     addrclass_name(cls));
        else
            snprintf(err, errlen,
                     "%s resolves to %s, a %s address; the server does not fetch from those",
                     t->host, text, addrclass_name(cls));
        return FETCH_FORBIDDEN;
    }
    for (unsigned i = 0; i < t->naddrs; i++)
        if (strcmp(t->addrs[i], text) == 0)
            return FETCH_OK;
    if (t->naddrs < FETCH_MAX_ADDRS)
        memcpy(t->addrs[t->naddrs++], text, sizeof(text));
    return FETCH_OK;
}

/* [import] test_hosts: every NAME=ADDRESS pair for host. -1 when host has
 * none (ask DNS), else the first error (FETCH_OK when all are allowed). */
static int test_hosts_resolve(const struct config *cfg, struct target *t, char *err, size_t errlen)
{
    const char *p = cfg->import_test_hosts;
    size_t hl = strlen(t->host);
    int found = 0;
    while (*p != '\0') {
        p += strspn(p, " ,");
        size_t n = strcspn(p, " ,");
        char addr[INET6_ADDRSTRLEN];
        unsigned char bytes[16];
        int family;
        if (n > hl + 1 && p[hl] == '=' && strncasecmp(p, t->host, hl) == 0 &&
            n - hl - 1 < sizeof(addr)) {
            memcpy(addr, p + hl + 1, n - hl - 1);
            addr[n - hl - 1] = '\0';
            found = 1;
            if (parse_addr(addr, &family, bytes) != 0)
                return FETCH_UNRESOLVED;
            enum fetch_error e = admit(cfg, t, family, bytes, err, errlen);
            if (e != FETCH_OK)
                return (int)e;
        }
        p += n;
    }
    return found ? FETCH_OK : -1;
}

/* Resolves t->host once; every address must be allowed. */
static enum fetch_error resolve(const struct config *cfg, struct target *t, char *err,
                                size_t errlen)
{
    int family;
    unsigned char bytes[16];
    if (parse_addr(t->host, &family, bytes) == 0) {
        t->literal = 1;
        return admit(cfg, t, family, bytes, err, errlen);
    }
    int r = test_hosts_resolve(cfg, t, err, errlen);
    if (r >= 0)
        return (enum fetch_error)r;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(t->host, NULL, &hints, &res) != 0 || res == NULL) {
        snprintf(err, errlen, "%s does not resolve", t->host);
        return FETCH_UNRESOLVED;
    }
    enum fetch_error e = FETCH_OK;
    for (struct addrinfo *ai = res; ai != NULL && e == FETCH_OK; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            e = admit(cfg, t, AF_INET,
                      (const unsigned char *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr,
                      err, errlen);
        else if (ai->ai_family == AF_INET6)
            e = admit(
                cfg, t, AF_INET6,
                (const unsigned char *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr,
                err, errlen);
    }
    freeaddrinfo(res);
    if (e == FETCH_OK && t->naddrs == 0) {
        snprintf(err, errlen, "%s has no IPv4 or IPv6 address", t->host);
        e = FETCH_UNRESOLVED;
    }
    return e;
}

/* The scheme, host and port of url, with libcurl's own parser (the one the
 * transfer uses, so that the check and the connection agree). */
static enum fetch_error parse_url(const struct libcurl *lc, const char *url, struct target *t,
                                  char *err, size_t errlen)
{
    CURLU *u = lc->url();
    char *scheme = NULL, *host = NULL, *port = NULL, *zone = NULL;
    enum fetch_error e = FETCH_BAD_URL;
    if (u == NULL)
        return FETCH_NO_MEMORY;
    if (strlen(url) >= FETCH_URL_MAX || lc->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        lc->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        lc->url_get(u, CURLUPART_HOST, &host, CURLU_PUNYCODE) != CURLUE_OK ||
        lc->url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        snprintf(err, errlen, "not an absolute http:// or https:// URL");
    } else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        snprintf(err, errlen, "only http:// and https:// URLs are fetched, not %.16s://", scheme);
    } else if (lc->url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
        snprintf(err, errlen, "an IPv6 address with a zone is not fetched");
    } else {
        size_t n = strlen(host);
        const char *h = host;
        if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
            h++, n -= 2;
        if (n == 0 || n >= sizeof(t->host)) {
            snprintf(err, errlen, "the URL's host is empty or too long");
        } else {
            memcpy(t->host, h, n);
            t->host[n] = '\0';
            t->port = strtol(port, NULL, 10);
            e = FETCH_OK;
        }
    }
    lc->free(scheme);
    lc->free(host);
    lc->free(port);
    lc->free(zone);
    lc->url_cleanup(u);
    return e;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct transfer *x = ctx;
    size_t n = size * nmemb;
    if (n > x->max - x->len) {
        x->too_large = 1;
        return 0; /* CURLE_WRITE_ERROR */
    }
    if (x->len + n + 1 > x->cap) {
        size_t cap = x->cap > 0 ? x->cap : 16384;
        while (cap < x->len + n + 1)
            cap *= 2;
        if (cap > x->max + 1)
            cap = x->max + 1;
        char *b = realloc(x->buf, cap);
        if (b == NULL)
            return 0;
        x->buf = b;
        x->cap = cap;
    }
    memcpy(x->buf + x->len, data, n);
    x->len += n;
    x->buf[x->len] = '\0';
    return n;
}

/* libcurl's socket-open hook: the last word on where a connection goes. */
static curl_socket_t on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct transfer *x = ctx;
    const unsigned char *bytes = NULL;
    (void)purpose;
    if (a->family == AF_INET)
        bytes = (const unsigned char *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
    else if (a->family == AF_INET6)
        bytes = (const unsigned char *)&((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr;
    if (bytes == NULL || !fetch_address_allowed(x->cfg, a->family, bytes, &x->refused_cls)) {
        x->refused = 1;
        if (bytes == NULL ||
            inet_ntop(a->family, bytes, x->refused_addr, sizeof(x->refused_addr)) == NULL)
            snprintf(x->refused_addr, sizeof(x->refused_addr), "?");
        return CURL_SOCKET_BAD;
    }
    int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
    return fd >= 0 ? fd : CURL_SOCKET_BAD;
}

/* "host:port:addr,[v6addr]" for CURLOPT_RESOLVE. */
static struct curl_slist *pin(const struct libcurl *lc, const struct target *t)
{
    char line[FETCH_HOST_MAX + 16 + FETCH_MAX_ADDRS * (INET6_ADDRSTRLEN + 3)];
    int n = snprintf(line, sizeof(line), "%s:%ld:", t->host, t->port);
    for (unsigned i = 0; i < t->naddrs && n > 0 && (size_t)n < sizeof(line); i++) {
        int v6 = strchr(t->addrs[i], ':') != NULL;
        n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s%s%s", i > 0 ? "," : "",
                      v6 ? "[" : "", t->addrs[i], v6 ? "]" : "");
    }
    if (n <= 0 || (size_t)n >= sizeof(line))
        return NULL;
    return lc->slist_append(NULL, line);
}

static void user_agent(const struct config *cfg, char *ua, size_t n)
{
    if (cfg->public_url[0] != '\0')
        snprintf(ua, n, "recipebox (recipe import; +%s)", cfg->public_url);
    else
        snprintf(ua, n, "recipebox (recipe import)");
}

static void set_options(const struct libcurl *lc, CURL *h, const struct config *cfg,
                        const char *url, struct curl_slist *headers, struct curl_slist *resolve,
                        struct transfer *x, long left_ms, char *ua, char *errbuf)
{
    lc->setopt(h, CURLOPT_URL, url);
    lc->setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    lc->setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    lc->setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    lc->setopt(h, CURLOPT_NOSIGNAL, 1L);
    lc->setopt(h, CURLOPT_TIMEOUT_MS, left_ms);
    lc->setopt(h, CURLOPT_CONNECTTIMEOUT_MS, left_ms);
    lc->setopt(h, CURLOPT_USERAGENT, ua);
    lc->setopt(h, CURLOPT_HTTPHEADER, headers);
    lc->setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* the cap counts decoded bytes */
    lc->setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
    lc->setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    lc->setopt(h, CURLOPT_WRITEDATA, x);
    lc->setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    /* "" turns proxies off, the environment's (http_proxy) included */
    lc->setopt(h, CURLOPT_PROXY, cfg->import_proxy);
    if (resolve != NULL)
        lc->setopt(h, CURLOPT_RESOLVE, resolve);
    if (cfg->import_proxy[0] == '\0') { /* through a proxy, the proxy is what we connect to */
        lc->setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
        lc->setopt(h, CURLOPT_OPENSOCKETDATA, x);
    }
}

/* libcurl's result as ours, with a sentence for the user. */
static enum fetch_error transfer_error(const struct libcurl *lc, CURLcode rc,
                                       const struct transfer *x, const char *host, char *err,
                                       size_t errlen)
{
    if (x->refused) {
        snprintf(err, errlen, "%s: the connection went to %s, a %s address: refused", host,
                 x->refused_addr, addrclass_name(x->refused_cls));
        return FETCH_FORBIDDEN;
    }
    if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(err, errlen, "the answer is larger than %zu bytes", x->max);
        return FETCH_TOO_LARGE;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(err, errlen, "%s did not answer in time", host);
        return FETCH_TIMEOUT;
    }
    if (rc == CURLE_OUT_OF_MEMORY || rc == CURLE_WRITE_ERROR) {
        snprintf(err, errlen, "out of memory");
        return FETCH_NO_MEMORY;
    }
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
        snprintf(err, errlen, "%s does not resolve", host);
        return FETCH_UNRESOLVED;
    }
    snprintf(err, errlen, "%s: %s", host, lc->strerror(rc));
    return FETCH_UNREACHABLE;
}

static int is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* The answer's metadata into out; the next URL into next ("" when none). */
static void answer_info(const struct libcurl *lc, CURL *h, struct fetch_result *out, char *next,
                        size_t nextlen)
{
    char *ct = NULL, *ip = NULL, *loc = NULL;
    next[0] = '\0';
    if (lc->getinfo(h, CURLINFO_RESPONSE_CODE, &out->status) != CURLE_OK)
        out->status = 0;
    if (lc->getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL)
        snprintf(out->content_type, sizeof(out->content_type), "%s", ct);
    if (lc->getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL)
        snprintf(out->address, sizeof(out->address), "%s", ip);
    if (is_redirect(out->status) && lc->getinfo(h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
        loc != NULL && strlen(loc) < nextlen)
        memcpy(next, loc, strlen(loc) + 1);
}

/* One request to out->url. FETCH_OK with x holding the body, or why not;
 * next gets the Location of a redirect. */
static enum fetch_error hop(const struct libcurl *lc, const struct config *cfg, const char *accept,
                            long deadline, struct transfer *x, struct fetch_result *out, char *next,
                            size_t nextlen, char *err, size_t errlen)
{
    struct target t = {0};
    enum fetch_error e = parse_url(lc, out->url, &t, err, errlen);
    if (e == FETCH_OK)
        e = resolve(cfg, &t, err, errlen);
    if (e != FETCH_OK)
        return e;
    long left = deadline - now_ms();
    if (left <= 0) {
        snprintf(err, errlen, "%s did not answer in time", t.host);
        return FETCH_TIMEOUT;
    }
    char ua[CONFIG_STR + 64], accept_h[160], errbuf[CURL_ERROR_SIZE] = "";
    snprintf(accept_h, sizeof(accept_h), "Accept: %s", accept != NULL ? accept : "*/*");
    CURL *h = lc->init();
    struct curl_slist *headers = lc->slist_append(NULL, accept_h);
    struct curl_slist *resolve_list = t.literal ? NULL : pin(lc, &t);
    if (h == NULL || headers == NULL || (!t.literal && resolve_list == NULL)) {
        snprintf(err, errlen, "out of memory");
        e = FETCH_NO_MEMORY;
    } else {
        user_agent(cfg, ua, sizeof(ua));
        set_options(lc, h, cfg, out->url, headers, resolve_list, x, left, ua, errbuf);
        CURLcode rc = lc->perform(h);
        answer_info(lc, h, out, next, nextlen);
        e = rc == CURLE_OK ? FETCH_OK : transfer_error(lc, rc, x, t.host, err, errlen);
    }
    if (h != NULL)
        lc->cleanup(h);
    lc->slist_free_all(headers);
    lc->slist_free_all(resolve_list);
    return e;
}

enum fetch_error fetch_get(const struct config *cfg, const char *url, const char *accept,
                           size_t max, struct fetch_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    char why[160], next[FETCH_URL_MAX];
    const struct libcurl *lc = libcurl_open(why, sizeof(why));
    if (lc == NULL) {
        snprintf(err, errlen, "this build cannot fetch pages (%s)", why);
        return FETCH_UNAVAILABLE;
    }
    if (strlen(url) >= sizeof(out->url)) {
        snprintf(err, errlen, "the URL is longer than %d bytes", FETCH_URL_MAX - 1);
        return FETCH_BAD_URL;
    }
    memcpy(out->url, url, strlen(url) + 1);
    long deadline = now_ms() + (long)cfg->import_timeout * 1000;
    struct transfer x = {.cfg = cfg, .max = max};
    enum fetch_error e;
    for (;;) {
        x.len = 0;
        e = hop(lc, cfg, accept, deadline, &x, out, next, sizeof(next), err, errlen);
        if (e != FETCH_OK || next[0] == '\0')
            break;
        if (out->redirects >= cfg->import_max_redirects) {
            snprintf(err, errlen, "more than %u redirects", cfg->import_max_redirects);
            e = FETCH_REDIRECTS;
            break;
        }
        out->redirects++;
        memcpy(out->url, next, strlen(next) + 1);
    }
    if (e == FETCH_OK && (out->status < 200 || out->status > 299)) {
        snprintf(err, errlen, "the server answered %ld", out->status);
        e = FETCH_STATUS;
    }
    if (e == FETCH_OK && x.buf == NULL && (x.buf = calloc(1, 1)) == NULL)
        e = FETCH_NO_MEMORY;
    if (e != FETCH_OK) {
        free(x.buf);
        return e;
    }
    out->body = x.buf;
    out->len = x.len;
    return FETCH_OK;
}

void fetch_result_free(struct fetch_result *r)
{
    if (r == NULL)
        return;
    free(r->body);
    r->body = NULL;
    r->len = 0;
}
