/* struct app: the long-lived state one process serves requests with (config,
 * scoreboard, later the database connection). Created once per worker, after
 * fork; handlers get it as their first argument. */
#ifndef RB_CORE_APP_H
#define RB_CORE_APP_H

#include <stdint.h>

struct config;
struct scoreboard;
struct route;

struct app {
    const struct config *cfg;
    struct scoreboard *sb;
    int slot;              /* this worker's scoreboard slot, -1 outside a pool */
    int listen_fd;         /* for the status view (listen queue), -1 if none */
    const struct route *routes;
    unsigned long nroutes;
    uint64_t db_us;        /* database time of the current request */
};

#endif
