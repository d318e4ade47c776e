/* The job queue against the real stack (nginx, a pool with two supervised
 * runners, the private MariaDB): 1,000 jobs drained by the two runners
 * and two cron runs at once, each run exactly once; kill -9 of the runners
 * mid-job (the lease expires, the job completes once); the database
 * stopped while jobs are claimed (runners survive and finish them); retries
 * with back-off to dead; the timeout kill; duplicate idempotency keys; the
 * admin endpoint (filters, roles, bad values); the CLI; /metrics; SIGHUP
 * replacing the runners. Exactly-once is checked with test_record, which
 * writes its token into test_writes (UNIQUE): a second run of the same
 * job finds it there and goes dead saying so. Every wait is bounded. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "shell.h"
#include "suites.h"

extern char **environ;

#define MAX_RUNNERS 16

static pid_t master(void)
{
    return (pid_t)strtol(shell_env("RB_MASTER_PID"), NULL, 10);
}

static int runners(pid_t *pids)
{
    return shell_children(master(), "rb-runner", pids, MAX_RUNNERS, NULL);
}

/* One number from a query (the first column of the first row), -1 on error. */
static long long query_num(const char *q)
{
    char out[256];
    if (shell_sql(q, out, sizeof(out)) != 0) {
        fprintf(stderr, "  sql failed: %s: %s\n", q, out);
        return -1;
    }
    return strtoll(out, NULL, 10);
}

static long long sql_num(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long sql_num(const char *fmt, ...)
{
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q, sizeof(q), fmt, ap);
    va_end(ap);
    return n > 0 && (size_t)n < sizeof(q) ? query_num(q) : -1;
}

/* Waits until the query gives want (at most limit seconds); the last value. */
static long long wait_num(long long want, double limit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static long long wait_num(long long want, double limit, const char *fmt, ...)
{
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q, sizeof(q), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(q))
        return -1;
    double end = shell_now() + limit;
    long long v;
    while ((v = query_num(q)) != want && shell_now() < end)
        usleep(200000);
    return v;
}

/* `recipebox jobs ARGS...` with -c RB_CONFIG; output into out. */
static int jobs_cli(char *out, size_t len, const char *a1, const char *a2, const char *a3,
                    const char *a4)
{
    char *argv[] = {(char *)shell_env("RB_BIN"),
                    "jobs",
                    "-c",
                    (char *)shell_env("RB_CONFIG"),
                    (char *)a1,
                    (char *)a2,
                    (char *)a3,
                    (char *)a4,
                    NULL};
    return shell_run(argv, out, len);
}

/* POST /api/v1/_test/jobs with body; the status, the result into result. */
static int enqueue(const char *body, char *result, size_t len)
{
    struct http_response r;
    int st = http_request("POST", "/api/v1/_test/jobs", "application/json", body, strlen(body), &r);
    struct json_object *o = client_json(&r);
    snprintf(result, len, "%s", o ? client_str(o, "result") : "");
    json_object_put(o);
    http_response_free(&r);
    return st;
}

/* The tag that keeps this run's tokens apart from the other fronts'. */
static const char *tag(void)
{
    return client_tag();
}

static void test_duplicate_key(void)
{
    char body[256], result[32], out[4096];
    snprintf(body, sizeof(body), "{\"kind\":\"noop\",\"key\":\"dup-%s\"}", tag());
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    CU_ASSERT_STRING_EQUAL(result, "queued");
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    CU_ASSERT_STRING_EQUAL(result, "duplicate");
    char key[128];
    snprintf(key, sizeof(key), "dup-%s", tag());
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM jobs WHERE idem_key = '%s'", key), 1);
    /* the CLI says the same */
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "add", "noop", "--key", key), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "duplicate"));
    /* the body is checked like every other */
    struct http_response r;
    const char *bad = "{\"kind\":\"noop\",\"color\":1}";
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/jobs", "application/json", bad, strlen(bad), &r), 422);
    CU_ASSERT(client_has_error(&r, "color", "unknown"));
    http_response_free(&r);
    bad = "{\"payload\":{}}";
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/jobs", "application/json", bad, strlen(bad), &r), 422);
    CU_ASSERT(client_has_error(&r, "kind", "required"));
    http_response_free(&r);
}

/* Starts `recipebox jobs run ARG...` in the background, its output to
 * path. The pid, or -1. */
