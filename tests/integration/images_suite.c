/* The "images" suite: recipe image upload over real HTTP behind every front
 * server. The images are made here with libgd (and by hand where a file
 * must be broken in a precise way). Every refusal is checked to have left
 * no new file in the media directory and the recipe as it was (the same
 * image, the same ETag for its author); every stored file is fetched
 * through the front at the URL the API gave, with the headers the front
 * must add. The media directory and upload_limit are read from the pool's
 * config (RB_CONFIG), as the app reads them. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <gd.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "suites.h"

static struct client_user alice, bob;
static long long rid;        /* alice's recipe the refusals are tried on */
static char media_dir[1024]; /* [media] dir */
static size_t upload_limit;  /* [media] upload_limit, bytes */

static const char *front(void)
{
    const char *f = getenv("RB_FRONT");
    return f ? f : "";
}

/* ---- the pool's config ---- */

static size_t parse_size(const char *v)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    switch (*end) {
    case 'k':
    case 'K':
        n <<= 10;
        break;
    case 'm':
    case 'M':
        n <<= 20;
        break;
    case 'g':
    case 'G':
        n <<= 30;
        break;
    default:
        break;
    }
    return (size_t)n;
}

/* [media] dir and upload_limit from RB_CONFIG (the app's defaults else). */
static int read_media_config(void)
{
    const char *path = getenv("RB_CONFIG");
    char line[1200], section[64] = "";
    snprintf(media_dir, sizeof(media_dir), "var/media");
    upload_limit = 10u << 20;
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        char key[64], value[1000];
        if (line[0] == '[')
            snprintf(section, sizeof(section), "%.*s", (int)strcspn(line, "]") + 1, line);
        else if (strcmp(section, "[media]") == 0 && sscanf(line, "%63s = %999s", key, value) == 2) {
            if (strcmp(key, "dir") == 0)
                snprintf(media_dir, sizeof(media_dir), "%s", value);
            else if (strcmp(key, "upload_limit") == 0)
                upload_limit = parse_size(value);
        }
    }
    fclose(f);
    return 0;
}

/* ---- the media directory ---- */

/* Entries in the media directory (temporary files too); -1 when unreadable. */
static int count_files(void)
{
    DIR *d = opendir(media_dir);
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Files of one key (the 22 characters every name of one image starts with). */
static int count_key(const char *key)
{
    DIR *d = opendir(media_dir);
    if (d == NULL)
        return -1;
    int n = 0;
    size_t len = strlen(key);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strncmp(e->d_name, key, len) == 0 && e->d_name[len] == '-';
    closedir(d);
    return n;
}

static int file_exists(const char *name)
{
    char path[1400];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", media_dir, name);
    return stat(path, &st) == 0;
}

/* The file name and key of a media URL ("/media/KEY-400.webp"). */
static const char *url_file(const char *url)
{
    const char *slash = strrchr(url, '/');
    return slash ? slash + 1 : url;
}

/* The key is 22 base64url characters, which may include '-' themselves. */
static void url_key(const char *url, char key[32])
{
    snprintf(key, 32, "%.22s", url_file(url));
}

/* GET of a file the front serves itself. /media/ is no API path, so it is
 * kept out of the exchange log the OpenAPI check reads. */
static int front_get(const char *url, struct http_response *r)
{
    char saved[1024] = "";
    const char *log = getenv("RB_EXCHANGE_LOG");
    if (log != NULL)
        snprintf(saved, sizeof(saved), "%s", log);
    unsetenv("RB_EXCHANGE_LOG");
    int st = http_request_ex("GET", url, NULL, NULL, 0, 20, r);
    if (saved[0] != '\0')
        setenv("RB_EXCHANGE_LOG", saved, 1);
    return st;
}

/* ---- images ---- */

struct blob {
    unsigned char *p;
    size_t n;
};

static void blob_free(struct blob *b)
{
    free(b->p);
    b->p = NULL;
    b->n = 0;
}

static struct blob blob_of(const void *p, size_t n)
{
    struct blob b = {malloc(n + 1), n};
    if (b.p != NULL)
        memcpy(b.p, p, n);
    else
        b.n = 0;
    return b;
}

static uint32_t lcg = 20261122u;

static unsigned rnd(void)
{
    lcg = lcg * 1103515245u + 12345u;
    return (lcg >> 16) & 0x7fff;
}

/* A w x h picture: a gradient under smooth value noise (cells of `cell`
 * px) and `grain` levels of per-pixel noise, like a photo compresses. */
static gdImagePtr picture(int w, int h, int cell, int grain)
{
    gdImagePtr im = gdImageCreateTrueColor(w, h);
    if (im == NULL)
        return NULL;
    int gw = w / cell + 2, gh = h / cell + 2;
    unsigned char *g = malloc((size_t)gw * gh * 3);
    if (g == NULL) {
        gdImageDestroy(im);
        return NULL;
    }
    for (int i = 0; i < gw * gh * 3; i++)
        g[i] = (unsigned char)rnd();
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int gx = x / cell, gy = y / cell, fx = x % cell, fy = y % cell, v[3];
            for (int c = 0; c < 3; c++) {
#define G(yy, xx) g[((yy)*gw + (xx)) * 3 + c]
                int top = G(gy, gx) * (cell - fx) + G(gy, gx + 1) * fx;
                int bot = G(gy + 1, gx) * (cell - fx) + G(gy + 1, gx + 1) * fx;
#undef G
                int s = (top * (cell - fy) + bot * fy) / (cell * cell);
                int base = c == 0 ? x * 255 / w : c == 1 ? y * 255 / h : (x + y) * 255 / (w + h);
                v[c] =
                    (s + base) / 2 + (grain > 0 ? (int)(rnd() % (unsigned)grain) - grain / 2 : 0);
                v[c] = v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c];
            }
            im->tpixels[y][x] = gdTrueColor(v[0], v[1], v[2]);
        }
    free(g);
    return im;
}

enum fmt { JPEG, PNG, WEBP };

/* The picture encoded; quality for JPEG only. */
static struct blob encode(gdImagePtr im, enum fmt f, int quality)
{
    int size = 0;
    void *p = f == JPEG  ? gdImageJpegPtr(im, &size, quality)
              : f == PNG ? gdImagePngPtr(im, &size)
                         : gdImageWebpPtr(im, &size);
    struct blob b = {NULL, 0};
    if (p != NULL && size > 0)
        b = blob_of(p, (size_t)size);
    gdFree(p);
    return b;
}

/* A w x h picture in one format, in one call (no grain in a PNG, which
 * would make it as large as the pixels). */
