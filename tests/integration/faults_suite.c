/* The pool fault suites, behind nginx with RB_MASTER_PID set: workers killed
 * under load (R1), reloads under load (R5), the request_timeout watchdog,
 * the oversized FastCGI PARAMS record (R2), malformed records (R4), SIGTERM
 * during a slow request; and "memlimit" on the release build: RLIMIT_AS
 * stops a runaway allocation. Loads are a few threads on loopback, bounded
 * in time. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fcgi_client.h"
#include "http.h"
#include "shell.h"
#include "suites.h"

#define MAX_PIDS 64

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && *v ? (int)strtol(v, NULL, 10) : dflt;
}

static pid_t master(void)
{
    return (pid_t)env_int("RB_MASTER_PID", 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Children of the master: pids of live ones, and the count of zombies. */
static int workers(pid_t *pids, int max, int *zombies)
{
    return shell_children(master(), NULL, pids, max, zombies);
}

/* Waits until the pool has `want` live workers, none of them in `old`.
 * Returns the seconds it took, or -1 after `limit` seconds. */
static double wait_pool(int want, const pid_t *old, int nold, double limit)
{
    double t0 = now_s();
    while (now_s() - t0 < limit) {
        pid_t p[MAX_PIDS];
        int n = workers(p, MAX_PIDS, NULL), stale = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < nold; j++)
                stale += p[i] == old[j];
        if (n == want && stale == 0)
            return now_s() - t0;
        usleep(20000);
    }
    return -1;
}

struct load {
    volatile int stop;
    const char *path;
    int ok, failed;
    pthread_mutex_t mu;
};

static void *load_loop(void *arg)
{
    struct load *l = arg;
    while (!l->stop) {
        struct http_response r;
        int st = http_request("GET", l->path, NULL, NULL, 0, &r);
        int good = st == 200 && strcmp(r.body, "{\"status\":\"ok\"}") == 0;
        http_response_free(&r);
        pthread_mutex_lock(&l->mu);
        if (good)
            l->ok++;
        else
            l->failed++;
        pthread_mutex_unlock(&l->mu);
    }
    return NULL;
}

#define LOAD_THREADS 4

static void load_start(struct load *l, pthread_t *t)
{
    memset(l, 0, sizeof(*l));
    l->path = "/healthz";
    pthread_mutex_init(&l->mu, NULL);
    for (int i = 0; i < LOAD_THREADS; i++)
        pthread_create(&t[i], NULL, load_loop, l);
}

