/* The master process. Start-up order: config checked, log open, scoreboard
 * mapped, socket bound under a umask then chowned, privileges dropped, workers
 * forked. Then one loop on sigtimedwait: reap and respawn (with back-off for
 * crash loops), watchdog (kill a worker READING/BUSY past request_timeout),
 * reload on SIGHUP, drain on SIGTERM/SIGINT, reopen logs on SIGUSR1. The
 * master never touches a request and never connects to the database. */
#include "runtime/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/routes.h"
#include "base/config.h"
#include "base/log.h"
#include "base/scoreboard.h"
#include "runtime/worker.h"

struct child {
    pid_t pid;
    int slot;
    uint32_t generation;
    int retiring; /* sent SIGTERM by a reload or the max_requests exit */
    int killed;   /* by the watchdog */
    uint64_t started_ms;
};

struct pool {
    struct config cfg;
    struct scoreboard *sb;
    int listen_fd;
    int owns_socket; /* we bound it (not fd 0 from a front server) */
    struct child children[SCOREBOARD_SLOTS];
    uint32_t generation;
    int stopping;
    uint64_t stop_deadline_ms;
    unsigned fast_failures; /* consecutive crashes within 1 s of start */
    uint64_t next_spawn_ms;
};

static int resolve_ids(const char *user, const char *group, uid_t *uid, gid_t *gid, char *err,
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

/* A root-owned socket directory (systemd's RuntimeDirectory, say) gets the
 * front server's group and mode 0750, so its workers can reach the socket
 * and nobody else can. */
static int socket_dir_group(const char *dir, const struct stat *st, const struct config *cfg,
                            char *err, size_t errlen)
{
    uid_t uid;
    gid_t gid;
    char e2[128];
    if (geteuid() != 0 || st->st_uid != 0 || cfg->listen_group[0] == '\0' ||
        resolve_ids(NULL, cfg->listen_group, &uid, &gid, e2, sizeof(e2)) != 0 ||
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
static int socket_dir(const char *path, const struct config *cfg, char *err, size_t errlen)
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
            resolve_ids(cfg->user, cfg->listen_group, &uid, &gid, e2, sizeof(e2)) == 0 &&
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
    return socket_dir_group(dir, &st, cfg, err, errlen);
}

static int listen_unix(const struct config *cfg, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun.sun_path)) {
        snprintf(err, errlen, "[server] listen: socket path too long");
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (socket_dir(path, cfg, err, errlen) != 0)
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
    if (resolve_ids(cfg->listen_owner, cfg->listen_group, &uid, &gid, err, errlen) != 0) {
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

static int listen_tcp(const struct config *cfg, char *err, size_t errlen)
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

int pool_listen(const struct config *cfg, char *err, unsigned long errlen)
{
    if (strncmp(cfg->listen, "unix:", 5) == 0)
        return listen_unix(cfg, cfg->listen + 5, err, errlen);
    return listen_tcp(cfg, err, errlen);
}

/* Drops root for good (in a worker, right after fork). Returns 0, or -1
 * with err. The master keeps root, as nginx's and PHP-FPM's do, to re-read the
 * config and reopen logs; it never parses a request. */
static int drop_privileges(const struct config *cfg, char *err, size_t errlen)
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
    if (resolve_ids(cfg->user, cfg->group, &uid, &gid, err, errlen) != 0)
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

static int children_live(const struct pool *p, int current_only)
{
    int n = 0;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        if (p->children[i].pid > 0 &&
            (!current_only ||
             (!p->children[i].retiring && p->children[i].generation == p->generation)))
            n++;
    return n;
}

static int spawn(struct pool *p)
{
    int idx = -1;
    for (int i = 0; i < SCOREBOARD_SLOTS && idx < 0; i++)
        if (p->children[i].pid == 0)
            idx = i;
    if (idx < 0)
        return -1;
    int slot = scoreboard_claim(p->sb, -1, p->generation); /* pid set below */
    if (slot < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        scoreboard_release(p->sb, slot);
        log_msg(LOG_ERROR, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char err[CONFIG_ERR];
        if (drop_privileges(&p->cfg, err, sizeof(err)) != 0) {
            log_msg(LOG_ERROR, "worker: %s", err);
            _exit(4);
        }
        worker_main(&p->cfg, p->sb, slot, p->listen_fd);
    }
    __atomic_store_n(&p->sb->slots[slot].pid, pid, __ATOMIC_RELEASE);
    p->children[idx] = (struct child){
        .pid = pid, .slot = slot, .generation = p->generation, .started_ms = scoreboard_now_ms()};
    return 0;
}

static void reap(struct pool *p)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct child *c = NULL;
        for (int i = 0; i < SCOREBOARD_SLOTS && c == NULL; i++)
            if (p->children[i].pid == pid)
                c = &p->children[i];
        if (c == NULL)
            continue;
        int planned = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (c->killed)
            log_msg(LOG_ERROR, "worker %d killed: request_timeout (%us) exceeded", (int)pid,
                    p->cfg.request_timeout);
        else if (WIFSIGNALED(status))
            log_msg(LOG_ERROR, "worker %d died from signal %d (%s)", (int)pid, WTERMSIG(status),
                    strsignal(WTERMSIG(status)));
        else if (!planned)
            log_msg(LOG_ERROR, "worker %d exited with status %d", (int)pid, WEXITSTATUS(status));
        if (!planned && !p->stopping) {
            scoreboard_add(&p->sb->restarts, 1);
            uint64_t now = scoreboard_now_ms();
            /* failing at start (config, database user, ...) means dying young
             * before serving anything; a busy worker killed young is not that */
            uint64_t served = __atomic_load_n(&p->sb->slots[c->slot].requests, __ATOMIC_RELAXED);
            if (!c->killed && served == 0 && now - c->started_ms < 1000) {
                /* a crash loop: back off 100 ms, 200 ms, ... up to 10 s */
                unsigned shift = p->fast_failures < 7 ? p->fast_failures : 7;
                uint64_t delay = 100u << shift;
                p->next_spawn_ms = now + (delay > 10000 ? 10000 : delay);
                p->fast_failures++;
                log_msg(LOG_WARN, "workers keep failing at start; next start in %llu ms",
                        (unsigned long long)(p->next_spawn_ms - now));
            } else {
                p->fast_failures = 0;
            }
        }
        scoreboard_release(p->sb, c->slot);
        memset(c, 0, sizeof(*c));
    }
}

static void watchdog(struct pool *p)
{
    uint64_t now = scoreboard_now_ms();
    uint64_t limit = (uint64_t)p->cfg.request_timeout * 1000u;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        struct child *c = &p->children[i];
        if (c->pid <= 0 || c->killed)
            continue;
        const struct scoreboard_slot *s = &p->sb->slots[c->slot];
        int st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        uint64_t since = __atomic_load_n(&s->since_ms, __ATOMIC_RELAXED);
        if ((st == WORKER_READING || st == WORKER_BUSY) && now > since && now - since > limit) {
            kill(c->pid, SIGKILL);
            c->killed = 1;
            scoreboard_add(&p->sb->kills, 1);
        }
    }
}

/* Signals workers. A SIGTERM is also written into the slot: a busy worker
 * sees it before its next accept without a system call, an idle one gets the
 * signal inside its wait. */
static void signal_children(struct pool *p, int sig, int retiring_only)
{
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        struct child *c = &p->children[i];
        if (c->pid <= 0 || (retiring_only && !c->retiring))
            continue;
        if (sig == SIGTERM)
            __atomic_store_n(&p->sb->slots[c->slot].stop, 1, __ATOMIC_RELEASE);
        kill(c->pid, sig);
    }
}

