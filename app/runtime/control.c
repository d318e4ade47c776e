/* The master's control of its workers, as PHP-FPM's fpm_process_ctl.c:
 * reload and log reopening replace the workers (a new generation first, then
 * the old one finishes its requests and leaves, so the listen queue is served
 * throughout); a stop drains them until shutdown_timeout; the watchdog kills
 * a worker stuck in one request past request_timeout. */
#include "runtime/control.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/scoreboard.h"
#include "runtime/children.h"
#include "runtime/pool.h"

/* The stop flag is written along with every SIGTERM: a busy worker sees it
 * before its next accept without a system call, an idle one gets the signal
 * inside its wait. */
static void control_signal_children(struct pool *p, int sig, int retiring_only)
{
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        struct child *c = &p->children[i];
        if (c->pid <= 0 || (retiring_only && !c->retiring))
            continue;
        if (sig == SIGTERM)
            scoreboard_slot_stop(p->sb, c->slot);
        kill(c->pid, sig);
    }
}

void control_reload(struct pool *p)
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
    control_replace_workers(p);
    log_msg(LOG_INFO, "reloaded %s: generation %u, %u workers, %u job runners", p->cfg.path,
            p->generation, p->cfg.workers, p->cfg.job_runners);
}

void control_replace_workers(struct pool *p)
{
    p->generation++;
    scoreboard_set_generation(p->sb, p->generation);
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        if (p->children[i].pid > 0)
            p->children[i].retiring = 1;
    p->next_spawn_ms = 0;
    p->fast_failures = 0;
    while (children_live(p, 1) < (int)p->cfg.workers && children_spawn(p) == 0)
        ;
    while (children_runners(p) < (int)p->cfg.job_runners && children_spawn_runner(p) == 0)
        ;
    control_signal_children(p, SIGTERM, 1);
}

void control_begin_stop(struct pool *p, int sig)
{
    if (p->stopping) {
        log_msg(LOG_WARN, "second %s: killing workers now", strsignal(sig));
        control_signal_children(p, SIGKILL, 0);
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
    control_signal_children(p, SIGTERM, 0);
}

int control_drained(struct pool *p, uint64_t now)
{
    if (children_live(p, 0) == 0)
        return 1;
    if (now > p->stop_deadline_ms) {
        log_msg(LOG_WARN, "shutdown_timeout reached: killing %d workers", children_live(p, 0));
        control_signal_children(p, SIGKILL, 0);
        p->stop_deadline_ms = UINT64_MAX;
    }
    return 0;
}

void control_watchdog(struct pool *p)
{
    uint64_t now = scoreboard_now_ms();
    uint64_t limit = (uint64_t)p->cfg.request_timeout * 1000u;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++) {
        struct child *c = &p->children[i];
        struct scoreboard_slot_view s;
        if (c->pid <= 0 || c->killed || scoreboard_slot_read(p->sb, c->slot, &s) != 0)
            continue;
        if ((s.state == WORKER_READING || s.state == WORKER_BUSY) && now > s.since_ms &&
            now - s.since_ms > limit) {
            kill(c->pid, SIGKILL);
            c->killed = 1;
            scoreboard_count_event(p->sb, SCOREBOARD_KILLS);
        }
    }
}