static void load_stop(struct load *l, pthread_t *t)
{
    l->stop = 1;
    for (int i = 0; i < LOAD_THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_mutex_destroy(&l->mu);
}

static int healthz_ok(void)
{
    struct http_response r;
    int st = http_request("GET", "/healthz", NULL, NULL, 0, &r);
    http_response_free(&r);
    return st == 200;
}

static long metric(const char *name)
{
    struct http_response r;
    long v = -1;
    if (http_request("GET", "/metrics", NULL, NULL, 0, &r) == 200) {
        char key[128];
        snprintf(key, sizeof(key), "\n%s ", name);
        const char *p = strstr(r.body, key);
        if (p != NULL)
            v = strtol(p + strlen(key), NULL, 10);
    }
    http_response_free(&r);
    return v;
}

/* R1: kill -9 one worker every second under load. */
static void test_kill_workers_under_load(void)
{
    int want = env_int("RB_WORKERS", 4);
    struct load l;
    pthread_t t[LOAD_THREADS];
    load_start(&l, t);
    int kills = 0;
    double worst = 0;
    for (int k = 0; k < 3; k++) {
        usleep(700000);
        pid_t p[MAX_PIDS];
        int n = workers(p, MAX_PIDS, NULL);
        CU_ASSERT_FATAL(n > 0);
        CU_ASSERT_EQUAL(kill(p[k % n], SIGKILL), 0);
        kills++;
        pid_t gone = p[k % n];
        double took = wait_pool(want, &gone, 1, 1.0);
        CU_ASSERT(took >= 0);
        if (took > worst)
            worst = took;
    }
    usleep(300000);
    load_stop(&l, t);
    int zombies = 0;
    pid_t p[MAX_PIDS];
    CU_ASSERT_EQUAL(workers(p, MAX_PIDS, &zombies), want);
    CU_ASSERT_EQUAL(zombies, 0);
    fprintf(stderr, "  R1: %d requests ok, %d failed, %d kills, pool back in %.3fs at worst\n",
            l.ok, l.failed, kills, worst);
    CU_ASSERT(l.failed <= kills);
    CU_ASSERT(l.ok > 100);
}

/* R5: ten reloads under load, zero failed requests. */
static void test_reloads_under_load(void)
{
    int want = env_int("RB_WORKERS", 4);
    pid_t before[MAX_PIDS];
    int nbefore = workers(before, MAX_PIDS, NULL);
    struct load l;
    pthread_t t[LOAD_THREADS];
    load_start(&l, t);
    for (int i = 0; i < 10; i++) {
        usleep(200000);
        CU_ASSERT_EQUAL(kill(master(), SIGHUP), 0);
    }
    usleep(500000);
    load_stop(&l, t);
    fprintf(stderr, "  R5: %d requests ok, %d failed across 10 reloads\n", l.ok, l.failed);
    CU_ASSERT_EQUAL(l.failed, 0);
    CU_ASSERT(l.ok > 100);
    CU_ASSERT(wait_pool(want, before, nbefore, 3.0) >= 0); /* all replaced */
}

/* A request past request_timeout: the watchdog kills the worker. */
static void test_request_timeout(void)
{
    int timeout = env_int("RB_REQUEST_TIMEOUT", 6);
    long kills0 = metric("recipebox_worker_kills_total");
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/_test/sleep?ms=%d", (timeout + 3) * 1000);
    struct http_response r;
    double t0 = now_s();
    int st = http_request_ex("GET", path, NULL, NULL, 0, timeout + 8, &r);
    double took = now_s() - t0;
    http_response_free(&r);
    fprintf(stderr, "  timeout: answered %d after %.2fs (request_timeout %ds)\n", st, took,
            timeout);
    CU_ASSERT(st == 502 || st == 504);
    CU_ASSERT(took < timeout + 2.0);
    CU_ASSERT(took >= timeout - 0.5);
    CU_ASSERT(metric("recipebox_worker_kills_total") >= kills0 + 1);
    CU_ASSERT(wait_pool(env_int("RB_WORKERS", 4), NULL, 0, 1.0) >= 0);
    CU_ASSERT(healthz_ok());
    FILE *f = fopen(getenv("RB_LOG") ? getenv("RB_LOG") : "", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[2048];
    int seen = 0;
    while (fgets(line, sizeof(line), f) != NULL)
        seen |= strstr(line, "request_timeout") != NULL;
    fclose(f);
    CU_ASSERT(seen);
}

/* BEGIN_REQUEST plus a PARAMS record announcing huge name/value lengths. */
static int send_poison(unsigned len)
{
    int fd = fcgi_connect(getenv("RB_SOCKET"), 10);
    if (fd < 0)
        return -1;
    unsigned char buf[64];
    size_t off = 0;
    const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    unsigned char lens[8];
    unsigned v = 0x80000000u | len;
    for (int i = 0; i < 2; i++) {
        lens[4 * i] = (unsigned char)(v >> 24);
        lens[4 * i + 1] = (unsigned char)(v >> 16);
        lens[4 * i + 2] = (unsigned char)(v >> 8);
        lens[4 * i + 3] = (unsigned char)v;
    }
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, lens, 8);
    if (fcgi_send(fd, buf, off) != 0) {
        close(fd);
        return -1;
    }
    return fd; /* kept open: the worker waits for bytes that never come */
}

/* R2: the oversized-PARAMS record (docs/pitfalls.md). With 0x20000000 libfcgi
 * allocates 1 GiB and waits for bytes that never come: the watchdog must
 * kill that worker while the others serve. (The 0x40000000 variant, which
 * aborts inside libfcgi, runs in the memlimit suite on the release build:
 * under ASan that abort is a sanitizer report about libfcgi, not about us.) */
static void test_poison_params(void)
{
    int want = env_int("RB_WORKERS", 4), timeout = env_int("RB_REQUEST_TIMEOUT", 6);
    long kills0 = metric("recipebox_worker_kills_total");
    int fd = send_poison(0x20000000u);
    CU_ASSERT_FATAL(fd >= 0);
    double t0 = now_s();
    int served = 0;
    while (now_s() - t0 < 1.0)
        served += healthz_ok(); /* the others keep serving */
    CU_ASSERT(served > 10);
    /* the stuck worker is freed: by read_timeout (libfcgi's read of the
     * missing parameters times out and the connection is dropped) or, at
     * the latest, by the watchdog at request_timeout */
    struct timeval tv = {0, 50000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    double took = -1;
    const char *how = "?";
    while (now_s() - t0 < timeout + 2.0) {
        char b;
        if (metric("recipebox_worker_kills_total") > kills0) {
            took = now_s() - t0;
            how = "killed by the watchdog";
            break;
        }
        ssize_t r = read(fd, &b, 1);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            took = now_s() - t0;
            how = "dropped after read_timeout";
            break;
        }
    }
    close(fd);
    fprintf(stderr, "  R2 0x20000000: stuck worker %s after %.2fs\n", how, took);
    CU_ASSERT(took >= 0 && took < timeout + 2.0);
    CU_ASSERT(wait_pool(want, NULL, 0, 1.0) >= 0);
    CU_ASSERT(healthz_ok());
}

/* H7: connections that send nothing, one per worker. Each is closed after
 * read_timeout (1 s in the test config) instead of holding its worker
 * until request_timeout, so the pool answers again within about a second
 * and the watchdog kills nobody. */
static void test_idle_connections_dropped(void)
{
    int want = env_int("RB_WORKERS", 4);
    long kills0 = metric("recipebox_worker_kills_total");
    int fds[64], n = 0;
    for (int i = 0; i < want + 1 && i < 64; i++)
        if ((fds[n] = fcgi_connect(getenv("RB_SOCKET"), 5)) >= 0)
            n++;
    CU_ASSERT_EQUAL_FATAL(n, want + 1);
    double t0 = now_s(), answered = -1;
    while (now_s() - t0 < 2.5 && answered < 0)
        if (healthz_ok())
            answered = now_s() - t0;
    fprintf(stderr, "  H7: %d idle connections; /healthz answered after %.2fs\n", n, answered);
    CU_ASSERT(answered >= 0 && answered < 2.5);
    /* the idle connections were closed by the workers: EOF, not a hang */
    int closed = 0;
    for (int i = 0; i < n; i++) {
        char b;
        struct timeval tv = {3, 0};
        setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        closed += read(fds[i], &b, 1) == 0;
        close(fds[i]);
    }
    CU_ASSERT_EQUAL(closed, n);
    CU_ASSERT_EQUAL(metric("recipebox_worker_kills_total"), kills0);
}

/* A well-formed request with the given CONTENT_LENGTH (NULL: none) and stdin
 * bytes. */
static long raw_request(const char *clen, const char *in, size_t inlen, char *out, size_t outlen)
{
    int fd = fcgi_connect(getenv("RB_SOCKET"), 5);
    if (fd < 0)
        return -1;
    static unsigned char buf[1 << 20];
    unsigned char params[2048];
    size_t off = 0, p = 0;
    const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    fcgi_pair(params, &p, "REQUEST_METHOD", "POST");
    fcgi_pair(params, &p, "REQUEST_URI", "/api/v1/_test/echo");
    fcgi_pair(params, &p, "REMOTE_ADDR", "127.0.0.1");
    fcgi_pair(params, &p, "CONTENT_TYPE", "application/json");
    if (clen != NULL)
        fcgi_pair(params, &p, "CONTENT_LENGTH", clen);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, params, p);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, NULL, 0);
    if (inlen > 0)
        fcgi_record(buf, &off, FCGI_STDIN_T, 1, in, inlen);
    fcgi_record(buf, &off, FCGI_STDIN_T, 1, NULL, 0);
    long n = fcgi_send(fd, buf, off) == 0 ? fcgi_read_stdout(fd, out, outlen) : -1;
    close(fd);
    return n;
}

