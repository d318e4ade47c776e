/* Zip reading and writing through libzip (see include/lib/archive.h).
 * libzip is opened with dlopen on first use, as libcurl is for mail: the
 * static build links no libzip, so there archive_available() is 0. Every
 * size libzip reports is a claim; the bytes that come out of inflate are
 * counted against the same caps, and an entry that yields more than its
 * directory record said is refused. */
#include "lib/archive.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "lib/dynlib.h"
#include "lib/utf8.h"

#define ZIP_LIBRARY "libzip.so.4"
#define CHUNK 65536
/* entries smaller than this are not held to the ratio: a short JSON text
 * can compress far better than 100:1 and still be harmless */
#define RATIO_FLOOR 65536u

const struct archive_caps archive_caps_default = {64u << 20, 5000, 32u << 20, 256u << 20, 100};

static struct {
    zip_source_t *(*source_buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
    zip_t *(*open_from_source)(zip_source_t *, int, zip_error_t *);
    zip_t *(*open)(const char *, int, int *);
    void (*source_free)(zip_source_t *);
    zip_int64_t (*get_num_entries)(zip_t *, zip_flags_t);
    int (*stat_index)(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *);
    zip_file_t *(*fopen_index)(zip_t *, zip_uint64_t, zip_flags_t);
    zip_int64_t (*fread)(zip_file_t *, void *, zip_uint64_t);
    int (*fclose)(zip_file_t *);
    void (*discard)(zip_t *);
    int (*close)(zip_t *);
    void (*error_init)(zip_error_t *);
    void (*error_fini)(zip_error_t *);
    const char *(*error_strerror)(zip_error_t *);
    const char *(*strerror)(zip_t *);
    zip_source_t *(*source_buffer)(zip_t *, const void *, zip_uint64_t, int);
    zip_source_t *(*source_file)(zip_t *, const char *, zip_uint64_t, zip_int64_t);
    zip_int64_t (*file_add)(zip_t *, const char *, zip_source_t *, zip_flags_t);
    int (*set_file_compression)(zip_t *, zip_uint64_t, zip_int32_t, zip_uint32_t);
} z;

int archive_available(void)
{
    /* no DYNLIB_LINKED: the static build has no libzip to point at */
    static const struct dynlib_symbol syms[] = {
        {"zip_source_buffer_create", &z.source_buffer_create, NULL},
        {"zip_open_from_source", &z.open_from_source, NULL},
        {"zip_open", &z.open, NULL},
        {"zip_source_free", &z.source_free, NULL},
        {"zip_get_num_entries", &z.get_num_entries, NULL},
        {"zip_stat_index", &z.stat_index, NULL},
        {"zip_fopen_index", &z.fopen_index, NULL},
        {"zip_fread", &z.fread, NULL},
        {"zip_fclose", &z.fclose, NULL},
        {"zip_discard", &z.discard, NULL},
        {"zip_close", &z.close, NULL},
        {"zip_error_init", &z.error_init, NULL},
        {"zip_error_fini", &z.error_fini, NULL},
        {"zip_error_strerror", &z.error_strerror, NULL},
        {"zip_strerror", &z.strerror, NULL},
        {"zip_source_buffer", &z.source_buffer, NULL},
        {"zip_source_file", &z.source_file, NULL},
        {"zip_file_add", &z.file_add, NULL},
        {"zip_set_file_compression", &z.set_file_compression, NULL},
    };
    static int state;
    return dynlib_load(ZIP_LIBRARY, syms, sizeof(syms) / sizeof(syms[0]), &state) == 0;
}

struct archive_entry {
    char *name;
    size_t size, comp_size;
};

struct archive {
    zip_t *zip;
    struct archive_caps caps;
    size_t n;
    struct archive_entry *entries;
    size_t read_total, read_comp; /* of the entries read so far */
    struct archive *parent;       /* an inner archive's, whose total it shares */
};

/* Counts got inflated bytes of comp compressed ones as read, in a and
 * every archive it is inside. */
static void count_read(struct archive *a, size_t got, size_t comp)
{
    for (; a != NULL; a = a->parent) {
        a->read_total += got;
        a->read_comp += comp;
    }
}

static enum archive_status fail(enum archive_status st, char *why, size_t whylen, const char *fmt,
                                ...) __attribute__((format(printf, 4, 5)));

static enum archive_status fail(enum archive_status st, char *why, size_t whylen, const char *fmt,
                                ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (whylen > 0 && vsnprintf(why, whylen, fmt, ap) < 0)
        why[0] = '\0';
    va_end(ap);
    return st;
}

static void caps_fill(struct archive_caps *c, const struct archive_caps *given)
{
    const struct archive_caps *d = &archive_caps_default;
    *c = given != NULL ? *given : *d;
    c->archive_bytes = c->archive_bytes ? c->archive_bytes : d->archive_bytes;
    c->entries = c->entries ? c->entries : d->entries;
    c->entry_bytes = c->entry_bytes ? c->entry_bytes : d->entry_bytes;
    c->total_bytes = c->total_bytes ? c->total_bytes : d->total_bytes;
    c->ratio = c->ratio ? c->ratio : d->ratio;
}

int archive_name_safe(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > ARCHIVE_NAME_MAX || name[0] == '/' || strchr(name, '\\') != NULL ||
        !utf8_valid(name, len, UTF8_NO_CONTROLS))
        return 0;
    for (const char *seg = name; *seg != '\0';) {
        const char *end = strchr(seg, '/');
        size_t n = end != NULL ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (end == NULL || end[1] == '\0') /* the last segment, or a directory's '/' */
            break;
        seg = end + 1;
    }
    /* a drive letter ("C:x") means a path on another system */
    return !(len >= 2 && name[1] == ':');
}

