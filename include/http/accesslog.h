/* The access log: one JSON line per finished request (time, level,
 * request_id, method, path, route, status, duration_ms, db_ms, db_queries,
 * user_id, remote_addr, pid), written through base/log. */
#ifndef RB_HTTP_ACCESSLOG_H
#define RB_HTTP_ACCESSLOG_H

struct request;
struct response;

/* The access line for a finished request. route may be NULL; res may be
 * NULL (logged as 500). */
void accesslog_write(const struct request *req, const struct response *res, const char *route,
                     double duration_ms, double db_ms, unsigned db_queries);

/* Frees this process's access line (at exit, for LeakSanitizer). */
void accesslog_close(void);

#endif