static void replace_workers(struct pool *p);

static void reload(struct pool *p)
{
    struct config next;
    char err[CONFIG_ERR];
    if (p->cfg.path[0] == '\0') {
        log_msg(LOG_WARN, "SIGHUP: no config file to re-read; replacing workers");
        next = p->cfg;
    } else if (config_load(&next, p->cfg.path, err, sizeof(err)) != 0) {
        log_msg(LOG_ERROR, "SIGHUP: config refused, keeping the running one: %s", err);
        return;
    }
    if (strcmp(next.listen, p->cfg.listen) != 0) {
        log_msg(LOG_WARN, "SIGHUP: [server] listen changed; that needs a restart, keeping %s",
                p->cfg.listen);
        snprintf(next.listen, sizeof(next.listen), "%s", p->cfg.listen);
    }
    p->cfg = next;
    if (log_open(p->cfg.log_path, p->cfg.log_level) != 0)
        log_msg(LOG_ERROR, "SIGHUP: cannot open log %s: %s", p->cfg.log_path, strerror(errno));
    replace_workers(p);
    log_msg(LOG_INFO, "reloaded %s: generation %u, %u workers", p->cfg.path, p->generation,
            p->cfg.workers);
}

/* Starts a new generation of workers, then tells the old ones to finish
 * their request and leave: the listen queue is served throughout. */
static void replace_workers(struct pool *p)
{
    p->generation++;
    __atomic_store_n(&p->sb->generation, p->generation, __ATOMIC_RELAXED);
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        if (p->children[i].pid > 0)
            p->children[i].retiring = 1;
    p->next_spawn_ms = 0;
    p->fast_failures = 0;
    while (children_live(p, 1) < (int)p->cfg.workers && spawn(p) == 0)
        ;
    signal_children(p, SIGTERM, 1);
}

