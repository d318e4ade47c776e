/* Plain CGI: the request is the process environment and stdin, the answer
 * goes to stdout. One request, then the process exits; the route table is
 * checked first, as the pool checks it at start-up. With [jobs]
 * cgi_run_after_response, a few due jobs run after the answer is complete
 * and stdout closed (for hosts with neither a pool nor cron). */
#include "runtime/cgi.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http/app.h"
#include "base/arena.h"
#include "base/config.h"
#include "http/router.h"
#include "http/server.h"
#include "runtime/runner.h"

extern char **environ;

static ssize_t cgi_read(void *ctx, char *buf, size_t len)
{
    (void)ctx;
    ssize_t n;
    do
        n = read(0, buf, len);
    while (n < 0 && errno == EINTR);
    return n;
}

static int cgi_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = write(1, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A broken table would misroute requests silently: refuse to serve, say why
 * on stderr (the front's error log) as the pool does, answer 500. */
static int cgi_check_routes(const struct app *app)
{
    char err[512];
    if (router_check(app->routes, app->nroutes, err, sizeof(err)) == 0)
        return 0;
    fprintf(stderr, "recipebox: route table: %s\n", err);
    const char *answer = "Status: 500 Internal Server Error\r\n\r\n";
    (void)cgi_write(NULL, answer, strlen(answer)); /* failing or not, this request is over */
    return -1;
}

/* The front server ends the answer when stdout reaches EOF: point fds 0
 * and 1 at /dev/null (stray writes go nowhere), then run at most
 * cgi_run_after_response due jobs, taking none after cgi_time_budget_ms. */
static void cgi_jobs_after(struct app *app)
{
    const struct config *cfg = app->cfg;
    if (cfg->job_cgi_after == 0)
        return;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0) {
        if (null >= 0)
            close(null);
        return; /* running jobs now would hold the answer open */
    }
    close(null);
    runner_run(cfg, app->db, cfg->job_cgi_after, cfg->job_cgi_budget_ms, 1);
}

int cgi_run(struct app *app)
{
    if (cgi_check_routes(app) != 0)
        return 1;
    struct arena a;
    arena_init(&a, config_arena_limit(app->cfg));
    struct server_io io = {NULL, cgi_read, cgi_write};
    /* the front signals the process the moment its answer is complete
     * (lighttpd's mod_cgi: SIGTERM; Apache's: SIGTERM, SIGKILL 3 s later),
     * before it could act: with jobs to run after the answer, SIGTERM is
     * ignored from the start; the jobs are bounded by their count, the
     * budget and their timeouts (SIGALRM) */
    if (app->cfg->job_cgi_after > 0)
        signal(SIGTERM, SIG_IGN);
    int status = server_handle(app, environ, &io, &a);
    arena_free(&a);
    if (status >= 0)
        cgi_jobs_after(app);
    return status < 0 ? 1 : 0;
}
