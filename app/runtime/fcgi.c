/* The libfcgi adapter: the only file that includes fcgiapp.h. The worker
 * accepts connections itself and hands the fd to libfcgi, so the master can
 * see (and kill) a worker stuck while libfcgi reads the params. Output goes
 * through FCGX_PutStr only: libfcgi's printf mangles modern conversions. */
#include "runtime/fcgi.h"

#include <fcgiapp.h>
#include <stdlib.h>
#include <unistd.h>

#include "http/app.h"
#include "http/server.h"

struct fcgi_conn {
    FCGX_Request req;
    int ready; /* a request has been read and not yet finished */
};

int fcgi_init(void)
{
    return FCGX_Init() == 0 ? 0 : -1;
}

struct fcgi_conn *fcgi_conn_new(int listen_fd)
{
    struct fcgi_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    if (FCGX_InitRequest(&c->req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void fcgi_conn_free(struct fcgi_conn *c)
{
    if (c == NULL)
        return;
    fcgi_conn_close(c);
    FCGX_Free(&c->req, 1);
    free(c);
}

int fcgi_conn_read_request(struct fcgi_conn *c, int fd)
{
    if (fd >= 0) {
        /* libfcgi skips its own accept when a connection is open; the flag
         * stops FCGX_Accept_r's opening FCGX_Finish_r from closing it. The
         * begin record then sets it to what the front asked for. */
        c->req.ipcFd = fd;
        c->req.keepConnection = 1;
    }
    if (c->req.ipcFd < 0)
        return -1;
    /* On a protocol error libfcgi closes the connection and tries to accept
     * on the (non-blocking) listen socket, which returns EAGAIN: fine. */
    if (FCGX_Accept_r(&c->req) != 0) {
        c->ready = 0;
        return -1;
    }
    c->ready = 1;
    return 0;
}

static ssize_t fcgi_read(void *ctx, char *buf, size_t len)
{
    FCGX_Request *r = ctx;
    int want = len > 1 << 30 ? 1 << 30 : (int)len;
    int n = FCGX_GetStr(buf, want, r->in);
    if (n < 0)
        return -1;
    return n;
}

static int fcgi_write(void *ctx, const char *buf, size_t len)
{
    FCGX_Request *r = ctx;
    while (len > 0) {
        int chunk = len > 1 << 30 ? 1 << 30 : (int)len;
        if (FCGX_PutStr(buf, chunk, r->out) != chunk)
            return -1;
        buf += chunk;
        len -= (size_t)chunk;
    }
    return 0;
}

/* Reads what is left of the request's input, up to FCGI_DRAIN_MAX bytes:
 * 1 when its end was reached. A GET's empty stdin record is usually
 * already buffered, so this rarely waits; a large unread body (an early
 * refusal) is left alone. */
#define FCGI_DRAIN_MAX 16384
static int drained(FCGX_Stream *in)
{
    char buf[4096];
    size_t total = 0;
    while (!FCGX_HasSeenEOF(in) && total < FCGI_DRAIN_MAX) {
        int n = FCGX_GetStr(buf, sizeof(buf), in);
        if (n <= 0)
            break;
        total += (size_t)n;
    }
    return FCGX_HasSeenEOF(in) != 0;
}

int fcgi_conn_serve(struct fcgi_conn *c, struct app *app, struct arena *a)
{
    if (!c->ready)
        return -1;
    struct server_io io = {&c->req, fcgi_read, fcgi_write};
    int status = server_handle(app, c->req.envp, &io, a);
    /* Unread input would be taken for the next request on a kept connection. */
    int whole = drained(c->req.in);
    if (!whole)
        c->req.keepConnection = 0;
    /* libfcgi closes with a lingering close: shutdown, then poll until the
     * front closes its end, the most expensive step of a small request.
     * It only matters when input is left unread (a TCP close then resets
     * the connection and may lose the answer), so with all input read the
     * connection is closed at once, after libfcgi has flushed the answer. */
    int close_now = whole && !c->req.keepConnection;
    if (close_now)
        c->req.keepConnection = 1;
    FCGX_Finish_r(&c->req);
    if (close_now && c->req.ipcFd >= 0) {
        close(c->req.ipcFd);
        c->req.ipcFd = -1;
    }
    c->ready = 0;
    return status;
}

int fcgi_conn_kept_fd(const struct fcgi_conn *c)
{
    return c->req.ipcFd;
}

void fcgi_conn_close(struct fcgi_conn *c)
{
    if (c->ready) {
        c->req.keepConnection = 0;
        FCGX_Finish_r(&c->req);
        c->ready = 0;
    }
    if (c->req.ipcFd >= 0) {
        close(c->req.ipcFd);
        c->req.ipcFd = -1;
    }
}
