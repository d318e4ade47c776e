/* libcurl, opened with dlopen on first use: the one table of its functions
 * that the mailer (SMTP) and the guarded fetcher (import) share. Linked,
 * libcurl would load two dozen libraries into every worker that never sends
 * mail or imports a page; the static build (make dist) has no libcurl at all,
 * and there libcurl_open fails with a clear reason. */
#ifndef RB_BASE_LIBCURL_H
#define RB_BASE_LIBCURL_H

#include <curl/curl.h>
#include <stddef.h>

#define LIBCURL_LIBRARY "libcurl.so.4"

/* The functions recipebox calls, resolved from LIBCURL_LIBRARY. */
struct libcurl {
    CURL *(*init)(void);
    CURLcode (*setopt)(CURL *, CURLoption, ...);
    CURLcode (*perform)(CURL *);
    CURLcode (*getinfo)(CURL *, CURLINFO, ...);
    void (*cleanup)(CURL *);
    const char *(*strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU *(*url)(void);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    void (*free)(void *);
};

/* The table, loaded on the first call (once per process), or NULL with
 * why in err ("cannot load libcurl.so.4: ..."). The table is static:
 * never freed, shared by every caller. */
const struct libcurl *libcurl_open(char *err, size_t errlen);

#endif