/* Sends raw bytes, then reads until EOF or timeout. Returns 0 when the
 * worker closed or answered within the timeout (no hang). */
static int raw_bytes(const unsigned char *buf, size_t len)
{
    int fd = fcgi_connect(getenv("RB_SOCKET"), 5);
    if (fd < 0)
        return -1;
    char out[4096];
    double t0 = now_s();
    long n = fcgi_send(fd, buf, len) == 0 ? fcgi_read_stdout(fd, out, sizeof(out)) : -1;
    close(fd);
    (void)n;
    return now_s() - t0 < 5.5 ? 0 : -1;
}

/* R4: malformed records; no hang, and the next request is fine. */
static void test_malformed_records(void)
{
    char out[8192];
    CU_ASSERT(raw_request("7", "{\"a\":1}", 7, out, sizeof(out)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 200"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"bytes\":7"));
    CU_ASSERT(raw_request("10", "{\"a\":", 5, out, sizeof(out)) > 0); /* short body */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 400"));
    CU_ASSERT(raw_request("3", "{}  extra", 9, out, sizeof(out)) > 0); /* longer than declared */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"bytes\":3"));
    CU_ASSERT(raw_request(NULL, "{}", 2, out, sizeof(out)) > 0); /* no CONTENT_LENGTH */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 411"));
    CU_ASSERT(raw_request("99999999", "{}", 2, out, sizeof(out)) > 0); /* over body_limit */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Status: 413"));
    static unsigned char buf[200000];
    size_t off = 0;
    const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    /* bad version */
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    buf[0] = 9;
    CU_ASSERT_EQUAL(raw_bytes(buf, off), 0);
    CU_ASSERT(healthz_ok());
    /* unknown record type first */
    off = 0;
    fcgi_record(buf, &off, 77, 1, "xxxx", 4);
    CU_ASSERT_EQUAL(raw_bytes(buf, off), 0);
    CU_ASSERT(healthz_ok());
    /* PARAMS for another request id than BEGIN */
    off = 0;
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    unsigned char params[256];
    size_t p = 0;
    fcgi_pair(params, &p, "REQUEST_METHOD", "GET");
    fcgi_record(buf, &off, FCGI_PARAMS_T, 2, params, p);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 2, NULL, 0);
    CU_ASSERT_EQUAL(raw_bytes(buf, off), 0);
    CU_ASSERT(healthz_ok());
    /* 10,000 small params */
    off = 0;
    fcgi_record(buf, &off, FCGI_BEGIN, 1, begin, 8);
    for (int i = 0; i < 10000;) {
        unsigned char chunk[60000];
        size_t c = 0;
        for (; i < 10000 && c < 59000; i++) {
            char name[32];
            snprintf(name, sizeof(name), "HTTP_X_%d", i);
            fcgi_pair(chunk, &c, name, "v");
        }
        fcgi_record(buf, &off, FCGI_PARAMS_T, 1, chunk, c);
    }
    p = 0;
    fcgi_pair(params, &p, "REQUEST_METHOD", "GET");
    fcgi_pair(params, &p, "REQUEST_URI", "/healthz");
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, params, p);
    fcgi_record(buf, &off, FCGI_PARAMS_T, 1, NULL, 0);
    fcgi_record(buf, &off, FCGI_STDIN_T, 1, NULL, 0);
    int fd = fcgi_connect(getenv("RB_SOCKET"), 5);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(fcgi_send(fd, buf, off), 0);
    CU_ASSERT(fcgi_read_stdout(fd, out, sizeof(out)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"status\":\"ok\"}"));
    close(fd);
    CU_ASSERT(healthz_ok());
    CU_ASSERT(wait_pool(env_int("RB_WORKERS", 4), NULL, 0, 2.0) >= 0);
}

