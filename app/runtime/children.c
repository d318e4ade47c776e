/* The master's workers, as PHP-FPM's fpm_children.c: fork into a claimed
 * scoreboard slot (the child drops root at once), reap without waiting, and
 * respawn. Workers that die young before serving anything are a crash loop
 * (a bad database password, say): respawning backs off, 100 ms doubling to
 * 10 s, instead of forking hot. */
#include "runtime/children.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/scoreboard.h"
#include "runtime/pool.h"
#include "runtime/privileges.h"
#include "runtime/runner.h"
#include "runtime/worker.h"

static int children_current(const struct pool *p, const struct child *c)
{
    return c->pid > 0 && !c->retiring && c->generation == p->generation;
}

int children_live(const struct pool *p, int current_only)
{
    int n = 0;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        if (p->children[i].pid > 0 &&
            (!current_only || (!p->children[i].runner && children_current(p, &p->children[i]))))
            n++;
    return n;
}

int children_runners(const struct pool *p)
{
    int n = 0;
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        n += p->children[i].runner && children_current(p, &p->children[i]);
    return n;
}

static int children_free_entry(const struct pool *p)
{
    for (int i = 0; i < SCOREBOARD_SLOTS; i++)
        if (p->children[i].pid == 0)
            return i;
    return -1;
}

int children_spawn_runner(struct pool *p)
{
    int idx = children_free_entry(p);
    if (idx < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        log_msg(LOG_ERROR, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char err[CONFIG_ERR];
        if (p->listen_fd >= 0)
            close(p->listen_fd); /* a runner never accepts */
        if (privileges_drop(&p->cfg, err, sizeof(err)) != 0) {
            log_msg(LOG_ERROR, "runner: %s", err);
            _exit(4);
        }
        runner_main(&p->cfg, p->sb);
    }
    p->children[idx] = (struct child){.pid = pid,
                                      .slot = -1,
                                      .generation = p->generation,
                                      .runner = 1,
                                      .started_ms = scoreboard_now_ms()};
    return 0;
}

int children_spawn(struct pool *p)
{
    int idx = children_free_entry(p);
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
        if (privileges_drop(&p->cfg, err, sizeof(err)) != 0) {
            log_msg(LOG_ERROR, "worker: %s", err);
            _exit(4);
        }
        worker_main(&p->cfg, p->sb, p->rl, slot, p->listen_fd);
    }
    scoreboard_slot_set_pid(p->sb, slot, (int)pid);
    p->children[idx] = (struct child){
        .pid = pid, .slot = slot, .generation = p->generation, .started_ms = scoreboard_now_ms()};
    return 0;
}

static void children_log_death(const struct pool *p, const struct child *c, int status, int planned)
{
    pid_t pid = c->pid;
    if (c->runner && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        log_msg(LOG_ERROR, "runner %d killed: a job ran past its kind's timeout", (int)pid);
    else if (c->runner && (WIFSIGNALED(status) || !planned))
        log_msg(LOG_ERROR, "runner %d died (%s %d)", (int)pid,
                WIFSIGNALED(status) ? "signal" : "exit status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    else if (c->killed)
        log_msg(LOG_ERROR, "worker %d killed: request_timeout (%us) exceeded", (int)pid,
                p->cfg.request_timeout);
    else if (WIFSIGNALED(status))
        log_msg(LOG_ERROR, "worker %d died from signal %d (%s)", (int)pid, WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    else if (!planned)
        log_msg(LOG_ERROR, "worker %d exited with status %d", (int)pid, WEXITSTATUS(status));
}

/* Counts an unplanned death and decides when the next worker may start. */
static void children_backoff(struct pool *p, const struct child *c)
{
    scoreboard_count_event(p->sb, SCOREBOARD_RESTARTS);
    uint64_t now = scoreboard_now_ms();
    /* failing at start (config, database user, ...) means dying young
     * before serving anything; a busy worker killed young is not that */
    struct scoreboard_slot_view s;
    int served = scoreboard_slot_read(p->sb, c->slot, &s) == 0 && s.requests > 0;
    if (!c->killed && !served && now - c->started_ms < 1000) {
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

void children_reap(struct pool *p)
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
        children_log_death(p, c, status, planned);
        if (!planned && !p->stopping)
            children_backoff(p, c);
        scoreboard_release(p->sb, c->slot);
        memset(c, 0, sizeof(*c));
    }
}

void children_top_up(struct pool *p, uint64_t now)
{
    while (now >= p->next_spawn_ms && children_live(p, 1) < (int)p->cfg.workers) {
        if (children_spawn(p) != 0)
            break;
        if (p->fast_failures > 0)
            break; /* one at a time while backing off */
    }
    while (now >= p->next_spawn_ms && children_runners(p) < (int)p->cfg.job_runners) {
        if (children_spawn_runner(p) != 0 || p->fast_failures > 0)
            break;
    }
}
