/* User and group ids: resolving [server] user/group and listen_owner/group,
 * checking at start-up that a root master has an unprivileged user for its
 * workers, and dropping root in each worker. */
#ifndef RB_RUNTIME_PRIVILEGES_H
#define RB_RUNTIME_PRIVILEGES_H

#include <stddef.h>
#include <sys/types.h>

struct config;

/* Looks up user (its uid and primary group) and group (overrides the gid).
 * An empty or NULL name leaves (uid_t)-1 / (gid_t)-1. Returns 0, or -1 with
 * a message in err when a name does not exist. */
int privileges_resolve(const char *user, const char *group, uid_t *uid, gid_t *gid, char *err,
                       size_t errlen);

/* For the master before it forks: 0 when not root, or when [server] user
 * names an existing user other than root; otherwise -1 with the whole
 * message in err. */
int privileges_check(const struct config *cfg, char *err, size_t errlen);

/* Drops root for good (in a worker, right after fork); does nothing when not
 * root. Returns 0, or -1 with err. */
int privileges_drop(const struct config *cfg, char *err, size_t errlen);

#endif
