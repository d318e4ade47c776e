/* The master's signals: all of them blocked from start-up and taken one at a
 * time by sigtimedwait, so none is lost and no handler runs inside libc. */
#ifndef RB_RUNTIME_SIGNALS_H
#define RB_RUNTIME_SIGNALS_H

#include <signal.h>

struct pool;

/* Fills set with the signals the master waits for. */
void signals_master_set(sigset_t *set);

/* Blocks the master's signals (call before the first fork, so none is lost)
 * and ignores SIGPIPE. */
void signals_block(void);

/* Acts on one signal: SIGTERM/SIGINT stop, SIGHUP reloads, SIGUSR1 reopens
 * the log and replaces the workers; others are ignored. */
void signals_dispatch(struct pool *p, int sig);

#endif