static pid_t cron_start(const char *path, const char *a1, const char *a2)
{
    char *argv[] = {(char *)shell_env("RB_BIN"),
                    "jobs",
                    "-c",
                    (char *)shell_env("RB_CONFIG"),
                    "run",
                    "--verbose",
                    (char *)a1,
                    (char *)a2,
                    NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

/* Waits for a cron run; its exit status and the jobs it says it ran. */
static int cron_wait(pid_t pid, const char *path, long *ran)
{
    int st = 0;
    if (pid <= 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    char buf[4096] = "";
    FILE *f = fopen(path, "r");
    if (f != NULL) {
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    const char *p = strstr(buf, " job(s) run");
    while (p != NULL && p > buf && p[-1] >= '0' && p[-1] <= '9')
        p--;
    *ran = p != NULL ? strtol(p, NULL, 10) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_drain_exactly_once(void)
{
    char q[1024], out[256], prefix[64];
    snprintf(prefix, sizeof(prefix), "drain-%s-", tag());
    snprintf(q, sizeof(q),
             "INSERT INTO jobs (kind, payload) SELECT 'test_record', JSON_OBJECT('token', "
             "CONCAT('%s', seq)) FROM seq_1_to_1000",
             prefix);
    double t0 = shell_now();
    CU_ASSERT_EQUAL_FATAL(shell_sql(q, out, sizeof(out)), 0);
    /* two cron runs join the two supervised runners: one until the queue
     * is empty, one for a fixed time */
    char p1[256], p2[256];
    snprintf(p1, sizeof(p1), "%s.cron1.out", shell_env("RB_CONFIG"));
    snprintf(p2, sizeof(p2), "%s.cron2.out", shell_env("RB_CONFIG"));
    pid_t c1 = cron_start(p1, "--max", "100000");
    pid_t c2 = cron_start(p2, "--for", "4s");
    char like[80];
    snprintf(like, sizeof(like), "%s%%", prefix);
    long long left =
        wait_num(1000, 90.0, "SELECT COUNT(*) FROM test_writes WHERE token LIKE '%s'", like);
    double secs = shell_now() - t0;
    long ran1 = -1, ran2 = -1;
    CU_ASSERT_EQUAL(cron_wait(c1, p1, &ran1), 0);
    CU_ASSERT_EQUAL(cron_wait(c2, p2, &ran2), 0);
    CU_ASSERT_EQUAL(left, 1000);
    snprintf(q, sizeof(q), "%s%%", prefix);
    CU_ASSERT_EQUAL(wait_num(1000, 10.0,
                             "SELECT COUNT(*) FROM jobs WHERE kind = 'test_record' AND state = "
                             "'done' AND JSON_VALUE(payload, '$.token') LIKE '%s'",
                             q),
                    1000);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM jobs WHERE kind = 'test_record' AND state = "
                            "'dead' AND JSON_VALUE(payload, '$.token') LIKE '%s'",
                            q),
                    0);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM jobs WHERE kind = 'test_record' AND attempts "
                            "<> 1 AND JSON_VALUE(payload, '$.token') LIKE '%s'",
                            q),
                    0);
    CU_ASSERT(ran1 >= 0 && ran2 >= 0);
    fprintf(stderr,
            "  1000 test_record jobs by 2 supervised + 2 cron runners in %.2fs (%.0f jobs/s); "
            "cron runs took %ld and %ld\n",
            secs, 1000.0 / secs, ran1, ran2);
}

/* Queues a test_record job of token (PREFIX-tag) sleeping ms, waits until a
 * runner holds it, then sends sig to every runner. The runners signalled
 * (their pids in old), or -1 when the job was not claimed in time. */
static int signal_mid_job(const char *prefix, int ms, int sig, char *token, size_t len, pid_t *old)
{
    char body[256], result[32];
    snprintf(token, len, "%s-%s", prefix, tag());
    snprintf(body, sizeof(body),
             "{\"kind\":\"test_record\",\"payload\":{\"token\":\"%s\",\"ms\":%d}}", token, ms);
    if (enqueue(body, result, sizeof(result)) != 202 ||
        wait_num(1, 10.0,
                 "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND "
                 "JSON_VALUE(payload, '$.token') = '%s'",
                 token) != 1)
        return -1;
    int n = runners(old);
    for (int i = 0; i < n; i++)
        kill(old[i], sig);
    return n;
}

static void test_kill9_runner_mid_job(void)
{
    char token[80];
    pid_t old[MAX_RUNNERS];
    /* whichever runner holds the job dies mid-sleep */
    CU_ASSERT_EQUAL_FATAL(signal_mid_job("kill9", 3000, SIGKILL, token, sizeof(token), old), 2);
    double t0 = shell_now();
    CU_ASSERT_EQUAL(wait_num(1, 30.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND "
                             "JSON_VALUE(payload, '$.token') = '%s'",
                             token),
                    1);
    fprintf(stderr, "  kill -9 of the runners mid-job: done %.1fs later (lease expiry + run)\n",
            shell_now() - t0);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM test_writes WHERE token = '%s'", token), 1);
    CU_ASSERT_EQUAL(sql_num("SELECT attempts FROM jobs WHERE JSON_VALUE(payload, '$.token') = "
                            "'%s'",
                            token),
                    2);
    pid_t now[MAX_RUNNERS];
    CU_ASSERT_EQUAL(runners(now), 2); /* the master replaced them */
}

/* SIGTERM to the runners while one holds a job: it finishes that job (one
 * attempt, recorded once) before it leaves, and the master starts new ones. */
static void test_sigterm_finishes_job(void)
{
    char token[80];
    pid_t old[MAX_RUNNERS];
    int n = signal_mid_job("term", 2000, SIGTERM, token, sizeof(token), old);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(wait_num(1, 10.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1 AND "
                             "JSON_VALUE(payload, '$.token') = '%s'",
                             token),
                    1);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM test_writes WHERE token = '%s'", token), 1);
    double end = shell_now() + 10.0;
    pid_t now[MAX_RUNNERS];
    int alive_old;
    do {
        usleep(100000);
        alive_old = 0;
        for (int i = 0; i < n; i++)
            alive_old += kill(old[i], 0) == 0;
    } while ((alive_old > 0 || runners(now) != 2) && shell_now() < end);
    CU_ASSERT_EQUAL(alive_old, 0);
    CU_ASSERT_EQUAL(runners(now), 2);
}

static void test_timeout_kill(void)
{
    char body[256], result[32], key[80];
    snprintf(key, sizeof(key), "timeout-%s", tag());
    snprintf(body, sizeof(body),
             "{\"kind\":\"test_sleep\",\"key\":\"%s\",\"payload\":{\"ms\":20000}}", key);
    CU_ASSERT_EQUAL_FATAL(enqueue(body, result, sizeof(result)), 202);
    /* test_sleep: timeout 3 s, 2 attempts; each is killed at 3 s and taken
     * over when its lease (5 s) ends; the third claim finds it used up */
    CU_ASSERT_EQUAL(wait_num(1, 30.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'dead' AND idem_key = '%s'",
                             key),
                    1);
    char q[256], out[2048];
    snprintf(q, sizeof(q), "SELECT last_error FROM jobs WHERE idem_key = '%s'", key);
    CU_ASSERT_EQUAL(shell_sql(q, out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "timeout"));
    char line[64];
    snprintf(line, sizeof(line), "killed: a job ran past its kind's timeout");
    char *argv[] = {"grep", "-c", line, (char *)shell_env("RB_LOG"), NULL};
    CU_ASSERT_EQUAL(shell_run(argv, out, sizeof(out)), 0);
    CU_ASSERT(strtol(out, NULL, 10) >= 2);
    pid_t now[MAX_RUNNERS];
    CU_ASSERT_EQUAL(runners(now), 2);
}

static void test_retries_to_dead(void)
{
    char body[256], result[32], k1[80], k2[80];
    snprintf(k1, sizeof(k1), "fail-always-%s", tag());
    snprintf(k2, sizeof(k2), "fail-once-%s", tag());
    snprintf(body, sizeof(body),
             "{\"kind\":\"test_fail\",\"key\":\"%s\",\"payload\":{\"times\":100}}", k1);
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    snprintf(body, sizeof(body),
             "{\"kind\":\"test_fail\",\"key\":\"%s\",\"payload\":{\"times\":1}}", k2);
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    /* retry_base 1 s, retry_max 2 s: three attempts within a few seconds */
    CU_ASSERT_EQUAL(
        wait_num(1, 20.0, "SELECT COUNT(*) FROM jobs WHERE state = 'dead' AND idem_key = '%s'", k1),
        1);
    CU_ASSERT_EQUAL(sql_num("SELECT attempts FROM jobs WHERE idem_key = '%s'", k1), 3);
    CU_ASSERT_EQUAL(sql_num("SELECT max_attempts FROM jobs WHERE idem_key = '%s'", k1), 3);
    CU_ASSERT_EQUAL(
        wait_num(1, 20.0, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND idem_key = '%s'", k2),
        1);
    CU_ASSERT_EQUAL(sql_num("SELECT attempts FROM jobs WHERE idem_key = '%s'", k2), 2);
    /* the back-off: the second attempt came at least half of retry_base
     * after the first failed (updated_at of the failure vs the retry) */
    char q[256], out[256];
    snprintf(q, sizeof(q), "SELECT last_error FROM jobs WHERE idem_key = '%s'", k1);
    CU_ASSERT_EQUAL(shell_sql(q, out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "test failure 3 of 100"));
}

static void test_database_down_while_claimed(void)
{
    char body[256], result[32], token[80], like[96];
    for (int i = 0; i < 4; i++) {
        snprintf(token, sizeof(token), "dbdown-%s-%d", tag(), i);
        snprintf(body, sizeof(body),
                 "{\"kind\":\"test_record\",\"payload\":{\"token\":\"%s\",\"ms\":2000}}", token);
        CU_ASSERT_EQUAL_FATAL(enqueue(body, result, sizeof(result)), 202);
    }
    snprintf(like, sizeof(like), "dbdown-%s-%%", tag());
    CU_ASSERT(wait_num(2, 10.0,
                       "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND JSON_VALUE(payload, "
                       "'$.token') LIKE '%s'",
                       like) == 2);
    pid_t before[MAX_RUNNERS], after[MAX_RUNNERS];
    int nb = runners(before);
    CU_ASSERT_EQUAL_FATAL(shell_mariadb("stop"), 0);
    sleep(3);
    CU_ASSERT_EQUAL_FATAL(shell_mariadb("start"), 0);
    CU_ASSERT_EQUAL(
        wait_num(4, 30.0, "SELECT COUNT(*) FROM test_writes WHERE token LIKE '%s'", like), 4);
    CU_ASSERT_EQUAL(wait_num(4, 30.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND "
                             "JSON_VALUE(payload, '$.token') LIKE '%s'",
                             like),
                    4);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM jobs WHERE state = 'dead' AND "
                            "JSON_VALUE(payload, '$.token') LIKE '%s'",
                            like),
                    0);
    /* the same runner processes: none died of the outage */
    int na = runners(after);
    CU_ASSERT_EQUAL(na, nb);
    int same = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            same += after[i] == before[j];
    CU_ASSERT_EQUAL(same, nb);
}

