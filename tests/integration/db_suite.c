/* Database integration and fault tests against the private MariaDB behind
 * nginx: migrations (up/down/up leaves the same schema, an edited migration
 * is refused, /readyz is 503 while one is pending), the database stopped
 * under load (503 + Retry-After, never a hang, recovery without restart),
 * wait_timeout, and kill -9 of mariadbd during writes (every acknowledged
 * write survives). Commands run through posix_spawn; loops are bounded. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db_suite.h"
#include "http.h"
#include "shell.h"

extern char **environ;

static int migrate(const char *config, const char *action, const char *n, char *out, size_t len)
{
    char *argv[] = {(char *)shell_env("RB_BIN"),
                    "migrate",
                    "-c",
                    (char *)config,
                    (char *)action,
                    (char *)n,
                    NULL};
    return shell_run(argv, out, len);
}

/* SHOW CREATE TABLE of every table but schema_migrations, without the
 * AUTO_INCREMENT counter (data, not schema). */
static void schema_dump(char *out, size_t len)
{
    char tables[4096];
    out[0] = '\0';
    if (shell_sql("SHOW TABLES", tables, sizeof(tables)) != 0)
        return;
    size_t off = 0;
    char *save = NULL;
    for (char *t = strtok_r(tables, "\n", &save); t != NULL; t = strtok_r(NULL, "\n", &save)) {
        if (strcmp(t, "schema_migrations") == 0)
            continue;
        char q[256], one[8192];
        snprintf(q, sizeof(q), "SHOW CREATE TABLE `%s`", t);
        if (shell_sql(q, one, sizeof(one)) != 0)
            continue;
        char *ai = strstr(one, " AUTO_INCREMENT=");
        if (ai != NULL) {
            char *end = ai + 16;
            while (*end >= '0' && *end <= '9')
                end++;
            memmove(ai, end, strlen(end) + 1);
        }
        int n = snprintf(out + off, len - off, "%s\n", one);
        if (n < 0 || (size_t)n >= len - off)
            break;
        off += (size_t)n;
    }
}

static int count_migrations(void)
{
    char out[4096];
    if (migrate(shell_env("RB_CONFIG"), "status", NULL, out, sizeof(out)) < 0)
        return -1;
    int n = 0;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
        if (strncmp(line, "applied", 7) == 0 || strncmp(line, "pending", 7) == 0)
            n++;
    return n;
}

static int readyz_status(struct http_response *r)
{
    return http_request("GET", "/readyz", NULL, NULL, 0, r);
}

static void test_readyz_ready(void)
{
    struct http_response r;
    CU_ASSERT_EQUAL(readyz_status(&r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"ready\""));
    http_response_free(&r);
}

static void test_migrations_roundtrip(void)
{
    static char before[65536], after[65536];
    char out[8192], n[16];
    schema_dump(before, sizeof(before));
    CU_ASSERT_PTR_NOT_NULL(strstr(before, "CREATE TABLE `test_writes`"));
    int total = count_migrations();
    CU_ASSERT(total >= 2);
    snprintf(n, sizeof(n), "%d", total);
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "down", n, out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "rolled back 0001_init"));
    char tables[4096];
    CU_ASSERT_EQUAL(shell_sql("SHOW TABLES", tables, sizeof(tables)), 0);
    CU_ASSERT_PTR_NULL(strstr(tables, "test_writes"));
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "up", NULL, out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "schema is current"));
    schema_dump(after, sizeof(after));
    CU_ASSERT_STRING_EQUAL(before, after);
}

static void test_readyz_pending(void)
{
    char out[8192];
    struct http_response r;
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "down", "1", out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(readyz_status(&r), 503);
    CU_ASSERT_PTR_NOT_NULL(http_header(&r, "Retry-After"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "pending"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.content_type, "application/problem+json"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "status", NULL, out, sizeof(out)), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "pending"));
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "up", NULL, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(readyz_status(&r), 200);
    http_response_free(&r);
}

