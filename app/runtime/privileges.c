/* User and group ids, as PHP-FPM's fpm_unix.c: names resolved through the
 * system databases, the start-up check that a root master has somebody else
 * to run its workers as, and the one-way switch each worker makes after
 * fork. */
#include "runtime/privileges.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"

int privileges_resolve(const char *user, const char *group, uid_t *uid, gid_t *gid, char *err,
                       size_t errlen)
{
    *uid = (uid_t)-1;
    *gid = (gid_t)-1;
    if (user != NULL && user[0] != '\0') {
        struct passwd *pw = getpwnam(user);
        if (pw == NULL) {
            snprintf(err, errlen, "user \"%s\" does not exist", user);
            return -1;
        }
        *uid = pw->pw_uid;
        *gid = pw->pw_gid;
    }
    if (group != NULL && group[0] != '\0') {
        struct group *gr = getgrnam(group);
        if (gr == NULL) {
            snprintf(err, errlen, "group \"%s\" does not exist", group);
            return -1;
        }
        *gid = gr->gr_gid;
    }
    return 0;
}

int privileges_check(const struct config *cfg, char *err, size_t errlen)
{
    if (geteuid() != 0)
        return 0;
    char why[CONFIG_ERR] = "";
    uid_t uid;
    gid_t gid;
    if (cfg->user[0] != '\0' &&
        privileges_resolve(cfg->user, cfg->group, &uid, &gid, why, sizeof(why)) == 0) {
        if (uid != 0)
            return 0;
        snprintf(why, sizeof(why), "user \"%s\" is root", cfg->user);
    }
    snprintf(err, errlen,
             "started as root: [server] user must name an existing unprivileged user (for "
             "example www-data or nobody)%s%s",
             why[0] ? ": " : "", why);
    return -1;
}

/* The master keeps root, as nginx's and PHP-FPM's do, to re-read the config
 * and reopen logs; it never parses a request. The check after the switch
 * proves it cannot be undone. */
int privileges_drop(const struct config *cfg, char *err, size_t errlen)
{
    if (geteuid() != 0)
        return 0;
    if (cfg->user[0] == '\0') {
        snprintf(err, errlen,
                 "started as root: set [server] user (for example www-data or nobody) so that "
                 "workers do not run as root");
        return -1;
    }
    uid_t uid;
    gid_t gid;
    if (privileges_resolve(cfg->user, cfg->group, &uid, &gid, err, errlen) != 0)
        return -1;
    if (uid == 0) {
        snprintf(err, errlen, "[server] user: must not be root");
        return -1;
    }
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        snprintf(err, errlen, "cannot switch to user %s: %s", cfg->user, strerror(errno));
        return -1;
    }
    if (setuid(0) == 0 || seteuid(0) == 0) {
        snprintf(err, errlen, "privileges could be regained after the switch; refusing to run");
        return -1;
    }
    return 0;
}
