/* `recipebox jobs` (see include/cli/jobs.h):
 *   run [--for DURATION] [--max N] [--verbose]
 *                                    run due jobs (cron: --for 55s), in a
 *                                    child that is replaced if a job's timeout
 *                                    ends it; without --for, until none is due;
 *                                    silent but for errors
 *   list [--state S] [--kind K] [--limit N]
 *   retry ID | cancel ID | purge [--days N]
 *   add KIND [PAYLOAD] [--key KEY] [--delay SECONDS]
 * Exit codes: 0 done, 1 failed (database, no such job), 2 usage. */
#include "cli/jobs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/db.h"
#include "db/jobs.h"
#include "runtime/runner.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: recipebox jobs [-c FILE] run [--for DURATION] [--max N] [--verbose]\n"
            "       recipebox jobs [-c FILE] list [--state S] [--kind K] [--limit N]\n"
            "       recipebox jobs [-c FILE] retry ID | cancel ID | purge [--days N]\n"
            "       recipebox jobs [-c FILE] add KIND [PAYLOAD] [--key KEY] [--delay SECONDS]\n"
            "DURATION: seconds, or a number with s, m or h (55s, 10m).\n");
    return 2;
}

/* A whole number lo..hi, with an optional s/m/h suffix when units. 0/-1. */
static int cli_number(const char *v, long lo, long hi, int units, long *out)
{
    char *end = NULL;
    long n = v != NULL && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
    if (n < 0 || end == NULL)
        return -1;
    long mult = 1; /* 0: an unknown suffix */
    if (units && *end != '\0' && end[1] == '\0') {
        mult = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 0;
        end++;
    }
    if (*end != '\0' || mult == 0 || n > hi / mult || n * mult < lo)
        return -1;
    *out = n * mult;
    return 0;
}

/* Options of the subcommands, each a name and where its value goes. */
struct cli_opts {
    const char *state, *kind, *key;
    long seconds, max, limit, days, delay;
    int verbose;
};

/* Reads --name VALUE pairs from argv[from..); positional words go to
 * words (at most 2). -1 on anything unknown or malformed. */
static int cli_parse(int argc, char **argv, int from, struct cli_opts *o, const char **words)
{
    int n = 0;
    for (int i = from; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = v != NULL;
        if (strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
            continue;
        }
        if (strcmp(a, "--for") == 0)
            ok = ok && cli_number(v, 1, 86400, 1, &o->seconds) == 0;
        else if (strcmp(a, "--max") == 0)
            ok = ok && cli_number(v, 1, 1000000, 0, &o->max) == 0;
        else if (strcmp(a, "--limit") == 0)
            ok = ok && cli_number(v, 1, 1000, 0, &o->limit) == 0;
        else if (strcmp(a, "--days") == 0)
            ok = ok && cli_number(v, 0, 3650, 0, &o->days) == 0;
        else if (strcmp(a, "--delay") == 0)
            ok = ok && cli_number(v, 0, 31536000, 1, &o->delay) == 0;
        else if (strcmp(a, "--state") == 0) {
            ok = ok && jobs_state_valid(v);
            o->state = v;
        } else if (strcmp(a, "--kind") == 0)
            o->kind = v;
        else if (strcmp(a, "--key") == 0)
            o->key = v;
        else if (a[0] != '-' && n < 2) {
            words[n++] = a;
            continue;
        } else {
            return -1;
        }
        if (!ok)
            return -1;
        i++;
    }
    return n;
}

static int print_job(void *row, void *ctx)
{
    const struct job *j = row;
    (void)ctx;
    printf("%lld\t%s\t%s\t%lld/%lld\t%s\t%s\t%s\n", j->id, j->state, j->kind, j->attempts,
           j->max_attempts, j->run_at, j->idem_key ? j->idem_key : "-",
           j->last_error ? j->last_error : "-");
    return 0;
}