/* GET path as u; the status; the body's item count into *items. */
static int admin_get(const char *path, const struct client_user *u, int *items, char *cursor,
                     size_t len)
{
    struct http_response r;
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    struct json_object *o = client_json(&r);
    struct json_object *arr = o ? client_get(o, "items") : NULL;
    *items = arr != NULL ? (int)json_object_array_length(arr) : -1;
    if (cursor != NULL)
        snprintf(cursor, len, "%s", o ? client_str(o, "next_cursor") : "");
    json_object_put(o);
    http_response_free(&r);
    return st;
}

static void test_admin_endpoint(void)
{
    struct client_user user, admin;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&user, "jobsu"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user_as(&admin, "jobsa", "admin"), 0);
    int items;
    CU_ASSERT_EQUAL(admin_get("/api/v1/admin/jobs", NULL, &items, NULL, 0), 401);
    CU_ASSERT_EQUAL(admin_get("/api/v1/admin/jobs", &user, &items, NULL, 0), 403);
    CU_ASSERT_EQUAL(admin_get("/api/v1/admin/jobs", &admin, &items, NULL, 0), 200);
    CU_ASSERT(items > 0);
    /* filters: only dead test_fail jobs; a kind with none */
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/admin/jobs?state=dead&kind=test_fail", &admin, NULL,
                                NULL, NULL, &r),
                    200);
    struct json_object *o = client_json(&r);
    struct json_object *arr = o ? client_get(o, "items") : NULL;
    CU_ASSERT(arr != NULL && json_object_array_length(arr) >= 1);
    for (size_t i = 0; arr != NULL && i < json_object_array_length(arr); i++) {
        struct json_object *it = json_object_array_get_idx(arr, i);
        CU_ASSERT_STRING_EQUAL(client_str(it, "state"), "dead");
        CU_ASSERT_STRING_EQUAL(client_str(it, "kind"), "test_fail");
    }
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(admin_get("/api/v1/admin/jobs?kind=nonesuch", &admin, &items, NULL, 0), 200);
    CU_ASSERT_EQUAL(items, 0);
    /* cursor paging: two pages of 2 differ */
    char cursor[128], path[256];
    CU_ASSERT_EQUAL(admin_get("/api/v1/admin/jobs?limit=2", &admin, &items, cursor, sizeof(cursor)),
                    200);
    CU_ASSERT_EQUAL(items, 2);
    CU_ASSERT(cursor[0] != '\0');
    snprintf(path, sizeof(path), "/api/v1/admin/jobs?limit=2&cursor=%s", cursor);
    CU_ASSERT_EQUAL(admin_get(path, &admin, &items, NULL, 0), 200);
    CU_ASSERT_EQUAL(items, 2);
    /* bad values: 400 naming the parameter */
    static const struct {
        const char *query, *field, *code;
    } bad[] = {{"state=lost", "state", "enum"},
               {"state=", "state", "enum"},
               {"kind=No-Such", "kind", "invalid"},
               {"limit=0", "limit", "range"},
               {"cursor=zzz", "cursor", "invalid"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(path, sizeof(path), "/api/v1/admin/jobs?%s", bad[i].query);
        CU_ASSERT_EQUAL(client_call("GET", path, &admin, NULL, NULL, NULL, &r), 400);
        CU_ASSERT(client_has_error(&r, bad[i].field, bad[i].code));
        http_response_free(&r);
    }
}

