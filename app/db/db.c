/* MariaDB Connector/C wrapper: connection with timeouts and utf8mb4, strict
 * sql_mode checked at connect, a prepared-statement cache indexed by enum
 * db_stmt, descriptor-driven binding, and our own reconnect: a lost
 * connection (2006/2013/...) is reopened and the statements re-prepared;
 * only statements marked repeatable are retried, never inside a transaction.
 * Several [database] hosts: a worker fails over to the next that answers and
 * is a ready Galera node (or no Galera node at all); db_txn runs a whole
 * transaction again after a certification conflict (docs/scale-out.md). */
#include "db/db.h"
#include "db/bind.h"

#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "base/scoreboard.h"
#include "lib/backoff.h"
#include "lib/dbhosts.h"

#define DB_STRBUF 256
#define DB_RETRY_MS 1000 /* no new connect attempt sooner after a failure */
#define DB_IDLE_PING_MS 1000
#define DB_DYN_MAX 32           /* cached statements built at run time (list filters) */
#define DB_TXN_ATTEMPTS 5       /* runs of a transaction refused by a conflict or a node */
#define DB_TXN_PAUSE_MS 20      /* first pause before a rerun, doubled, with jitter */
#define DB_WSREP_NOT_READY 1047 /* a Galera node outside the primary component */
#define DB_SYNC_PREFIX "SET STATEMENT wsrep_sync_wait = 1 FOR "

/* A statement whose text is assembled at run time from fixed fragments (the
 * recipe list's filters), cached by text; the oldest is closed when full. */
#define DB_MIGRATE_READ_TIMEOUT 3600 /* seconds `recipebox migrate` waits for a statement */
#define DB_SQL_MAX 9216              /* a run-time text with its time-limit prefix */

struct dyn_stmt {
    char *sql;
    MYSQL_STMT *stmt;
    uint64_t used;
};

struct db {
    const struct config *cfg;
    struct db_opts opts;
    MYSQL *conn;
    int in_txn;
    uint64_t retry_at_ms;
    uint64_t last_used_ms;
    MYSQL_STMT *stmts[STMT__MAX];
    struct dyn_stmt dyn[DB_DYN_MAX];
    uint64_t dyn_clock;
    unsigned long long queries; /* statements executed, for the request log */
    unsigned long thread_id;    /* the server's id of this connection */
    unsigned long abandoned;    /* a thread whose statement we gave up waiting for, 0 = none */
    int mariadb;                /* the server is MariaDB (else MySQL): how time limits are set */
    int galera;                 /* the server is a Galera node: sync_read statements wait */
    unsigned host;              /* index of the [database] host in use (or tried next) */
    unsigned code;              /* the last error number, 0 after db_begin */
    char err[256];
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct db *db_open(const struct config *cfg, const struct db_opts *opts)
{
    struct db *db = calloc(1, sizeof(*db));
    if (db == NULL)
        return NULL;
    db->cfg = cfg;
    if (opts != NULL)
        db->opts = *opts;
    return db;
}

static void db_disconnect(struct db *db)
{
    for (int i = 0; i < STMT__MAX; i++) {
        if (db->stmts[i] != NULL)
            mysql_stmt_close(db->stmts[i]);
        db->stmts[i] = NULL;
    }
    for (int i = 0; i < DB_DYN_MAX; i++) {
        if (db->dyn[i].stmt != NULL)
            mysql_stmt_close(db->dyn[i].stmt);
        db->dyn[i].stmt = NULL;
    }
    if (db->conn != NULL)
        mysql_close(db->conn);
    db->conn = NULL;
    db->in_txn = 0;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    db_disconnect(db);
    for (int i = 0; i < DB_DYN_MAX; i++)
        free(db->dyn[i].sql);
    free(db);
}

const char *db_last_error(const struct db *db)
{
    return db->err;
}

const char *db_error_column(const char *msg, char *buf, size_t size)
{
    /* MariaDB: "... for column `db`.`table`.`title` at row 1";
     * older servers: "... for column 'title' at row 1". The last name. */
    const char *p = strstr(msg, "for column ");
    buf[0] = '\0';
    if (p == NULL)
        return buf;
    p += 11;
    size_t n = strcspn(p, " ");
    const char *last = p;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '.')
            last = p + i + 1;
    n -= (size_t)(last - p);
    while (n > 0 && (*last == '`' || *last == '\'')) {
        last++;
        n--;
    }
    while (n > 0 && (last[n - 1] == '`' || last[n - 1] == '\''))
        n--;
    snprintf(buf, size, "%.*s", (int)n, last);
    return buf;
}

