/* /metrics (Prometheus text 0.0.4) and /status (PHP-FPM-like JSON) from the
 * scoreboard. Reads only, through the scoreboard's copies (relaxed atomics),
 * so a scrape is a consistent-enough snapshot, never a lock. */
#include "http/metrics.h"

#include <json-c/json.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/app.h"
#include "base/arena.h"
#include "http/router.h"
#include "base/scoreboard.h"
#include "db/jobs.h"

static const char *const state_names[WORKER__MAX] = {"free",    "starting", "idle",
                                                     "reading", "busy",     "exiting"};

/* Pending connections of a listening unix socket, through sock_diag. */
static long unix_queue(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -1;
    int nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (nl < 0)
        return -1;
    struct {
        struct nlmsghdr nlh;
        struct unix_diag_req req;
    } msg;
    memset(&msg, 0, sizeof(msg));
    msg.nlh.nlmsg_len = sizeof(msg);
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST;
    msg.req.sdiag_family = AF_UNIX;
    msg.req.udiag_states = 1u << 10; /* TCP_LISTEN */
    msg.req.udiag_ino = (unsigned)st.st_ino;
    msg.req.udiag_show = UDIAG_SHOW_RQLEN;
    msg.req.udiag_cookie[0] = msg.req.udiag_cookie[1] = ~0u;
    long result = -1;
    char buf[1024];
    struct timeval tv = {0, 200000};
    setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (send(nl, &msg, sizeof(msg), 0) == (ssize_t)sizeof(msg)) {
        ssize_t n = recv(nl, buf, sizeof(buf), 0);
        struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
        if (n > 0 && NLMSG_OK(h, (unsigned)n) && h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
            struct unix_diag_msg *m = NLMSG_DATA(h);
            struct rtattr *a = (struct rtattr *)(m + 1);
            int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
            for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == UNIX_DIAG_RQLEN)
                    result = ((struct unix_diag_rqlen *)RTA_DATA(a))->udiag_rqueue;
        }
    }
    close(nl);
    return result;
}

static long metrics_listen_queue(int fd)
{
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    if (ss.ss_family == AF_UNIX)
        return unix_queue(fd);
    struct tcp_info ti;
    len = sizeof(ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return -1;
    return (long)ti.tcpi_unacked; /* on a listening socket: the accept queue */
}

static char *to_arena(FILE *f, char *mem, size_t memlen, struct arena *a, size_t *len)
{
    (void)f;
    char *out = arena_strndup(a, mem, memlen);
    free(mem);
    if (out != NULL)
        *len = memlen;
    return out;
}

/* The route rows shown: those of the table, then the unmatched row. */
static const char *route_name(const struct app *app, int r)
{
    if (r < (int)app->nroutes)
        return app->routes[r].pattern;
    return r == SCOREBOARD_UNMATCHED ? "unmatched" : NULL;
}

static void prom_requests(FILE *f, const struct app *app)
{
    fputs("# HELP recipebox_requests_total Requests answered, by route and status.\n"
          "# TYPE recipebox_requests_total counter\n",
          f);
    for (int r = 0; r < SCOREBOARD_ROUTES - 1; r++) {
        const char *name = route_name(app, r);
        struct scoreboard_route_counts rc;
        if (name == NULL || scoreboard_route_read(app->sb, r, &rc) != 0)
            continue;
        for (int s = 0; s <= SCOREBOARD_STATUSES; s++) {
            uint64_t v = rc.requests[s];
            if (v == 0)
                continue;
            if (s < SCOREBOARD_STATUSES)
                fprintf(f, "recipebox_requests_total{route=\"%s\",status=\"%d\"} %llu\n", name,
                        scoreboard_statuses[s], (unsigned long long)v);
            else
                fprintf(f, "recipebox_requests_total{route=\"%s\",status=\"other\"} %llu\n", name,
                        (unsigned long long)v);
        }
    }
}

static void prom_latency(FILE *f, const struct app *app)
{
    fputs("# HELP recipebox_request_duration_seconds Time from request start to answer written.\n"
          "# TYPE recipebox_request_duration_seconds histogram\n",
          f);
    for (int r = 0; r < SCOREBOARD_ROUTES - 1; r++) {
        const char *name = route_name(app, r);
        struct scoreboard_route_counts rc;
        if (name == NULL || scoreboard_route_read(app->sb, r, &rc) != 0)
            continue;
        uint64_t cum = 0;
        for (int b = 0; b <= SCOREBOARD_HIST; b++)
            cum += rc.latency[b];
        if (cum == 0)
            continue;
        cum = 0;
        for (int b = 0; b < SCOREBOARD_HIST; b++) {
            cum += rc.latency[b];
            fprintf(f, "recipebox_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    name, scoreboard_buckets_ms[b] / 1000.0, (unsigned long long)cum);
        }
        cum += rc.latency[SCOREBOARD_HIST];
        fprintf(f,
                "recipebox_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                "recipebox_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                "recipebox_request_duration_seconds_count{route=\"%s\"} %llu\n",
                name, (unsigned long long)cum, name, (double)rc.latency_sum_us / 1e6, name,
                (unsigned long long)cum);
    }
}

static void prom_counter(FILE *f, const char *name, const char *help, const char *type,
                         unsigned long long v)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type, name, v);
}