/* Copies the migrations to a temp dir, edits an applied one, and points a
 * copy of the config at it. */
static void test_edited_migration_refused(void)
{
    char dir[] = "/tmp/rbmig.XXXXXX", cmd[1024], out[8192], conf[512];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    const char *src = getenv("RB_MIGRATIONS_SRC");
    char srcdir[512];
    snprintf(srcdir, sizeof(srcdir), "%s", src ? src : "sql/migrations");
    /* the copy in DIR/m, the config beside it (not among the migrations) */
    snprintf(cmd, sizeof(cmd),
             "mkdir %s/m && cp %s/*.sql %s/m/ && echo '-- edited' >> %s/m/0001_init.up.sql", dir,
             srcdir, dir, dir);
    char *sh[] = {"sh", "-c", cmd, NULL};
    CU_ASSERT_EQUAL_FATAL(shell_run(sh, out, sizeof(out)), 0);
    snprintf(conf, sizeof(conf), "%s/rb.conf", dir);
    snprintf(cmd, sizeof(cmd), "sed 's|^migrations = .*|migrations = %s/m|' %s > %s", dir,
             shell_env("RB_CONFIG"), conf);
    CU_ASSERT_EQUAL_FATAL(shell_run(sh, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(migrate(conf, "up", NULL, out, sizeof(out)), 1);
    if (strstr(out, "changed after it was applied") == NULL)
        fprintf(stderr, "\n  migrate up said: %s\n", out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0001_init was changed after it was applied"));
    CU_ASSERT_EQUAL(migrate(conf, "status", NULL, out, sizeof(out)), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "CHANGED  0001_init"));
    /* the untouched files are still fine */
    CU_ASSERT_EQUAL(migrate(shell_env("RB_CONFIG"), "status", NULL, out, sizeof(out)), 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    shell_run(sh, out, sizeof(out));
}

/* backup, a write, restore: the write is gone, what was backed up is there */
static void test_backup_restore(void)
{
    char file[] = "/tmp/rbbackup.XXXXXX", out[8192], path[64];
    int fd = mkstemp(file);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    unlink(file);
    snprintf(path, sizeof(path), "%s.sql.gz", file);
    const char *src = getenv("RB_SQL_DIR");
    char backup[512], restore[512];
    snprintf(backup, sizeof(backup), "%s/backup.sh", src ? src : "sql");
    snprintf(restore, sizeof(restore), "%s/restore.sh", src ? src : "sql");
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/writes", "application/json",
                                 "{\"token\":\"before-backup\"}", 25, &r),
                    201);
    http_response_free(&r);
    char *b[] = {"sh", backup, "-c", (char *)shell_env("RB_CONFIG"), path, NULL};
    CU_ASSERT_EQUAL_FATAL(shell_run(b, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/writes", "application/json",
                                 "{\"token\":\"after-backup\"}", 24, &r),
                    201);
    http_response_free(&r);
    char *rs[] = {"sh", restore, "-c", (char *)shell_env("RB_CONFIG"), path, NULL};
    CU_ASSERT_EQUAL(shell_run(rs, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/before-backup", NULL, NULL, 0, &r),
                    200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/after-backup", NULL, NULL, 0, &r),
                    404);
    http_response_free(&r);
    CU_ASSERT_EQUAL(readyz_status(&r), 200);
    http_response_free(&r);
    unlink(path);
}

/* ---- faults ---- */

struct load {
    const char *path; /* GET path, or NULL for POST writes */
    volatile int stop;
    int ok, unavailable, other, no_retry_after;
    double max_s;
    pthread_mutex_t mu;
    char acked[4096][24]; /* tokens that got 201 */
    int nacked;
    int seq;
};

static void *load_thread(void *arg)
{
    struct load *l = arg;
    while (!l->stop) {
        struct http_response r;
        double t0 = shell_now();
        int st;
        char token[24];
        if (l->path != NULL) {
            st = http_request("GET", l->path, NULL, NULL, 0, &r);
        } else {
            pthread_mutex_lock(&l->mu);
            snprintf(token, sizeof(token), "w%d-%d", (int)getpid(), l->seq++);
            pthread_mutex_unlock(&l->mu);
            char body[64];
            int n = snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
            st = http_request("POST", "/api/v1/_test/writes", "application/json", body, (size_t)n,
                              &r);
        }
        double dt = shell_now() - t0;
        pthread_mutex_lock(&l->mu);
        if (dt > l->max_s)
            l->max_s = dt;
        if (st == 200 || st == 201) {
            l->ok++;
            if (l->path == NULL && st == 201 && l->nacked < 4096)
                snprintf(l->acked[l->nacked++], sizeof(l->acked[0]), "%s", token);
        } else if (st == 503) {
            l->unavailable++;
            if (http_header(&r, "Retry-After") == NULL)
                l->no_retry_after++;
        } else {
            l->other++;
        }
        pthread_mutex_unlock(&l->mu);
        http_response_free(&r);
        usleep(20000);
    }
    return NULL;
}

static void load_run(struct load *l, int threads, double seconds, const char *action_at_half)
{
    pthread_t t[8];
    pthread_mutex_init(&l->mu, NULL);
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, load_thread, l);
    usleep((useconds_t)(seconds * 500000));
    if (action_at_half != NULL)
        shell_mariadb(action_at_half);
    usleep((useconds_t)(seconds * 500000));
    l->stop = 1;
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    pthread_mutex_destroy(&l->mu);
}

static int wait_ready(double seconds)
{
    double end = shell_now() + seconds;
    while (shell_now() < end) {
        struct http_response r;
        int st = readyz_status(&r);
        http_response_free(&r);
        if (st == 200)
            return 1;
        usleep(100000);
    }
    return 0;
}

static void test_db_down_then_back(void)
{
    static struct load l;
    memset(&l, 0, sizeof(l));
    l.path = "/api/v1/_test/writes/none-such"; /* a real query: 404 while up */
    pid_t master = (pid_t)strtol(shell_env("RB_MASTER_PID"), NULL, 10);
    load_run(&l, 3, 3.0, "stop");
    /* while down: 503 with Retry-After, each answer well inside connect_timeout */
    CU_ASSERT(l.unavailable > 0);
    CU_ASSERT_EQUAL(l.no_retry_after, 0);
    CU_ASSERT(l.max_s < 5.0);
    /* the recipe endpoints alike: 503 + Retry-After, never a stale or empty list */
    static const char *const down_paths[] = {"/api/v1/recipes", "/api/v1/recipes/1",
                                             "/api/v1/recipes?q=soup", "/api/v1/tags"};
    for (size_t i = 0; i < sizeof(down_paths) / sizeof(down_paths[0]); i++) {
        struct http_response d;
        CU_ASSERT_EQUAL(http_request("GET", down_paths[i], NULL, NULL, 0, &d), 503);
        CU_ASSERT_PTR_NOT_NULL(http_header(&d, "Retry-After"));
        CU_ASSERT_STRING_EQUAL(d.content_type, "application/problem+json");
        http_response_free(&d);
    }
    CU_ASSERT_EQUAL(shell_mariadb("start"), 0);
    double t0 = shell_now();
    CU_ASSERT(wait_ready(5.0));
    fprintf(stderr,
            "  database back: /readyz 200 after %.2fs; %d x 503 while down, slowest %.3fs\n",
            shell_now() - t0, l.unavailable, l.max_s);
    /* no app restart, and cached statements were re-prepared */
    CU_ASSERT_EQUAL(kill(master, 0), 0);
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/writes", "application/json",
                                 "{\"token\":\"after-outage\"}", 24, &r),
                    201);
    http_response_free(&r);
    for (int i = 0; i < 8; i++) { /* every worker answers, none with a stale statement */
        CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/after-outage", NULL, NULL, 0, &r),
                        200);
        http_response_free(&r);
    }
}

