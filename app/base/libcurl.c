/* The libcurl function table (see include/base/libcurl.h): one dlopen for
 * the mailer and the fetcher. Nothing here sets options or talks to a
 * network; that is each caller's business. */
#include "base/libcurl.h"

#include <stdio.h>

#include "lib/dynlib.h"

static struct libcurl table;

const struct libcurl *libcurl_open(char *err, size_t errlen)
{
    static const struct dynlib_symbol syms[] = {
        {"curl_easy_init", &table.init, NULL},
        {"curl_easy_setopt", &table.setopt, NULL},
        {"curl_easy_perform", &table.perform, NULL},
        {"curl_easy_getinfo", &table.getinfo, NULL},
        {"curl_easy_cleanup", &table.cleanup, NULL},
        {"curl_easy_strerror", &table.strerror, NULL},
        {"curl_slist_append", &table.slist_append, NULL},
        {"curl_slist_free_all", &table.slist_free_all, NULL},
        {"curl_url", &table.url, NULL},
        {"curl_url_cleanup", &table.url_cleanup, NULL},
        {"curl_url_set", &table.url_set, NULL},
        {"curl_url_get", &table.url_get, NULL},
        {"curl_free", &table.free, NULL},
    };
    static int state;
    if (dynlib_load(LIBCURL_LIBRARY, syms, sizeof(syms) / sizeof(syms[0]), &state) != 0) {
        snprintf(err, errlen, "cannot load %s: %s", LIBCURL_LIBRARY, dynlib_error());
        return NULL;
    }
    return &table;
}