/* The job queue, from one statement of index lookups; left out when the
 * database does not answer (the scrape itself must not fail). */
static void prom_jobs(FILE *f, const struct app *app)
{
    struct jobs_stats js = {0};
    if (app->db == NULL || jobs_stats(app->db, &js) != DB_OK)
        return;
    fputs("# HELP recipebox_jobs Jobs in the queue by state (done ones are not counted).\n"
          "# TYPE recipebox_jobs gauge\n",
          f);
    fprintf(f,
            "recipebox_jobs{state=\"queued\"} %lld\nrecipebox_jobs{state=\"running\"} %lld\n"
            "recipebox_jobs{state=\"dead\"} %lld\n",
            js.queued, js.running, js.dead);
    fprintf(f,
            "# HELP recipebox_jobs_oldest_due_seconds Age of the oldest queued job that is due "
            "(0: none waits).\n# TYPE recipebox_jobs_oldest_due_seconds gauge\n"
            "recipebox_jobs_oldest_due_seconds %.3f\n",
            (double)js.oldest_due_us / 1e6);
}

char *metrics_prometheus(const struct app *app, struct arena *a, size_t *len)
{
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    if (f == NULL)
        return NULL;
    const struct scoreboard *sb = app->sb;
    prom_requests(f, app);
    prom_latency(f, app);
    unsigned counts[WORKER__MAX];
    scoreboard_states(sb, counts);
    fputs("# HELP recipebox_workers Worker processes by state.\n# TYPE recipebox_workers gauge\n",
          f);
    for (int s = WORKER_STARTING; s < WORKER__MAX; s++)
        fprintf(f, "recipebox_workers{state=\"%s\"} %u\n", state_names[s], counts[s]);
    prom_counter(f, "recipebox_worker_restarts_total", "Workers replaced after an unplanned exit.",
                 "counter", scoreboard_counter(sb, SCOREBOARD_RESTARTS));
    prom_counter(f, "recipebox_worker_kills_total", "Workers killed past request_timeout.",
                 "counter", scoreboard_counter(sb, SCOREBOARD_KILLS));
    prom_counter(f, "recipebox_max_children_reached_total", "Requests that found no idle worker.",
                 "counter", scoreboard_counter(sb, SCOREBOARD_MAX_CHILDREN_REACHED));
    prom_counter(f, "recipebox_accepted_connections_total", "Connections accepted.", "counter",
                 scoreboard_counter(sb, SCOREBOARD_ACCEPTED));
    prom_counter(f, "recipebox_db_errors_total", "Database errors.", "counter",
                 scoreboard_counter(sb, SCOREBOARD_DB_ERRORS));
    fprintf(f,
            "# HELP recipebox_db_seconds_total Time spent in the database.\n"
            "# TYPE recipebox_db_seconds_total counter\nrecipebox_db_seconds_total %.6f\n",
            (double)scoreboard_counter(sb, SCOREBOARD_DB_US) / 1e6);
    long q = metrics_listen_queue(app->listen_fd);
    fprintf(f,
            "# HELP recipebox_listen_queue Connections waiting to be accepted.\n"
            "# TYPE recipebox_listen_queue gauge\nrecipebox_listen_queue %ld\n",
            q);
    prom_counter(f, "recipebox_start_time_seconds", "Start of the pool, Unix time.", "gauge",
                 scoreboard_started(sb));
    prom_jobs(f, app);
    if (fclose(f) != 0) {
        free(mem);
        return NULL;
    }
    return to_arena(NULL, mem, memlen, a, len);
}

