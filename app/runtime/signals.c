/* The master's signals, as PHP-FPM's fpm_signals.c: blocked before the first
 * fork and taken by sigtimedwait in the master loop, so a signal arriving
 * while the master works is kept, not lost, and acted on between ticks. */
#include "runtime/signals.h"

#include <errno.h>
#include <string.h>

#include "base/log.h"
#include "runtime/control.h"
#include "runtime/pool.h"

void signals_master_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGUSR1);
}

void signals_block(void)
{
    sigset_t set;
    signals_master_set(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void signals_dispatch(struct pool *p, int sig)
{
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        control_begin_stop(p, sig);
        break;
    case SIGHUP:
        if (!p->stopping)
            control_reload(p);
        break;
    case SIGUSR1:
        /* workers inherit the log descriptor: new workers get the new file */
        if (log_reopen() != 0)
            log_msg(LOG_ERROR, "SIGUSR1: cannot reopen the log: %s", strerror(errno));
        else if (!p->stopping)
            control_replace_workers(p);
        break;
    default:
        break;
    }
}