const char *db_last_column(const struct db *db, char *buf, size_t size)
{
    return db_error_column(db->err, buf, size);
}

static void count_error(struct db *db)
{
    scoreboard_count_event(db->opts.sb, SCOREBOARD_DB_ERRORS);
}

static int lost(unsigned code)
{
    return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == 2055 ||
           code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR || code == 1927 ||
           code == 4031 || code == CR_COMMANDS_OUT_OF_SYNC;
}

static enum db_status classify(unsigned code)
{
    if (lost(code))
        return DB_UNAVAILABLE;
    switch (code) {
    case ER_DUP_ENTRY:
    case ER_ROW_IS_REFERENCED_2:
    case ER_NO_REFERENCED_ROW_2:
        return DB_CONFLICT;
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
    case 1290: /* read-only server (a replica after failover) */
        return DB_UNAVAILABLE;
    case 1264: /* out of range value */
    case 1265: /* data truncated */
    case 1292: /* incorrect value */
    case 1366: /* incorrect string value (bytes that are not utf8mb4) */
    case 1406: /* data too long */
    case 3140: /* invalid JSON text */
    case 4025: /* CHECK constraint failed */
        return DB_INVALID;
    case 1969: /* max_statement_time exceeded: the server stopped it */
    case 3024: /* MySQL's max_execution_time */
        return DB_TIMEOUT;
    default:
        return DB_ERROR;
    }
}

int db_http_status(enum db_status s)
{
    switch (s) {
    case DB_OK:
        return 200;
    case DB_NOTFOUND:
        return 404;
    case DB_CONFLICT:
        return 409;
    case DB_UNAVAILABLE:
    case DB_TIMEOUT:
        return 503;
    case DB_INVALID:
        return 422;
    default:
        return 500;
    }
}

static void remember(struct db *db, unsigned code, const char *msg)
{
    db->code = code;
    snprintf(db->err, sizeof(db->err), "%u: %s", code, msg ? msg : "");
}

/* The session must be strict and utf8mb4, whatever the server defaults are. */
static int check_session(struct db *db)
{
    struct {
        char *mode;
        char *charset;
    } row = {NULL, NULL};
    const struct db_col cols[] = {{DB_T_STR, 0, DB_NO_OFFSET, DB_NO_OFFSET},
                                  {DB_T_STR, sizeof(char *), DB_NO_OFFSET, DB_NO_OFFSET}};
    struct arena a;
    arena_init(&a, 1 << 16);
    enum db_status rc = db_query_one(db, STMT_SQL_MODE, NULL, 0, cols, 2, &row, sizeof(row), &a);
    int ok = rc == DB_OK && row.mode != NULL && strstr(row.mode, "STRICT_ALL_TABLES") != NULL &&
             row.charset != NULL && strcmp(row.charset, "utf8mb4") == 0;
    if (!ok)
        log_msg(LOG_ERROR, "database session is not strict utf8mb4 (sql_mode=%s, charset=%s)",
                rc == DB_OK && row.mode ? row.mode : "?",
                rc == DB_OK && row.charset ? row.charset : "?");
    arena_free(&a);
    return ok ? 0 : -1;
}

/* Every statement of the session is stopped by the server past
 * statement_timeout_ms, so none outlives the request that asked for it
 * (the client's read timeout alone leaves it running). MariaDB bounds every
 * statement; MySQL's max_execution_time bounds SELECTs only. A text query,
 * not a prepared one: it holds only numbers formatted here, runs once per
 * connection, and runs inside db_connect, below the statement cache. */
