/* The master process. Start-up order: route table checked, signals blocked,
 * scoreboard mapped, socket bound under a umask then chowned, the worker user
 * checked, workers forked. Then one loop on sigtimedwait with a 100 ms tick:
 * act on the signal (signals.c), reap and respawn (children.c), the stop
 * deadline or the watchdog (control.c). The master never touches a request
 * and never connects to the database. */
#include "runtime/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/routes.h"
#include "base/log.h"
#include "base/ratelimit.h"
#include "runtime/children.h"
#include "runtime/control.h"
#include "runtime/privileges.h"
#include "runtime/signals.h"
#include "runtime/sockets.h"

/* Takes fd 0 from a front server (listen_fd >= 0) or binds the configured
 * socket, and makes it non-blocking: workers accept with epoll. Prints the
 * reason and returns -1 on failure. */
static int pool_listen(struct pool *p, int listen_fd)
{
    char err[CONFIG_ERR];
    p->listen_fd = listen_fd;
    if (listen_fd < 0) {
        p->listen_fd = sockets_listen(&p->cfg, err, sizeof(err));
        p->owns_socket = 1;
        if (p->listen_fd < 0) {
            fprintf(stderr, "recipebox: %s: %s\n", p->cfg.path[0] ? p->cfg.path : "config", err);
            return -1;
        }
    }
    int fl = fcntl(p->listen_fd, F_GETFL);
    if (fl < 0 || fcntl(p->listen_fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        fprintf(stderr, "recipebox: listen socket: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static int pool_loop(struct pool *p)
{
    sigset_t set;
    signals_master_set(&set);
    for (;;) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        siginfo_t info;
        int sig = sigtimedwait(&set, &info, &tick);
        if (sig > 0)
            signals_dispatch(p, sig);
        children_reap(p);
        uint64_t now = scoreboard_now_ms();
        if (p->stopping) {
            if (control_drained(p, now))
                break;
            continue;
        }
        control_watchdog(p);
        children_top_up(p, now);
    }
    log_msg(LOG_INFO, "stopped");
    return 0;
}

static int (*on_listening)(const struct config *cfg, void *arg);
static void *on_listening_arg;

void pool_on_listening(int (*fn)(const struct config *cfg, void *arg), void *arg)
{
    on_listening = fn;
    on_listening_arg = arg;
}

int pool_run(struct config *cfg, int listen_fd)
{
    static struct pool p; /* large (the child table); one per process */
    char err[CONFIG_ERR];
    memset(&p, 0, sizeof(p));
    p.cfg = *cfg;
    if (router_check(routes_table, routes_count, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox: route table: %s\n", err);
        return 1;
    }
    signals_block(); /* before fork: no signal is lost */
    p.sb = scoreboard_create();
    if (p.sb == NULL) {
        fprintf(stderr, "recipebox: cannot map the scoreboard: %s\n", strerror(errno));
        return 1;
    }
    p.rl = ratelimit_create();
    if (p.rl == NULL) {
        fprintf(stderr, "recipebox: cannot map the rate-limit buckets: %s\n", strerror(errno));
        scoreboard_destroy(p.sb);
        return 1;
    }
    if (pool_listen(&p, listen_fd) != 0)
        return 1;
    if (privileges_check(&p.cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox: %s\n", err);
        return 1;
    }
    if (on_listening != NULL && on_listening(&p.cfg, on_listening_arg) != 0)
        return 1;
    log_msg(LOG_INFO, "listening on %s with %u workers and %u job runners",
            listen_fd >= 0 ? "fd 0" : p.cfg.listen, p.cfg.workers, p.cfg.job_runners);
    int rc = pool_loop(&p);
    ratelimit_destroy(p.rl);
    scoreboard_destroy(p.sb);
    return rc;
}
