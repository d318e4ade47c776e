/* The master's control of its workers: reload (a new generation first, then
 * the old one retired), graceful stop with a deadline, and the watchdog that
 * kills a worker stuck in a request. */
#ifndef RB_RUNTIME_CONTROL_H
#define RB_RUNTIME_CONTROL_H

#include <stdint.h>

struct pool;

/* SIGHUP: re-reads the config file (an invalid one is refused and logged, the
 * running config kept), reopens the log and replaces the workers. */
void control_reload(struct pool *p);

/* Starts a new generation of workers, then retires the old ones. */
void control_replace_workers(struct pool *p);

/* SIGTERM/SIGINT: closes (and unlinks) the listen socket and asks the
 * workers to finish; a second call kills them at once. */
void control_begin_stop(struct pool *p, int sig);

/* While stopping, at each tick: 1 once every worker is gone; kills the rest
 * when shutdown_timeout has passed (now is scoreboard_now_ms()). */
int control_drained(struct pool *p, uint64_t now);

/* Kills (SIGKILL) every worker READING or BUSY for longer than
 * request_timeout and counts it in SCOREBOARD_KILLS. */
void control_watchdog(struct pool *p);

#endif