static void limit_statements(struct db *db)
{
    unsigned ms = db->cfg->db_statement_ms;
    if (ms == 0 || db->opts.migrate) /* a migration may rewrite every row */
        return;
    char sql[96];
    if (db->mariadb)
        snprintf(sql, sizeof(sql), "SET SESSION max_statement_time = %u.%03u", ms / 1000,
                 ms % 1000);
    else
        snprintf(sql, sizeof(sql), "SET SESSION max_execution_time = %u", ms);
    if (mysql_real_query(db->conn, sql, strlen(sql)) != 0)
        log_msg(LOG_WARN, "database: statements are not time-limited: %s", mysql_error(db->conn));
}

/* A statement we stopped waiting for (read timeout, CR_SERVER_LOST) may
 * still run on the server: stop it from the new connection. Only when the
 * new connection's id is higher, i.e. the same server run (ids restart
 * after a server restart and could name someone else's thread). */
static void stop_abandoned(struct db *db)
{
    unsigned long id = db->abandoned;
    db->abandoned = 0;
    if (id == 0 || db->thread_id <= id)
        return;
    char sql[48];
    snprintf(sql, sizeof(sql), "KILL QUERY %lu", id);
    if (mysql_real_query(db->conn, sql, strlen(sql)) == 0)
        log_msg(LOG_WARN, "database: stopped the abandoned statement of thread %lu", id);
}

/* A connection to one server with today's options and timeouts, or NULL
 * with the error remembered. */
static MYSQL *open_one(struct db *db, const char *host, unsigned port, const char *sock)
{
    const struct config *c = db->cfg;
    MYSQL *m = mysql_init(NULL);
    if (m == NULL)
        return NULL;
    unsigned ct = c->db_connect_timeout, rt = c->db_read_timeout, wt = c->db_write_timeout;
    if (db->opts.migrate && rt < DB_MIGRATE_READ_TIMEOUT)
        rt = DB_MIGRATE_READ_TIMEOUT; /* a backfill over a large table is not a hang */
    unsigned no = 0;
    const char *init = "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                       "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY',"
                       " time_zone='+00:00', group_concat_max_len=16777216";
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rt);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &wt);
    mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &no);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(m, MYSQL_INIT_COMMAND, init);
    const char *user = c->db_user, *pw = c->db_password;
    if (db->opts.migrate && c->db_migrate_user[0] != '\0') {
        user = c->db_migrate_user;
        pw = c->db_migrate_password;
    }
    unsigned long flags = db->opts.migrate ? CLIENT_MULTI_STATEMENTS : 0;
    uint64_t t0 = now_us();
    MYSQL *ok = mysql_real_connect(m, host, user, pw, c->db_name, port, sock, flags);
    if (db->opts.time_us != NULL)
        *db->opts.time_us += now_us() - t0;
    if (ok == NULL) {
        remember(db, mysql_errno(m), mysql_error(m));
        log_msg(LOG_ERROR, "database connect to %s:%u failed: %s", sock ? sock : host, port,
                db->err);
        mysql_close(m);
    }
    return ok;
}

/* Whether the server just reached may serve: any server without Galera, or
 * a Galera node of the primary component (a node cut off from the others
 * accepts connections but refuses statements with 1047). Sets db->galera.
 * Text protocol: it runs once per connection, below the statement cache. */
static int node_ready(struct db *db)
{
    db->galera = 0;
    if (!db->mariadb)
        return 1; /* MySQL has no wsrep variables (and no Galera of ours) */
    const char *sql = db_statements[STMT_WSREP_STATE].sql;
    if (mysql_real_query(db->conn, sql, strlen(sql)) != 0) {
        remember(db, mysql_errno(db->conn), mysql_error(db->conn));
        return 0;
    }
    MYSQL_RES *res = mysql_store_result(db->conn);
    MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
    int ok = row != NULL && row[0] != NULL && row[1] != NULL;
    if (ok) {
        db->galera = strcmp(row[0], "ON") == 0;
        ok = !db->galera || strcmp(row[1], "ON") == 0;
        if (!ok)
            snprintf(db->err, sizeof(db->err), "Galera node not ready (wsrep_ready %s)", row[1]);
    }
    if (res != NULL)
        mysql_free_result(res);
    return ok;
}

