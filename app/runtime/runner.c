/* Job runners (see include/runtime/runner.h). One loop serves the three
 * ways: claim (a short SKIP LOCKED transaction), run the kind's function
 * under an alarm of the kind's timeout, record DONE / RETRY (after an
 * exponential back-off with jitter) / FAIL. SIGTERM is blocked while a job
 * runs and looked at between jobs, so a stop never cuts a job; an idle
 * runner sleeps in ppoll, the one place SIGTERM is delivered. */
#include "runtime/runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/jobs_table.h"
#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "base/scoreboard.h"
#include "db/db.h"
#include "db/archive_store.h"
#include "db/jobs.h"
#include "lib/backoff.h"

#define RUNNER_PURGE_EVERY_MS (3600u * 1000u)
#define RUNNER_ARENA_LIMIT (16u << 20)

enum { RUNNER_UNTIL_EMPTY = 1 };

static volatile sig_atomic_t runner_stopping;

struct runner {
    const struct config *cfg;
    struct db *db;
    struct arena arena;
    const struct job_kind *kind; /* of the job held, NULL when unknown */
    struct job job;
    uint64_t lease_end_ms; /* when the job's lease ends, by this process's clock */
    uint64_t purged_ms;    /* last purge of done jobs, 0 = never */
};

static void on_term(int sig)
{
    (void)sig;
    runner_stopping = 1;
}

/* SIGTERM asks for a stop: blocked, so only the idle wait or the check
 * between jobs sees it. SIGALRM keeps its default action: it ends the
 * process when a job outlives its timeout. */
static void runner_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL); /* Ctrl-C reaches the whole group; the master decides */
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_SETMASK, &block, NULL);
}

/* A SIGTERM that came while a job ran is pending: take it as a stop. */
static int runner_should_stop(void)
{
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGTERM) == 1)
        runner_stopping = 1;
    return runner_stopping;
}

/* Sleeps ms, or less when SIGTERM arrives (delivered only here). */
static void runner_wait(uint64_t ms)
{
    sigset_t open;
    sigemptyset(&open);
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    ppoll(NULL, 0, &ts, &open);
}

static long runner_lease_of(const char *kind, const void *ctx)
{
    const struct job_kind *k = jobs_table_find(kind, ctx);
    return (long)(k != NULL ? k->timeout : 10) + RUNNER_LEASE_GRACE;
}

static int runner_renew(struct job_ctx *ctx)
{
    struct runner *r = ctx->runner;
    long lease = (long)r->kind->timeout + RUNNER_LEASE_GRACE;
    enum db_status st = jobs_renew(r->db, &r->job, lease);
    if (st == DB_NOTFOUND)
        return -1;
    if (st != DB_OK)
        return 0; /* the lease holds as it was; so does the timer */
    alarm(r->kind->timeout);
    r->lease_end_ms = scoreboard_now_ms() + (uint64_t)lease * 1000u;
    return 0;
}

static uint32_t runner_random(void)
{
    uint32_t v = 0;
    if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
        v = (uint32_t)scoreboard_now_ms();
    return v;
}

/* The attempts the held job gets: its kind's, else what the row says. */
static unsigned runner_max_attempts(const struct runner *r)
{
    long long m = r->kind != NULL ? (long long)r->kind->max_attempts : r->job.max_attempts;
    return m < 1 ? 1u : m > 100 ? 100u : (unsigned)m;
}

/* Records the result; through a short database outage it tries again
 * while the lease lasts, so a job that ran is not run a second time. */
static enum db_status runner_record(struct runner *r, enum job_result res, const char *error)
{
    uint64_t base = (uint64_t)r->cfg->job_retry_base * 1000u;
    uint64_t max = (uint64_t)r->cfg->job_retry_max * 1000u;
    for (;;) {
        enum db_status st;
        if (res == JOB_DONE)
            st = jobs_complete(r->db, &r->job);
        else
            st =
                jobs_fail(r->db, &r->job, error,
                          res == JOB_FAIL ? -1
                                          : (long long)backoff_delay_ms((unsigned)r->job.attempts,
                                                                        base, max, runner_random()),
                          runner_max_attempts(r));
        if (st != DB_UNAVAILABLE || scoreboard_now_ms() + 500 > r->lease_end_ms)
            return st;
        runner_wait(500);
    }
}