static void test_wait_timeout(void)
{
    char out[4096];
    struct http_response r;
    CU_ASSERT_EQUAL(shell_sql("SET GLOBAL wait_timeout=2", out, sizeof(out)), 0);
    /* make every worker reconnect, so their sessions get the 2 s timeout */
    char kills[8192];
    if (shell_sql(
            "SELECT GROUP_CONCAT(id) FROM information_schema.processlist WHERE user='recipebox'",
            kills, sizeof(kills)) == 0) {
        char *save = NULL;
        for (char *id = strtok_r(kills, ",\n", &save); id != NULL;
             id = strtok_r(NULL, ",\n", &save)) {
            if (strcmp(id, "NULL") == 0)
                continue;
            char q[64];
            snprintf(q, sizeof(q), "KILL %s", id);
            shell_sql(q, out, sizeof(out));
        }
    }
    for (int i = 0; i < 8; i++) {
        CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/after-outage", NULL, NULL, 0, &r),
                        200);
        http_response_free(&r);
    }
    sleep(3);
    CU_ASSERT_EQUAL(http_request("GET", "/api/v1/_test/writes/after-outage", NULL, NULL, 0, &r),
                    200);
    http_response_free(&r);
    sleep(3);
    CU_ASSERT_EQUAL(http_request("POST", "/api/v1/_test/writes", "application/json",
                                 "{\"token\":\"after-timeout\"}", 25, &r),
                    201);
    http_response_free(&r);
    shell_sql("SET GLOBAL wait_timeout=28800", out, sizeof(out));
}

