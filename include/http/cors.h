/* CORS for browser front ends served from another origin: which origins may
 * read an answer, and the Access-Control-* headers that tell the browser so.
 * Exact origins from [security] allowed_origins only: never "*", never an
 * origin echoed because it was sent. Pure over struct request and response. */
#ifndef RB_HTTP_CORS_H
#define RB_HTTP_CORS_H

struct config;
struct request;
struct response;

/* What a preflight may ask to send, and what a script may read back. */
#define CORS_ALLOW_HEADERS "Content-Type, X-CSRF-Token, Authorization, If-Match, If-None-Match"
#define CORS_EXPOSE_HEADERS                                                                        \
    "ETag, Location, Retry-After, RateLimit-Policy, RateLimit, X-Request-Id, Link"

/* 1 when origin equals, byte for byte, one entry of list (comma and/or
 * space separated, as [security] allowed_origins). NULL, "", "null" and "*"
 * never match, whatever the list says: "null" is what sandboxed frames and
 * file: pages send, so it names no one. list NULL: nothing matches. */
int cors_origin_allowed(const char *list, const char *origin);

/* 1 when req is a CORS preflight: OPTIONS with Origin and
 * Access-Control-Request-Method. */
int cors_is_preflight(const struct request *req);

/* Adds the CORS headers to res, once its status and other headers are
 * final. With no allowed origin configured: nothing. Otherwise every answer
 * gets Origin in Vary (appended to any Vary already set), and an answer to
 * an allowed Origin gets Access-Control-Allow-Origin (that origin) and
 * -Allow-Credentials; a preflight answered 204 then also gets -Allow-Methods
 * (res's Allow header: the route table's methods), -Allow-Headers and
 * -Max-Age, any other answer (errors too) -Expose-Headers. Strings are copied
 * into res's arena. Returns 0, or -1 when a header did not fit. */
int cors_headers(const struct config *cfg, const struct request *req, struct response *res);

#endif
