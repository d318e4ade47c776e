/* Queries of the job queue (see include/db/jobs.h). A claim is one short
 * transaction: a locking read that skips rows other runners hold (SKIP
 * LOCKED), then the row marked running. Every later change is fenced by
 * (id, running, attempts). */
#include "db/jobs.h"

#include <stddef.h>
#include <string.h>

#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define OPT_STR_ARG(s) ((s) != NULL ? STR_ARG(s) : DB_ARG_NULL)
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

int jobs_enqueue(struct db *db, const char *kind, const char *payload_json, const char *idem_key,
                 long delay_seconds)
{
    if (kind == NULL || kind[0] == '\0' || strlen(kind) > JOBS_KIND_MAX ||
        (idem_key != NULL && (idem_key[0] == '\0' || strlen(idem_key) > JOBS_KEY_MAX)) ||
        delay_seconds < 0)
        return -1;
    const char *payload = payload_json != NULL ? payload_json : "{}";
    if (strlen(payload) > JOBS_PAYLOAD_MAX)
        return -1;
    struct db_arg args[] = {STR_ARG(kind), STR_ARG(payload), OPT_STR_ARG(idem_key),
                            DB_ARG_INT(delay_seconds)};
    enum db_status st = db_exec(db, STMT_JOB_ENQUEUE, args, NCOLS(args), NULL, NULL);
    return st == DB_OK ? 0 : st == DB_CONFLICT ? 1 : -1;
}

static const struct db_col claim_cols[] = {
    DB_COL_INT(struct job, id),           DB_COL_STR(struct job, kind),
    DB_COL_STR(struct job, payload),      DB_COL_INT(struct job, attempts),
    DB_COL_INT(struct job, max_attempts), DB_COL_INT(struct job, reclaimed),
};

struct claim {
    jobs_lease_fn lease;
    const void *ctx;
    struct job *out;
    struct arena *a;
};

/* The locking read, then the update, as one transaction (db_txn). FOR
 * UPDATE locks only on this node: a runner on another Galera node may claim
 * the same row, and then one of the two COMMITs fails certification (1213)
 * and db_txn runs the claim again, which then sees the row taken (the reads
 * wait for the cluster: sync_read). The update is fenced by the attempts
 * read, so a row that changed since is not claimed either. */
static enum db_status claim_locked(struct db *db, void *arg)
{
    struct claim *c = arg;
    struct job *out = c->out;
    struct arena *a = c->a;
    memset(out, 0, sizeof(*out));
    enum db_status st = db_query_one(db, STMT_JOB_CLAIM_EXPIRED, NULL, 0, claim_cols,
                                     NCOLS(claim_cols), out, sizeof(*out), a);
    if (st == DB_NOTFOUND)
        st = db_query_one(db, STMT_JOB_CLAIM_DUE, NULL, 0, claim_cols, NCOLS(claim_cols), out,
                          sizeof(*out), a);
    if (st != DB_OK)
        return st;
    struct db_arg args[] = {DB_ARG_INT(c->lease(out->kind, c->ctx)), DB_ARG_INT(out->id),
                            DB_ARG_INT(out->attempts)};
    unsigned long long affected = 0;
    st = db_exec(db, STMT_JOB_MARK_RUNNING, args, NCOLS(args), &affected, NULL);
    out->attempts++;
    return st == DB_OK && affected == 0 ? DB_NOTFOUND : st;
}

enum db_status jobs_claim(struct db *db, jobs_lease_fn lease, const void *ctx, struct job *out,
                          struct arena *a)
{
    enum db_status st = db_exec(db, STMT_JOB_READ_COMMITTED, NULL, 0, NULL, NULL);
    if (st != DB_OK)
        return st;
    struct claim c = {lease, ctx, out, a};
    return db_txn(db, claim_locked, &c);
}

/* Runs a fenced update: DB_NOTFOUND when no row was changed. */
static enum db_status fenced(struct db *db, enum db_stmt stmt, const struct db_arg *args, size_t n)
{
    unsigned long long affected = 0;
    enum db_status st = db_exec(db, stmt, args, n, &affected, NULL);
    return st == DB_OK && affected == 0 ? DB_NOTFOUND : st;
}

