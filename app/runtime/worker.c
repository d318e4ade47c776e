/* A pool worker. It accepts connections itself (epoll with EPOLLEXCLUSIVE on
 * the shared non-blocking listen socket, so one connection wakes one worker)
 * and marks its slot READING before libfcgi reads the params: a worker stuck
 * inside libfcgi is then visible to the master's watchdog. Its stop
 * signal is blocked while a request runs and only delivered while idle, so
 * no request is ever cut by a signal. */
#include "runtime/worker.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/routes.h"
#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "runtime/fcgi.h"
#include "base/log.h"
#include "http/accesslog.h"
#include "http/request.h"
#include "base/scoreboard.h"
#include "db/db.h"

#if defined(__SANITIZE_ADDRESS__)
#define WORKER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_ASAN 1
#endif
#endif

static volatile sig_atomic_t worker_stop;

static void on_term(int sig)
{
    (void)sig;
    worker_stop = 1;
}

/* Handlers without SA_RESTART so a wait returns EINTR; returns the mask to
 * wait with (everything deliverable). */
static void worker_signals(sigset_t *waitmask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN; /* the master replaces workers to reopen logs */
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGINT, &sa, NULL); /* Ctrl-C reaches the whole group; the master decides */
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_SETMASK, &block, NULL);
    sigemptyset(waitmask);
}

static void worker_limits(const struct config *cfg)
{
#ifdef WORKER_ASAN
    (void)cfg; /* ASan reserves terabytes of shadow memory: RLIMIT_AS would stop it */
    log_msg(LOG_DEBUG, "memory_limit not applied in a sanitizer build");
#else
    if (cfg->memory_limit == 0)
        return;
    struct rlimit rl = {(rlim_t)cfg->memory_limit, (rlim_t)cfg->memory_limit};
    if (setrlimit(RLIMIT_AS, &rl) != 0)
        log_msg(LOG_WARN, "cannot set memory_limit: %s", strerror(errno));
#endif
}

/* A connection that sends nothing within read_timeout is dropped before
 * libfcgi blocks on it (libfcgi waits for the first record however long it
 * takes), and every later read on it waits read_timeout at most
 * (SO_RCVTIMEO): idle or trickling connections cannot hold the workers
 * until the watchdog's request_timeout. 1 when the first bytes came in time. */
static int sends_in_time(int fd, unsigned read_timeout)
{
    struct timeval tv = {(time_t)read_timeout, 0};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
        log_msg(LOG_WARN, "SO_RCVTIMEO: %s", strerror(errno));
    struct pollfd pfd = {fd, POLLIN, 0};
    int n;
    do
        n = poll(&pfd, 1, (int)read_timeout * 1000);
    while (n < 0 && errno == EINTR);
    if (n == 0)
        log_msg(LOG_WARN, "a FastCGI connection sent nothing for %us: closed", read_timeout);
    return n > 0;
}

/* Waits for the next request. Returns 1 when a request is ready, 0 to loop
 * again (signal, spurious wake-up, failed connection). */
static int worker_next(struct fcgi_conn *conn, struct scoreboard *sb, int slot, int ep,
                       int listen_fd, const sigset_t *waitmask, const struct config *cfg)
{
    int kept = fcgi_conn_kept_fd(conn);
    scoreboard_set_state(sb, slot, WORKER_IDLE);
    if (kept >= 0) {
        struct pollfd pfd = {kept, POLLIN, 0};
        log_flush();
        struct timespec ts = {(time_t)cfg->keepalive_timeout, 0};
        int n = ppoll(&pfd, 1, &ts, waitmask);
        if (n <= 0) {
            if (n == 0)
                fcgi_conn_close(conn); /* idle kept connection: give the worker back */
            return 0;
        }
        scoreboard_set_state(sb, slot, WORKER_READING);
        return fcgi_conn_read_request(conn, -1) == 0;
    }
    /* Under load a connection is usually waiting: take it without a wait.
     * Only when none is, sleep in epoll_pwait, the one place SIGTERM is
     * delivered (a stop asked while busy is seen in the slot instead). */
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        struct epoll_event ev;
        log_flush(); /* nothing waiting: write the burst's log lines now */
        if (epoll_pwait(ep, &ev, 1, -1, waitmask) <= 0)
            return 0;
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    }
    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
            log_msg(LOG_WARN, "accept: %s", strerror(errno));
        return 0;
    }
    scoreboard_set_state(sb, slot, WORKER_READING);
    scoreboard_count_event(sb, SCOREBOARD_ACCEPTED);
    if (!sends_in_time(fd, cfg->read_timeout)) {
        close(fd);
        return 0;
    }
    return fcgi_conn_read_request(conn, fd) == 0;
}

void worker_main(const struct config *cfg, struct scoreboard *sb, struct ratelimit *rl, int slot,
                 int listen_fd)
{
    sigset_t waitmask;
    worker_signals(&waitmask);
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* an orphan stops when idle */
    worker_limits(cfg);
    request_id_reseed(); /* the parent's id sequence must not repeat here */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listen_fd};
    struct fcgi_conn *conn = NULL;
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) != 0 || fcgi_init() != 0 ||
        (conn = fcgi_conn_new(listen_fd)) == NULL) {
        log_msg(LOG_ERROR, "worker start failed: %s", strerror(errno));
        _exit(3);
    }
    worker_signals(&waitmask); /* libfcgi installs handlers of its own in FCGX_Init */
    struct arena arena;
    /* a form upload is read whole, then its file part copied out */
    arena_init(&arena, config_arena_limit(cfg));
    struct app app;
    if (app_init(&app, cfg, sb, slot, listen_fd, routes_table, routes_count) != 0) {
        log_msg(LOG_ERROR, "worker start failed: out of memory");
        _exit(3);
    }
    app.rl = rl;
    db_connect(app.db); /* early, so the first request does not pay for it; may fail */
    unsigned long served = 0;
    while (!worker_stop && !scoreboard_slot_should_stop(sb, slot) && !app.recycle &&
           (cfg->max_requests == 0 || served < cfg->max_requests)) {
        if (!worker_next(conn, sb, slot, ep, listen_fd, &waitmask, cfg))
            continue;
        if (scoreboard_none_idle(sb))
            scoreboard_count_event(sb, SCOREBOARD_MAX_CHILDREN_REACHED);
        scoreboard_set_state(sb, slot, WORKER_BUSY);
        fcgi_conn_serve(conn, &app, &arena);
        arena_reset(&arena);
        served++;
        scoreboard_slot_count_request(sb, slot);
    }
    scoreboard_set_state(sb, slot, WORKER_EXITING);
    if (app.recycle)
        log_msg(LOG_INFO, "worker exits after an image upload, to give its memory back");
    else if (!worker_stop && !scoreboard_slot_should_stop(sb, slot))
        log_msg(LOG_INFO, "worker exits after %lu requests (max_requests)", served);
    fcgi_conn_free(conn);
    app_free(&app);
    arena_free(&arena);
    close(ep);
    accesslog_close();
    log_close();
    /* After an upload the worker holds libgd's 45 libraries; LeakSanitizer's
     * exit-time tracer crashed once there (signal 11 in the tracer, one of
     * four full test runs). Everything is freed above; _exit skips only
     * the exit-time hooks. */
    if (app.recycle)
        _exit(0);
    exit(0);
}