static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[4096];
    int seen = 0;
    while (!seen && fgets(line, sizeof(line), f) != NULL)
        seen = strstr(line, needle) != NULL;
    fclose(f);
    return seen;
}

/* max_requests, set through a reload: workers leave after that many
 * requests and are replaced; a planned exit is not a restart and fails no
 * request. */
static void test_max_requests(void)
{
    int want = env_int("RB_WORKERS", 4), max = 50;
    CU_ASSERT_EQUAL_FATAL(config_set_value("max_requests", "50"), 0);
    CU_ASSERT_EQUAL(kill(master(), SIGHUP), 0);
    usleep(300000);
    CU_ASSERT(wait_pool(want, NULL, 0, 2.0) >= 0);
    long restarts0 = metric("recipebox_worker_restarts_total");
    int failed = 0;
    for (int i = 0; i < (max + 10) * want; i++)
        failed += !healthz_ok();
    CU_ASSERT_EQUAL(failed, 0);
    CU_ASSERT(file_contains(getenv("RB_LOG"), "exits after 50 requests (max_requests)"));
    CU_ASSERT_EQUAL(metric("recipebox_worker_restarts_total"), restarts0);
    CU_ASSERT(wait_pool(want, NULL, 0, 1.0) >= 0);
    struct http_response r;
    CU_ASSERT_EQUAL(http_request("GET", "/status", NULL, NULL, 0, &r), 200);
    for (const char *p = r.body; (p = strstr(p, "\"requests\":")) != NULL; p++)
        CU_ASSERT(strtol(p + 11, NULL, 10) <= max);
    http_response_free(&r);
    CU_ASSERT_EQUAL(config_set_value("max_requests", "10000"), 0);
    CU_ASSERT_EQUAL(kill(master(), SIGHUP), 0);
    usleep(300000);
}

