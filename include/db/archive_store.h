/* The export and import records (migration 0013, table archive_transfers):
 * one row per export or import, with its state, counts, per-recipe errors
 * and the file it works on. SQL text in app/db/statements.c. */
#ifndef RB_DB_ARCHIVE_STORE_H
#define RB_DB_ARCHIVE_STORE_H

#include <stddef.h>

#include "db/db.h"

struct arena;

/* One row; strings are arena copies, NULL when SQL NULL. */
struct archive_transfer {
    long long id, owner_id;
    char *direction; /* "export" or "import" */
    char *format;    /* "recipebox", "mealie", "tandoor" or "paprika" */
    char *state;     /* "queued", "running", "done" or "failed" */
    long long total, processed, succeeded, failed;
    char *errors; /* JSON array of {entry, errors} */
    char *error;  /* why the whole transfer failed */
    char *file_name;
    long long file_bytes;
    char *created_at, *updated_at;
};

/* Inserts a queued transfer; *id gets its id. file_name may be NULL. */
enum db_status archive_store_insert(struct db *db, long long owner, const char *direction,
                                    const char *format, long long total, const char *file_name,
                                    long long file_bytes, long long *id);

/* The transfer id (whoever owns it: the caller checks). */
enum db_status archive_store_get(struct db *db, long long id, struct archive_transfer *t,
                                 struct arena *a);

/* Writes state, counts, errors, error and file of t (by t->id). */
enum db_status archive_store_update(struct db *db, const struct archive_transfer *t);

/* The id of owner's queued or running export, DB_NOTFOUND when none. */
enum db_status archive_store_active_export(struct db *db, long long owner, long long *id);

/* ---- the files under [archive] dir: names made here, never from input ---- */

struct config;

#define ARCHIVE_STORE_NAME_MAX 64

/* A new file name: "PREFIX-ID-RANDOM.zip". 0/-1. */
int archive_store_new_name(const char *prefix, long long id, char out[ARCHIVE_STORE_NAME_MAX]);

/* dir/name into out, creating dir (0700) when missing. 0/-1. */
int archive_store_path(const struct config *cfg, const char *name, char *out, size_t len);

/* Writes data to dir/name through a temporary file, fsynced and renamed.
 * 0, or -1 with errno (ENOSPC and EDQUOT: the disk is full). */
int archive_store_save(const struct config *cfg, const char *name, const void *data, size_t len);

/* Removes dir/name (best effort; NULL accepted). */
void archive_store_remove(const struct config *cfg, const char *name);

/* Deletes the archive files (NAME.zip, NAME.zip.tmp) in [archive] dir last
 * changed more than days ago, whatever rows name them: built exports past
 * their keep, uploads of finished imports, and files whose account is
 * gone. days 0: none. The count into *removed. 0, or -1 when the directory
 * cannot be read (a missing one is empty). */
int archive_store_sweep(const struct config *cfg, unsigned days, unsigned *removed);

#endif
