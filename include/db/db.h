/* The database layer: one MariaDB connection per worker (opened after fork),
 * every statement prepared once and cached, parameters and result columns
 * bound through small descriptors instead of hand-written MYSQL_BIND code.
 * Reconnects by itself on a lost connection (errors 2006/2013) and re-prepares;
 * retries only statements marked safe to repeat. Never uses
 * MYSQL_OPT_RECONNECT (docs/pitfalls.md). */
#ifndef RB_DB_DB_H
#define RB_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "db/statements.h"

struct arena;
struct config;
struct db;
struct scoreboard;

enum db_status {
    DB_OK = 0,
    DB_NOTFOUND,    /* a single-row query found nothing */
    DB_CONFLICT,    /* duplicate key or foreign-key refusal: 409 */
    DB_UNAVAILABLE, /* server down, lost, or commit outcome unknown: 503 */
    DB_INVALID,     /* the server refused a value (1366, 1406, ...): 422, see db_last_column */
    DB_TIMEOUT,     /* the statement ran past its server-side time limit: 503 */
    DB_ERROR        /* anything else: 500 (and logged) */
};

enum db_type { DB_T_NULL = 0, DB_T_INT, DB_T_UINT, DB_T_DOUBLE, DB_T_STR, DB_T_BLOB };

/* One bound parameter. Strings are not copied; they must live until the call
 * returns. */
struct db_arg {
    enum db_type type;
    long long i;
    double d;
    const char *s;
    size_t len;
};

#define DB_ARG_INT(v) ((struct db_arg){.type = DB_T_INT, .i = (long long)(v)})
#define DB_ARG_DOUBLE(v) ((struct db_arg){.type = DB_T_DOUBLE, .d = (v)})
#define DB_ARG_STR(v, n) ((struct db_arg){.type = DB_T_STR, .s = (v), .len = (n)})
#define DB_ARG_NULL ((struct db_arg){.type = DB_T_NULL})

/* One result column, written into a row struct at offset. DB_T_STR stores a
 * NUL-terminated arena copy (char *) at offset, and its length at len_offset
 * when len_offset is not DB_NO_OFFSET. null_offset (an int), when set,
 * receives 1 for SQL NULL. */
struct db_col {
    enum db_type type;
    size_t offset;
    size_t len_offset;
    size_t null_offset;
};
#define DB_NO_OFFSET ((size_t)-1)
#define DB_COL_INT(st, f)                                                                          \
    {                                                                                              \
        DB_T_INT, offsetof(st, f), DB_NO_OFFSET, DB_NO_OFFSET                                      \
    }
#define DB_COL_DOUBLE(st, f)                                                                       \
    {                                                                                              \
        DB_T_DOUBLE, offsetof(st, f), DB_NO_OFFSET, DB_NO_OFFSET                                   \
    }
#define DB_COL_STR(st, f)                                                                          \
    {                                                                                              \
        DB_T_STR, offsetof(st, f), DB_NO_OFFSET, DB_NO_OFFSET                                      \
    }

/* Called once per fetched row, with the row struct filled. Return non-zero
 * to stop (the call then returns DB_OK). */
typedef int (*db_row_fn)(void *row, void *ctx);

struct db_opts {
    int migrate;           /* use [database] migrate_user */
    uint64_t *time_us;     /* accumulates time spent in the database, may be NULL */
    struct scoreboard *sb; /* counts errors in SCOREBOARD_DB_ERRORS, may be NULL */
};

/* Creates the handle; connects lazily. Call after fork. NULL on allocation
 * failure. cfg must outlive the handle. */
struct db *db_open(const struct config *cfg, const struct db_opts *opts);
void db_close(struct db *db);

/* Connects now if not connected. DB_OK or DB_UNAVAILABLE. After a failure the
 * next attempt waits db_retry_ms, so a down server costs requests nothing. */
enum db_status db_connect(struct db *db);

/* Runs a statement that returns no rows. affected and insert_id may be NULL. */
enum db_status db_exec(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                       unsigned long long *affected, unsigned long long *insert_id);

/* Runs a query and calls fn for each row, filling row (rowsize bytes,
 * zeroed before each row) through cols. Strings go to arena a. */
enum db_status db_query(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                        const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                        struct arena *a, db_row_fn fn, void *ctx);

/* Like db_query for exactly one row: DB_NOTFOUND when there is none. */
enum db_status db_query_one(struct db *db, enum db_stmt st, const struct db_arg *args, size_t nargs,
                            const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                            struct arena *a);

/* Like db_query for a read whose text is assembled at run time from fixed
 * fragments (never from input: values go in args). Prepared statements are
 * cached by text, at most a few dozen per connection. */
enum db_status db_query_sql(struct db *db, const char *sql, const struct db_arg *args, size_t nargs,
                            const struct db_col *cols, size_t ncols, void *row, size_t rowsize,
                            struct arena *a, db_row_fn fn, void *ctx);

/* Statements executed on this handle so far (the request log shows the
 * difference per request, which is how N+1 query patterns are caught). */
unsigned long long db_queries(const struct db *db);

/* Transactions. Inside one, a lost connection is never retried: the whole
 * transaction fails with DB_UNAVAILABLE. A failed COMMIT is DB_UNAVAILABLE
 * (outcome unknown), never success. */
enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* The body of a transaction: its statements, DB_OK to commit. It may run
 * more than once, so it must reset what it reports (ctx) and have no effect
 * outside the database. Any other status rolls back and is returned. */
typedef enum db_status (*db_txn_fn)(struct db *db, void *ctx);

/* Runs fn inside a transaction and commits. A run the server rolled back
 * (deadlock, Galera's certification conflict at COMMIT: 1213) or that never
 * reached COMMIT (the node left the cluster: 1047, a lost connection) runs
 * again, at most 5 times in all with a short jittered pause; a COMMIT whose
 * outcome is unknown never does (DB_UNAVAILABLE). */
enum db_status db_txn(struct db *db, db_txn_fn fn, void *ctx);

/* Runs trusted multi-statement SQL (migration files only). DB_OK or an error
 * with the server's message in err. */
enum db_status db_exec_script(struct db *db, const char *sql, size_t len, char *err, size_t errlen);

/* The server's last error message, for logs (never for clients). */
const char *db_last_error(const struct db *db);

/* After DB_INVALID: the column the server named ("title"), copied into buf;
 * "" when it named none. Returns buf. */
const char *db_last_column(const struct db *db, char *buf, size_t size);

/* The same from a server message: the column of "... for column X ...", or
 * "". Pure; returns buf. */
const char *db_error_column(const char *msg, char *buf, size_t size);

/* Maps a status to the HTTP status a handler should answer. */
int db_http_status(enum db_status s);

#endif