/* Connects to host number at of the list; DB_OK when it is usable. */
static enum db_status connect_host(struct db *db, const struct dbhost *h, unsigned at)
{
    const char *sock = db->cfg->db_socket[0] ? db->cfg->db_socket : NULL;
    MYSQL *m = open_one(db, sock ? "localhost" : h->name, h->port, sock);
    if (m == NULL)
        return DB_UNAVAILABLE;
    if (at != db->host)
        db->abandoned = 0; /* a thread id of another server */
    db->host = at;
    db->conn = m;
    db->last_used_ms = now_ms();
    db->thread_id = mysql_thread_id(m);
    db->mariadb = strstr(mysql_get_server_info(m), "MariaDB") != NULL;
    if (!node_ready(db)) {
        log_msg(LOG_WARN, "database %s:%u refused: %s", h->name, h->port, db->err);
        db_disconnect(db);
        return DB_UNAVAILABLE;
    }
    stop_abandoned(db);
    limit_statements(db);
    if (check_session(db) != 0) {
        db_disconnect(db);
        return DB_UNAVAILABLE;
    }
    return DB_OK;
}

/* The hosts to try: the socket alone, or the [database] host list. */
static int target_hosts(const struct config *c, struct dbhost *hosts)
{
    char why[160];
    if (c->db_socket[0] != '\0') {
        snprintf(hosts[0].name, sizeof(hosts[0].name), "localhost");
        hosts[0].port = c->db_port;
        return 1;
    }
    return dbhosts_parse(c->db_host, strlen(c->db_host), c->db_port, hosts, DBHOSTS_MAX, why,
                         sizeof(why));
}

enum db_status db_connect(struct db *db)
{
    if (db->conn != NULL)
        return DB_OK;
    if (now_ms() < db->retry_at_ms)
        return DB_UNAVAILABLE;
    struct dbhost hosts[DBHOSTS_MAX];
    int n = target_hosts(db->cfg, hosts);
    if (n <= 0)
        return DB_ERROR; /* config_validate refuses such a list */
    /* from the host in use on: a worker stays where it is until that fails */
    for (unsigned i = 0; i < (unsigned)n; i++) {
        unsigned at = (db->host + i) % (unsigned)n;
        if (connect_host(db, &hosts[at], at) == DB_OK)
            return DB_OK;
    }
    db->retry_at_ms = now_ms() + DB_RETRY_MS;
    count_error(db);
    return DB_UNAVAILABLE;
}

static MYSQL_STMT *prepare_text(struct db *db, const char *sql, unsigned *code)
{
    MYSQL_STMT *s = mysql_stmt_init(db->conn);
    if (s == NULL) {
        *code = CR_OUT_OF_MEMORY;
        return NULL;
    }
    if (mysql_stmt_prepare(s, sql, strlen(sql)) != 0) {
        *code = mysql_stmt_errno(s);
        remember(db, *code, mysql_stmt_error(s));
        mysql_stmt_close(s);
        return NULL;
    }
    return s;
}

/* The cached statement for a run-time text: found by text, else prepared
 * into a free or the least recently used slot. */
static MYSQL_STMT *prepare_dyn(struct db *db, const char *sql, unsigned *code)
{
    struct dyn_stmt *victim = &db->dyn[0];
    for (int i = 0; i < DB_DYN_MAX; i++) {
        struct dyn_stmt *d = &db->dyn[i];
        if (d->sql != NULL && d->stmt != NULL && strcmp(d->sql, sql) == 0) {
            d->used = ++db->dyn_clock;
            return d->stmt;
        }
        if (d->stmt == NULL) {
            if (victim->stmt != NULL)
                victim = d; /* an empty slot beats any used one */
        } else if (victim->stmt != NULL && d->used < victim->used) {
            victim = d;
        }
    }
    char *copy = strdup(sql);
    if (copy == NULL) {
        *code = CR_OUT_OF_MEMORY;
        return NULL;
    }
    MYSQL_STMT *s = prepare_text(db, sql, code);
    if (s == NULL) {
        free(copy);
        return NULL;
    }
    if (victim->stmt != NULL)
        mysql_stmt_close(victim->stmt);
    free(victim->sql);
    *victim = (struct dyn_stmt){copy, s, ++db->dyn_clock};
    return s;
}

