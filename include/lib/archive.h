/* Zip archives for export and import, through libzip opened on first use
 * (lib/dynlib): the static build has no libzip, and there every call says
 * ARCHIVE_UNAVAILABLE. A reader never trusts an archive: the caps (archive
 * size, number of entries, size of one entry and of all together, and the
 * compression ratio) are checked against the central directory when it is
 * opened AND again while each entry is inflated, so a directory that lies
 * about sizes is caught by the bytes that actually come out. Entry names
 * are checked too (no absolute paths, no "..", no backslashes, no control
 * characters, valid UTF-8), though nothing here ever writes a file named by
 * an entry. No other I/O than the writer's output file. */
#ifndef RB_LIB_ARCHIVE_H
#define RB_LIB_ARCHIVE_H

#include <stddef.h>

#define ARCHIVE_NAME_MAX 255 /* bytes of an entry name */

enum archive_status {
    ARCHIVE_OK = 0,
    ARCHIVE_UNAVAILABLE, /* libzip missing (the static build): 501 */
    ARCHIVE_INVALID,     /* not a zip, or damaged: 422 */
    ARCHIVE_BOMB,        /* a cap passed (declared or while inflating): 422 */
    ARCHIVE_BAD_NAME,    /* an entry name that could escape or mislead: 422 */
    ARCHIVE_NOMEM,       /* memory or the writer's file: 500 */
};

/* The limits one archive must keep. 0 in any member means the default of
 * archive_caps_default. */
struct archive_caps {
    size_t archive_bytes; /* the archive itself */
    size_t entries;       /* entries in the central directory */
    size_t entry_bytes;   /* one entry, inflated */
    size_t total_bytes;   /* all entries read, inflated, together */
    unsigned ratio;       /* inflated / compressed of one entry (and of all read) */
};

/* 64 MiB archive, 5000 entries, 32 MiB per entry, 256 MiB together, ratio 100. */
extern const struct archive_caps archive_caps_default;

struct archive;

/* 1 when libzip can be used in this process (loads it on first call). */
int archive_available(void);

/* Opens len bytes (which must stay valid until archive_close) as a zip and
 * checks the caps and every entry name against its central directory.
 * ARCHIVE_OK with *out set (the caller closes it), or a status with why. */
enum archive_status archive_open(const void *buf, size_t len, const struct archive_caps *caps,
                                 struct archive **out, char *why, size_t whylen);

/* Number of entries (directories included). */
size_t archive_count(const struct archive *a);

/* Entry i's name (owned by a), or NULL past the end. */
const char *archive_name(const struct archive *a, size_t i);

/* The index of the entry named exactly name, or -1. */
long archive_find(const struct archive *a, const char *name);

/* Inflates entry i into a malloc'd buffer (*data, NUL-terminated after
 * *len bytes; the caller frees it), checking the entry and running totals
 * against the caps as the bytes come. ARCHIVE_OK, or a status with why. */
enum archive_status archive_read(struct archive *a, size_t i, unsigned char **data, size_t *len,
                                 char *why, size_t whylen);

/* Opens an archive stored inside parent (Tandoor's zip of zips): as
 * archive_open, with what parent has left of its total and the bytes read
 * from the inner archive counted against parent's total too. parent must
 * outlive the inner archive. */
enum archive_status archive_open_inner(struct archive *parent, const void *buf, size_t len,
                                       struct archive **out, char *why, size_t whylen);

/* Inflates a gzip member (Paprika's entries) of len bytes into a malloc'd,
 * NUL-terminated buffer, held to a's entry cap, its total and its ratio;
 * the output counts against a's total. ARCHIVE_OK, or a status with why. */
enum archive_status archive_gunzip(struct archive *a, const unsigned char *in, size_t len,
                                   unsigned char **data, size_t *outlen, char *why, size_t whylen);

/* Closes a (NULL accepted). */
void archive_close(struct archive *a);

/* ---- writing (export) ---- */

struct archive_writer;

/* Starts a new zip at path (replaced when it exists; written on commit).
 * ARCHIVE_OK with *out, or a status with why. */
enum archive_status archive_writer_open(const char *path, struct archive_writer **out, char *why,
                                        size_t whylen);

/* Adds name with a copy of len bytes, deflated unless stored is set
 * (images, which do not compress). 0/-1. */
int archive_writer_add(struct archive_writer *w, const char *name, const void *data, size_t len,
                       int stored);

/* Adds name with the content of file path, read at commit, stored. 0/-1. */
int archive_writer_add_file(struct archive_writer *w, const char *name, const char *path);

/* Writes the zip and frees w. 0, or -1 with why (nothing is left at path). */
int archive_writer_commit(struct archive_writer *w, char *why, size_t whylen);

/* Frees w without writing anything (NULL accepted). */
void archive_writer_discard(struct archive_writer *w);

/* 1 when name is a safe relative entry name: 1..ARCHIVE_NAME_MAX bytes of
 * UTF-8 without control characters or backslashes, not starting with '/',
 * no empty, "." or ".." segment (a trailing '/' marks a directory). Pure. */
int archive_name_safe(const char *name);

#endif