/* Over the ratio: more than ratio times the compressed size, once past
 * the floor. */
static int over_ratio(size_t inflated, size_t compressed, unsigned ratio)
{
    if (inflated <= RATIO_FLOOR)
        return 0;
    return compressed == 0 || inflated / compressed >= ratio;
}

/* Checks entry i's directory record and keeps its name and sizes. */
static enum archive_status check_entry(struct archive *a, zip_uint64_t i, size_t *declared,
                                       char *why, size_t whylen)
{
    zip_stat_t st;
    struct archive_entry *e = &a->entries[i];
    if (z.stat_index(a->zip, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return fail(ARCHIVE_INVALID, why, whylen, "an unreadable directory record");
    if (!archive_name_safe(st.name))
        return fail(ARCHIVE_BAD_NAME, why, whylen,
                    "entry name \"%.80s\" is not a safe relative path", st.name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(ARCHIVE_INVALID, why, whylen, "entry \"%.80s\" is encrypted", st.name);
    if (st.size > a->caps.entry_bytes)
        return fail(ARCHIVE_BOMB, why, whylen, "entry \"%.80s\" is larger than the cap", st.name);
    if (over_ratio((size_t)st.size, (size_t)st.comp_size, a->caps.ratio))
        return fail(ARCHIVE_BOMB, why, whylen, "entry \"%.80s\" compresses beyond the ratio cap",
                    st.name);
    e->name = strdup(st.name);
    if (e->name == NULL)
        return ARCHIVE_NOMEM;
    e->size = (size_t)st.size;
    e->comp_size = (size_t)st.comp_size;
    *declared += e->size;
    if (*declared > a->caps.total_bytes)
        return fail(ARCHIVE_BOMB, why, whylen, "the entries together are larger than the cap");
    return ARCHIVE_OK;
}

static enum archive_status open_zip(struct archive *a, const void *buf, size_t len, char *why,
                                    size_t whylen)
{
    zip_error_t err;
    z.error_init(&err);
    zip_source_t *src = z.source_buffer_create(buf, len, 0, &err);
    if (src != NULL)
        a->zip = z.open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    enum archive_status st = ARCHIVE_OK;
    if (a->zip == NULL) {
        st = fail(ARCHIVE_INVALID, why, whylen, "not a zip archive: %s", z.error_strerror(&err));
        z.source_free(src); /* libzip keeps the source only when the open worked */
    }
    z.error_fini(&err);
    return st;
}

static enum archive_status open_with(struct archive *parent, const void *buf, size_t len,
                                     const struct archive_caps *caps, struct archive **out,
                                     char *why, size_t whylen)
{
    *out = NULL;
    if (!archive_available())
        return fail(ARCHIVE_UNAVAILABLE, why, whylen, "zip archives need libzip: %s",
                    dynlib_error());
    struct archive *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return ARCHIVE_NOMEM;
    caps_fill(&a->caps, caps);
    a->parent = parent;
    enum archive_status st = ARCHIVE_OK;
    if (len > a->caps.archive_bytes)
        st = fail(ARCHIVE_BOMB, why, whylen, "the archive is larger than the cap");
    if (st == ARCHIVE_OK && len < 22) /* shorter than an end-of-directory record */
        st = fail(ARCHIVE_INVALID, why, whylen, "not a zip archive: too short");
    if (st == ARCHIVE_OK)
        st = open_zip(a, buf, len, why, whylen);
    zip_int64_t n = st == ARCHIVE_OK ? z.get_num_entries(a->zip, 0) : 0;
    if (st == ARCHIVE_OK && (n < 0 || (zip_uint64_t)n > a->caps.entries))
        st = fail(ARCHIVE_BOMB, why, whylen, "the archive has more entries than the cap");
    if (st == ARCHIVE_OK && n > 0 && (a->entries = calloc((size_t)n, sizeof(*a->entries))) == NULL)
        st = ARCHIVE_NOMEM;
    size_t declared = 0;
    for (zip_int64_t i = 0; st == ARCHIVE_OK && i < n; i++) {
        a->n = (size_t)i + 1;
        st = check_entry(a, (zip_uint64_t)i, &declared, why, whylen);
    }
    if (st != ARCHIVE_OK) {
        archive_close(a);
        return st;
    }
    *out = a;
    return ARCHIVE_OK;
}

enum archive_status archive_open(const void *buf, size_t len, const struct archive_caps *caps,
                                 struct archive **out, char *why, size_t whylen)
{
    return open_with(NULL, buf, len, caps, out, why, whylen);
}

enum archive_status archive_open_inner(struct archive *parent, const void *buf, size_t len,
                                       struct archive **out, char *why, size_t whylen)
{
    struct archive_caps caps = parent->caps;
    struct archive *root = parent;
    while (root->parent != NULL)
        root = root->parent;
    if (root->read_total >= root->caps.total_bytes) {
        *out = NULL;
        return fail(ARCHIVE_BOMB, why, whylen, "the entries together are larger than the cap");
    }
    caps.total_bytes = root->caps.total_bytes - root->read_total;
    return open_with(parent, buf, len, &caps, out, why, whylen);
}

/* Inflates with zlib into buf (cap + 1 bytes); *got the output. */
static enum archive_status gunzip_into(const struct archive *a, const unsigned char *in, size_t len,
                                       unsigned char *buf, size_t cap, size_t *got, char *why,
                                       size_t whylen)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (len > UINT_MAX || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) /* 16: gzip framing */
        return ARCHIVE_NOMEM;
    zs.next_in = (unsigned char *)(uintptr_t)in;
    zs.avail_in = (unsigned)len;
    int rc = Z_OK;
    enum archive_status st = ARCHIVE_OK;
    while (st == ARCHIVE_OK && rc == Z_OK) {
        size_t room = cap + 1 - *got;
        zs.next_out = buf + *got;
        zs.avail_out = (unsigned)(room < CHUNK ? room : CHUNK);
        unsigned before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        *got += before - zs.avail_out;
        if (*got > cap || over_ratio(*got, len, a->caps.ratio))
            st = fail(ARCHIVE_BOMB, why, whylen, "a gzip member inflates past the caps");
        else if (rc == Z_BUF_ERROR && zs.avail_in == 0)
            st = fail(ARCHIVE_INVALID, why, whylen, "a gzip member is truncated");
        else if (rc == Z_BUF_ERROR)
            rc = Z_OK; /* the output window was full; go on */
    }
    if (st == ARCHIVE_OK && rc != Z_STREAM_END)
        st = fail(ARCHIVE_INVALID, why, whylen, "a gzip member is damaged");
    inflateEnd(&zs);
    return st;
}

enum archive_status archive_gunzip(struct archive *a, const unsigned char *in, size_t len,
                                   unsigned char **data, size_t *outlen, char *why, size_t whylen)
{
    *data = NULL;
    *outlen = 0;
    struct archive *root = a;
    while (root->parent != NULL)
        root = root->parent;
    size_t left =
        root->caps.total_bytes > root->read_total ? root->caps.total_bytes - root->read_total : 0;
    size_t cap = a->caps.entry_bytes < left ? a->caps.entry_bytes : left;
    unsigned char *buf = malloc(cap + 2);
    if (buf == NULL)
        return ARCHIVE_NOMEM;
    size_t got = 0;
    enum archive_status st = gunzip_into(a, in, len, buf, cap, &got, why, whylen);
    if (st != ARCHIVE_OK) {
        free(buf);
        return st;
    }
    count_read(a, got, len);
    buf[got] = '\0';
    *data = buf;
    *outlen = got;
    return ARCHIVE_OK;
}

size_t archive_count(const struct archive *a)
{
    return a->n;
}

const char *archive_name(const struct archive *a, size_t i)
{
    return i < a->n ? a->entries[i].name : NULL;
}

long archive_find(const struct archive *a, const char *name)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->entries[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* The running checks: what came out so far against this entry's record and
 * the caps. ARCHIVE_OK or ARCHIVE_BOMB. */
static enum archive_status inflate_check(const struct archive *a, const struct archive_entry *e,
                                         size_t got, char *why, size_t whylen)
{
    if (got > e->size)
        return fail(ARCHIVE_BOMB, why, whylen,
                    "entry \"%.80s\" inflates to more than its directory record says", e->name);
    if (got > a->caps.entry_bytes || a->read_total + got > a->caps.total_bytes)
        return fail(ARCHIVE_BOMB, why, whylen, "entry \"%.80s\" inflates past the size cap",
                    e->name);
    if (over_ratio(got, e->comp_size, a->caps.ratio) ||
        over_ratio(a->read_total + got, a->read_comp + e->comp_size, a->caps.ratio))
        return fail(ARCHIVE_BOMB, why, whylen, "entry \"%.80s\" inflates beyond the ratio cap",
                    e->name);
    return ARCHIVE_OK;
}

static enum archive_status read_all(struct archive *a, zip_file_t *f, const struct archive_entry *e,
                                    unsigned char *buf, size_t *got, char *why, size_t whylen)
{
    enum archive_status st = ARCHIVE_OK;
    /* room for one byte past the record: the probe that catches a lie */
    while (st == ARCHIVE_OK) {
        size_t want = e->size + 1 - *got;
        zip_int64_t n = z.fread(f, buf + *got, want < CHUNK ? want : CHUNK);
        if (n < 0)
            return fail(ARCHIVE_INVALID, why, whylen, "entry \"%.80s\" is damaged", e->name);
        if (n == 0)
            break;
        *got += (size_t)n;
        st = inflate_check(a, e, *got, why, whylen);
    }
    if (st == ARCHIVE_OK && *got != e->size)
        st = fail(ARCHIVE_INVALID, why, whylen, "entry \"%.80s\" is shorter than its record",
                  e->name);
    return st;
}

enum archive_status archive_read(struct archive *a, size_t i, unsigned char **data, size_t *len,
                                 char *why, size_t whylen)
{
    *data = NULL;
    *len = 0;
    if (i >= a->n)
        return fail(ARCHIVE_INVALID, why, whylen, "no such entry");
    const struct archive_entry *e = &a->entries[i];
    unsigned char *buf = malloc(e->size + 2);
    zip_file_t *f = buf != NULL ? z.fopen_index(a->zip, i, 0) : NULL;
    if (buf == NULL) {
        return ARCHIVE_NOMEM;
    } else if (f == NULL) {
        free(buf);
        return fail(ARCHIVE_INVALID, why, whylen, "entry cannot be opened: %s", z.strerror(a->zip));
    }
    size_t got = 0;
    enum archive_status st = read_all(a, f, e, buf, &got, why, whylen);
    if (z.fclose(f) != 0 && st == ARCHIVE_OK) /* a CRC mismatch shows here */
        st = fail(ARCHIVE_INVALID, why, whylen, "entry \"%.80s\" fails its checksum", e->name);
    if (st != ARCHIVE_OK) {
        free(buf);
        return st;
    }
    count_read(a, got, e->comp_size);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return ARCHIVE_OK;
}

void archive_close(struct archive *a)
{
    if (a == NULL)
        return;
    if (a->zip != NULL)
        z.discard(a->zip);
    for (size_t i = 0; i < a->n; i++)
        free(a->entries[i].name);
    free(a->entries);
    free(a);
}

/* ---- writing ---- */

struct archive_writer {
    zip_t *zip;
};

enum archive_status archive_writer_open(const char *path, struct archive_writer **out, char *why,
                                        size_t whylen)
{
    *out = NULL;
    if (!archive_available())
        return fail(ARCHIVE_UNAVAILABLE, why, whylen, "zip archives need libzip: %s",
                    dynlib_error());
    struct archive_writer *w = calloc(1, sizeof(*w));
    int code = 0;
    if (w == NULL)
        return ARCHIVE_NOMEM;
    w->zip = z.open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (w->zip == NULL) {
        free(w);
        return fail(ARCHIVE_NOMEM, why, whylen, "cannot create %.200s", path);
    }
    *out = w;
    return ARCHIVE_OK;
}

static int add_source(struct archive_writer *w, const char *name, zip_source_t *src, int stored)
{
    if (src == NULL)
        return -1;
    zip_int64_t i = z.file_add(w->zip, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        z.source_free(src);
        return -1;
    }
    return stored ? z.set_file_compression(w->zip, (zip_uint64_t)i, ZIP_CM_STORE, 0) : 0;
}

int archive_writer_add(struct archive_writer *w, const char *name, const void *data, size_t len,
                       int stored)
{
    if (len == 0) /* libzip would not free an empty buffer it owns */
        return add_source(w, name, z.source_buffer(w->zip, NULL, 0, 0), stored);
    void *copy = malloc(len);
    if (copy == NULL)
        return -1;
    memcpy(copy, data, len);
    zip_source_t *src = z.source_buffer(w->zip, copy, len, 1); /* libzip frees copy */
    if (src == NULL)
        free(copy);
    return add_source(w, name, src, stored);
}

int archive_writer_add_file(struct archive_writer *w, const char *name, const char *path)
{
    return add_source(w, name, z.source_file(w->zip, path, 0, -1), 1);
}

int archive_writer_commit(struct archive_writer *w, char *why, size_t whylen)
{
    int rc = 0;
    if (z.close(w->zip) != 0) {
        fail(ARCHIVE_NOMEM, why, whylen, "writing the zip failed: %s", z.strerror(w->zip));
        z.discard(w->zip);
        rc = -1;
    }
    free(w);
    return rc;
}

void archive_writer_discard(struct archive_writer *w)
{
    if (w == NULL)
        return;
    z.discard(w->zip);
    free(w);
}
