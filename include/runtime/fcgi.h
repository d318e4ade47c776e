/* The libfcgi adapter: the only module that includes fcgiapp.h. */
#ifndef RB_RUNTIME_FCGI_H
#define RB_RUNTIME_FCGI_H

struct app;
struct arena;
struct fcgi_conn;

/* Initialises libfcgi after the caller's signal handlers are in place. 0/-1. */
int fcgi_init(void);

/* A request object bound to listen_fd. NULL on allocation failure. */
struct fcgi_conn *fcgi_conn_new(int listen_fd);
void fcgi_conn_free(struct fcgi_conn *c);

/* Reads the FastCGI begin record and params from the accepted connection fd
 * (or from the kept connection when fd is -1). Returns 0 when a request is
 * ready, -1 when the connection failed (it is closed). */
int fcgi_conn_read_request(struct fcgi_conn *c, int fd);

/* Serves the ready request and finishes it. Returns the status sent or -1. */
int fcgi_conn_serve(struct fcgi_conn *c, struct app *app, struct arena *a);

/* The connection fd kept open by the front (FCGI_KEEP_CONN) after the last
 * request, or -1. */
int fcgi_conn_kept_fd(const struct fcgi_conn *c);

/* Closes a kept connection. */
void fcgi_conn_close(struct fcgi_conn *c);

#endif