enum db_status jobs_renew(struct db *db, const struct job *job, long lease_seconds)
{
    struct db_arg args[] = {DB_ARG_INT(lease_seconds), DB_ARG_INT(job->id),
                            DB_ARG_INT(job->attempts)};
    return fenced(db, STMT_JOB_RENEW, args, NCOLS(args));
}

enum db_status jobs_complete(struct db *db, const struct job *job)
{
    struct db_arg args[] = {DB_ARG_INT(job->id), DB_ARG_INT(job->attempts)};
    return fenced(db, STMT_JOB_DONE, args, NCOLS(args));
}

enum db_status jobs_fail(struct db *db, const struct job *job, const char *error,
                         long long retry_ms, unsigned max_attempts)
{
    const char *e = error != NULL && error[0] != '\0' ? error : "failed";
    size_t len = strlen(e);
    if (len > JOBS_ERROR_MAX)
        len = JOBS_ERROR_MAX; /* the column holds characters; this many bytes always fit */
    struct db_arg args[] = {
        DB_ARG_INT(retry_ms < 0), DB_ARG_INT(max_attempts),
        DB_ARG_INT(max_attempts), DB_ARG_INT(retry_ms < 0 ? 0 : retry_ms * 1000),
        DB_ARG_STR(e, len),       DB_ARG_INT(job->id),
        DB_ARG_INT(job->attempts)};
    return fenced(db, STMT_JOB_FAIL, args, NCOLS(args));
}

enum db_status jobs_purge(struct db *db, unsigned days, unsigned long long *deleted)
{
    unsigned long long total = 0, n;
    enum db_status st;
    struct db_arg args[] = {DB_ARG_INT(days)};
    do {
        n = 0;
        st = db_exec(db, STMT_JOB_PURGE, args, 1, &n, NULL);
        total += n;
    } while (st == DB_OK && n >= 1000);
    if (deleted != NULL)
        *deleted = total;
    return st;
}

enum db_status jobs_list(struct db *db, long long before, const char *state, const char *kind,
                         unsigned limit, struct arena *a, db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct job, id),           DB_COL_STR(struct job, kind),
        DB_COL_STR(struct job, state),        DB_COL_INT(struct job, attempts),
        DB_COL_INT(struct job, max_attempts), DB_COL_STR(struct job, idem_key),
        DB_COL_STR(struct job, last_error),   DB_COL_STR(struct job, run_at),
        DB_COL_STR(struct job, created_at),   DB_COL_STR(struct job, updated_at),
        DB_COL_STR(struct job, payload),
    };
    struct db_arg args[] = {DB_ARG_INT(before), OPT_STR_ARG(state), OPT_STR_ARG(state),
                            OPT_STR_ARG(kind),  OPT_STR_ARG(kind),  DB_ARG_INT(limit)};
    struct job row;
    return db_query(db, STMT_JOBS_PAGE, args, NCOLS(args), cols, NCOLS(cols), &row, sizeof(row), a,
                    fn, ctx);
}

enum db_status jobs_retry(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return fenced(db, STMT_JOB_RETRY, args, 1);
}

enum db_status jobs_cancel(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return fenced(db, STMT_JOB_CANCEL, args, 1);
}

enum db_status jobs_stats(struct db *db, struct jobs_stats *out)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct jobs_stats, queued), DB_COL_INT(struct jobs_stats, running),
        DB_COL_INT(struct jobs_stats, dead), DB_COL_INT(struct jobs_stats, oldest_due_us)};
    return db_query_one(db, STMT_JOBS_STATS, NULL, 0, cols, NCOLS(cols), out, sizeof(*out), NULL);
}

int jobs_state_valid(const char *s)
{
    static const char *const states[] = {"queued", "running", "done", "dead"};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(s, states[i]) == 0)
            return 1;
    return 0;
}