static struct blob image(int w, int h, enum fmt f)
{
    gdImagePtr im = picture(w, h, 32, f == PNG ? 0 : 4);
    struct blob b = {NULL, 0};
    if (im != NULL) {
        b = encode(im, f, 85);
        gdImageDestroy(im);
    }
    return b;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffffu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends a PNG chunk (length, type, data, CRC) at out; returns its size. */
static size_t png_chunk(unsigned char *out, const char *type, const void *data, size_t n)
{
    put_be32(out, (uint32_t)n);
    memcpy(out + 4, type, 4);
    if (n > 0)
        memcpy(out + 8, data, n);
    put_be32(out + 8 + n, crc32_of(out + 4, 4 + n));
    return 12 + n;
}

/* A PNG of exactly `total` bytes: a small libgd PNG with a private
 * ancillary chunk ("rbPd": ancillary, private, safe to copy) of filler
 * before IEND. Empty when total is too small. */
static struct blob padded_png(size_t total)
{
    struct blob png = image(64, 48, PNG), out = {NULL, 0};
    if (png.n < 12 || total < png.n + 12) {
        blob_free(&png);
        return out;
    }
    size_t iend = png.n - 12, fill = total - png.n - 12;
    out.p = malloc(total);
    unsigned char *pad = calloc(1, fill + 1);
    if (out.p != NULL && pad != NULL) {
        for (size_t i = 0; i < fill; i++)
            pad[i] = (unsigned char)('a' + i % 26);
        memcpy(out.p, png.p, iend);
        size_t n = iend + png_chunk(out.p + iend, "rbPd", pad, fill);
        memcpy(out.p + n, png.p + iend, 12);
        out.n = n + 12;
    }
    free(pad);
    blob_free(&png);
    return out;
}

/* A PNG that says 20000 x 20000 (400 megapixels, 1.2 GB decoded) and is
 * 65 bytes: IHDR, an IDAT of an empty zlib stream, IEND. */
static struct blob bomb_png(void)
{
    unsigned char buf[128], ihdr[13] = {0};
    static const unsigned char empty_zlib[] = {0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
    put_be32(ihdr, 20000);
    put_be32(ihdr + 4, 20000);
    ihdr[8] = 8; /* depth */
    ihdr[9] = 2; /* RGB */
    memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
    size_t n = 8;
    n += png_chunk(buf + n, "IHDR", ihdr, sizeof(ihdr));
    n += png_chunk(buf + n, "IDAT", empty_zlib, sizeof(empty_zlib));
    n += png_chunk(buf + n, "IEND", NULL, 0);
    return blob_of(buf, n);
}

/* A libgd JPEG with an APP1 "Exif" segment right after SOI: a big-endian
 * TIFF header, IFD0 with a GPSInfo pointer, and a GPS IFD (latitude ref
 * and an ASCII note that says "GPS" too). */
static struct blob exif_jpeg(void)
{
    struct blob jpg = image(480, 320, JPEG), out = {NULL, 0};
    /* clang-format off */
    static const unsigned char tiff[] = {
        'M', 'M', 0, 42, 0, 0, 0, 8,                 /* header, IFD0 at 8 */
        0, 1,                                        /* IFD0: one entry */
        0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26,   /* GPSInfo (LONG) -> 26 */
        0, 0, 0, 0,                                  /* no next IFD */
        0, 2,                                        /* GPS IFD: two entries */
        0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0,        /* GPSLatitudeRef "N" */
        0, 0x1b, 0, 7, 0, 0, 0, 16, 0, 0, 0, 56,     /* GPSProcessingMethod at 56 */
        0, 0, 0, 0,                                  /* no next IFD */
        'A', 'S', 'C', 'I', 'I', 0, 0, 0, 'G', 'P', 'S', ' ', 'f', 'i', 'x', 0};
    /* clang-format on */
    size_t seg = 2 + 6 + sizeof(tiff); /* the length counts itself */
    if (jpg.n < 4 || (out.p = malloc(jpg.n + 2 + seg)) == NULL) {
        blob_free(&jpg);
        return out;
    }
    memcpy(out.p, jpg.p, 2); /* SOI */
    unsigned char *p = out.p + 2;
    *p++ = 0xFF;
    *p++ = 0xE1;
    *p++ = (unsigned char)(seg >> 8);
    *p++ = (unsigned char)seg;
    memcpy(p, "Exif\0\0", 6);
    memcpy(p + 6, tiff, sizeof(tiff));
    p += 6 + sizeof(tiff);
    memcpy(p, jpg.p + 2, jpg.n - 2);
    out.n = 2 + 2 + seg + jpg.n - 2;
    blob_free(&jpg);
    return out;
}

/* A multipart/form-data body: an optional text field, then each file part
 * (filename, content type, data). */
struct part {
    const char *filename; /* may hold CR, LF: written as is (n_filename bytes) */
    size_t n_filename;
    const char *type;
    const struct blob *data;
};

static struct blob form(const char *boundary, const char *text_field, const struct part *parts,
                        int nparts)
{
    size_t cap = 4096;
    for (int i = 0; i < nparts; i++)
        cap += parts[i].data->n + parts[i].n_filename + 256;
    struct blob b = {malloc(cap), 0};
    if (b.p == NULL)
        return b;
#define ADD(s, len) (memcpy(b.p + b.n, (s), (len)), b.n += (len))
#define ADDS(s) ADD((s), strlen(s))
    if (text_field != NULL) {
        ADDS("--");
        ADDS(boundary);
        ADDS("\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n");
        ADDS(text_field);
        ADDS("\r\n");
    }
    for (int i = 0; i < nparts; i++) {
        ADDS("--");
        ADDS(boundary);
        ADDS("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"");
        ADD(parts[i].filename, parts[i].n_filename);
        ADDS("\"\r\nContent-Type: ");
        ADDS(parts[i].type);
        ADDS("\r\n\r\n");
        ADD(parts[i].data->p, parts[i].data->n);
        ADDS("\r\n");
    }
    ADDS("--");
    ADDS(boundary);
    ADDS("--\r\n");
#undef ADDS
#undef ADD
    return b;
}

/* ---- requests ---- */

static void image_path(char *out, size_t len, long long id)
{
    snprintf(out, len, "/api/v1/recipes/%lld/image", id);
}

/* PUT the bytes as u (NULL: anonymous) with this Content-Type. */
static int upload(const struct client_user *u, long long id, const char *type, const void *data,
                  size_t len, struct http_response *r)
{
    char path[96], ct[256], ck[128], cs[128];
    const char *h[4] = {ct, NULL, NULL, NULL};
    image_path(path, sizeof(path), id);
    snprintf(ct, sizeof(ct), "Content-Type: %s", type);
    if (u != NULL) {
        snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u->cookie);
        snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", u->csrf);
        h[1] = ck;
        h[2] = cs;
    }
    return http_request_ex("PUT", path, h, data != NULL ? data : "", len, 60, r);
}

static int upload_blob(long long id, const char *type, const struct blob *b,
                       struct http_response *r)
{
    return upload(&alice, id, type, b->p, b->n, r);
}

static int delete_image(const struct client_user *u, long long id)
{
    char path[96];
    image_path(path, sizeof(path), id);
    return client_status("DELETE", path, u, NULL);
}

/* What a refusal must not change: the author's view of the recipe. */
struct snap {
    char etag[128];
    char image[2048]; /* the "image" member as JSON text */
};

static int snapshot(long long id, struct snap *s)
{
    char path[96];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", id);
    memset(s, 0, sizeof(*s));
    int st = client_call("GET", path, &alice, NULL, NULL, NULL, &r);
    if (st == 200) {
        const char *e = http_header(&r, "ETag");
        snprintf(s->etag, sizeof(s->etag), "%s", e ? e : "");
        struct json_object *o = client_json(&r), *img = NULL;
        if (o != NULL && json_object_object_get_ex(o, "image", &img))
            snprintf(s->image, sizeof(s->image), "%s",
                     json_object_to_json_string_ext(img, JSON_C_TO_STRING_PLAIN |
                                                             JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    }
    http_response_free(&r);
    return st;
}

static int same_snap(const struct snap *a, const struct snap *b)
{
    return a->etag[0] != '\0' && strcmp(a->etag, b->etag) == 0 && strcmp(a->image, b->image) == 0;
}

/* An accepted answer's URLs: image.url and each sizes[].url, types and
 * widths. Returns the count of sizes. */
struct answer {
    char url[256];
    int width, height, n;
    char urls[8][256], types[8][32];
    int widths[8], heights[8];
};

static int parse_answer(const struct http_response *r, struct answer *a)
{
    memset(a, 0, sizeof(*a));
    struct json_object *o = client_json(r), *sizes = client_get(o, "image.sizes");
    snprintf(a->url, sizeof(a->url), "%s", client_str(o, "image.url"));
    a->width = (int)client_int(o, "image.width");
    a->height = (int)client_int(o, "image.height");
    for (size_t i = 0; sizes != NULL && i < json_object_array_length(sizes) && i < 8; i++) {
        struct json_object *s = json_object_array_get_idx(sizes, i);
        snprintf(a->urls[i], sizeof(a->urls[i]), "%s", client_str(s, "url"));
        snprintf(a->types[i], sizeof(a->types[i]), "%s", client_str(s, "type"));
        a->widths[i] = (int)client_int(s, "width");
        a->heights[i] = (int)client_int(s, "height");
        a->n++;
    }
    json_object_put(o);
    return a->n;
}

/* The headers every file under /media/ gets from the front. */
static void expect_media_headers(const struct http_response *r)
{
    const char *v = http_header(r, "X-Content-Type-Options");
    CU_ASSERT(v != NULL && strcmp(v, "nosniff") == 0);
    v = http_header(r, "Cache-Control");
    CU_ASSERT(v != NULL && strcmp(v, "public, max-age=31536000, immutable") == 0);
    v = http_header(r, "Content-Security-Policy");
    CU_ASSERT(v != NULL && strcmp(v, "sandbox") == 0);
}

/* Fetches every stored file of an answer through the front: 200, its
 * type, the headers, decodes to the size the answer says, is in the media
 * directory. With `forbid`, no file may contain those bytes. */
static void expect_files(const struct answer *a, const char *const *forbid)
{
    for (int i = 0; i < a->n; i++) {
        struct http_response r;
        CU_ASSERT_EQUAL(front_get(a->urls[i], &r), 200);
        CU_ASSERT_STRING_EQUAL(r.content_type, a->types[i]);
        expect_media_headers(&r);
        gdImagePtr im = NULL;
        if (r.body_len > 0 && strcmp(a->types[i], "image/webp") == 0)
            im = gdImageCreateFromWebpPtr((int)r.body_len, r.body);
        else if (r.body_len > 0)
            im = gdImageCreateFromJpegPtr((int)r.body_len, r.body);
        CU_ASSERT_PTR_NOT_NULL(im);
        if (im != NULL) {
            CU_ASSERT_EQUAL(gdImageSX(im), a->widths[i]);
            CU_ASSERT_EQUAL(gdImageSY(im), a->heights[i]);
            gdImageDestroy(im);
        }
        for (int k = 0; forbid != NULL && forbid[k] != NULL; k++)
            CU_ASSERT_PTR_NULL(memmem(r.body, r.body_len, forbid[k], strlen(forbid[k])));
        CU_ASSERT(file_exists(url_file(a->urls[i])));
        http_response_free(&r);
    }
}

/* GET through the front until it answers 404 (or 3 s have passed):
 * lighttpd caches stat() results for a second or two (its "simple"
 * stat-cache-engine), so it may serve a file just removed that long. */
static int front_get_gone(const char *url, struct http_response *r)
{
    for (int tries = 0;; tries++) {
        int st = front_get(url, r);
        if (st != 200 || tries >= 30)
            return st;
        http_response_free(r);
        usleep(100000);
    }
}

/* Every file of an answer is gone: 404 through the front, not in the dir. */
static void expect_gone(const struct answer *a)
{
    char key[32];
    for (int i = 0; i < a->n; i++) {
        struct http_response r;
        CU_ASSERT_EQUAL(front_get_gone(a->urls[i], &r), 404);
        /* the front's own 404: /media/ never reaches recipebox */
        CU_ASSERT_PTR_NULL(strstr(r.content_type, "problem+json"));
        expect_media_headers(&r);
        http_response_free(&r);
        CU_ASSERT_FALSE(file_exists(url_file(a->urls[i])));
    }
    url_key(a->url, key);
    CU_ASSERT_EQUAL(count_key(key), 0);
}

/* Uploads a picture to recipe id; the answer in *a. Status. */
static int put_picture(long long id, int w, int h, enum fmt f, struct answer *a)
{
    static const char *const types[] = {"image/jpeg", "image/png", "image/webp"};
    struct blob b = image(w, h, f);
    struct http_response r;
    int st = upload_blob(id, types[f], &b, &r);
    if (st == 200)
        parse_answer(&r, a);
    else
        fprintf(stderr, "\n  %dx%d %s of %zu bytes: %d %s\n", w, h, types[f], b.n, st, r.body);
    http_response_free(&r);
    blob_free(&b);
    return st;
}

/* ---- the suite ---- */

static int suite_init(void)
{
    if (read_media_config() != 0 || count_files() < 0)
        return -1;
    if (client_new_user(&alice, "im") != 0 || client_new_user(&bob, "ib") != 0)
        return -1;
    rid = client_new_recipe(&alice, "Photographed pie", "");
    return rid > 0 ? 0 : -1;
}

static void test_upload_jpeg(void)
{
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    CU_ASSERT_STRING_EQUAL(before.image, "null"); /* a new recipe has none */
    int files = count_files();
    struct answer a;
    CU_ASSERT_EQUAL_FATAL(put_picture(rid, 1600, 1000, JPEG, &a), 200);
    CU_ASSERT_EQUAL(a.width, 1600);
    CU_ASSERT_EQUAL(a.height, 1000);
    /* sizes 1200,400, WebP then JPEG within a width, largest first */
    CU_ASSERT_EQUAL_FATAL(a.n, 4);
    static const int widths[] = {1200, 1200, 400, 400}, heights[] = {750, 750, 250, 250};
    static const char *const types[] = {"image/webp", "image/jpeg", "image/webp", "image/jpeg"};
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(a.widths[i], widths[i]);
        CU_ASSERT_EQUAL(a.heights[i], heights[i]);
        CU_ASSERT_STRING_EQUAL(a.types[i], types[i]);
        CU_ASSERT_EQUAL(strncmp(a.urls[i], "/media/", 7), 0);
        /* KEY-WIDTH.EXT: 22 base64url characters of random key, never the upload's name */
        const char *name = url_file(a.urls[i]);
        CU_ASSERT(
            strlen(name) > 23 && name[22] == '-' &&
            strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") >= 22);
    }
    CU_ASSERT_STRING_EQUAL(a.url, a.urls[0]);
    CU_ASSERT_EQUAL(count_files(), files + 4);
    expect_files(&a, NULL);
    /* the recipe shows it, and its ETag changed */
    CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(after.image, a.url));
    CU_ASSERT_STRING_NOT_EQUAL(after.etag, before.etag);
    /* the directory is not listed */
    struct http_response r;
    char key[32];
    url_key(a.url, key);
    front_get("/media/", &r);
    CU_ASSERT(r.status == 403 || r.status == 404);
    CU_ASSERT_PTR_NULL(strstr(r.body, key));
    http_response_free(&r);
    /* a name that is not there: the front's 404, with the same headers */
    CU_ASSERT_EQUAL(front_get("/media/AAAAAAAAAAAAAAAAAAAAAA-400.webp", &r), 404);
    CU_ASSERT_PTR_NULL(strstr(r.content_type, "problem+json"));
    expect_media_headers(&r);
    http_response_free(&r);
}

struct bad {
    const char *what;
    const char *type; /* Content-Type sent */
    struct blob body;
    int want;
};

/* Sends each case; each must get its status, leave no new file and leave
 * the recipe (which has an image from test_upload_jpeg) as it was. */
static void expect_refused(struct bad *cases, size_t n)
{
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    CU_ASSERT_STRING_NOT_EQUAL(before.image, "null");
    for (size_t i = 0; i < n; i++) {
        struct http_response r;
        int files = count_files();
        int st = upload_blob(rid, cases[i].type, &cases[i].body, &r);
        if (st != cases[i].want)
            fprintf(stderr, "\n  %s: %d, wanted %d: %s\n", cases[i].what, st, cases[i].want,
                    r.body);
        CU_ASSERT_EQUAL(st, cases[i].want);
        CU_ASSERT_STRING_EQUAL(r.content_type, "application/problem+json");
        http_response_free(&r);
        CU_ASSERT_EQUAL(count_files(), files);
        CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
        CU_ASSERT(same_snap(&before, &after));
        blob_free(&cases[i].body);
    }
}

#define LIT(s) blob_of((s), sizeof(s) - 1)

static void test_refusals(void)
{
    struct blob png = image(320, 240, PNG), jpg = image(320, 240, JPEG);
    CU_ASSERT_FATAL(png.n > 0 && jpg.n > 100);
    struct blob half = blob_of(jpg.p, jpg.n / 2);
    struct bad cases[] = {
        {"a PNG sent as image/jpeg", "image/jpeg", blob_of(png.p, png.n), 415},
        {"HTML sent as image/png", "image/png",
         LIT("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
         415},
        {"SVG as image/svg+xml", "image/svg+xml",
         LIT("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), 415},
        {"SVG sent as image/png", "image/png",
         LIT("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" "
             "onload=\"alert(1)\"/>"),
         415},
        {"GIF/JS polyglot as image/jpeg", "image/jpeg",
         LIT("GIF89a/*\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,*/=alert(1)//;"), 415},
        {"a 0-byte body", "image/jpeg", blob_of("", 0), 422},
        {"20000x20000 PNG of 65 bytes", "image/png", bomb_png(), 422},
        {"half a JPEG", "image/jpeg", half, 422},
        {"a JPEG as application/octet-stream", "application/octet-stream", blob_of(jpg.p, jpg.n),
         415},
    };
    CU_ASSERT_EQUAL(cases[6].body.n, 65);
    expect_refused(cases, sizeof(cases) / sizeof(cases[0]));
    blob_free(&png);
    blob_free(&jpg);
}

static void test_form_refusals(void)
{
    struct blob png = image(320, 240, PNG);
    CU_ASSERT_FATAL(png.n > 0);
    const char *bd = "rbBoundary7MA4YWxkTrZu0gW";
    const char *ct = "multipart/form-data; boundary=rbBoundary7MA4YWxkTrZu0gW";
    struct part one = {"pie.png", 7, "image/png", &png};
    struct part two[] = {one, {"tart.png", 8, "image/png", &png}};
    struct part crlf = {"pie\r\nContent-Type: text/html.png", 32, "image/png", &png};
    struct part cr = {"pie\r.png", 8, "image/png", &png};
    struct part nul = {"pie\0.png", 8, "image/png", &png};
    /* the closing delimiter right after the data, not at a line start */
    struct blob midline = form(bd, NULL, &one, 1);
    if (midline.n > 4) {
        size_t close = midline.n - strlen(bd) - 8; /* "\r\n--" bd "--\r\n" */
        memmove(midline.p + close, midline.p + close + 2, midline.n - close - 2);
        midline.n -= 2;
    }
    /* and the opening one after other bytes on its line */
    struct blob late = form(bd, NULL, &one, 1), late2 = {malloc(late.n + 8), late.n + 7};
    if (late2.p != NULL) {
        memcpy(late2.p, "garbage", 7);
        memcpy(late2.p + 7, late.p, late.n);
    }
    blob_free(&late);
    struct bad cases[] = {
        {"a form with two file parts", ct, form(bd, "two", two, 2), 422},
        {"multipart without a boundary", "multipart/form-data", form(bd, NULL, &one, 1), 415},
        {"the closing boundary in the middle of a line", ct, midline, 422},
        {"the only opening boundary in the middle of a line", ct, late2, 422},
        {"CR LF in the filename", ct, form(bd, NULL, &crlf, 1), 422},
        {"a bare CR in the filename", ct, form(bd, NULL, &cr, 1), 422},
        {"NUL in the filename", ct, form(bd, NULL, &nul, 1), 422},
    };
    expect_refused(cases, sizeof(cases) / sizeof(cases[0]));
    blob_free(&png);
}

static void test_exif_stripped(void)
{
    struct blob jpg = exif_jpeg();
    CU_ASSERT_FATAL(jpg.n > 0);
    CU_ASSERT_PTR_NOT_NULL(memmem(jpg.p, jpg.n, "Exif", 4));
    CU_ASSERT_PTR_NOT_NULL(memmem(jpg.p, jpg.n, "GPS", 3));
    long long id = client_new_recipe(&alice, "Geotagged soup", "");
    CU_ASSERT_FATAL(id > 0);
    struct http_response r;
    CU_ASSERT_EQUAL(upload_blob(id, "image/jpeg", &jpg, &r), 200);
    struct answer a;
    CU_ASSERT_EQUAL(parse_answer(&r, &a), 4);
    http_response_free(&r);
    static const char *const forbid[] = {"Exif", "GPS", NULL};
    expect_files(&a, forbid);
    blob_free(&jpg);
}

static void test_webp_and_form(void)
{
    /* WebP, smaller than 1200: that width collapses to the original */
    long long id = client_new_recipe(&alice, "WebP waffles", "");
    CU_ASSERT_FATAL(id > 0);
    struct answer a;
    CU_ASSERT_EQUAL(put_picture(id, 800, 600, WEBP, &a), 200);
    CU_ASSERT_EQUAL(a.width, 800);
    CU_ASSERT_EQUAL_FATAL(a.n, 4);
    CU_ASSERT_EQUAL(a.widths[0], 800);
    CU_ASSERT_EQUAL(a.heights[0], 600);
    CU_ASSERT_EQUAL(a.widths[2], 400);
    CU_ASSERT_EQUAL(a.heights[2], 300);
    expect_files(&a, NULL);
    /* an HTML form upload: a text field and one file part */
    struct blob png = image(640, 480, PNG);
    struct part p = {"waffles photo.png", 17, "image/png", &png};
    struct blob body = form("----rbFormBoundaryQx3", "Crisp ones", &p, 1);
    struct http_response r;
    int files = count_files();
    CU_ASSERT_EQUAL(
        upload_blob(id, "multipart/form-data; boundary=\"----rbFormBoundaryQx3\"", &body, &r), 200);
    struct answer b;
    CU_ASSERT_EQUAL(parse_answer(&r, &b), 4);
    http_response_free(&r);
    CU_ASSERT_EQUAL(b.width, 640);
    CU_ASSERT_EQUAL(b.height, 480);
    expect_files(&b, NULL);
    expect_gone(&a);                       /* the WebP it replaced */
    CU_ASSERT_EQUAL(count_files(), files); /* four in, four out */
    blob_free(&body);
    blob_free(&png);
}

/* [media] upload_limit: one byte under is taken, one over is 413. Every
 * front's limit is exactly upload_limit (front.sh). Who answers the 413:
 *   nginx:    nginx itself (client_max_body_size, from Content-Length,
 *             before reading the body): its HTML page;
 *   lighttpd: lighttpd itself (server.max-request-size, 1024 KiB): HTML;
 *   cgi:      the same lighttpd limit: HTML;
 *   apache:   recipebox (problem+json): mod_proxy_fcgi hands the request
 *             to the backend before it reads the body, which is where
 *             LimitRequestBody applies, and recipebox refuses the
 *             Content-Length against upload_limit first.
 * Either layer's 413 is accepted; the test prints which one it got. */
static void test_limits(void)
{
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    struct blob under = padded_png(upload_limit - 1), over = padded_png(upload_limit + 1);
    CU_ASSERT_EQUAL_FATAL(under.n, upload_limit - 1);
    CU_ASSERT_EQUAL_FATAL(over.n, upload_limit + 1);
    int files = count_files();
    struct http_response r;
    CU_ASSERT_EQUAL(upload_blob(rid, "image/png", &over, &r), 413);
    const char *layer = strstr(r.content_type, "problem+json") ? "recipebox" : "the front";
    fprintf(stderr, "\n  %s: upload_limit + 1 = %zu bytes: %d from %s (%s)\n", front(), over.n,
            r.status, layer, r.content_type);
    http_response_free(&r);
    CU_ASSERT_EQUAL(count_files(), files);
    CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
    CU_ASSERT(same_snap(&before, &after));
    CU_ASSERT_EQUAL(upload_blob(rid, "image/png", &under, &r), 200);
    struct answer a;
    CU_ASSERT_EQUAL(parse_answer(&r, &a), 2); /* 64 px wide: one width, two formats */
    CU_ASSERT_EQUAL(a.width, 64);
    http_response_free(&r);
    expect_files(&a, NULL);
    /* a form upload of exactly upload_limit bytes, all told */
    struct blob none = {(unsigned char *)"", 0};
    struct part p = {"full.png", 8, "image/png", &none};
    struct blob empty = form("rbLimitBoundary", NULL, &p, 1);
    struct blob png = padded_png(upload_limit - empty.n);
    p.data = &png;
    struct blob body = form("rbLimitBoundary", NULL, &p, 1);
    CU_ASSERT_EQUAL(body.n, upload_limit);
    CU_ASSERT_EQUAL(upload_blob(rid, "multipart/form-data; boundary=rbLimitBoundary", &body, &r),
                    200);
    http_response_free(&r);
    blob_free(&body);
    blob_free(&png);
    blob_free(&empty);
    blob_free(&under);
    blob_free(&over);
}

static void test_who_may(void)
{
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    CU_ASSERT_STRING_NOT_EQUAL(before.image, "null");
    struct blob jpg = image(300, 200, JPEG);
    int files = count_files();
    struct http_response r;
    CU_ASSERT_EQUAL(upload(&bob, rid, "image/jpeg", jpg.p, jpg.n, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(delete_image(&bob, rid), 403);
    CU_ASSERT_EQUAL(upload(NULL, rid, "image/jpeg", jpg.p, jpg.n, &r), 401);
    http_response_free(&r);
    CU_ASSERT_EQUAL(delete_image(NULL, rid), 401);
    /* no CSRF token: refused before anything */
    char path[96], ck[128];
    image_path(path, sizeof(path), rid);
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", alice.cookie);
    const char *h[] = {"Content-Type: image/jpeg", ck, NULL};
    CU_ASSERT_EQUAL(http_request_ex("PUT", path, h, (const char *)jpg.p, jpg.n, 30, &r), 403);
    http_response_free(&r);
    CU_ASSERT_EQUAL(count_files(), files);
    CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
    CU_ASSERT(same_snap(&before, &after));
    /* no such recipe */
    CU_ASSERT_EQUAL(upload(&alice, 999999999, "image/jpeg", jpg.p, jpg.n, &r), 404);
    http_response_free(&r);
    CU_ASSERT_EQUAL(delete_image(&alice, 999999999), 404);
    CU_ASSERT_EQUAL(count_files(), files);
    blob_free(&jpg);
}

static void test_replace_and_delete(void)
{
    long long id = client_new_recipe(&alice, "Twice photographed tart", "");
    CU_ASSERT_FATAL(id > 0);
    struct snap s0, s1, s2, s3;
    CU_ASSERT_EQUAL(snapshot(id, &s0), 200);
    struct answer a, b;
    CU_ASSERT_EQUAL_FATAL(put_picture(id, 1300, 900, JPEG, &a), 200);
    CU_ASSERT_EQUAL(snapshot(id, &s1), 200);
    expect_files(&a, NULL);
    int files = count_files();
    CU_ASSERT_EQUAL_FATAL(put_picture(id, 900, 1300, PNG, &b), 200);
    CU_ASSERT_EQUAL(snapshot(id, &s2), 200);
    CU_ASSERT_STRING_NOT_EQUAL(a.url, b.url);
    expect_files(&b, NULL);
    expect_gone(&a);
    CU_ASSERT_EQUAL(count_files(), files); /* four new, four old removed */
    /* the ETag follows the image */
    CU_ASSERT_STRING_NOT_EQUAL(s0.etag, s1.etag);
    CU_ASSERT_STRING_NOT_EQUAL(s1.etag, s2.etag);
    CU_ASSERT_PTR_NOT_NULL(strstr(s2.image, b.url));
    /* DELETE: 204, files gone, image null, a new ETag; again 404 */
    CU_ASSERT_EQUAL(delete_image(&alice, id), 204);
    expect_gone(&b);
    CU_ASSERT_EQUAL(count_files(), files - 4);
    CU_ASSERT_EQUAL(snapshot(id, &s3), 200);
    CU_ASSERT_STRING_EQUAL(s3.image, "null");
    CU_ASSERT_STRING_NOT_EQUAL(s3.etag, s2.etag);
    CU_ASSERT_EQUAL(delete_image(&alice, id), 404);
    /* the list shows it too */
    char path[160];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/users/%s/recipes?limit=100", alice.name);
    CU_ASSERT_EQUAL(client_call("GET", path, &alice, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r), *items = client_get(o, "items");
    int seen = 0;
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++) {
        struct json_object *it = json_object_array_get_idx(items, i), *img = NULL;
        if (client_int(it, "id") != id)
            continue;
        seen = 1;
        CU_ASSERT(json_object_object_get_ex(it, "image", &img) && img == NULL);
    }
    CU_ASSERT(seen);
    json_object_put(o);
    http_response_free(&r);
    /* deleting the recipe takes its image files with it */
    struct answer c;
    CU_ASSERT_EQUAL_FATAL(put_picture(id, 640, 480, JPEG, &c), 200);
    expect_files(&c, NULL);
    char rpath[96];
    snprintf(rpath, sizeof(rpath), "/api/v1/recipes/%lld", id);
    CU_ASSERT_EQUAL(client_call("DELETE", rpath, &alice, NULL, NULL, NULL, &r), 204);
    http_response_free(&r);
    expect_gone(&c);
    CU_ASSERT_EQUAL(count_files(), files - 4);
}

/* ---- disk full ---- */

static pid_t master_pid(void)
{
    const char *mp = getenv("RB_MASTER_PID");
    return mp != NULL && *mp != '\0' ? (pid_t)strtol(mp, NULL, 10) : 0;
}

/* Live children of the master. */
static int children(pid_t master, pid_t *out, int max)
{
    int n = 0;
    DIR *d = opendir("/proc");
    if (d == NULL)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512], state;
        int ppid;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL)
            continue;
        size_t len = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *rp = strrchr(buf, ')');
        if (rp != NULL && sscanf(rp + 1, " %c %d", &state, &ppid) == 2 && ppid == master &&
            state != 'Z' && n < max)
            out[n++] = (pid_t)strtol(e->d_name, NULL, 10);
    }
    closedir(d);
    return n;
}

/* Applies RB_CONFIG: SIGHUP to the pool's master, then waits until every
 * worker is one of the new generation. A CGI process reads the config at
 * every request: nothing to do. 0, or -1 after 10 s. */
static int apply_config(void)
{
    pid_t master = master_pid();
    if (master == 0)
        return 0;
    pid_t old[64], now[64];
    int nold = children(master, old, 64);
    const char *w = getenv("RB_WORKERS"), *jr = getenv("RB_JOB_RUNNERS");
    /* the master's children: its workers and its job runners */
    int want =
        (w != NULL ? (int)strtol(w, NULL, 10) : 4) + (jr != NULL ? (int)strtol(jr, NULL, 10) : 0);
    if (kill(master, SIGHUP) != 0)
        return -1;
    for (int tries = 0; tries < 500; tries++) {
        usleep(20000);
        int n = children(master, now, 64), stale = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < nold; j++)
                stale += now[i] == old[j];
        if (n == want && stale == 0)
            return 0;
    }
    return -1;
}

static void test_disk_full(void)
{
    /* behind nginx and Apache (the pool's master pid), and CGI (the config
     * is read per request); lighttpd's spawned pool has no pid to signal */
    if (master_pid() == 0 && strcmp(front(), "cgi") != 0) {
        fprintf(stderr, "\n  (skipped behind %s: no pool master to reload)\n", front());
        return;
    }
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    CU_ASSERT_EQUAL_FATAL(config_set_value("test_fail_after", "1000"), 0);
    CU_ASSERT_EQUAL(apply_config(), 0);
    int files = count_files();
    struct blob jpg = image(1000, 700, JPEG);
    struct http_response r;
    CU_ASSERT_EQUAL(upload_blob(rid, "image/jpeg", &jpg, &r), 507);
    CU_ASSERT_STRING_EQUAL(r.content_type, "application/problem+json");
    http_response_free(&r);
    CU_ASSERT_EQUAL(count_files(), files);
    CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
    CU_ASSERT(same_snap(&before, &after));
    CU_ASSERT_EQUAL(config_set_value("test_fail_after", "0"), 0);
    CU_ASSERT_EQUAL(apply_config(), 0);
    /* room again */
    CU_ASSERT_EQUAL(upload_blob(rid, "image/jpeg", &jpg, &r), 200);
    http_response_free(&r);
    blob_free(&jpg);
}

/* 1 when RB_LOG has a line holding every one of a, b and c (waits up to
 * 3 s: log lines are buffered). */
static int log_has(const char *a, const char *b, const char *c)
{
    const char *log = getenv("RB_LOG");
    char line[8192];
    for (int tries = 0; log != NULL && tries < 30; tries++) {
        FILE *f = fopen(log, "r");
        int found = 0;
        while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
            found = strstr(line, a) && strstr(line, b) && strstr(line, c);
        if (f != NULL)
            fclose(f);
        if (found)
            return 1;
        usleep(100000);
    }
    return 0;
}

/* An unwritable media directory: 500 whose problem says "media storage
 * failed", a log line naming the directory and the reason, nothing
 * changed; uploads work again once the directory is writable. */
static void test_media_unwritable(void)
{
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(stat(media_dir, &st), 0);
    struct snap before, after;
    CU_ASSERT_EQUAL_FATAL(snapshot(rid, &before), 200);
    CU_ASSERT_EQUAL_FATAL(chmod(media_dir, 0555), 0);
    struct blob jpg = image(600, 400, JPEG);
    struct http_response r;
    int status = upload_blob(rid, "image/jpeg", &jpg, &r);
    if (status == 200 && geteuid() == 0) {
        /* the workers run as root here (CGI under a root front): modes do
         * not stop root */
        fprintf(stderr, "\n  (skipped behind %s: the writer is root)\n", front());
    } else {
        CU_ASSERT_EQUAL(status, 500);
        CU_ASSERT_STRING_EQUAL(r.content_type, "application/problem+json");
        CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "media storage failed"));
        CU_ASSERT(log_has("media: storing", media_dir, strerror(EACCES)));
        CU_ASSERT_EQUAL(snapshot(rid, &after), 200);
        CU_ASSERT(same_snap(&before, &after));
    }
    http_response_free(&r);
    CU_ASSERT_EQUAL(chmod(media_dir, st.st_mode & 07777), 0);
    CU_ASSERT_EQUAL(upload_blob(rid, "image/jpeg", &jpg, &r), 200);
    http_response_free(&r);
    blob_free(&jpg);
}

/* ---- recipebox media gc ---- */

/* Runs `recipebox media -c RB_CONFIG gc ARGS`; its stdout in out. Exit code. */
static int media_gc(const char *args, char *out, size_t len)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "'%s' media -c '%s' gc %s 2>/dev/null", getenv("RB_BIN"),
             getenv("RB_CONFIG"), args);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_media_gc(void)
{
    /* a recipe's image (in use) and an orphan that looks like one */
    long long id = client_new_recipe(&alice, "Collected crumble", "");
    CU_ASSERT_FATAL(id > 0);
    struct answer a;
    CU_ASSERT_EQUAL_FATAL(put_picture(id, 500, 400, JPEG, &a), 200);
    char orphan[64], path[1200], key[32];
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 22; i++)
        orphan[i] = b64[rnd() % 64];
    snprintf(orphan + 22, sizeof(orphan) - 22, "-400.webp");
    snprintf(path, sizeof(path), "%s/%s", media_dir, orphan);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite("RIFF\x04\0\0\0WEBP", 1, 12, f), 12);
    fclose(f);
    /* not ours by name: never touched */
    char other[1200];
    snprintf(other, sizeof(other), "%s/README", media_dir);
    f = fopen(other, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    int files = count_files();
    static char out[65536];
    /* --dry-run: names it, removes nothing */
    CU_ASSERT_EQUAL(media_gc("--dry-run --min-age 0", out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, path));
    CU_ASSERT_EQUAL(count_files(), files);
    /* the young orphan is spared by the default --min-age (600 s) */
    CU_ASSERT_EQUAL(media_gc("", out, sizeof(out)), 0);
    CU_ASSERT_PTR_NULL(strstr(out, orphan));
    CU_ASSERT(file_exists(orphan));
    /* --min-age 0: removed and printed; the images in use are kept */
    CU_ASSERT_EQUAL(media_gc("--min-age 0", out, sizeof(out)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, path));
    CU_ASSERT_FALSE(file_exists(orphan));
    CU_ASSERT(file_exists("README"));
    url_key(a.url, key);
    if (strstr(out, key) != NULL)
        fprintf(stderr, "\n  gc named a file in use (%s):\n%s\n", key, out);
    CU_ASSERT_PTR_NULL(strstr(out, key));
    CU_ASSERT_EQUAL(count_key(key), 4);
    expect_files(&a, NULL);
    CU_ASSERT_EQUAL(count_files(), files - 1);
    unlink(other);
    CU_ASSERT_NOT_EQUAL(media_gc("--min-age x", out, sizeof(out)), 0); /* usage */
}

