/* The master: opens the listen socket, checks the route table and the
 * worker user, forks and supervises workers, and waits for signals. Its state,
 * struct pool, is shared by the master's modules (sockets, privileges,
 * children, control, signals); nothing outside runtime/ reaches into it.
 * The master never touches a request. */
#ifndef RB_RUNTIME_POOL_H
#define RB_RUNTIME_POOL_H

#include <stdint.h>
#include <sys/types.h>

#include "base/config.h"
#include "base/scoreboard.h"

/* One worker process as the master knows it; pid 0 marks a free entry. */
struct child {
    pid_t pid;
    int slot;
    uint32_t generation;
    int retiring; /* sent SIGTERM by a reload or the max_requests exit */
    int killed;   /* by the watchdog */
    int runner;   /* a job runner (runtime/runner.c), not a worker; it has no slot */
    uint64_t started_ms;
};

struct pool {
    struct config cfg;
    struct scoreboard *sb;
    struct ratelimit *rl; /* the rate-limit buckets every worker shares */
    int listen_fd;
    int owns_socket; /* we bound it (not fd 0 from a front server) */
    struct child children[SCOREBOARD_SLOTS];
    uint32_t generation;
    int stopping;
    uint64_t stop_deadline_ms;
    unsigned fast_failures; /* consecutive crashes within 1 s of start */
    uint64_t next_spawn_ms;
};

/* Runs the pool on the configured socket, or on listen_fd when it is >= 0
 * (server-spawned FastCGI: fd 0). cfg is copied; the caller keeps it.
 * Returns the process exit code. */
int pool_run(struct config *cfg, int listen_fd);

/* Called by pool_run once the socket is bound and the worker user checked,
 * before any worker starts (serve --pidfile writes the file there); a
 * non-zero return stops the start. NULL: none. */
void pool_on_listening(int (*fn)(const struct config *cfg, void *arg), void *arg);

#endif