/* A config that does not load is refused on SIGHUP: the pool keeps
 * serving with the old one and says why. */
static void test_bad_reload_refused(void)
{
    CU_ASSERT_EQUAL_FATAL(config_set_value("workers", "0"), 0);
    CU_ASSERT_EQUAL(kill(master(), SIGHUP), 0);
    usleep(500000);
    CU_ASSERT(file_contains(getenv("RB_LOG"), "config refused, keeping the running one"));
    CU_ASSERT(file_contains(getenv("RB_LOG"), "[server] workers"));
    CU_ASSERT(healthz_ok());
    CU_ASSERT(wait_pool(env_int("RB_WORKERS", 4), NULL, 0, 1.0) >= 0);
    char w[16];
    snprintf(w, sizeof(w), "%d", env_int("RB_WORKERS", 4));
    CU_ASSERT_EQUAL(config_set_value("workers", w), 0);
}

/* SIGUSR1: the log file is reopened (after rotation) and new lines go to
 * the new file. */
static void test_sigusr1_reopens_log(void)
{
    const char *log = getenv("RB_LOG");
    char rotated[512];
    snprintf(rotated, sizeof(rotated), "%s.1", log);
    /* the master reopens its log and replaces the workers (each holds the
     * old file until then): wait for a pool with none of these */
    pid_t old[MAX_PIDS];
    int nold = workers(old, MAX_PIDS, NULL);
    CU_ASSERT_EQUAL_FATAL(rename(log, rotated), 0);
    CU_ASSERT_EQUAL(kill(master(), SIGUSR1), 0);
    double t0 = now_s();
    while (access(log, F_OK) != 0 && now_s() - t0 < 2.0)
        usleep(20000);
    CU_ASSERT_EQUAL(access(log, F_OK), 0);
    CU_ASSERT(wait_pool(env_int("RB_WORKERS", 4), old, nold, 5.0) >= 0);
    const char *h[] = {"X-Request-Id: after-rotation-1", NULL};
    struct http_response r;
    CU_ASSERT_EQUAL(http_request_ex("GET", "/healthz", h, NULL, 0, 10, &r), 200);
    http_response_free(&r);
    t0 = now_s();
    while (!file_contains(log, "after-rotation-1") && now_s() - t0 < 2.0)
        usleep(20000);
    CU_ASSERT(file_contains(log, "after-rotation-1"));
    CU_ASSERT(!file_contains(rotated, "after-rotation-1"));
}

struct slow {
    int status;
    char body[256];
};

static void *slow_request(void *arg)
{
    struct slow *s = arg;
    struct http_response r;
    s->status = http_request_ex("GET", "/api/v1/_test/sleep?ms=1500", NULL, NULL, 0, 10, &r);
    snprintf(s->body, sizeof(s->body), "%s", r.body);
    http_response_free(&r);
    return NULL;
}

/* Last: SIGTERM while a request sleeps; it completes, then the pool exits. */
static void test_sigterm_drains(void)
{
    struct slow s = {0, ""};
    pthread_t t;
    pthread_create(&t, NULL, slow_request, &s);
    usleep(300000);
    pid_t p[MAX_PIDS];
    CU_ASSERT(workers(p, MAX_PIDS, NULL) > 0);
    CU_ASSERT_EQUAL(kill(master(), SIGTERM), 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(s.status, 200);
    CU_ASSERT_STRING_EQUAL(s.body, "{\"slept_ms\":1500}");
    double t0 = now_s();
    while (kill(master(), 0) == 0 && now_s() - t0 < 5.0)
        usleep(20000);
    CU_ASSERT(kill(master(), 0) != 0 && errno == ESRCH);
    for (int i = 0; i < MAX_PIDS && p[i] > 0; i++)
        CU_ASSERT(kill(p[i], 0) != 0);
}

int faults_suite_register(void)
{
    CU_pSuite s = CU_add_suite("faults", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "R1 kill -9 workers under load", test_kill_workers_under_load) ||
        !CU_add_test(s, "R5 ten reloads under load, none failed", test_reloads_under_load) ||
        !CU_add_test(s, "request_timeout: the watchdog kills", test_request_timeout) ||
        !CU_add_test(s, "R2 oversized PARAMS record", test_poison_params) ||
        !CU_add_test(s, "H7 connections that send nothing are dropped after read_timeout",
                     test_idle_connections_dropped) ||
        !CU_add_test(s, "R4 malformed FastCGI records", test_malformed_records) ||
        !CU_add_test(s, "max_requests recycles workers", test_max_requests) ||
        !CU_add_test(s, "a bad config on SIGHUP is refused", test_bad_reload_refused) ||
        !CU_add_test(s, "SIGUSR1 reopens the log", test_sigusr1_reopens_log) ||
        !CU_add_test(s, "SIGTERM lets the slow request finish", test_sigterm_drains))
        return -1;
    return 0;
}

