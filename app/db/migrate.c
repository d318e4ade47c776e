/* Migrations: scanning the directory, checksums, and applying or rolling
 * back against schema_migrations. MariaDB DDL is not transactional, so each
 * migration is recorded right after its script succeeds; a failure stops the
 * run with the server's message and the version that failed. */
#include "db/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "db/db.h"
#include "lib/file.h"

#define MIGRATE_MAX_FILE (4u << 20)

int migrate_parse_name(const char *file, unsigned *version, char *name, size_t namelen, int *up)
{
    size_t n = strlen(file), digits = 0;
    while (file[digits] >= '0' && file[digits] <= '9')
        digits++;
    if (digits < 4 || digits > 9 || file[digits] != '_')
        return -1;
    const char *suffix;
    if (n > 7 && strcmp(file + n - 7, ".up.sql") == 0) {
        *up = 1;
        suffix = file + n - 7;
    } else if (n > 9 && strcmp(file + n - 9, ".down.sql") == 0) {
        *up = 0;
        suffix = file + n - 9;
    } else {
        return -1;
    }
    const char *label = file + digits + 1;
    if (label >= suffix)
        return -1;
    for (const char *p = label; p < suffix; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return -1;
    size_t base = (size_t)(suffix - file);
    if (base >= namelen)
        return -1;
    unsigned v = 0;
    for (size_t i = 0; i < digits; i++)
        v = v * 10 + (unsigned)(file[i] - '0');
    memcpy(name, file, base);
    name[base] = '\0';
    *version = v;
    return 0;
}

void migrate_checksum(const char *up, size_t up_len, const char *down, size_t down_len,
                      char out[65])
{
    unsigned char md[32];
    unsigned mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, up, up_len) == 1 && EVP_DigestUpdate(ctx, "", 1) == 1 &&
             EVP_DigestUpdate(ctx, down, down_len) == 1 &&
             EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        memset(md, 0, sizeof(md)); /* cannot happen with OpenSSL's sha256; never matches */
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

static int by_version(const void *a, const void *b)
{
    unsigned x = ((const struct migration *)a)->version, y = ((const struct migration *)b)->version;
    return x < y ? -1 : x > y;
}

static struct migration *find_or_add(struct migration_set *set, size_t *cap, unsigned v,
                                     const char *name, char *err, size_t errlen)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->items[i].version != v)
            continue;
        if (strcmp(set->items[i].name, name) != 0) {
            snprintf(err, errlen, "version %u is used twice (%s, %s)", v, set->items[i].name, name);
            return NULL;
        }
        return &set->items[i];
    }
    if (set->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct migration *p = realloc(set->items, ncap * sizeof(*p));
        if (p == NULL) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        set->items = p;
        *cap = ncap;
    }
    struct migration *m = &set->items[set->n++];
    memset(m, 0, sizeof(*m));
    m->version = v;
    snprintf(m->name, sizeof(m->name), "%s", name);
    return m;
}

static int scan_entry(const char *dir, const char *file, struct migration_set *set, size_t *cap,
                      char *err, size_t errlen)
{
    unsigned v;
    int up;
    char name[MIGRATE_NAME], path[4096];
    if (migrate_parse_name(file, &v, name, sizeof(name), &up) != 0) {
        snprintf(err, errlen, "%s/%s: not a migration name (NNNN_name.up.sql or .down.sql)", dir,
                 file);
        return -1;
    }
    struct migration *m = find_or_add(set, cap, v, name, err, errlen);
    if (m == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (up && m->up == NULL)
        return file_read_all(path, MIGRATE_MAX_FILE, &m->up, &m->up_len, err, errlen);
    if (!up && m->down == NULL)
        return file_read_all(path, MIGRATE_MAX_FILE, &m->down, &m->down_len, err, errlen);
    snprintf(err, errlen, "%s: duplicate", path);
    return -1;
}

int migrate_scan(const char *dir, struct migration_set *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof(*set));
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "migrations directory %s: %s", dir, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        rc = scan_entry(dir, e->d_name, set, &cap, err, errlen);
    }
    closedir(d);
    for (size_t i = 0; rc == 0 && i < set->n; i++) {
        struct migration *m = &set->items[i];
        if (m->up == NULL || m->down == NULL) {
            snprintf(err, errlen, "%s/%s: the %s file is missing", dir, m->name,
                     m->up == NULL ? ".up.sql" : ".down.sql");
            rc = -1;
        } else {
            migrate_checksum(m->up, m->up_len, m->down, m->down_len, m->checksum);
        }
    }
    if (rc != 0) {
        migrate_set_free(set);
        return -1;
    }
    qsort(set->items, set->n, sizeof(set->items[0]), by_version);
    return 0;
}