/* Runs the claimed job under the kind's timer. Returns the result; why
 * goes to error. */
static enum job_result runner_call(struct runner *r, char *error, size_t size)
{
    const struct job *j = &r->job;
    if (r->kind == NULL) {
        snprintf(error, size, "unknown job kind \"%s\" (a test kind needs test_routes)", j->kind);
        return JOB_FAIL;
    }
    if (j->reclaimed && j->attempts > r->kind->max_attempts) {
        snprintf(error, size,
                 "lease expired on the last attempt: the runner died or the job ran past its "
                 "timeout (%us)",
                 r->kind->timeout);
        return JOB_FAIL;
    }
    struct job_ctx ctx = {r->cfg, r->db, j, &r->arena, runner_renew, r, ""};
    alarm(r->kind->timeout);
    enum job_result res = r->kind->run(&ctx);
    alarm(0);
    snprintf(error, size, "%s", ctx.error);
    return res;
}

static void runner_log(const struct runner *r, enum job_result res, enum db_status st,
                       const char *error, uint64_t ms)
{
    static const char *const names[] = {"done", "retry", "fail"};
    const struct job *j = &r->job;
    if (st == DB_NOTFOUND)
        log_msg(LOG_WARN, "job %lld (%s) attempt %lld: lease lost before its result (%s) was kept",
                j->id, j->kind, j->attempts, names[res]);
    else if (st != DB_OK)
        log_msg(LOG_ERROR, "job %lld (%s) attempt %lld: result %s not recorded: %s", j->id, j->kind,
                j->attempts, names[res], db_last_error(r->db));
    else if (res != JOB_DONE)
        log_msg(LOG_WARN, "job %lld (%s) attempt %lld: %s: %s", j->id, j->kind, j->attempts,
                names[res], error);
    else
        log_msg(LOG_DEBUG, "job %lld (%s) attempt %lld done in %llu ms", j->id, j->kind,
                j->attempts, (unsigned long long)ms);
}

/* Claims and runs one job: 1 ran one, 0 none due, -1 database error. */
static int runner_step(struct runner *r)
{
    arena_reset(&r->arena);
    memset(&r->job, 0, sizeof(r->job));
    enum db_status st = jobs_claim(r->db, runner_lease_of, r->cfg, &r->job, &r->arena);
    if (st != DB_OK)
        return st == DB_NOTFOUND ? 0 : -1;
    uint64_t t0 = scoreboard_now_ms();
    r->kind = jobs_table_find(r->job.kind, r->cfg);
    r->lease_end_ms = t0 + (uint64_t)runner_lease_of(r->job.kind, r->cfg) * 1000u;
    char error[JOB_ERROR_MAX];
    enum job_result res = runner_call(r, error, sizeof(error));
    st = runner_record(r, res, error);
    runner_log(r, res, st, error, scoreboard_now_ms() - t0);
    return 1;
}

/* Done jobs older than [jobs] keep_done_days and archive files older than
 * [archive] keep_days go, at most once an hour. */
static void runner_purge(struct runner *r)
{
    uint64_t now = scoreboard_now_ms();
    if (r->purged_ms != 0 && now - r->purged_ms < RUNNER_PURGE_EVERY_MS)
        return;
    unsigned long long n = 0;
    unsigned files = 0;
    int done = 1;
    if (r->cfg->job_keep_done_days != 0) {
        done = jobs_purge(r->db, r->cfg->job_keep_done_days, &n) == DB_OK;
        if (done && n > 0)
            log_msg(LOG_INFO, "purged %llu done jobs older than %u days", n,
                    r->cfg->job_keep_done_days);
    }
    if (archive_store_sweep(r->cfg, r->cfg->archive_keep_days, &files) != 0)
        log_msg(LOG_WARN, "archive: cannot read [archive] dir %s: %s", r->cfg->archive_dir,
                strerror(errno));
    else if (files > 0)
        log_msg(LOG_INFO, "removed %u archive files older than %u days", files,
                r->cfg->archive_keep_days);
    if (done)
        r->purged_ms = now;
}