static MYSQL_STMT *prepare(struct db *db, enum db_stmt st, const char *dyn_sql, unsigned *code)
{
    if (dyn_sql != NULL)
        return prepare_dyn(db, dyn_sql, code);
    if (db->stmts[st] != NULL)
        return db->stmts[st];
    const char *sql = db_statements[st].sql;
    char synced[DB_SQL_MAX];
    if (db->galera && db_statement_sync_read(st)) {
        /* the wait is part of the cached statement: no extra round trip */
        int n = snprintf(synced, sizeof(synced), DB_SYNC_PREFIX "%s", sql);
        if (n > 0 && (size_t)n < sizeof(synced))
            sql = synced;
    }
    db->stmts[st] = prepare_text(db, sql, code);
    return db->stmts[st];
}

/* Result buffers for one fetch. */
struct fetch {
    const struct db_col *cols;
    size_t ncols;
    void *row;
    size_t rowsize;
    struct arena *a;
    db_row_fn fn;
    void *ctx;
    int one; /* exactly one row wanted */
    int found;
};

struct colbuf {
    long long i;
    double d;
    char s[DB_STRBUF];
    unsigned long len;
    my_bool is_null;
    my_bool error;
};

/* Strings longer than the small column buffer were truncated: fetch each
 * whole into the arena, then fill the caller's struct. */
static enum db_status store_row(MYSQL_STMT *s, struct fetch *f, MYSQL_BIND *b, struct colbuf *cb)
{
    struct db_value vals[DB_MAX_BIND];
    for (size_t i = 0; i < f->ncols; i++) {
        vals[i] = (struct db_value){
            .is_null = cb[i].is_null, .i = cb[i].i, .d = cb[i].d, .s = cb[i].s, .len = cb[i].len};
        enum db_type t = f->cols[i].type;
        if (cb[i].is_null || (t != DB_T_STR && t != DB_T_BLOB) || cb[i].len < DB_STRBUF)
            continue;
        char *whole = arena_alloc(f->a, (size_t)cb[i].len + 1);
        if (whole == NULL)
            return DB_ERROR;
        MYSQL_BIND one;
        memset(&one, 0, sizeof(one));
        one.buffer_type = b[i].buffer_type;
        one.buffer = whole;
        one.buffer_length = cb[i].len;
        if (mysql_stmt_fetch_column(s, &one, (unsigned)i, 0) != 0)
            return DB_ERROR;
        vals[i].s = whole;
    }
    return bind_row_fill(f->cols, f->ncols, vals, f->row, f->rowsize, f->a) == 0 ? DB_OK : DB_ERROR;
}