/* A camera-sized JPEG (4000 x 3000, 12 megapixels), timed; only its
 * success is asserted. */
static void test_large_jpeg(void)
{
    long long id = client_new_recipe(&alice, "Full-size focaccia", "");
    CU_ASSERT_FATAL(id > 0);
    gdImagePtr im = picture(4000, 3000, 32, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(im);
    struct blob jpg = {NULL, 0};
    int q = 85;
    for (; q >= 30; q -= 10) { /* as good as fits under upload_limit */
        jpg = encode(im, JPEG, q);
        if (jpg.n > 0 && jpg.n < upload_limit)
            break;
        blob_free(&jpg);
    }
    gdImageDestroy(im);
    CU_ASSERT_FATAL(jpg.n > 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct http_response r;
    int st = upload_blob(id, "image/jpeg", &jpg, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "\n  %s: 4000x3000 JPEG (%zu bytes, quality %d): %d in %.2f s\n", front(),
            jpg.n, q, st,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    CU_ASSERT_EQUAL(st, 200);
    struct answer a;
    if (st == 200) {
        CU_ASSERT_EQUAL(parse_answer(&r, &a), 4);
        CU_ASSERT_EQUAL(a.width, 4000);
        CU_ASSERT_EQUAL(a.heights[0], 900);
    }
    http_response_free(&r);
    blob_free(&jpg);
}

/* ---- tall images, EXIF orientation ---- */

/* Stored file i of an answer, fetched through the front and decoded; NULL
 * when either fails. */
static gdImagePtr fetch_image(const struct answer *a, int i)
{
    struct http_response r;
    gdImagePtr im = NULL;
    if (front_get(a->urls[i], &r) == 200 && r.body_len > 0)
        im = strcmp(a->types[i], "image/webp") == 0
                 ? gdImageCreateFromWebpPtr((int)r.body_len, r.body)
                 : gdImageCreateFromJpegPtr((int)r.body_len, r.body);
    http_response_free(&r);
    return im;
}

/* 'r' or 'b' when that channel clearly leads at (x, y), '?' else (lossy
 * encoding blurs edges, so callers sample away from them). */
static char hue(gdImagePtr im, int x, int y)
{
    int c = gdImageGetTrueColorPixel(im, x, y);
    int r = gdTrueColorGetRed(c), g = gdTrueColorGetGreen(c), b = gdTrueColorGetBlue(c);
    return r > g + 80 && r > b + 80 ? 'r' : b > g + 80 && b > r + 80 ? 'b' : '?';
}

/* A 100 x 20000 PNG (red top half, blue bottom half) is under max_pixels
 * but taller than WebP's 16383: it is stored scaled to 82 x 16383 (every
 * configured width collapses to that one size), not refused with 500. */
static void test_tall_png(void)
{
    long long id = client_new_recipe(&alice, "Infographic crumble", "");
    CU_ASSERT_FATAL(id > 0);
    gdImagePtr im = gdImageCreateTrueColor(100, 20000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(im);
    gdImageFilledRectangle(im, 0, 0, 99, 9999, gdTrueColor(220, 30, 30));
    gdImageFilledRectangle(im, 0, 10000, 99, 19999, gdTrueColor(30, 30, 220));
    struct blob png = encode(im, PNG, 0);
    gdImageDestroy(im);
    CU_ASSERT_FATAL(png.n > 0 && png.n < upload_limit);
    struct http_response r;
    int st = upload_blob(id, "image/png", &png, &r);
    if (st != 200)
        fprintf(stderr, "\n  100x20000 PNG: %d %s\n", st, r.body);
    CU_ASSERT_EQUAL(st, 200);
    struct answer a = {0};
    if (st == 200)
        CU_ASSERT_EQUAL(parse_answer(&r, &a), 2);
    http_response_free(&r);
    CU_ASSERT_EQUAL(a.width, 100); /* the original's size */
    CU_ASSERT_EQUAL(a.height, 20000);
    for (int i = 0; i < a.n; i++) {
        CU_ASSERT(a.widths[i] <= 16383 && a.heights[i] <= 16383);
        CU_ASSERT_EQUAL(a.widths[i], 82);
        CU_ASSERT_EQUAL(a.heights[i], 16383);
        gdImagePtr got = fetch_image(&a, i);
        CU_ASSERT_PTR_NOT_NULL(got);
        if (got != NULL) {
            CU_ASSERT_EQUAL(hue(got, 41, 100), 'r'); /* scaled, not turned */
            CU_ASSERT_EQUAL(hue(got, 41, 16283), 'b');
            gdImageDestroy(got);
        }
    }
    expect_files(&a, NULL);
    blob_free(&png);
}

/* A 40 x 20 libgd JPEG (blue, with a red top-left quadrant) with an APP1
 * "Exif" segment right after SOI: a big-endian TIFF header and IFD0 with
 * one entry, Orientation (SHORT) = o. */
static struct blob oriented_jpeg(unsigned char o)
{
    struct blob jpg = {NULL, 0}, out = {NULL, 0};
    gdImagePtr im = gdImageCreateTrueColor(40, 20);
    if (im == NULL)
        return out;
    gdImageFilledRectangle(im, 0, 0, 39, 19, gdTrueColor(30, 30, 220));
    gdImageFilledRectangle(im, 0, 0, 19, 9, gdTrueColor(220, 30, 30));
    jpg = encode(im, JPEG, 95);
    gdImageDestroy(im);
    const unsigned char tiff[] = {'M',  'M',  0, 42, 0, 0, 0, 8, /* header, IFD0 at 8 */
                                  0,    1,                       /* IFD0: one entry */
                                  0x01, 0x12, 0, 3,  0, 0, 0, 1,
                                  0,    o,    0, 0,  /* Orientation, SHORT, 1 value */
                                  0,    0,    0, 0}; /* no next IFD */
    size_t seg = 2 + 6 + sizeof(tiff);
    if (jpg.n < 4 || (out.p = malloc(jpg.n + 2 + seg)) == NULL) {
        blob_free(&jpg);
        return out;
    }
    unsigned char *p = out.p;
    memcpy(p, jpg.p, 2); /* SOI */
    p += 2;
    *p++ = 0xFF;
    *p++ = 0xE1;
    *p++ = (unsigned char)(seg >> 8);
    *p++ = (unsigned char)seg;
    memcpy(p, "Exif\0\0", 6);
    memcpy(p + 6, tiff, sizeof(tiff));
    p += 6 + sizeof(tiff);
    memcpy(p, jpg.p + 2, jpg.n - 2);
    out.n = (size_t)(p - out.p) + jpg.n - 2;
    blob_free(&jpg);
    return out;
}

/* EXIF orientation 6 (the camera was turned right): the 40 x 20 stored
 * picture is stored upright, 20 x 40, and its red top-left quadrant is now
 * the top-right one; the EXIF itself is still not in the files. */
static void test_exif_orientation(void)
{
    long long id = client_new_recipe(&alice, "Sideways scones", "");
    CU_ASSERT_FATAL(id > 0);
    struct blob jpg = oriented_jpeg(6);
    CU_ASSERT_FATAL(jpg.n > 0);
    struct http_response r;
    CU_ASSERT_EQUAL(upload_blob(id, "image/jpeg", &jpg, &r), 200);
    struct answer a = {0};
    CU_ASSERT_EQUAL(parse_answer(&r, &a), 2); /* 1200 and 400 both collapse to 20 */
    http_response_free(&r);
    CU_ASSERT_EQUAL(a.width, 20);
    CU_ASSERT_EQUAL(a.height, 40);
    for (int i = 0; i < a.n; i++) {
        CU_ASSERT_EQUAL(a.widths[i], 20);
        CU_ASSERT_EQUAL(a.heights[i], 40);
        gdImagePtr got = fetch_image(&a, i);
        CU_ASSERT_PTR_NOT_NULL(got);
        if (got != NULL && gdImageSX(got) == 20 && gdImageSY(got) == 40) {
            CU_ASSERT_EQUAL(hue(got, 15, 5), 'r');
            CU_ASSERT_EQUAL(hue(got, 15, 14), 'r');
            CU_ASSERT_EQUAL(hue(got, 4, 5), 'b');
            CU_ASSERT_EQUAL(hue(got, 15, 32), 'b');
        }
        if (got != NULL)
            gdImageDestroy(got);
    }
    static const char *const forbid[] = {"Exif", NULL};
    expect_files(&a, forbid);
    blob_free(&jpg);
}

int images_suite_register(void)
{
    CU_pSuite s = CU_add_suite("images", suite_init, NULL);
    if (s == NULL ||
        !CU_add_test(s, "JPEG upload: sizes, files served with their headers, ETag",
                     test_upload_jpeg) ||
        !CU_add_test(s, "refused uploads 415/422: no file, recipe unchanged", test_refusals) ||
        !CU_add_test(s, "refused form uploads 415/422: no file, recipe unchanged",
                     test_form_refusals) ||
        !CU_add_test(s, "EXIF/GPS gone from every stored file", test_exif_stripped) ||
        !CU_add_test(s, "WebP and form uploads; a replaced image's files go", test_webp_and_form) ||
        !CU_add_test(s, "upload_limit - 1 is 200, + 1 is 413", test_limits) ||
        !CU_add_test(s, "only the author: 403, 401, 404; nothing changed", test_who_may) ||
        !CU_add_test(s, "replace and DELETE remove the files; ETag follows",
                     test_replace_and_delete) ||
        !CU_add_test(s, "disk full: 507, no file, no change", test_disk_full) ||
        !CU_add_test(s, "an unwritable media directory: 500 'media storage failed', logged",
                     test_media_unwritable) ||
        !CU_add_test(s, "recipebox media gc: orphans only, --dry-run, --min-age", test_media_gc) ||
        !CU_add_test(s, "a 4000x3000 JPEG (timed)", test_large_jpeg) ||
        !CU_add_test(s, "a 100x20000 PNG: stored at most 16383 high", test_tall_png) ||
        !CU_add_test(s, "EXIF orientation 6: stored upright", test_exif_orientation))
        return -1;
    return 0;
}
