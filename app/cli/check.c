/* `recipebox check-config --connect` (see include/cli/check.h). File access
 * is judged from owner, group and mode bits (ACLs aside), as the kernel does
 * for another user: a root check-config cannot simply try, it may do
 * everything. */
#include "cli/check.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stddef.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "db/db.h"
#include "runtime/privileges.h"

#define WHO_GROUPS 64
#define MAY_W 2
#define MAY_X 1

/* A user as the kernel sees it for permission checks. */
struct who {
    uid_t uid;
    gid_t groups[WHO_GROUPS];
    int ngroups;
    char name[64];
};

/* Loads user name with its supplementary groups. 0/-1. */
static int who_load(const char *name, struct who *w)
{
    struct passwd *pw = getpwnam(name);
    if (pw == NULL)
        return -1;
    w->uid = pw->pw_uid;
    w->ngroups = WHO_GROUPS;
    if (getgrouplist(name, pw->pw_gid, w->groups, &w->ngroups) < 0)
        w->ngroups = WHO_GROUPS; /* more than WHO_GROUPS: the first ones */
    snprintf(w->name, sizeof(w->name), "%s", name);
    return 0;
}

/* A user nobody's files belong to, in at most one group: "any member of
 * group gid" or, with ngroups 0, "anybody". */
static void who_anybody(struct who *w, gid_t gid, int in_group)
{
    w->uid = (uid_t)-2;
    w->groups[0] = gid;
    w->ngroups = in_group ? 1 : 0;
    snprintf(w->name, sizeof(w->name), "%s", in_group ? "its group" : "others");
}

static int who_in(const struct who *w, gid_t g)
{
    for (int i = 0; i < w->ngroups; i++)
        if (w->groups[i] == g)
            return 1;
    return 0;
}

/* The owner's bits for the owner, the group's for a member, else the
 * others' (the kernel never falls through to a wider class). */
static int who_may(const struct who *w, const struct stat *st, unsigned bits)
{
    if (w->uid == 0)
        return 1;
    unsigned m = (unsigned)st->st_mode;
    if (st->st_uid == w->uid)
        return ((m >> 6) & bits) == bits;
    if (who_in(w, st->st_gid))
        return ((m >> 3) & bits) == bits;
    return (m & bits) == bits;
}

/* 0 when w may search every directory from / down to dir (absolute);
 * else -1 and why names the first one it may not. */
static int who_may_reach(const struct who *w, const char *dir, char *why, size_t whylen)
{
    char part[PATH_MAX];
    size_t n = strlen(dir);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && dir[i] != '/')
            continue;
        snprintf(part, sizeof(part), "%.*s", (int)(i == 1 && dir[0] == '/' ? 1 : i), dir);
        struct stat st;
        if (stat(part, &st) != 0) {
            snprintf(why, whylen, "%s: %s", part, strerror(errno));
            return -1;
        }
        if (!who_may(w, &st, MAY_X)) {
            snprintf(why, whylen, "no search (x) permission on %s (mode %04o, uid %u, gid %u)",
                     part, (unsigned)st.st_mode & 07777, (unsigned)st.st_uid, (unsigned)st.st_gid);
            return -1;
        }
    }
    return 0;
}

/* The directory part of an absolute path, without a trailing slash. */
static void dir_of(const char *path, char *out, size_t len)
{
    snprintf(out, len, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash == out)
        out[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
}

/* Connects as one account; 0, or prints the problem and returns 1. */
static int check_db(const struct config *cfg, int migrate)
{
    struct db_opts opts = {.migrate = migrate};
    struct db *db = db_open(cfg, &opts);
    const char *user = migrate && cfg->db_migrate_user[0] ? cfg->db_migrate_user : cfg->db_user;
    int bad = db == NULL || db_connect(db) != DB_OK;
    if (bad)
        fprintf(stderr, "[database] %s: cannot connect as %s: %s\n",
                migrate ? "migrate_user" : "user", user,
                db != NULL ? db_last_error(db) : "out of memory");
    db_close(db);
    return bad;
}

/* The workers' user: [server] user when started as root, else whoever runs
 * this (privileges_drop does nothing then). 0/-1. */
static int worker_who(const struct config *cfg, struct who *w)
{
    if (geteuid() == 0 && cfg->user[0] != '\0')
        return who_load(cfg->user, w);
    struct passwd *pw = getpwuid(geteuid());
    return pw != NULL ? who_load(pw->pw_name, w) : -1;
}

/* The media directory (or, while missing, its parent: the first upload
 * makes it) must take new files from the workers' user. 0 or 1. */
static int check_media(const struct config *cfg)
{
    struct who w;
    if (worker_who(cfg, &w) != 0) {
        fprintf(stderr, "[media] dir: cannot look up the workers' user\n");
        return 1;
    }
    char dir[PATH_MAX], why[PATH_MAX + 128];
    if (realpath(cfg->media_dir, dir) == NULL) {
        char parent[PATH_MAX];
        dir_of(cfg->media_dir, parent, sizeof(parent));
        if (errno != ENOENT || cfg->media_dir[0] != '/' || realpath(parent, dir) == NULL) {
            fprintf(stderr, "[media] dir %s: %s\n", cfg->media_dir, strerror(errno));
            return 1;
        }
    }
    struct stat st;
    if (who_may_reach(&w, dir, why, sizeof(why)) != 0 || stat(dir, &st) != 0 ||
        (!who_may(&w, &st, MAY_W | MAY_X) &&
         snprintf(why, sizeof(why), "%s is mode %04o, uid %u, gid %u", dir,
                  (unsigned)st.st_mode & 07777, (unsigned)st.st_uid, (unsigned)st.st_gid) > 0)) {
        fprintf(stderr, "[media] dir %s: not writable by the workers' user %s: %s\n",
                cfg->media_dir, w.name, why);
        return 1;
    }
    return 0;
}

/* May w connect to the socket at path (it needs write on it)? A socket not
 * there yet is judged by what the pool will make: listen_owner (else this
 * user), listen_group (else this group), listen_mode. 0, or -1 with why. */
static int socket_reachable(const struct config *cfg, const struct who *w, const char *path,
                            char *why, size_t whylen)
{
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof(dir));
    if (who_may_reach(w, dir, why, whylen) != 0)
        return -1;
    struct stat st;
    if (stat(path, &st) != 0) {
        uid_t uid = geteuid();
        gid_t gid = getegid();
        char e2[128];
        if (privileges_resolve(cfg->listen_owner, cfg->listen_group, &uid, &gid, e2, sizeof(e2)) !=
            0) {
            snprintf(why, whylen, "%s", e2);
            return -1;
        }
        memset(&st, 0, sizeof(st));
        st.st_uid = cfg->listen_owner[0] ? uid : geteuid();
        st.st_gid = cfg->listen_group[0] ? gid : getegid();
        st.st_mode = (mode_t)(S_IFSOCK | cfg->listen_mode);
    }
    if (!who_may(w, &st, MAY_W)) {
        snprintf(why, whylen, "no write permission on the socket (mode %04o, uid %u, gid %u)",
                 (unsigned)st.st_mode & 07777, (unsigned)st.st_uid, (unsigned)st.st_gid);
        return -1;
    }
    return 0;
}

