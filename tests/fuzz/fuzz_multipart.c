/* libFuzzer target: the multipart/form-data parser. The first byte seeds
 * how the body is split; the rest is a body with boundary "AaB03x" and,
 * when its first line is a Content-Type naming a boundary, the remainder is
 * also parsed with that one. Fed whole, at pseudo-random points and byte by
 * byte, the callbacks must see the same things and the result must match;
 * an accepted file's data must be a substring of the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    uint64_t digest;
    int in_part, is_file, parts, files;
    size_t part_bytes;
    char *file; /* the file part's data, at most the body's size */
    size_t file_len;
};

static void mix(struct seen *s, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) /* FNV-1a */
        s->digest = (s->digest ^ b[i]) * 0x100000001b3ULL;
}

static void mix_str(struct seen *s, const char *str)
{
    mix(s, str, strlen(str) + 1);
}

static int on_part(void *ctx, const struct multipart_part *part)
{
    struct seen *s = ctx;
    if (s->in_part || part->name[0] == '\0' || (part->filename[0] != '\0' && !part->is_file))
        abort();
    for (const char *p = part->filename; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort();
    s->in_part = 1;
    s->is_file = part->is_file;
    s->part_bytes = 0;
    s->parts++;
    s->files += part->is_file;
    mix(s, "P", 1);
    mix_str(s, part->name);
    mix_str(s, part->filename);
    mix_str(s, part->content_type);
    mix(s, &part->is_file, sizeof(part->is_file));
    return 0;
}

static int on_data(void *ctx, const char *p, size_t len)
{
    struct seen *s = ctx;
    if (!s->in_part || len == 0)
        abort();
    s->part_bytes += len;
    if (!s->is_file && s->part_bytes > MULTIPART_FIELD_MAX)
        abort();
    if (s->is_file) {
        memcpy(s->file + s->file_len, p, len);
        s->file_len += len;
    }
    mix(s, p, len); /* the bytes only: chunking must not show */
    return 0;
}

static int on_part_end(void *ctx)
{
    struct seen *s = ctx;
    if (!s->in_part)
        abort();
    s->in_part = 0;
    mix(s, "E", 1);
    mix(s, &s->part_bytes, sizeof(s->part_bytes));
    return 0;
}

static const struct multipart_callbacks callbacks = {on_part, on_data, on_part_end};

/* One parse fed whole (mode 0), in pseudo-random reads, some empty (1), or
 * byte by byte (2); returns the digest of what was seen. */
static uint64_t run(const char *boundary, const char *body, size_t n, uint32_t seed, int mode,
                    char *file)
{
    struct seen s = {.digest = 0xcbf29ce484222325ULL, .file = file};
    struct multipart m;
    if (multipart_init(&m, boundary, &callbacks, &s) != 0)
        abort();
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0;) {
        size_t len = n - off;
        if (mode == 1) {
            seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5; /* xorshift32 */
            len = seed % 4 == 0 ? 0 : (seed >> 8) % (2 * MULTIPART_BOUNDARY_MAX);
            len = len > n - off ? n - off : len;
        } else if (mode == 2) {
            len = 1;
        }
        rc = multipart_feed(&m, body + off, len);
        off += len;
    }
    if (rc != 0 && (m.error == NULL || multipart_feed(&m, "", 0) != -1))
        abort();
    rc = multipart_finish(&m);
    if ((rc != 0) != (m.error != NULL))
        abort();
    if (rc == 0 && (s.files != 1 || s.parts > MULTIPART_PARTS_MAX || s.in_part ||
                    (s.file_len > 0 && memmem(body, n, s.file, s.file_len) == NULL)))
        abort();
    mix(&s, &rc, sizeof(rc));
    mix_str(&s, rc != 0 ? m.error : "");
    return s.digest;
}

static void check(const char *boundary, const char *body, size_t n, uint32_t seed)
{
    char *file = malloc(n + 1);
    if (file == NULL)
        abort();
    uint64_t whole = run(boundary, body, n, seed, 0, file);
    if (run(boundary, body, n, seed | 1, 1, file) != whole ||
        run(boundary, body, n, (seed * 2654435761u) | 1, 1, file) != whole ||
        run(boundary, body, n, seed, 2, file) != whole)
        abort();
    free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t seed = data[0] * 0x01010101u + 1;
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    check("AaB03x", body, n, seed);
    const char *nl = memchr(body, '\n', n < 256 ? n : 256);
    if (nl != NULL) {
        char type[256], boundary[MULTIPART_BOUNDARY_MAX + 1];
        size_t len = (size_t)(nl - body);
        if (len > 0 && body[len - 1] == '\r')
            len--;
        memcpy(type, body, len);
        type[len] = '\0';
        if (strlen(type) == len && multipart_boundary(type, boundary) == 0)
            check(boundary, nl + 1, n - (size_t)(nl + 1 - body), seed);
    }
    return 0;
}
