/* The job queue in the jobs table (migration 0007): enqueue (one INSERT,
 * cheap enough inside a request), claim with SELECT ... FOR UPDATE SKIP
 * LOCKED (MariaDB 10.6+, MySQL 8.0+), lease renewal, completion, failure
 * with a retry time, purge, and the operators' list/retry/cancel. A claimed
 * job is fenced by its attempt number: renew, complete and fail change it
 * only while it is still running that attempt, so a runner whose lease
 * expired and was taken over can no longer finish it. Kinds and their run
 * functions are not known here (api/jobs_table.c). */
#ifndef RB_DB_JOBS_H
#define RB_DB_JOBS_H

#include <stddef.h>

#include "db/db.h"

struct arena;

#define JOBS_KIND_MAX 64
#define JOBS_KEY_MAX 191
#define JOBS_ERROR_MAX 1000
#define JOBS_PAYLOAD_MAX 65536 /* bytes; a job carries references and small values, not files */

/* One job. Claim fills id, kind, payload, attempts (this attempt, counting
 * from 1), max_attempts and reclaimed; a list row fills the rest too.
 * Strings are arena copies. */
struct job {
    long long id;
    char *kind;
    char *payload;
    long long attempts, max_attempts;
    long long reclaimed; /* claimed from a runner whose lease expired */
    char *state;
    char *idem_key;   /* NULL: none */
    char *last_error; /* NULL: none */
    char *run_at, *created_at, *updated_at;
};

/* Queue counts for /metrics. */
struct jobs_stats {
    long long queued, running, dead;
    long long oldest_due_us; /* age of the oldest queued job that is due, 0 = none */
};

/* Queues a job of kind with a JSON payload (NULL = "{}"), due after
 * delay_seconds (0 = now). idem_key NULL = none; a key already in the
 * table (any state, until purged) is a duplicate. Returns 0 queued, 1
 * duplicate (nothing written), -1 error: a kind, key or payload over its
 * cap (JOBS_*_MAX), or the database (logged by the db layer; a payload
 * that is not JSON is refused by the table). One INSERT: inside the
 * caller's transaction when one is open, so the job and the change it
 * belongs to are kept together or not at all. */
int jobs_enqueue(struct db *db, const char *kind, const char *payload_json, const char *idem_key,
                 long delay_seconds);

/* The lease a claim of this kind gets, in seconds (the runner's kind
 * table knows the timeouts; this layer does not). */
typedef long (*jobs_lease_fn)(const char *kind, const void *ctx);

/* Takes the next job: first a running one whose lease expired, else the
 * queued one due longest. It becomes running, attempt + 1, its lease
 * ending lease(kind, ctx) seconds from now. DB_OK with *out filled
 * (strings in a), DB_NOTFOUND when none is due, or an error (nothing
 * claimed). */
enum db_status jobs_claim(struct db *db, jobs_lease_fn lease, const void *ctx, struct job *out,
                          struct arena *a);

/* Extends the lease of job (as claimed) to lease_seconds from now.
 * DB_NOTFOUND when the lease was lost (expired and taken over). */
enum db_status jobs_renew(struct db *db, const struct job *job, long lease_seconds);

/* Marks job done. DB_NOTFOUND when the lease was lost. */
enum db_status jobs_complete(struct db *db, const struct job *job);

/* Records a failed attempt with error (truncated to JOBS_ERROR_MAX). With
 * retry_ms >= 0 and attempts below max_attempts the job is queued again,
 * due retry_ms from now; otherwise (retry_ms < 0: a permanent failure) it
 * is dead. max_attempts (the kind's, 1..100) is stored with it.
 * DB_NOTFOUND when the lease was lost. */
enum db_status jobs_fail(struct db *db, const struct job *job, const char *error,
                         long long retry_ms, unsigned max_attempts);

/* Deletes done jobs last changed more than days ago, 1000 rows per
 * statement until none is left; *deleted (may be NULL) gets the count. */
enum db_status jobs_purge(struct db *db, unsigned days, unsigned long long *deleted);

/* A page of jobs, newest first: id below before, state and kind filters
 * (NULL = any). Each row is passed to fn as a struct job. */
enum db_status jobs_list(struct db *db, long long before, const char *state, const char *kind,
                         unsigned limit, struct arena *a, db_row_fn fn, void *ctx);

/* Queues a dead (or queued) job again, due now, with its attempts reset.
 * DB_NOTFOUND when no such job is dead or queued. */
enum db_status jobs_retry(struct db *db, long long id);

/* Makes a queued job dead ("cancelled by an operator"). DB_NOTFOUND when
 * no such job is queued (a running one cannot be cancelled). */
enum db_status jobs_cancel(struct db *db, long long id);

/* Fills *out with the counts /metrics shows (index lookups only). */
enum db_status jobs_stats(struct db *db, struct jobs_stats *out);

/* 1 when s names a state: queued, running, done or dead. */
int jobs_state_valid(const char *s);

#endif