static int cli_list(struct db *db, const struct cli_opts *o)
{
    struct arena a;
    arena_init(&a, 0);
    printf("id\tstate\tkind\tattempts\trun_at\tkey\tlast_error\n");
    enum db_status st = jobs_list(db, LLONG_MAX, o->state, o->kind,
                                  o->limit ? (unsigned)o->limit : 50, &a, print_job, NULL);
    arena_free(&a);
    if (st != DB_OK)
        fprintf(stderr, "recipebox jobs list: %s\n", db_last_error(db));
    return st == DB_OK ? 0 : 1;
}

/* retry ID / cancel ID */
static int cli_change(struct db *db, const char *what, const char *id_text)
{
    long id;
    if (cli_number(id_text, 1, LONG_MAX, 0, &id) != 0)
        return usage();
    enum db_status st = strcmp(what, "retry") == 0 ? jobs_retry(db, id) : jobs_cancel(db, id);
    if (st == DB_NOTFOUND)
        fprintf(stderr, "recipebox jobs %s: no job %ld that is %s\n", what, id,
                strcmp(what, "retry") == 0 ? "dead or queued" : "queued");
    else if (st != DB_OK)
        fprintf(stderr, "recipebox jobs %s: %s\n", what, db_last_error(db));
    else
        printf("job %ld %s\n", id, strcmp(what, "retry") == 0 ? "queued again" : "cancelled");
    return st == DB_OK ? 0 : 1;
}

static int cli_purge(struct db *db, const struct config *cfg, const struct cli_opts *o)
{
    unsigned long long n = 0;
    unsigned days = o->days >= 0 ? (unsigned)o->days : cfg->job_keep_done_days;
    enum db_status st = jobs_purge(db, days, &n);
    if (st != DB_OK) {
        fprintf(stderr, "recipebox jobs purge: %s\n", db_last_error(db));
        return 1;
    }
    printf("%llu done job(s) older than %u day(s) deleted\n", n, days);
    return 0;
}

static int cli_add(struct db *db, const char **words, int n, const struct cli_opts *o)
{
    int rc = jobs_enqueue(db, words[0], n > 1 ? words[1] : NULL, o->key, o->delay);
    if (rc < 0)
        fprintf(stderr,
                "recipebox jobs add: refused (kind or key too long, payload not JSON, or "
                "the database): %s\n",
                db_last_error(db));
    else
        printf(rc == 0 ? "queued\n" : "duplicate key: already queued\n");
    return rc < 0 ? 1 : 0;
}

/* The subcommands that need a connection. */
static int cli_with_db(const struct config *cfg, const char *cmd, const char **words, int n,
                       const struct cli_opts *o)
{
    struct db *db = db_open(cfg, NULL);
    if (db == NULL || db_connect(db) != DB_OK) {
        fprintf(stderr, "recipebox jobs %s: cannot connect to the database: %s\n", cmd,
                db ? db_last_error(db) : "out of memory");
        db_close(db);
        return 1;
    }
    int rc;
    if (strcmp(cmd, "list") == 0 && n == 0)
        rc = cli_list(db, o);
    else if ((strcmp(cmd, "retry") == 0 || strcmp(cmd, "cancel") == 0) && n == 1)
        rc = cli_change(db, cmd, words[0]);
    else if (strcmp(cmd, "purge") == 0 && n == 0)
        rc = cli_purge(db, cfg, o);
    else if (strcmp(cmd, "add") == 0 && n >= 1)
        rc = cli_add(db, words, n, o);
    else
        rc = usage();
    db_close(db);
    return rc;
}

int cli_jobs(const struct config *cfg, int argc, char **argv)
{
    struct cli_opts o = {.days = -1};
    const char *words[2] = {NULL, NULL};
    if (argc < 1)
        return usage();
    int n = cli_parse(argc, argv, 1, &o, words);
    if (n < 0)
        return usage();
    if (strcmp(argv[0], "run") == 0)
        return n == 0 ? runner_cron(cfg, (unsigned)o.seconds, (unsigned)o.max, o.verbose) : usage();
    return cli_with_db(cfg, argv[0], words, n, &o);
}
