/* The master: opens the listen socket, drops privileges, forks and
 * supervises workers (respawn with back-off, watchdog, max_requests), and
 * handles SIGTERM/SIGINT (drain), SIGHUP (reload) and SIGUSR1 (reopen logs).
 * It never touches a request. */
#ifndef RB_RUNTIME_POOL_H
#define RB_RUNTIME_POOL_H

struct config;

/* Runs the pool on the configured socket, or on listen_fd when it is >= 0
 * (server-spawned FastCGI: fd 0). Returns the process exit code. */
int pool_run(struct config *cfg, int listen_fd);

/* Opens the configured listen socket with safe permissions. Returns the fd or
 * -1 with a message in err. */
int pool_listen(const struct config *cfg, char *err, unsigned long errlen);

#endif