void migrate_set_free(struct migration_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].up);
        free(set->items[i].down);
    }
    free(set->items);
    set->items = NULL;
    set->n = 0;
}

/* What schema_migrations holds. */
struct applied {
    unsigned version;
    char name[MIGRATE_NAME];
    char checksum[65];
};

struct applied_list {
    struct applied items[1024];
    size_t n;
};

struct applied_row {
    long long version;
    char *name;
    char *checksum;
};

static int applied_add(void *row, void *ctx)
{
    struct applied_row *r = row;
    struct applied_list *l = ctx;
    if (l->n == sizeof(l->items) / sizeof(l->items[0]))
        return 1;
    struct applied *a = &l->items[l->n++];
    a->version = (unsigned)r->version;
    snprintf(a->name, sizeof(a->name), "%s", r->name ? r->name : "");
    snprintf(a->checksum, sizeof(a->checksum), "%s", r->checksum ? r->checksum : "");
    return 0;
}

static enum db_status load_applied(struct db *db, struct applied_list *l, struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct applied_row, version),
        DB_COL_STR(struct applied_row, name),
        DB_COL_STR(struct applied_row, checksum),
    };
    struct applied_row row = {0};
    l->n = 0;
    return db_query(db, STMT_MIGRATIONS_LIST, NULL, 0, cols, 3, &row, sizeof(row), a, applied_add,
                    l);
}

static const struct migration *find(const struct migration_set *set, unsigned v)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i].version == v)
            return &set->items[i];
    return NULL;
}

static int applied_has(const struct applied_list *l, unsigned v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].version == v)
            return 1;
    return 0;
}

/* Refuses when an applied migration is missing or changed. 0/-1 with err. */
static int verify_applied(const struct applied_list *l, const struct migration_set *set, char *err,
                          size_t errlen)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct migration *m = find(set, l->items[i].version);
        if (m == NULL) {
            snprintf(err, errlen,
                     "migration %s was applied but its files are gone; restore them (the "
                     "database is newer than this release?)",
                     l->items[i].name);
            return -1;
        }
        if (strcmp(m->checksum, l->items[i].checksum) != 0) {
            snprintf(err, errlen,
                     "migration %s was changed after it was applied (checksum %.12s..., "
                     "recorded %.12s...); restore the original file and put the change in a "
                     "new migration",
                     m->name, m->checksum, l->items[i].checksum);
            return -1;
        }
    }
    return 0;
}

/* Creates schema_migrations and reads it. */
static int prepare_run(struct db *db, const struct migration_set *set, struct applied_list *l,
                       struct arena *a, char *err, size_t errlen)
{
    enum db_status rc = db_exec(db, STMT_MIGRATIONS_CREATE, NULL, 0, NULL, NULL);
    if (rc == DB_OK)
        rc = load_applied(db, l, a);
    if (rc != DB_OK) {
        snprintf(err, errlen, "database: %s", db_last_error(db));
        return -1;
    }
    return verify_applied(l, set, err, errlen);
}