/* memlimit: the release build with memory_limit = 256M. */
static void test_rlimit_applied(void)
{
    pid_t p[MAX_PIDS];
    int n = workers(p, MAX_PIDS, NULL);
    CU_ASSERT_FATAL(n > 0);
    for (int i = 0; i < n; i++) {
        char path[64], line[256];
        snprintf(path, sizeof(path), "/proc/%d/limits", (int)p[i]);
        FILE *f = fopen(path, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        int found = 0;
        while (fgets(line, sizeof(line), f) != NULL)
            if (strncmp(line, "Max address space", 17) == 0)
                found = strstr(line, "268435456") != NULL;
        fclose(f);
        CU_ASSERT(found);
    }
}

static long vm_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, field, strlen(field)) == 0)
            v = strtol(line + strlen(field) + 1, NULL, 10);
    fclose(f);
    return v;
}

static void test_runaway_allocation_fails_fast(void)
{
    int want = env_int("RB_WORKERS", 4), timeout = env_int("RB_REQUEST_TIMEOUT", 6);
    pid_t before[MAX_PIDS];
    int nbefore = workers(before, MAX_PIDS, NULL);
    long peak = 0;
    int fd = send_poison(0x20000000u);
    CU_ASSERT_FATAL(fd >= 0);
    double t0 = now_s(), took = -1;
    while (now_s() - t0 < timeout) {
        pid_t p[MAX_PIDS];
        int n = workers(p, MAX_PIDS, NULL), old = 0;
        for (int i = 0; i < n; i++) {
            long kb = vm_kb(p[i], "VmPeak:");
            if (kb > peak)
                peak = kb;
            for (int j = 0; j < nbefore; j++)
                old += p[i] == before[j];
        }
        if (old == nbefore - 1 && n == want) {
            took = now_s() - t0;
            break;
        }
        usleep(10000);
    }
    close(fd);
    fprintf(stderr, "  memlimit: worker gone and replaced after %.3fs; peak VmPeak seen %ld KiB\n",
            took, peak);
    CU_ASSERT(took >= 0 && took < 1.0); /* failed at once, not after request_timeout */
    CU_ASSERT(peak > 0 && peak <= 256L * 1024);
    CU_ASSERT(healthz_ok());
}

/* 0x40000000: the lengths overflow an int and libfcgi aborts the worker. */
static void test_poison_abort(void)
{
    int want = env_int("RB_WORKERS", 4);
    long restarts0 = metric("recipebox_worker_restarts_total");
    int fd = send_poison(0x40000000u);
    CU_ASSERT_FATAL(fd >= 0);
    double t0 = now_s();
    while (metric("recipebox_worker_restarts_total") == restarts0 && now_s() - t0 < 2.0)
        usleep(20000);
    close(fd);
    CU_ASSERT(metric("recipebox_worker_restarts_total") > restarts0);
    CU_ASSERT(wait_pool(want, NULL, 0, 1.0) >= 0);
    CU_ASSERT(healthz_ok());
}

int memlimit_suite_register(void)
{
    CU_pSuite s = CU_add_suite("memlimit", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "every worker has RLIMIT_AS = memory_limit", test_rlimit_applied) ||
        !CU_add_test(s, "a 1 GiB allocation fails fast under 256M",
                     test_runaway_allocation_fails_fast) ||
        !CU_add_test(s, "R2 0x40000000: libfcgi aborts, the pool serves", test_poison_abort))
        return -1;
    return 0;
}