static void test_kill9_durability(void)
{
    static struct load l;
    memset(&l, 0, sizeof(l));
    load_run(&l, 3, 3.0, "kill");
    CU_ASSERT(l.nacked > 0);
    CU_ASSERT(l.unavailable > 0);
    CU_ASSERT_EQUAL(l.other, 0);
    CU_ASSERT_EQUAL(shell_mariadb("start"), 0);
    CU_ASSERT(wait_ready(10.0));
    int missing = 0;
    for (int i = 0; i < l.nacked; i++) {
        char q[128], out[256];
        snprintf(q, sizeof(q), "SELECT COUNT(*) FROM test_writes WHERE token = '%s'", l.acked[i]);
        if (shell_sql(q, out, sizeof(out)) != 0 || strtol(out, NULL, 10) != 1)
            missing++;
    }
    fprintf(stderr,
            "  kill -9 during writes: %d acknowledged, %d missing after restart, %d x 503\n",
            l.nacked, missing, l.unavailable);
    CU_ASSERT_EQUAL(missing, 0);
}

int db_suite_register(void)
{
    CU_pSuite s = CU_add_suite("db", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "readyz is 200 with a current schema", test_readyz_ready) ||
        !CU_add_test(s, "migrate down all then up leaves the same schema",
                     test_migrations_roundtrip) ||
        !CU_add_test(s, "readyz is 503 while a migration is pending", test_readyz_pending) ||
        !CU_add_test(s, "an edited applied migration is refused", test_edited_migration_refused) ||
        !CU_add_test(s, "backup then restore brings back the backed-up state", test_backup_restore))
        return -1;
    return 0;
}

int dbfaults_suite_register(void)
{
    CU_pSuite s = CU_add_suite("dbfaults", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "database stopped under load: 503, then back by itself",
                     test_db_down_then_back) ||
        !CU_add_test(s, "wait_timeout=2: requests after idle succeed", test_wait_timeout) ||
        !CU_add_test(s, "kill -9 mariadbd during writes: acknowledged writes survive",
                     test_kill9_durability))
        return -1;
    return 0;
}
