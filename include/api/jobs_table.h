/* The job kinds: one table, like the routes (api/routes.c). Each kind names
 * its run function, its timeout and how many attempts it gets. A run
 * function gets a struct job_ctx and answers DONE, RETRY (a passing
 * failure: error says why, the job is tried again after a back-off) or
 * FAIL (permanent: the job is dead at once). The runners (runtime/runner.c)
 * claim, run and record; nothing here knows about processes. */
#ifndef RB_API_JOBS_TABLE_H
#define RB_API_JOBS_TABLE_H

#include <stddef.h>

struct arena;
struct config;
struct db;
struct job;

enum job_result { JOB_DONE = 0, JOB_RETRY, JOB_FAIL };

#define JOB_ERROR_MAX 512

/* What a run function gets. Everything is owned by the runner and lives
 * until the function returns. */
struct job_ctx {
    const struct config *cfg;
    struct db *db;         /* the runner's connection (not in a transaction) */
    const struct job *job; /* id, kind, payload (JSON text), attempts (1 = first) */
    struct arena *arena;   /* for the job's own allocations, reset after it */
    /* Extends the lease and the timeout by the kind's timeout from now: a
     * long job calls it at least once per timeout. 0, or -1 when the lease
     * was lost (another runner may run the job now): return JOB_RETRY at once. */
    int (*renew)(struct job_ctx *ctx);
    void *runner;              /* the runner's state, for renew */
    char error[JOB_ERROR_MAX]; /* why, for RETRY and FAIL */
};

typedef enum job_result (*job_run_fn)(struct job_ctx *ctx);

struct job_kind {
    const char *name;
    job_run_fn run;
    unsigned timeout;      /* seconds a run may go without renewing; then it is killed */
    unsigned max_attempts; /* 1..100; after the last failed one the job is dead */
    int test_only;         /* only with [server] test_routes = true */
};

extern const struct job_kind jobs_table_kinds[];
extern const size_t jobs_table_count;

/* The kind named name that this config enables (test kinds only with
 * test_routes), or NULL. */
const struct job_kind *jobs_table_find(const char *name, const struct config *cfg);

/* Writes why into ctx->error (printf format) and returns result, so a run
 * function can end with `return jobs_table_error(ctx, JOB_RETRY, ...)`. */
enum job_result jobs_table_error(struct job_ctx *ctx, enum job_result result, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