/* The id of the job with idempotency key key, as text. */
static void job_id(const char *key, char *out, size_t len)
{
    snprintf(out, len, "%lld", sql_num("SELECT id FROM jobs WHERE idem_key = '%s'", key));
}

static void test_cli(void)
{
    char out[8192], key[80], id[32];
    snprintf(key, sizeof(key), "cli-%s", tag());
    /* not due for an hour: queued, then cancelled, then retried (due now) */
    /* (--delay: a job added due now could be taken by a runner first) */
    char *add[] = {(char *)shell_env("RB_BIN"),
                   "jobs",
                   "-c",
                   (char *)shell_env("RB_CONFIG"),
                   "add",
                   "noop",
                   "--key",
                   key,
                   "--delay",
                   "3600",
                   NULL};
    CU_ASSERT_EQUAL(shell_run(add, out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "queued"));
    CU_ASSERT_EQUAL(sql_num("SELECT run_at > NOW(6) + INTERVAL 59 MINUTE FROM jobs WHERE "
                            "idem_key = '%s'",
                            key),
                    1);
    job_id(key, id, sizeof(id));
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "cancel", id, NULL, NULL), 0);
    CU_ASSERT_EQUAL(sql_num("SELECT state = 'dead' FROM jobs WHERE idem_key = '%s'", key), 1);
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "list", "--state", "dead", NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "cancelled by an operator"));
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "cancel", id, NULL, NULL), 1); /* not queued now */
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "retry", id, NULL, NULL), 0);
    CU_ASSERT_EQUAL(wait_num(1, 10.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND idem_key = '%s'",
                             key),
                    1);
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "retry", id, NULL, NULL), 1); /* done: no */
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "retry", "abc", NULL, NULL), 2);
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "list", "--state", "lost", NULL), 2);
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "frobnicate", NULL, NULL, NULL), 2);
    /* purge: done jobs older than 0 days are every done job */
    long long done = sql_num("SELECT COUNT(*) FROM jobs WHERE state = '%s'", "done");
    CU_ASSERT(done > 0);
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "purge", "--days", "0", NULL), 0);
    CU_ASSERT(strtoll(out, NULL, 10) >= done);
    CU_ASSERT_EQUAL(sql_num("SELECT COUNT(*) FROM jobs WHERE state = '%s'", "done"), 0);
    CU_ASSERT(sql_num("SELECT COUNT(*) FROM jobs WHERE state = '%s'", "dead") > 0);
}

