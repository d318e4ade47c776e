/* Serving one request, the same for every front: build struct request from
 * the CGI environment, read the body, route, run guards and the handler,
 * render errors, write the response, log and count. */
#ifndef RB_HTTP_SERVER_H
#define RB_HTTP_SERVER_H

#include <stddef.h>
#include <sys/types.h>

struct app;
struct arena;
struct request;
struct response;

/* How the front adapter moves bytes. read returns bytes read, 0 at end of
 * input, -1 on error. write returns 0 when all of len was written, else -1. */
struct server_io {
    void *ctx;
    ssize_t (*read)(void *ctx, char *buf, size_t len);
    int (*write)(void *ctx, const char *buf, size_t len);
};

/* Handles one request end to end. envp is the CGI parameter list. a is reset
 * by the caller afterwards. Returns the status sent, or -1 when the answer
 * could not be written (the connection is gone). */
int server_handle(struct app *app, char **envp, const struct server_io *io, struct arena *a);

#endif
