/* struct app: the long-lived state one process serves requests with (config,
 * scoreboard, database connection, the migration files for /readyz).
 * Created once per worker, after fork; handlers get it as first argument.
 * The route table is passed in by the runtime (api/routes.c lies above). */
#ifndef RB_HTTP_APP_H
#define RB_HTTP_APP_H

#include <stdint.h>

#include "db/migrate.h"

struct config;
struct db;
struct scoreboard;
struct ratelimit;
struct route;

struct app {
    const struct config *cfg;
    struct scoreboard *sb;
    struct ratelimit *rl; /* shared rate-limit buckets; NULL (no limits) outside a pool */
    int slot;             /* this worker's scoreboard slot, -1 outside a pool */
    int listen_fd;        /* for the status view (listen queue), -1 if none */
    const struct route *routes;
    unsigned long nroutes;
    struct db *db;                   /* connects lazily; never NULL after app_init */
    struct migration_set migrations; /* what /readyz expects the schema to have */
    int migrations_ok;               /* 0 when the directory could not be read */
    uint64_t db_us;                  /* database time of the current request */
    int recycle;                     /* set by a handler: this worker exits after the request (and
                                        is replaced), giving back memory a big request used */
};

/* Fills app for one process (a worker after fork, or a CGI request).
 * Returns 0, or -1 when out of memory. A missing migrations directory is not
 * fatal: /readyz reports it. */
int app_init(struct app *app, const struct config *cfg, struct scoreboard *sb, int slot,
             int listen_fd, const struct route *routes, unsigned long nroutes);
void app_free(struct app *app);

#endif