static long runner_loop(struct runner *r, unsigned max_jobs, uint64_t budget_ms, int flags)
{
    uint64_t end = budget_ms ? scoreboard_now_ms() + budget_ms : UINT64_MAX;
    long ran = 0;
    int failing = 0;
    while (!runner_should_stop() && (max_jobs == 0 || ran < (long)max_jobs) &&
           scoreboard_now_ms() < end) {
        int rc = runner_step(r);
        ran += rc > 0;
        failing = rc < 0;
        if (rc > 0)
            continue;
        if (flags & RUNNER_UNTIL_EMPTY)
            break;
        if (rc == 0)
            runner_purge(r);
        uint64_t now = scoreboard_now_ms(), wait = (uint64_t)r->cfg->job_poll_interval * 1000u;
        runner_wait(end - now < wait ? end - now : wait);
    }
    return ran == 0 && failing ? -1 : ran;
}

long runner_run(const struct config *cfg, struct db *db, unsigned max_jobs, uint64_t budget_ms,
                int until_empty)
{
    struct runner r = {.cfg = cfg, .db = db};
    arena_init(&r.arena, RUNNER_ARENA_LIMIT);
    r.purged_ms = until_empty ? scoreboard_now_ms() : 0; /* a short run leaves purging to others */
    long ran = runner_loop(&r, max_jobs, budget_ms, until_empty ? RUNNER_UNTIL_EMPTY : 0);
    arena_free(&r.arena);
    return ran;
}

void runner_main(const struct config *cfg, struct scoreboard *sb)
{
    runner_signals();
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* an orphan finishes its job and stops */
    prctl(PR_SET_NAME, "rb-runner", 0, 0, 0);
    struct db_opts opts = {.sb = sb};
    struct db *db = db_open(cfg, &opts);
    if (db == NULL) {
        log_msg(LOG_ERROR, "runner start failed: out of memory");
        _exit(3);
    }
    log_msg(LOG_INFO, "job runner %d started", (int)getpid());
    db_connect(db); /* may fail: the loop tries again each poll_interval */
    runner_run(cfg, db, 0, 0, 0);
    db_close(db);
    log_close();
    exit(0);
}

/* The child of a cron run: runs jobs for what is left of the time. */
static void runner_cron_child(const struct config *cfg, uint64_t budget_ms, unsigned max_jobs,
                              int verbose)
{
    runner_signals();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    struct db *db = db_open(cfg, NULL);
    long ran = db != NULL ? runner_run(cfg, db, max_jobs, budget_ms, budget_ms == 0) : -1;
    if (ran < 0)
        fprintf(stderr, "recipebox jobs run: cannot reach the database: %s\n",
                db ? db_last_error(db) : "out of memory");
    else if (verbose) /* cron mails whatever a job prints: quiet unless asked */
        printf("%ld job(s) run\n", ran);
    fflush(stdout);
    db_close(db);
    exit(ran < 0 ? 1 : 0);
}

int runner_cron(const struct config *cfg, unsigned seconds, unsigned max_jobs, int verbose)
{
    uint64_t end = scoreboard_now_ms() + (uint64_t)seconds * 1000u;
    for (;;) {
        uint64_t now = scoreboard_now_ms();
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "recipebox jobs run: fork: %s\n", strerror(errno));
            return 1;
        }
        if (pid == 0)
            runner_cron_child(cfg, seconds ? (end > now ? end - now : 1) : 0, max_jobs, verbose);
        int status;
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR)
                return 1;
        if (WIFEXITED(status))
            return WEXITSTATUS(status);
        /* killed, by its own timer or by hand: the job's lease expires and
         * it is retried; the run goes on while time is left */
        log_msg(LOG_ERROR, "recipebox jobs run: runner %d ended by signal %d (%s)", (int)pid,
                WTERMSIG(status),
                WTERMSIG(status) == SIGALRM ? "a job ran past its timeout"
                                            : strsignal(WTERMSIG(status)));
        if (seconds == 0 || scoreboard_now_ms() + 1000 > end)
            return 1;
    }
}