int migrate_up(struct db *db, const struct migration_set *set, FILE *out, char *err, size_t errlen)
{
    static struct applied_list l;
    struct arena a;
    arena_init(&a, 1 << 20);
    int rc = prepare_run(db, set, &l, &a, err, errlen);
    unsigned done = 0;
    for (size_t i = 0; rc == 0 && i < set->n; i++) {
        const struct migration *m = &set->items[i];
        if (applied_has(&l, m->version))
            continue;
        char why[512];
        if (db_exec_script(db, m->up, m->up_len, why, sizeof(why)) != DB_OK) {
            snprintf(err, errlen, "%s.up.sql failed: %s", m->name, why);
            rc = -1;
            break;
        }
        struct db_arg args[] = {DB_ARG_INT(m->version), DB_ARG_STR(m->name, strlen(m->name)),
                                DB_ARG_STR(m->checksum, 64)};
        if (db_exec(db, STMT_MIGRATIONS_INSERT, args, 3, NULL, NULL) != DB_OK) {
            snprintf(err, errlen, "%s applied but not recorded: %s", m->name, db_last_error(db));
            rc = -1;
            break;
        }
        fprintf(out, "applied %s\n", m->name);
        done++;
    }
    if (rc == 0)
        fprintf(out, "%u migration%s applied; schema is current\n", done, done == 1 ? "" : "s");
    arena_free(&a);
    return rc;
}

int migrate_down(struct db *db, const struct migration_set *set, unsigned n, FILE *out, char *err,
                 size_t errlen)
{
    static struct applied_list l;
    struct arena a;
    arena_init(&a, 1 << 20);
    int rc = prepare_run(db, set, &l, &a, err, errlen);
    for (unsigned k = 0; rc == 0 && k < n && l.n > 0; k++) {
        const struct applied *ap = &l.items[--l.n]; /* newest first: the list is ordered */
        const struct migration *m = find(set, ap->version);
        char why[512];
        if (m == NULL) { /* verify_applied made sure it exists */
            rc = -1;
            break;
        }
        if (db_exec_script(db, m->down, m->down_len, why, sizeof(why)) != DB_OK) {
            snprintf(err, errlen, "%s.down.sql failed: %s", m->name, why);
            rc = -1;
            break;
        }
        struct db_arg args[] = {DB_ARG_INT(m->version)};
        if (db_exec(db, STMT_MIGRATIONS_DELETE, args, 1, NULL, NULL) != DB_OK) {
            snprintf(err, errlen, "%s rolled back but still recorded: %s", m->name,
                     db_last_error(db));
            rc = -1;
            break;
        }
        fprintf(out, "rolled back %s\n", m->name);
    }
    arena_free(&a);
    return rc;
}

int migrate_status(struct db *db, const struct migration_set *set, FILE *out, char *err,
                   size_t errlen)
{
    static struct applied_list l;
    struct arena a;
    arena_init(&a, 1 << 20);
    enum db_status rc = db_exec(db, STMT_MIGRATIONS_CREATE, NULL, 0, NULL, NULL);
    if (rc == DB_OK)
        rc = load_applied(db, &l, &a);
    arena_free(&a);
    if (rc != DB_OK) {
        snprintf(err, errlen, "database: %s", db_last_error(db));
        return -1;
    }
    int dirty = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct migration *m = &set->items[i];
        const char *state = "pending";
        for (size_t j = 0; j < l.n; j++)
            if (l.items[j].version == m->version)
                state = strcmp(l.items[j].checksum, m->checksum) == 0 ? "applied" : "CHANGED";
        dirty |= strcmp(state, "applied") != 0;
        fprintf(out, "%-8s %s\n", state, m->name);
    }
    for (size_t j = 0; j < l.n; j++) {
        if (find(set, l.items[j].version) == NULL) {
            fprintf(out, "%-8s %s\n", "MISSING", l.items[j].name);
            dirty = 1;
        }
    }
    return dirty;
}

int migrate_check(struct db *db, const struct migration_set *set, struct arena *a, char *why,
                  size_t whylen)
{
    static struct applied_list l;
    enum db_status rc = load_applied(db, &l, a);
    if (rc != DB_OK) {
        snprintf(why, whylen, "%s",
                 rc == DB_ERROR ? "schema_migrations is missing: run "
                                  "`recipebox migrate up`"
                                : "database unavailable");
        return rc == DB_ERROR ? 1 : -1;
    }
    if (verify_applied(&l, set, why, whylen) != 0)
        return 1;
    for (size_t i = 0; i < set->n; i++) {
        if (!applied_has(&l, set->items[i].version)) {
            snprintf(why, whylen, "migration %s is pending: run `recipebox migrate up`",
                     set->items[i].name);
            return 1;
        }
    }
    return 0;
}