static void test_metrics(void)
{
    char body[256], result[32], key[80];
    snprintf(key, sizeof(key), "metrics-%s", tag());
    snprintf(body, sizeof(body), "{\"kind\":\"noop\",\"key\":\"%s\",\"delay\":3600}", key);
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/metrics", NULL, NULL, 0, &r), 200);
    static const char queued[] = "\nrecipebox_jobs{state=\"queued\"} ";
    const char *q = strstr(r.body, queued);
    CU_ASSERT(q != NULL && strtol(q + sizeof(queued) - 1, NULL, 10) >= 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nrecipebox_jobs{state=\"dead\"} "));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nrecipebox_jobs{state=\"running\"} "));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\nrecipebox_jobs_oldest_due_seconds "));
    http_response_free(&r);
    char id[32], out[1024];
    job_id(key, id, sizeof(id));
    CU_ASSERT_EQUAL(jobs_cli(out, sizeof(out), "cancel", id, NULL, NULL), 0);
}

static void test_sighup_replaces_runners(void)
{
    pid_t before[MAX_RUNNERS], after[MAX_RUNNERS];
    int nb = runners(before);
    CU_ASSERT_EQUAL_FATAL(nb, 2);
    CU_ASSERT_EQUAL(kill(master(), SIGHUP), 0);
    double end = shell_now() + 10.0;
    int na, stale;
    do {
        usleep(100000);
        na = runners(after);
        stale = 0;
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++)
                stale += after[i] == before[j];
    } while ((na != 2 || stale > 0) && shell_now() < end);
    CU_ASSERT_EQUAL(na, 2);
    CU_ASSERT_EQUAL(stale, 0);
    /* and the new ones run jobs */
    char body[128], result[32], key[80];
    snprintf(key, sizeof(key), "after-hup-%s", tag());
    snprintf(body, sizeof(body), "{\"kind\":\"noop\",\"key\":\"%s\"}", key);
    CU_ASSERT_EQUAL(enqueue(body, result, sizeof(result)), 202);
    CU_ASSERT_EQUAL(wait_num(1, 10.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND idem_key = '%s'",
                             key),
                    1);
}

