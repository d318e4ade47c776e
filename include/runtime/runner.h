/* Job runners: processes that claim due jobs from the queue (db/jobs.c),
 * run them through the kind table (api/jobs_table.c) and record the result.
 * Three ways to run them: supervised by the pool master ([jobs] runners),
 * `recipebox jobs run` from cron, or after a CGI response. A run that goes
 * past its kind's timeout without renewing is ended by SIGALRM (the
 * kernel's timer cannot be blocked by a stuck call); its lease then expires
 * and another runner retries the job. */
#ifndef RB_RUNTIME_RUNNER_H
#define RB_RUNTIME_RUNNER_H

#include <stdint.h>

struct config;
struct db;
struct scoreboard;

/* Seconds a lease outlasts the kind's timeout: the timer ends a stuck run
 * before any other runner can take the job over. */
#define RUNNER_LEASE_GRACE 2

/* The pool's runner process, after fork: runs jobs until SIGTERM (it
 * finishes the job it holds first), idle runners looking at the queue
 * every [jobs] poll_interval. sb counts database errors (may be NULL).
 * Never returns; exits 0 on a planned stop. */
void runner_main(const struct config *cfg, struct scoreboard *sb) __attribute__((noreturn));

/* In this process: runs due jobs one after another on db until max_jobs
 * have run (0 = no cap) or budget_ms has passed (0 = no limit) or, with
 * until_empty, none is due; without until_empty an idle run waits
 * poll_interval between looks. A job that started runs to its end (or
 * its timeout). Returns the number of jobs run, or -1 when the database
 * could not be reached at all. */
long runner_run(const struct config *cfg, struct db *db, unsigned max_jobs, uint64_t budget_ms,
                int until_empty);

/* `recipebox jobs run`: runs jobs in a child process for seconds (0 = until
 * none is due), starting another child when one was ended by a job's
 * timeout. Silent but for errors (on stderr); with verbose, each child
 * prints how many jobs it ran. Returns the exit code. */
int runner_cron(const struct config *cfg, unsigned seconds, unsigned max_jobs, int verbose);

#endif
