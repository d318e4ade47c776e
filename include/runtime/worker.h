/* A pool worker: waits for connections on the shared listen socket, keeps its
 * scoreboard slot current (so the master can kill it when stuck), serves
 * requests until max_requests or a stop signal. */
#ifndef RB_RUNTIME_WORKER_H
#define RB_RUNTIME_WORKER_H

#include <stdint.h>

struct config;
struct scoreboard;
struct ratelimit;

/* Runs in the child after fork. Never returns; exits 0 on a planned stop. */
void worker_main(const struct config *cfg, struct scoreboard *sb, struct ratelimit *rl, int slot,
                 int listen_fd) __attribute__((noreturn));

#endif