/* CGI with cgi_run_after_response: the request that enqueues a job runs
 * it after its answer, which comes before the job's 1.5 s are over. */
static void test_cgi_runs_after_response(void)
{
    char body[256], key[80];
    snprintf(key, sizeof(key), "cgi-after-%s", tag());
    snprintf(body, sizeof(body),
             "{\"kind\":\"test_sleep\",\"key\":\"%s\",\"payload\":{\"ms\":1500}}", key);
    struct http_response r;
    CU_ASSERT_EQUAL(
        http_request("POST", "/api/v1/_test/jobs", "application/json", body, strlen(body), &r),
        202);
    double answered = r.seconds;
    http_response_free(&r);
    CU_ASSERT(answered < 1.2);
    double t0 = shell_now();
    CU_ASSERT_EQUAL(wait_num(1, 10.0,
                             "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND idem_key = '%s'",
                             key),
                    1);
    fprintf(stderr, "  CGI: answered in %.3fs, the job (1.5 s) done %.1fs after the answer\n",
            answered, shell_now() - t0);
}

int jobscgi_suite_register(void)
{
    CU_pSuite s = CU_add_suite("jobscgi", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "CGI runs due jobs after the response", test_cgi_runs_after_response))
        return -1;
    return 0;
}

int jobs_suite_register(void)
{
    CU_pSuite s = CU_add_suite("jobs", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "a duplicate idempotency key queues nothing", test_duplicate_key) ||
        !CU_add_test(s, "1000 jobs, 2 runners + 2 cron runs: each runs exactly once",
                     test_drain_exactly_once) ||
        !CU_add_test(s, "kill -9 of the runners mid-job: the lease expires, it completes once",
                     test_kill9_runner_mid_job) ||
        !CU_add_test(s, "SIGTERM: a runner finishes the job it holds, then leaves",
                     test_sigterm_finishes_job) ||
        !CU_add_test(s, "a job past its timeout is killed, retried, then dead",
                     test_timeout_kill) ||
        !CU_add_test(s, "retries with back-off reach dead after max_attempts",
                     test_retries_to_dead) ||
        !CU_add_test(s, "database stopped while jobs are claimed: runners survive and finish",
                     test_database_down_while_claimed) ||
        !CU_add_test(s, "GET /admin/jobs: roles, filters, paging, bad values",
                     test_admin_endpoint) ||
        !CU_add_test(s, "recipebox jobs list/cancel/retry/purge", test_cli) ||
        !CU_add_test(s, "/metrics shows the queue", test_metrics) ||
        !CU_add_test(s, "SIGHUP replaces the runners", test_sighup_replaces_runners))
        return -1;
    return 0;
}
