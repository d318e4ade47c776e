/* The guarded HTTP client for fetches made on a user's behalf (recipe
 * import: the page and its image). It refuses what a server must never be
 * made to reach (SSRF): schemes other than http and https, and names that
 * resolve to loopback, private, link-local, CGNAT, multicast, reserved or
 * IPv4-mapped addresses (lib/addrclass.h) unless [import]
 * allow_private_addresses lists them. The name is resolved once, every
 * address checked, and the connection pinned to the checked addresses
 * (CURLOPT_RESOLVE) with a socket-open callback that checks again, so DNS
 * rebinding fails; redirects are followed by hand, each one checked, at
 * most [import] max_redirects; size and time are capped. libcurl is opened
 * on first use (base/libcurl.h): without it, FETCH_UNAVAILABLE. */
#ifndef RB_BASE_FETCH_H
#define RB_BASE_FETCH_H

#include <stddef.h>

#include "lib/addrclass.h"

struct config;

#define FETCH_URL_MAX 2048

/* Why a fetch failed; each has a stable code (fetch_error_code) that the
 * API puts in its field errors. */
enum fetch_error {
    FETCH_OK = 0,
    FETCH_UNAVAILABLE, /* no libcurl in this build or on this host */
    FETCH_BAD_URL,     /* not an absolute http:// or https:// URL */
    FETCH_FORBIDDEN,   /* the name resolves to an address that is refused */
    FETCH_UNRESOLVED,  /* the name does not resolve */
    FETCH_UNREACHABLE, /* connecting, TLS or the transfer failed */
    FETCH_TIMEOUT,     /* past [import] timeout */
    FETCH_TOO_LARGE,   /* more than the caller's max bytes */
    FETCH_REDIRECTS,   /* more than [import] max_redirects */
    FETCH_STATUS,      /* the server answered other than 2xx */
    FETCH_NO_MEMORY,
    FETCH__MAX
};

/* What a fetch got. body is malloc'd and NUL-terminated (fetch_result_free
 * releases it); NULL unless FETCH_OK. */
struct fetch_result {
    char *body;
    size_t len;
    long status;             /* the last answer's HTTP status, 0 when none */
    char content_type[128];  /* the last answer's Content-Type, "" when none */
    char url[FETCH_URL_MAX]; /* the last URL asked for (after redirects) */
    char address[64];        /* the address connected to, "" when none */
    unsigned redirects;      /* redirects followed */
};

/* GETs url with Accept: accept (NULL: none), reading at most max bytes of
 * body, following redirects as the header says. Blocks for at most about
 * [import] timeout seconds (plus name resolution). On failure err holds a
 * sentence for the user (it names the refused address and its kind, never
 * the server's internals) and out->body is NULL. out is always filled far
 * enough for fetch_result_free. */
enum fetch_error fetch_get(const struct config *cfg, const char *url, const char *accept,
                           size_t max, struct fetch_result *out, char *err, size_t errlen);

/* Frees r->body (r may be NULL). */
void fetch_result_free(struct fetch_result *r);

/* "forbidden", "timeout", ...: the stable code of e (at most 15 bytes). */
const char *fetch_error_code(enum fetch_error e);

/* 1 when the fetcher may connect to the address (family AF_INET, 4 bytes,
 * or AF_INET6, 16): a public one, or one [import] allow_private_addresses
 * allows (true: all; a CIDR list: those in it, never IPv4-mapped ones).
 * *cls gets its kind (may be NULL). */
int fetch_address_allowed(const struct config *cfg, int family, const unsigned char *bytes,
                          enum addrclass *cls);

#endif
