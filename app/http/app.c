/* Building and releasing the per-process application state. */
#include "http/app.h"

#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "db/db.h"

int app_init(struct app *app, const struct config *cfg, struct scoreboard *sb, int slot,
             int listen_fd, const struct route *routes, unsigned long nroutes)
{
    memset(app, 0, sizeof(*app));
    app->cfg = cfg;
    app->sb = sb;
    app->slot = slot;
    app->listen_fd = listen_fd;
    app->routes = routes;
    app->nroutes = nroutes;
    struct db_opts opts = {.time_us = &app->db_us, .sb = sb};
    app->db = db_open(cfg, &opts);
    if (app->db == NULL)
        return -1;
    char err[512];
    app->migrations_ok = migrate_scan(cfg->migrations_dir, &app->migrations, err, sizeof(err)) == 0;
    if (!app->migrations_ok)
        log_msg(LOG_ERROR, "/readyz will fail: %s", err);
    return 0;
}

void app_free(struct app *app)
{
    db_close(app->db);
    app->db = NULL;
    if (app->migrations_ok)
        migrate_set_free(&app->migrations);
}