/* The status view's worker list: every slot in use, NULL on allocation
 * failure. */
static struct json_object *status_workers(const struct scoreboard *sb)
{
    struct json_object *workers = json_object_new_array();
    uint64_t ms = scoreboard_now_ms();
    int used = scoreboard_slots_used(sb);
    for (int i = 0; workers != NULL && i < used; i++) {
        struct scoreboard_slot_view s;
        if (scoreboard_slot_read(sb, i, &s) != 0 || s.pid <= 0 || s.state <= WORKER_FREE ||
            s.state >= WORKER__MAX)
            continue;
        struct json_object *w = json_object_new_object();
        if (w == NULL)
            continue;
        json_object_object_add(w, "pid", json_object_new_int(s.pid));
        json_object_object_add(w, "state", json_object_new_string(state_names[s.state]));
        json_object_object_add(w, "state_ms", json_object_new_int64((int64_t)(ms - s.since_ms)));
        json_object_object_add(w, "requests", json_object_new_int64((int64_t)s.requests));
        json_object_object_add(w, "generation", json_object_new_int((int)s.generation));
        json_object_array_add(workers, w);
    }
    return workers;
}

char *metrics_status_json(const struct app *app, struct arena *a, size_t *len)
{
    const struct scoreboard *sb = app->sb;
    unsigned counts[WORKER__MAX];
    scoreboard_states(sb, counts);
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    uint64_t now = (uint64_t)time(NULL);
    long q = metrics_listen_queue(app->listen_fd);
    unsigned active = counts[WORKER_READING] + counts[WORKER_BUSY];
    json_object_object_add(o, "pool", json_object_new_string("recipebox"));
    json_object_object_add(o, "start_time", json_object_new_int64((int64_t)scoreboard_started(sb)));
    json_object_object_add(o, "start_since",
                           json_object_new_int64((int64_t)(now - scoreboard_started(sb))));
    json_object_object_add(
        o, "accepted_conn",
        json_object_new_int64((int64_t)scoreboard_counter(sb, SCOREBOARD_ACCEPTED)));
    json_object_object_add(o, "listen_queue", json_object_new_int64(q));
    json_object_object_add(o, "idle_processes", json_object_new_int((int)counts[WORKER_IDLE]));
    json_object_object_add(o, "active_processes", json_object_new_int((int)active));
    json_object_object_add(
        o, "total_processes",
        json_object_new_int((int)(counts[WORKER_IDLE] + active + counts[WORKER_STARTING] +
                                  counts[WORKER_EXITING])));
    json_object_object_add(
        o, "max_children_reached",
        json_object_new_int64((int64_t)scoreboard_counter(sb, SCOREBOARD_MAX_CHILDREN_REACHED)));
    json_object_object_add(
        o, "restarts", json_object_new_int64((int64_t)scoreboard_counter(sb, SCOREBOARD_RESTARTS)));
    json_object_object_add(
        o, "kills", json_object_new_int64((int64_t)scoreboard_counter(sb, SCOREBOARD_KILLS)));
    json_object_object_add(o, "workers", status_workers(sb));
    size_t n = 0;
    const char *text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
    char *out = text ? arena_strndup(a, text, n) : NULL;
    if (out != NULL)
        *len = n;
    json_object_put(o);
    return out;
}
