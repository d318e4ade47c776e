/* The job kinds (see include/api/jobs_table.h). Reading this table shows
 * every kind of background work. The test kinds exist only with [server]
 * test_routes = true: the job suite needs a job that sleeps, one that
 * fails N times, and one that records each run in test_writes (so a
 * second run of the same job is seen: its token is already there). */
#include "api/jobs_table.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/account_mail.h"
#include "api/archive_import.h"
#include "api/export.h"
#include "api/mail_job.h"
#include "base/config.h"
#include "db/db.h"
#include "db/jobs.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

enum job_result jobs_table_error(struct job_ctx *ctx, enum job_result result, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
    va_end(ap);
    if (n < 0)
        ctx->error[0] = '\0';
    return result;
}

/* Does nothing: the benchmark's kind, and a probe of the runners. */
static enum job_result kind_noop(struct job_ctx *ctx)
{
    (void)ctx;
    return JOB_DONE;
}

/* The payload of a test kind: {"ms": N, "times": N, "token": "...",
 * "renew": true}, every member optional. */
struct test_payload {
    long long ms, times, renew;
    char token[65];
};

static int test_payload(struct job_ctx *ctx, struct test_payload *p)
{
    static const char *const allowed[] = {"ms", "times", "token", "renew", NULL};
    char why[128];
    memset(p, 0, sizeof(*p));
    const char *payload = ctx->job->payload;
    struct json_object *o = jsonv_parse(payload, strlen(payload), why, sizeof(why));
    struct field_errors errors = {0};
    const char *token = NULL;
    if (o == NULL || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return -1;
    }
    jsonv_reject_unknown(o, allowed, &errors);
    jsonv_int(o, "ms", 0, 600000, 0, &p->ms, &errors);
    jsonv_int(o, "times", 0, 100, 0, &p->times, &errors);
    jsonv_int(o, "renew", 0, 1, 0, &p->renew, &errors);
    if (jsonv_string(o, "token", 1, 64, 0, &token, NULL, &errors) == 0 && token != NULL)
        snprintf(p->token, sizeof(p->token), "%s", token);
    json_object_put(o);
    return errors.count == 0 ? 0 : -1;
}

/* Sleeps ms milliseconds; with renew, renews the lease every second. -1
 * when a renewal found the lease lost. */
static int test_nap(struct job_ctx *ctx, long long ms, int renew)
{
    while (ms > 0) {
        long long step = renew && ms > 1000 ? 1000 : ms;
        struct timespec ts = {(time_t)(step / 1000), (long)(step % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        ms -= step;
        if (renew && ms > 0 && ctx->renew(ctx) != 0)
            return -1;
    }
    return 0;
}

static enum job_result kind_test_sleep(struct job_ctx *ctx)
{
    struct test_payload p;
    if (test_payload(ctx, &p) != 0)
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    if (test_nap(ctx, p.ms, (int)p.renew) != 0)
        return jobs_table_error(ctx, JOB_RETRY, "lease lost");
    return JOB_DONE;
}

/* Fails (RETRY) on its first `times` attempts; with times 100, always. */
static enum job_result kind_test_fail(struct job_ctx *ctx)
{
    struct test_payload p;
    if (test_payload(ctx, &p) != 0)
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    if (ctx->job->attempts <= p.times)
        return jobs_table_error(ctx, JOB_RETRY, "test failure %lld of %lld", ctx->job->attempts,
                                p.times);
    return JOB_DONE;
}

/* Sleeps ms, then inserts token into test_writes: a job run twice finds
 * its token there and goes dead saying so. */
static enum job_result kind_test_record(struct job_ctx *ctx)
{
    struct test_payload p;
    if (test_payload(ctx, &p) != 0 || p.token[0] == '\0')
        return jobs_table_error(ctx, JOB_FAIL, "bad payload");
    if (test_nap(ctx, p.ms, (int)p.renew) != 0)
        return jobs_table_error(ctx, JOB_RETRY, "lease lost");
    struct db_arg args[] = {DB_ARG_STR(p.token, strlen(p.token))};
    enum db_status st = db_exec(ctx->db, STMT_TEST_WRITE_INSERT, args, 1, NULL, NULL);
    if (st == DB_CONFLICT)
        return jobs_table_error(ctx, JOB_FAIL, "ran twice: %s is recorded already", p.token);
    if (st != DB_OK)
        return jobs_table_error(ctx, JOB_RETRY, "database: %s", db_last_error(ctx->db));
    return JOB_DONE;
}

/* One mail (api/mail_job.c): a temporary failure (server down, 4xx) is
 * tried again after a back-off, a permanent one (5xx, a message that
 * cannot be built) never. */
static enum job_result kind_mail(struct job_ctx *ctx)
{
    int rc = mail_job_send(ctx->cfg, ctx->job->payload, ctx->error, sizeof(ctx->error));
    return rc == 0 ? JOB_DONE : rc == 1 ? JOB_RETRY : JOB_FAIL;
}

const struct job_kind jobs_table_kinds[] = {
    /* name, run, timeout (s), max_attempts, test only */
    {"noop", kind_noop, 10, 3, 0},
    /* a send's own limits ([mail] connect_timeout, timeout) end first; 12
     * attempts at [jobs] retry_base/retry_max's defaults (30 s doubling,
     * at most an hour) outlast a mail server down for about six hours */
    {"mail", kind_mail, 120, 12, 0},
    /* the mail flows (api/account_mail.c): each makes its token and sends
     * at once, so no plaintext token rests in this table */
    {"password_forgot", account_mail_job_forgot, 120, 6, 0},
    {"verify_email", account_mail_job_verify, 120, 12, 0},
    {"invite_mail", account_mail_job_invite, 120, 12, 0},
    {"comment_notify", account_mail_job_comments, 120, 12, 0},
    /* export and import (api/export.c, api/archive_import.c): both renew
     * their lease as they go (a page of recipes, RENEW_EVERY recipes) */
    {"archive_export", export_job, 300, 3, 0},
    {"archive_import", archive_import_job, 300, 3, 0},
    {"test_sleep", kind_test_sleep, 3, 2, 1},
    {"test_fail", kind_test_fail, 5, 3, 1},
    {"test_record", kind_test_record, 5, 5, 1},
};
const size_t jobs_table_count = sizeof(jobs_table_kinds) / sizeof(jobs_table_kinds[0]);

const struct job_kind *jobs_table_find(const char *name, const struct config *cfg)
{
    for (size_t i = 0; i < jobs_table_count; i++) {
        const struct job_kind *k = &jobs_table_kinds[i];
        if (strcmp(k->name, name) == 0)
            return k->test_only && !cfg->test_routes ? NULL : k;
    }
    return NULL;
}
