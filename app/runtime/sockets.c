/* The master's listen socket. A unix socket is bound under a umask (no
 * window with a wider mode) in a directory nobody else may write to, then
 * given to listen_owner/listen_group; a TCP address must be numeric. */
#include "runtime/sockets.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/config.h"
#include "runtime/privileges.h"

/* A root-owned socket directory (systemd's RuntimeDirectory, say) gets the
 * front server's group and mode 0750, so its workers can reach the socket
 * and nobody else can. */
static int sockets_dir_group(const char *dir, const struct stat *st, const struct config *cfg,
                             char *err, size_t errlen)
{
    uid_t uid;
    gid_t gid;
    char e2[128];
    if (geteuid() != 0 || st->st_uid != 0 || cfg->listen_group[0] == '\0' ||
        privileges_resolve(NULL, cfg->listen_group, &uid, &gid, e2, sizeof(e2)) != 0 ||
        (st->st_gid == gid && (st->st_mode & 0770) == 0750))
        return 0;
    if (chown(dir, (uid_t)-1, gid) != 0 || chmod(dir, 0750) != 0) {
        snprintf(err, errlen, "[server] listen: cannot give %s to group %s: %s", dir,
                 cfg->listen_group, strerror(errno));
        return -1;
    }
    return 0;
}

/* Makes the socket's directory if missing (0750) and refuses one that anybody
 * may write to: another user could swap the socket. */
static int sockets_dir(const char *path, const struct config *cfg, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0750) != 0 || stat(dir, &st) != 0) {
            snprintf(err, errlen, "[server] listen: cannot create directory %s: %s", dir,
                     strerror(errno));
            return -1;
        }
        uid_t uid;
        gid_t gid;
        char e2[128];
        if (getuid() == 0 &&
            privileges_resolve(cfg->user, cfg->listen_group, &uid, &gid, e2, sizeof(e2)) == 0 &&
            chown(dir, uid, gid) != 0) {
            snprintf(err, errlen, "[server] listen: cannot chown %s: %s", dir, strerror(errno));
            return -1;
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "[server] listen: %s is not a directory", dir);
        return -1;
    }
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
        snprintf(err, errlen,
                 "[server] listen: directory %s is world-writable; use a private directory "
                 "(mode 0750)",
                 dir);
        return -1;
    }
    return sockets_dir_group(dir, &st, cfg, err, errlen);
}

static int sockets_unix(const struct config *cfg, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun.sun_path)) {
        snprintf(err, errlen, "[server] listen: socket path too long");
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (sockets_dir(path, cfg, err, errlen) != 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errlen, "[server] listen: %s exists and is not a socket", path);
            close(fd);
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            snprintf(err, errlen, "[server] listen: another process listens on %s", path);
            close(fd);
            return -1;
        }
        unlink(path); /* stale socket of a dead master */
    }
    uid_t uid;
    gid_t gid;
    if (privileges_resolve(cfg->listen_owner, cfg->listen_group, &uid, &gid, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    mode_t old = umask((mode_t)(0777 & ~cfg->listen_mode)); /* no window with a wider mode */
    int rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
    umask(old);
    if (rc != 0 || ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) != 0) ||
        chmod(path, (mode_t)cfg->listen_mode) != 0 || listen(fd, (int)cfg->listen_backlog) != 0) {
        snprintf(err, errlen, "[server] listen: cannot listen on %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int sockets_tcp(const struct config *cfg, char *err, size_t errlen)
{
    char host[CONFIG_STR];
    snprintf(host, sizeof(host), "%s", cfg->listen);
    char *colon = strrchr(host, ':');
    *colon = '\0';
    const char *port = colon + 1;
    char *h = host;
    if (h[0] == '[' && colon > host && colon[-1] == ']') { /* [::1]:9000 */
        colon[-1] = '\0';
        h++;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int gai = getaddrinfo(h, port, &hints, &ai);
    if (gai != 0) {
        snprintf(err, errlen, "[server] listen: \"%s\": %s (use a numeric address)", cfg->listen,
                 gai_strerror(gai));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, (int)cfg->listen_backlog) != 0) {
        snprintf(err, errlen, "[server] listen: cannot listen on %s: %s", cfg->listen,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    return fd;
}

int sockets_listen(const struct config *cfg, char *err, size_t errlen)
{
    if (strncmp(cfg->listen, "unix:", 5) == 0)
        return sockets_unix(cfg, cfg->listen + 5, err, errlen);
    return sockets_tcp(cfg, err, errlen);
}
