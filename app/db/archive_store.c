/* Queries of the export and import records (include/db/archive_store.h);
 * SQL text in app/db/statements.c. */
#include "db/archive_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "db/media.h"

#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

static struct db_arg opt_str(const char *s)
{
    return s != NULL ? DB_ARG_STR(s, strlen(s)) : DB_ARG_NULL;
}

enum db_status archive_store_insert(struct db *db, long long owner, const char *direction,
                                    const char *format, long long total, const char *file_name,
                                    long long file_bytes, long long *id)
{
    struct db_arg args[] = {DB_ARG_INT(owner),  opt_str(direction),
                            opt_str(format),    DB_ARG_INT(total),
                            opt_str(file_name), file_name ? DB_ARG_INT(file_bytes) : DB_ARG_NULL};
    unsigned long long insert_id = 0;
    enum db_status st = db_exec(db, STMT_ARCHIVE_INSERT, args, NCOLS(args), NULL, &insert_id);
    *id = (long long)insert_id;
    return st;
}

enum db_status archive_store_get(struct db *db, long long id, struct archive_transfer *t,
                                 struct arena *a)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct archive_transfer, id),
        DB_COL_INT(struct archive_transfer, owner_id),
        DB_COL_STR(struct archive_transfer, direction),
        DB_COL_STR(struct archive_transfer, format),
        DB_COL_STR(struct archive_transfer, state),
        DB_COL_INT(struct archive_transfer, total),
        DB_COL_INT(struct archive_transfer, processed),
        DB_COL_INT(struct archive_transfer, succeeded),
        DB_COL_INT(struct archive_transfer, failed),
        DB_COL_STR(struct archive_transfer, errors),
        DB_COL_STR(struct archive_transfer, error),
        DB_COL_STR(struct archive_transfer, file_name),
        DB_COL_INT(struct archive_transfer, file_bytes),
        DB_COL_STR(struct archive_transfer, created_at),
        DB_COL_STR(struct archive_transfer, updated_at),
    };
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_query_one(db, STMT_ARCHIVE_GET, args, 1, cols, NCOLS(cols), t, sizeof(*t), a);
}

enum db_status archive_store_update(struct db *db, const struct archive_transfer *t)
{
    struct db_arg args[] = {opt_str(t->state),
                            DB_ARG_INT(t->total),
                            DB_ARG_INT(t->processed),
                            DB_ARG_INT(t->succeeded),
                            DB_ARG_INT(t->failed),
                            opt_str(t->errors),
                            opt_str(t->error),
                            opt_str(t->file_name),
                            t->file_name ? DB_ARG_INT(t->file_bytes) : DB_ARG_NULL,
                            DB_ARG_INT(t->id)};
    return db_exec(db, STMT_ARCHIVE_UPDATE, args, NCOLS(args), NULL, NULL);
}

struct id_row {
    long long id;
};

enum db_status archive_store_active_export(struct db *db, long long owner, long long *id)
{
    static const struct db_col cols[] = {DB_COL_INT(struct id_row, id)};
    struct db_arg args[] = {DB_ARG_INT(owner)};
    struct id_row r = {0};
    enum db_status st =
        db_query_one(db, STMT_ARCHIVE_ACTIVE_EXPORT, args, 1, cols, 1, &r, sizeof(r), NULL);
    *id = r.id;
    return st;
}

int archive_store_new_name(const char *prefix, long long id, char out[ARCHIVE_STORE_NAME_MAX])
{
    char key[MEDIA_KEY_LEN + 1];
    if (media_new_key(key) != 0)
        return -1;
    int n = snprintf(out, ARCHIVE_STORE_NAME_MAX, "%s-%lld-%s.zip", prefix, id, key);
    return n > 0 && n < ARCHIVE_STORE_NAME_MAX ? 0 : -1;
}

int archive_store_path(const struct config *cfg, const char *name, char *out, size_t len)
{
    if (mkdir(cfg->archive_dir, 0700) != 0 && errno != EEXIST)
        return -1;
    int n = snprintf(out, len, "%s/%s", cfg->archive_dir, name);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

static int write_all(int fd, const unsigned char *p, size_t left)
{
    while (left > 0) {
        ssize_t n = write(fd, p, left < 65536 ? left : 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        left -= (size_t)n;
    }
    return 0;
}

int archive_store_save(const struct config *cfg, const char *name, const void *data, size_t len)
{
    char path[CONFIG_STR + ARCHIVE_STORE_NAME_MAX + 8], tmp[sizeof(path) + 8];
    if (archive_store_path(cfg, name, path, sizeof(path)) != 0 ||
        snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, data, len);
    if (rc == 0)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        rc = -1, saved = errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1, saved = errno;
    if (rc != 0) {
        unlink(tmp);
        errno = saved;
    }
    return rc;
}

void archive_store_remove(const struct config *cfg, const char *name)
{
    char path[CONFIG_STR + ARCHIVE_STORE_NAME_MAX + 8];
    if (name != NULL && archive_store_path(cfg, name, path, sizeof(path)) == 0)
        unlink(path);
}

/* 1 for the names archive_store_new_name makes (and their temporaries). */
static int archive_store_ours(const char *name)
{
    size_t n = strlen(name);
    int zip = n > 4 && strcmp(name + n - 4, ".zip") == 0;
    int tmp = n > 8 && strcmp(name + n - 8, ".zip.tmp") == 0;
    return name[0] != '.' && strchr(name, '-') != NULL && (zip || tmp);
}

int archive_store_sweep(const struct config *cfg, unsigned days, unsigned *removed)
{
    *removed = 0;
    if (days == 0)
        return 0;
    DIR *d = opendir(cfg->archive_dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : -1;
    time_t cut = time(NULL) - (time_t)days * 86400;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (archive_store_ours(e->d_name) &&
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_mtime < cut && unlinkat(dirfd(d), e->d_name, 0) == 0)
            (*removed)++;
    }
    closedir(d);
    return 0;
}