/* The front server's user must reach a unix listen socket. 0 or 1. */
static int check_front(const struct config *cfg, const char *front_user)
{
    if (strncmp(cfg->listen, "unix:", 5) != 0)
        return 0;
    struct who w;
    if (who_load(front_user, &w) != 0) {
        fprintf(stderr, "--front-user %s: no such user\n", front_user);
        return 1;
    }
    char why[PATH_MAX + 128];
    if (cfg->listen[5] != '/' ||
        socket_reachable(cfg, &w, cfg->listen + 5, why, sizeof(why)) != 0) {
        if (cfg->listen[5] != '/')
            snprintf(why, sizeof(why), "not an absolute path");
        fprintf(stderr, "[server] listen %s: the front server's user %s cannot connect: %s\n",
                cfg->listen, front_user, why);
        return 1;
    }
    return 0;
}

int cli_check_names(const struct config *cfg)
{
    static const struct {
        const char *key;
        size_t offset;
        int group;
    } names[] = {{"user", offsetof(struct config, user), 0},
                 {"listen_owner", offsetof(struct config, listen_owner), 0},
                 {"listen_group", offsetof(struct config, listen_group), 1}};
    int problems = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *name = (const char *)cfg + names[i].offset;
        uid_t uid;
        gid_t gid;
        char err[160];
        if (privileges_resolve(names[i].group ? NULL : name, names[i].group ? name : NULL, &uid,
                               &gid, err, sizeof(err)) != 0) {
            fprintf(stderr, "[server] %s: %s\n", names[i].key, err);
            problems++;
        }
    }
    return problems;
}

int cli_check_connect(const struct config *cfg, const char *front_user)
{
    char err[CONFIG_ERR];
    int problems = 0;
    if (privileges_check(cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        problems++;
    }
    problems += check_db(cfg, 0);
    problems += check_db(cfg, 1);
    problems += check_media(cfg);
    if (front_user != NULL)
        problems += check_front(cfg, front_user);
    return problems;
}

int cli_check_root_only(const struct config *cfg, char *why, unsigned whylen)
{
    const char *path = cfg->listen + 5;
    struct stat st;
    if (strncmp(cfg->listen, "unix:", 5) != 0 || path[0] != '/' || stat(path, &st) != 0)
        return 0;
    struct who cand[3];
    int n = 0;
    who_anybody(&cand[n++], st.st_gid, 1);
    who_anybody(&cand[n++], 0, 0);
    struct passwd *pw = st.st_uid != 0 ? getpwuid(st.st_uid) : NULL;
    if (pw != NULL && who_load(pw->pw_name, &cand[n]) == 0)
        n++;
    char reason[PATH_MAX + 128];
    for (int i = 0; i < n; i++)
        if ((cand[i].ngroups == 0 || cand[i].groups[0] != 0) &&
            socket_reachable(cfg, &cand[i], path, reason, sizeof(reason)) == 0)
            return 0;
    snprintf(why, whylen,
             "the listen socket %s can be reached by root only (mode %04o, uid %u, gid %u): set "
             "[server] listen_group to the front server's group",
             path, (unsigned)st.st_mode & 07777, (unsigned)st.st_uid, (unsigned)st.st_gid);
    return 1;
}