static void begin_stop(struct pool *p, int sig)
{
    if (p->stopping) {
        log_msg(LOG_WARN, "second %s: killing workers now", strsignal(sig));
        signal_children(p, SIGKILL, 0);
        return;
    }
    p->stopping = 1;
    p->stop_deadline_ms = scoreboard_now_ms() + (uint64_t)p->cfg.shutdown_timeout * 1000u;
    log_msg(LOG_INFO, "%s: draining %d workers (shutdown_timeout %us)", strsignal(sig),
            children_live(p, 0), p->cfg.shutdown_timeout);
    if (p->owns_socket && strncmp(p->cfg.listen, "unix:", 5) == 0)
        unlink(p->cfg.listen + 5); /* new connections fail fast; workers keep their fd */
    close(p->listen_fd);
    p->listen_fd = -1;
    signal_children(p, SIGTERM, 0);
}

static void master_signal(struct pool *p, int sig)
{
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        begin_stop(p, sig);
        break;
    case SIGHUP:
        if (!p->stopping)
            reload(p);
        break;
    case SIGUSR1:
        /* workers inherit the log descriptor: new workers get the new file */
        if (log_reopen() != 0)
            log_msg(LOG_ERROR, "SIGUSR1: cannot reopen the log: %s", strerror(errno));
        else if (!p->stopping)
            replace_workers(p);
        break;
    default:
        break;
    }
}

/* The signals the master waits for; blocked from start-up on. */
static void master_sigset(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGUSR1);
}

static int master_loop(struct pool *p)
{
    sigset_t set;
    master_sigset(&set);
    for (;;) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        siginfo_t info;
        int sig = sigtimedwait(&set, &info, &tick);
        if (sig > 0)
            master_signal(p, sig);
        reap(p);
        uint64_t now = scoreboard_now_ms();
        if (p->stopping) {
            if (children_live(p, 0) == 0)
                break;
            if (now > p->stop_deadline_ms) {
                log_msg(LOG_WARN, "shutdown_timeout reached: killing %d workers",
                        children_live(p, 0));
                signal_children(p, SIGKILL, 0);
                p->stop_deadline_ms = UINT64_MAX;
            }
            continue;
        }
        watchdog(p);
        while (now >= p->next_spawn_ms && children_live(p, 1) < (int)p->cfg.workers) {
            if (spawn(p) != 0)
                break;
            if (p->fast_failures > 0)
                break; /* one at a time while backing off */
        }
    }
    log_msg(LOG_INFO, "stopped");
    return 0;
}

int pool_run(struct config *cfg, int listen_fd)
{
    static struct pool p; /* large (the child table); one per process */
    char err[CONFIG_ERR];
    memset(&p, 0, sizeof(p));
    p.cfg = *cfg;
    if (router_check(routes_table, routes_count, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox: route table: %s\n", err);
        return 1;
    }
    sigset_t set;
    master_sigset(&set);
    sigprocmask(SIG_BLOCK, &set, NULL); /* before fork: no signal is lost */
    signal(SIGPIPE, SIG_IGN);
    p.sb = scoreboard_create();
    if (p.sb == NULL) {
        fprintf(stderr, "recipebox: cannot map the scoreboard: %s\n", strerror(errno));
        return 1;
    }
    p.listen_fd = listen_fd;
    if (listen_fd < 0) {
        p.listen_fd = pool_listen(&p.cfg, err, sizeof(err));
        p.owns_socket = 1;
        if (p.listen_fd < 0) {
            fprintf(stderr, "recipebox: %s: %s\n", p.cfg.path[0] ? p.cfg.path : "config", err);
            return 1;
        }
    }
    int fl = fcntl(p.listen_fd, F_GETFL);
    if (fl < 0 || fcntl(p.listen_fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        fprintf(stderr, "recipebox: listen socket: %s\n", strerror(errno));
        return 1;
    }
    uid_t uid;
    gid_t gid;
    if (geteuid() == 0 &&
        (p.cfg.user[0] == '\0' ||
         resolve_ids(p.cfg.user, p.cfg.group, &uid, &gid, err, sizeof(err)) != 0 || uid == 0)) {
        fprintf(stderr,
                "recipebox: started as root: [server] user must name an existing "
                "unprivileged user (for example www-data or nobody)%s%s\n",
                p.cfg.user[0] ? ": " : "", p.cfg.user[0] ? err : "");
        return 1;
    }
    log_msg(LOG_INFO, "listening on %s with %u workers", listen_fd >= 0 ? "fd 0" : p.cfg.listen,
            p.cfg.workers);
    int rc = master_loop(&p);
    scoreboard_destroy(p.sb);
    return rc;
}