static enum db_status fetch_rows(MYSQL_STMT *s, struct fetch *f)
{
    if (f->ncols > DB_MAX_BIND || mysql_stmt_field_count(s) != f->ncols)
        return DB_ERROR;
    MYSQL_BIND b[DB_MAX_BIND];
    struct colbuf cb[DB_MAX_BIND];
    memset(b, 0, sizeof(b));
    memset(cb, 0, sizeof(cb));
    for (size_t i = 0; i < f->ncols; i++) {
        enum db_type t = f->cols[i].type;
        b[i].is_null = &cb[i].is_null;
        b[i].error = &cb[i].error;
        b[i].length = &cb[i].len;
        if (t == DB_T_INT || t == DB_T_UINT) {
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = &cb[i].i;
        } else if (t == DB_T_DOUBLE) {
            b[i].buffer_type = MYSQL_TYPE_DOUBLE;
            b[i].buffer = &cb[i].d;
        } else {
            b[i].buffer_type = t == DB_T_BLOB ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
            b[i].buffer = cb[i].s;
            b[i].buffer_length = DB_STRBUF;
        }
    }
    if (mysql_stmt_bind_result(s, b) != 0 || mysql_stmt_store_result(s) != 0)
        return classify(mysql_stmt_errno(s));
    enum db_status rc = DB_OK;
    for (;;) {
        int r = mysql_stmt_fetch(s);
        if (r == MYSQL_NO_DATA)
            break;
        if (r == 1) {
            rc = classify(mysql_stmt_errno(s));
            break;
        }
        /* r == 0 or MYSQL_DATA_TRUNCATED: long strings are fetched whole below */
        if ((rc = store_row(s, f, b, cb)) != DB_OK)
            break;
        f->found++;
        if (f->one || (f->fn != NULL && f->fn(f->row, f->ctx) != 0))
            break;
    }
    mysql_stmt_free_result(s);
    return rc;
}

/* Pings a connection that sat idle before running something that cannot be
 * retried, so that a server-side timeout is found before, not during, it. */
static void ping_if_idle(struct db *db)
{
    if (db->conn != NULL && !db->in_txn && now_ms() - db->last_used_ms > DB_IDLE_PING_MS &&
        mysql_ping(db->conn) != 0)
        db_disconnect(db);
}

/* What to run: a statement from the table, or a run-time text. */
struct target {
    enum db_stmt st;
    const char *sql; /* NULL for the table's statement */
    int repeatable;
};

static enum db_status run(struct db *db, const struct target *t, const struct db_arg *args,
                          size_t nargs, struct fetch *f, unsigned long long *affected,
                          unsigned long long *insert_id)
{
    int repeatable = t->repeatable, conflicts = 0;
    for (int attempt = 0;; attempt++) {
        if (!repeatable)
            ping_if_idle(db);
        if (db->conn == NULL && db->in_txn)
            return DB_UNAVAILABLE;
        enum db_status rc = db_connect(db);
        if (rc != DB_OK)
            return rc;
        unsigned code = 0;
        MYSQL_BIND b[DB_MAX_BIND];
        MYSQL_STMT *s = prepare(db, t->st, t->sql, &code);
        if (s != NULL && (mysql_stmt_param_count(s) != nargs || bind_params(args, nargs, b) != 0 ||
                          (nargs > 0 && mysql_stmt_bind_param(s, b) != 0))) {
            snprintf(db->err, sizeof(db->err), "statement %d: parameter binding failed",
                     (int)t->st);
            count_error(db);
            return DB_ERROR;
        }
        db->queries++;
        int failed = s == NULL || mysql_stmt_execute(s) != 0;
        if (!failed) {
            db->last_used_ms = now_ms();
            if (affected != NULL)
                *affected = (unsigned long long)mysql_stmt_affected_rows(s);
            if (insert_id != NULL)
                *insert_id = (unsigned long long)mysql_stmt_insert_id(s);
            rc = f != NULL ? fetch_rows(s, f) : DB_OK;
            if (rc == DB_OK)
                return DB_OK;
            code = mysql_stmt_errno(s);
            if (code != 0)
                remember(db, code, mysql_stmt_error(s));
        } else if (s != NULL) {
            code = mysql_stmt_errno(s);
            remember(db, code, mysql_stmt_error(s));
        }
        count_error(db);
        if (code == ER_LOCK_DEADLOCK && !db->in_txn && conflicts++ < DB_TXN_ATTEMPTS - 1) {
            attempt--; /* the server rolled the statement back: run it again */
            continue;
        }
        int gone = code == DB_WSREP_NOT_READY; /* refused before it ran: any may be retried */
        if (!lost(code) && !gone) {
            enum db_status why = classify(code);
            if (why != DB_CONFLICT) /* every 500, 422 or 503 from here says why in the log */
                log_msg(why == DB_ERROR ? LOG_ERROR : LOG_WARN, "database: %s (statement %d)",
                        db->err, (int)t->st);
            return why;
        }
        int in_txn = db->in_txn;
        log_msg(LOG_WARN, "database connection lost (%s); reconnecting", db->err);
        if (s != NULL && code == CR_SERVER_LOST)
            db->abandoned = db->thread_id;
        db_disconnect(db);
        /* a failed prepare never ran anything; an execute only when repeatable */
        if (gone)
            db->host++; /* this node left the cluster: the next one */
        if (attempt > 0 || in_txn || (s != NULL && !repeatable && !gone))
            return DB_UNAVAILABLE;
    }
}

