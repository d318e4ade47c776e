/* Versioned migrations: sql/migrations/NNNN_name.up.sql and .down.sql.
 * schema_migrations records each applied version with the SHA-256 of its two
 * files, so an edited migration is detected and refused. */
#ifndef RB_DB_MIGRATE_H
#define RB_DB_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

struct arena;
struct db;

#define MIGRATE_NAME 128

struct migration {
    unsigned version;
    char name[MIGRATE_NAME]; /* "0001_init" */
    char *up;                /* file contents, malloc'd */
    size_t up_len;
    char *down;
    size_t down_len;
    char checksum[65]; /* hex SHA-256 of up, a NUL byte, then down */
};

struct migration_set {
    struct migration *items; /* sorted by version */
    size_t n;
};

/* Splits "0001_init.up.sql" into version 1, name "0001_init" and direction
 * (*up = 1 for .up.sql, 0 for .down.sql). Returns 0, or -1 for any other file
 * name (4+ digits, '_', [a-z0-9_]+). Pure. */
int migrate_parse_name(const char *file, unsigned *version, char *name, size_t namelen, int *up);

/* SHA-256 over up, a NUL byte and down, as 64 hex characters. */
void migrate_checksum(const char *up, size_t up_len, const char *down, size_t down_len,
                      char out[65]);

/* Reads every migration in dir. Each version needs both files; a version
 * used twice or a stray file is an error. 0, or -1 with err. */
int migrate_scan(const char *dir, struct migration_set *set, char *err, size_t errlen);
void migrate_set_free(struct migration_set *set);

/* Applies pending migrations in order. Refuses to start when an applied
 * migration's files changed or are missing. Progress goes to out. 0/-1. */
int migrate_up(struct db *db, const struct migration_set *set, FILE *out, char *err, size_t errlen);

/* Rolls back the last n applied migrations (down files, newest first). */
int migrate_down(struct db *db, const struct migration_set *set, unsigned n, FILE *out, char *err,
                 size_t errlen);

/* Prints each version as applied, pending, changed or missing. Returns 0
 * when everything is applied and unchanged, 1 otherwise, -1 on error. */
int migrate_status(struct db *db, const struct migration_set *set, FILE *out, char *err,
                   size_t errlen);

/* For /readyz: 0 when the database has exactly the migrations of set,
 * 1 when some are pending or changed (why says which), -1 when the database
 * cannot be asked (why says so; the db status is in *dbrc when not NULL). */
int migrate_check(struct db *db, const struct migration_set *set, struct arena *a, char *why,
                  size_t whylen);

#endif
