/* struct request: what a handler knows about one HTTP request, built from
 * the CGI/FastCGI parameter list. Independent of libfcgi. All strings live in
 * the request's arena. The parsers here are pure and each has a fuzz target. */
#ifndef RB_HTTP_REQUEST_H
#define RB_HTTP_REQUEST_H

#include "lib/role.h"

#include <stddef.h>
#include <time.h>

struct arena;
struct config;

enum http_method {
    METHOD_GET = 0,
    METHOD_HEAD,
    METHOD_POST,
    METHOD_PUT,
    METHOD_PATCH,
    METHOD_DELETE,
    METHOD_OPTIONS,
    METHOD_OTHER,
    METHOD__MAX
};

struct kv {
    const char *name;
    const char *value;
    size_t value_len; /* values may hold bytes a C string cannot (query) */
};

#define REQUEST_MAX_PARAMS 4    /* {id} parameters in one route */
#define REQUEST_MAX_QUERY 64    /* query parameters accepted */
#define REQUEST_MAX_COOKIES 256 /* cookies kept; later ones are ignored, not refused */
#define REQUEST_MAX_HEADERS 64  /* headers kept */
#define REQUEST_ID_LEN 32       /* generated ids */
#define REQUEST_ID_MAX 64       /* accepted from the front server */

struct request {
    struct arena *arena;
    enum http_method method;
    const char *method_name;
    const char *uri;          /* REQUEST_URI as sent */
    const char *path;         /* decoded and normalised, always starts with '/' */
    const char *query_string; /* raw, "" when none */
    struct kv *query;
    size_t nquery;
    struct kv *headers; /* names lower-case with '-', as in HTTP */
    size_t nheaders;
    struct kv *cookies;
    size_t ncookies;
    const char *remote_addr;
    const char *content_type; /* NULL when absent */
    long long content_length; /* -1 when absent */
    char *body;               /* NUL-terminated copy, NULL when none */
    size_t body_len;
    char request_id[REQUEST_ID_MAX + 1];
    /* why request_from_env refused the request, for the client; NULL when
     * it did not, or when the status (404, 500) says enough */
    const char *why;
    struct timespec started; /* CLOCK_MONOTONIC */
    /* filled by the session guard (http/session.c) when a cookie names a
     * live session */
    long long user_id; /* 0 = anonymous */
    enum role role;    /* of the session's account; ROLE_ANON when none */
    long long session_id;
    const char *username;
    const char *csrf;
    /* filled instead when an Authorization: Bearer token names a live
     * personal access token (session_id is then 0, csrf NULL) */
    long long token_id; /* 0 = not a token request */
    int token_write;    /* the token's scope is "write" (else "read": GET and HEAD only) */
    int email_verified; /* the account's address was confirmed */
    int auth_recent;            /* the owner authenticated within [auth] reauth_window */
    enum role role_withheld;    /* the account's role while require_mfa_for serves it as
                                   ROLE_USER (no TOTP yet); ROLE_ANON when none */
    const char *problem_type;   /* set by a check that answered with a bare status: the
                                   problem's type name for the dispatcher (NULL: about:blank) */
    const char *problem_detail; /* and its detail (NULL: the reason phrase) */
    /* filled by the router */
    int route_index; /* -1 when no route matched */
    const char *params[REQUEST_MAX_PARAMS];
    unsigned nparams;
    long long id;  /* the route's {id} parameter, checked by the router; 0 when none */
    int searching; /* marked as a search in this worker's scoreboard slot (cleared after) */
};

/* Maps a method name to the enum; unknown names give METHOD_OTHER. */
enum http_method request_method_parse(const char *name);
const char *request_method_name(enum http_method m);

/* Percent-decodes and normalises the path part of a URI (stops at '?').
 * Collapses "//", resolves "." and "..". Returns 0 and *out, or the HTTP
 * status to answer: 400 for a bad escape, a segment that is not strict UTF-8
 * or holds a control character (NUL, C0, DEL, C1), or ".." above the root,
 * 404 for an encoded slash (as Apache does by default, so every front
 * decides alike). */
int request_path_normalize(struct arena *a, const char *uri, size_t len, const char **out);

/* Decodes "%XX" escapes (and '+' as space when plus_space) of n bytes into a
 * new NUL-terminated arena string. Returns the length, or -1 on a bad escape
 * or allocation failure. */
long request_url_decode(struct arena *a, const char *s, size_t n, int plus_space, char **out);

/* Splits a query string into at most REQUEST_MAX_QUERY decoded pairs.
 * Returns 0, or 400 for a bad escape, too many pairs, or a name or value
 * that is not strict UTF-8 or holds a control character (NUL included). */
int request_parse_query(struct arena *a, const char *qs, struct kv **out, size_t *n);

/* Splits a Cookie header (RFC 6265 "a=b; c=d", quotes removed) into its
 * pairs, the first REQUEST_MAX_COOKIES of them (later ones are ignored: a
 * domain full of other applications' cookies must not break this one).
 * Returns 0, or 400 for a malformed one. */
int request_parse_cookies(struct arena *a, const char *header, struct kv **out, size_t *n);

/* Turns "HTTP_X_FOO_BAR" into "x-foo-bar" (arena). NULL when not a header. */
char *request_header_name(struct arena *a, const char *env_name, size_t len);

/* Builds req from a CGI environment ("NAME=value" strings, NULL-terminated)
 * and stamps req->started.
 * The body is not read here. Returns 0 or the HTTP status to answer; for a
 * 400 req->why says what was wrong ("a query parameter is not valid UTF-8"). */
int request_from_env(struct request *req, struct arena *a, char **envp, const struct config *cfg);

/* Lookups. Each returns NULL when absent. *count (may be NULL) receives the
 * number of occurrences, so that callers can refuse ambiguity. */
const char *request_header(const struct request *req, const char *name);
const char *request_query(const struct request *req, const char *name);
const char *request_cookie(const struct request *req, const char *name, unsigned *count);

/* Draws a new random prefix for generated request ids; call once in each
 * process after fork (generation seeds itself lazily otherwise). */
void request_id_reseed(void);

/* Accepts a front-server request id made of [A-Za-z0-9._-], 1..64 chars. */
int request_id_valid(const char *id);

#endif