static enum db_status timed(struct db *db, const struct target *t, const struct db_arg *args,
                            size_t nargs, struct fetch *f, unsigned long long *affected,
                            unsigned long long *insert_id)
{
    uint64_t t0 = now_us();
    enum db_status rc = run(db, t, args, nargs, f, affected, insert_id);
    if (db->opts.time_us != NULL)
        *db->opts.time_us += now_us() - t0;
    return rc;
}

static struct target table_target(enum db_stmt st)
{
    return (struct target){st, NULL, db_statements[st].repeatable};
}

enum db_status db_exec(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                       unsigned long long *affected, unsigned long long *insert_id)
{
    struct target t = table_target(st);
    return timed(db, &t, args, nargs, NULL, affected, insert_id);
}

enum db_status db_query(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                        const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                        struct arena *a, db_row_fn fn, void *ctx)
{
    struct fetch f = {cols, ncols, row, rowsize, a, fn, ctx, 0, 0};
    struct target t = table_target(st);
    return timed(db, &t, args, nargs, &f, NULL, NULL);
}

enum db_status db_query_one(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                            const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                            struct arena *a)
{
    struct fetch f = {cols, ncols, row, rowsize, a, NULL, NULL, 1, 0};
    struct target t = table_target(st);
    enum db_status rc = timed(db, &t, args, nargs, &f, NULL, NULL);
    return rc == DB_OK && f.found == 0 ? DB_NOTFOUND : rc;
}

enum db_status db_query_sql(struct db *db, const char *sql, const struct db_arg *args, size_t nargs,
                            const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                            struct arena *a, db_row_fn fn, void *ctx)
{
    struct fetch f = {cols, ncols, row, rowsize, a, fn, ctx, 0, 0};
    /* run-time texts are the lists and searches a client shapes: they get
     * the tighter search_timeout_ms, set on the statement itself */
    char limited[DB_SQL_MAX];
    unsigned ms = db->cfg->db_search_ms;
    enum db_status st = db_connect(db); /* which server it is decides the form */
    if (st != DB_OK)
        return st;
    if (ms > 0 && db->mariadb && strncmp(sql, "SELECT ", 7) == 0) {
        int n =
            snprintf(limited, sizeof(limited), "SET STATEMENT max_statement_time = %u.%03u FOR %s",
                     ms / 1000, ms % 1000, sql);
        if (n > 0 && (size_t)n < sizeof(limited))
            sql = limited;
    } else if (ms > 0 && !db->mariadb && strncmp(sql, "SELECT ", 7) == 0) {
        int n = snprintf(limited, sizeof(limited), "SELECT /*+ MAX_EXECUTION_TIME(%u) */ %s", ms,
                         sql + 7);
        if (n > 0 && (size_t)n < sizeof(limited))
            sql = limited;
    }
    struct target t = {STMT__MAX, sql, 1};
    return timed(db, &t, args, nargs, &f, NULL, NULL);
}

unsigned long long db_queries(const struct db *db)
{
    return db->queries;
}

enum db_status db_begin(struct db *db)
{
    ping_if_idle(db);
    enum db_status rc = db_connect(db);
    if (rc != DB_OK)
        return rc;
    if (mysql_autocommit(db->conn, 0) != 0) {
        unsigned code = mysql_errno(db->conn);
        remember(db, code, mysql_error(db->conn));
        count_error(db);
        db_disconnect(db);
        return DB_UNAVAILABLE;
    }
    db->in_txn = 1;
    db->code = 0;
    return DB_OK;
}

