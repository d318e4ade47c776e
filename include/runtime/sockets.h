/* The master's listen socket: a unix socket made with safe permissions in a
 * private directory, or a numeric TCP address. */
#ifndef RB_RUNTIME_SOCKETS_H
#define RB_RUNTIME_SOCKETS_H

#include <stddef.h>

struct config;

/* Opens cfg->listen ("unix:PATH" or "HOST:PORT"), close-on-exec and
 * listening. Returns the fd, owned by the caller, or -1 with a message in
 * err. A stale socket of a dead master is replaced; a live one is refused. */
int sockets_listen(const struct config *cfg, char *err, size_t errlen);

#endif
