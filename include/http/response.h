/* struct response: status, headers and body of the answer, built by
 * handlers and written by a front adapter. Arena-backed; independent of
 * libfcgi. */
#ifndef RB_HTTP_RESPONSE_H
#define RB_HTTP_RESPONSE_H

#include <stddef.h>

struct arena;
struct json_object;
struct kv;

#define RESPONSE_MAX_HEADERS 24

struct response {
    struct arena *arena;
    int status;
    const char *content_type; /* NULL = no body */
    struct kv *headers;
    size_t nheaders;
    const char *body;
    size_t body_len;
    int body_fd;   /* response_file: an open file of body_len bytes sent in chunks when body
                      is NULL (a later problem answer sets body and wins); -1 none. The server
                      closes it after the answer. */
    int head_only; /* HEAD: headers with Content-Length, no body */
};

/* Prepares an empty 200 response whose memory comes from a. Returns 0, -1 on
 * allocation failure. */
int response_init(struct response *res, struct arena *a);

/* Adds (or with replace=1 replaces) a header; both strings are copied. 0/-1. */
int response_header(struct response *res, const char *name, const char *value, int replace);

const char *response_header_get(const struct response *res, const char *name);

/* Serialises obj as the body with content type "application/json". The
 * object is not freed. 0/-1. */
int response_json(struct response *res, int status, struct json_object *obj);

/* Sets a body already in memory; it is copied into the arena. 0/-1. */
int response_body(struct response *res, int status, const char *content_type, const char *body,
                  size_t len);

/* Sets the regular file at path as the body, to be sent in chunks by the
 * server, so that a large download (an export zip) never sits in a
 * worker's memory. The file may be unlinked once this returns. 0/-1. */
int response_file(struct response *res, int status, const char *content_type, const char *path);

/* Closes the body file, if any. */
void response_release(struct response *res);

/* Writes the CGI header block ("Status: ...\r\n...\r\n\r\n") into buf.
 * Returns its length, or -1 when it does not fit. */
long response_head(const struct response *res, char *buf, size_t size);

/* The reason phrase of a status ("Not Found"), "Unknown" when not known. */
const char *response_reason(int status);

#endif