enum db_status db_commit(struct db *db)
{
    if (db->conn == NULL) {
        db->in_txn = 0;
        return DB_UNAVAILABLE;
    }
    uint64_t t0 = now_us();
    int failed = mysql_commit(db->conn) != 0;
    if (db->opts.time_us != NULL)
        *db->opts.time_us += now_us() - t0;
    if (failed) {
        unsigned code = mysql_errno(db->conn);
        remember(db, code, mysql_error(db->conn));
        count_error(db);
        if (code == ER_LOCK_DEADLOCK) { /* Galera's certification: nothing was committed */
            log_msg(LOG_WARN, "COMMIT refused, rolled back: %s", db->err);
            db_rollback(db);
            return DB_UNAVAILABLE;
        }
        log_msg(LOG_ERROR, "COMMIT failed, outcome unknown: %s", db->err);
        db_disconnect(db); /* never reuse a connection in an unknown state */
        return DB_UNAVAILABLE;
    }
    db->in_txn = 0;
    if (mysql_autocommit(db->conn, 1) != 0)
        db_disconnect(db);
    return DB_OK;
}

void db_rollback(struct db *db)
{
    if (db->conn != NULL && (mysql_rollback(db->conn) != 0 || mysql_autocommit(db->conn, 1) != 0))
        db_disconnect(db);
    db->in_txn = 0;
}

/* Whether a transaction that failed with the last error may run again:
 * the server rolled it back (a deadlock, Galera's certification conflict),
 * or it never reached COMMIT (a node left the cluster, the connection was
 * lost while it ran). A COMMIT whose outcome is unknown is not rerun. */
static int rerunnable(const struct db *db, int committing)
{
    if (db->code == ER_LOCK_DEADLOCK)
        return 1;
    return !committing && (db->code == DB_WSREP_NOT_READY || lost(db->code));
}

static void pause_before_rerun(unsigned attempt)
{
    uint64_t ms = backoff_delay_ms(attempt, DB_TXN_PAUSE_MS, 8 * DB_TXN_PAUSE_MS,
                                   (uint32_t)now_us() ^ (uint32_t)getpid());
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

enum db_status db_txn(struct db *db, db_txn_fn fn, void *ctx)
{
    enum db_status st = DB_ERROR;
    for (unsigned attempt = 1; attempt <= DB_TXN_ATTEMPTS; attempt++) {
        if (attempt > 1)
            pause_before_rerun(attempt - 1);
        st = db_begin(db);
        if (st != DB_OK)
            return st;
        st = fn(db, ctx);
        if (st != DB_OK) {
            db_rollback(db);
            if (!rerunnable(db, 0))
                return st;
            continue;
        }
        st = db_commit(db);
        if (st == DB_OK || !rerunnable(db, 1))
            return st;
    }
    log_msg(LOG_WARN, "database: transaction refused %d times, given up: %s", DB_TXN_ATTEMPTS,
            db->err);
    return st;
}

enum db_status db_exec_script(struct db *db, const char *sql, size_t len, char *err, size_t errlen)
{
    enum db_status rc = db_connect(db);
    if (rc != DB_OK) {
        snprintf(err, errlen, "%s", db->err);
        return rc;
    }
    /* Migration files are trusted, parameterless DDL: the text protocol with
     * multi-statements is the tool here, and only here. */
    if (mysql_real_query(db->conn, sql, (unsigned long)len) != 0)
        goto fail;
    for (;;) {
        MYSQL_RES *res = mysql_store_result(db->conn);
        if (res != NULL)
            mysql_free_result(res);
        int next = mysql_next_result(db->conn);
        if (next == -1)
            return DB_OK;
        if (next > 0)
            goto fail;
    }
fail:
    snprintf(err, errlen, "%u: %s", mysql_errno(db->conn), mysql_error(db->conn));
    rc = classify(mysql_errno(db->conn));
    if (lost(mysql_errno(db->conn)))
        db_disconnect(db);
    return rc == DB_OK ? DB_ERROR : rc;
}
