/* The binding helpers under db.c: turning struct db_arg lists into
 * MYSQL_BIND parameters and fetched column values into caller structs
 * described by struct db_col. Pure (no connection), so unit-tested alone. */
#ifndef RB_DB_BIND_H
#define RB_DB_BIND_H

#include <mysql.h>
#include <stddef.h>

#include "db/db.h"

struct arena;

/* One fetched column value. */
struct db_value {
    int is_null;
    long long i;
    double d;
    const char *s; /* DB_T_STR/BLOB: the bytes, len of them */
    size_t len;
};

/* Fills b[0..n) for args. b is zeroed first. Returns 0, or -1 for an unknown
 * type or n > DB_MAX_BIND. The binds point into args: keep args alive. */
int bind_params(const struct db_arg *args, size_t n, MYSQL_BIND *b);

/* Writes vals into row (zeroed first) as cols describe: integers as long
 * long, doubles, strings as NUL-terminated arena copies (char *) with their
 * length at len_offset, and NULL flags at null_offset. 0, or -1 when the
 * arena is exhausted. */
int bind_row_fill(const struct db_col *cols, size_t ncols, const struct db_value *vals, void *row,
                  size_t rowsize, struct arena *a);

#define DB_MAX_BIND 32

#endif
