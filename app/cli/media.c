/* `recipebox media gc` (see include/cli/media.h). Files younger than
 * --min-age (default 600 s) are left alone: an upload writes its files
 * before its row, and gc must not take them in between. */
#include "cli/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/media.h"
#include "db/db.h"
#include "db/recipe_store.h"

#define MAX_KEYS 1000000

struct keys {
    char **v;
    size_t n, cap;
    int incomplete; /* a key could not be kept: gc must remove nothing */
};

static int collect(void *row, void *ctx)
{
    struct keys *k = ctx;
    char *key = *(char **)row;
    if (k->n >= MAX_KEYS) {
        k->incomplete = 1;
        return 1;
    }
    if (k->n == k->cap) { /* doubling: one copy per key on average */
        size_t cap = k->cap ? 2 * k->cap : 256;
        char **grown = realloc(k->v, cap * sizeof(*k->v));
        if (grown == NULL) {
            k->incomplete = 1;
            return 1;
        }
        k->v = grown;
        k->cap = cap;
    }
    k->v[k->n++] = key;
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int known(const char *key, void *ctx)
{
    const struct keys *k = ctx;
    return bsearch(&key, k->v, k->n, sizeof(*k->v), by_text) != NULL;
}

static void removed(const char *path, void *ctx)
{
    (void)ctx;
    printf("%s\n", path);
}

/* Removes (or with dry, lists) the files of keys not in k. The count, or -1. */
static long sweep(const struct config *cfg, struct keys *k, long min_age, int dry)
{
    qsort(k->v, k->n, sizeof(*k->v), by_text);
    long n = media_gc(cfg, known, removed, k, min_age, dry);
    if (n < 0)
        fprintf(stderr, "recipebox media gc: cannot read %s\n", cfg->media_dir);
    else
        fprintf(stderr, "%ld file(s) %s; %zu image(s) in use\n", n, dry ? "to remove" : "removed",
                k->n);
    return n;
}

static int usage(void)
{
    fprintf(stderr, "usage: recipebox media [-c FILE] gc [--dry-run] [--min-age SECONDS]\n");
    return 2;
}

int cli_media(const struct config *cfg, int argc, char **argv)
{
    int dry = 0;
    long min_age = 600;
    if (argc < 1 || strcmp(argv[0], "gc") != 0)
        return usage();
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--dry-run") == 0)
            dry = 1;
        else if (strcmp(argv[i], "--min-age") == 0 && i + 1 < argc &&
                 (min_age = strtol(argv[++i], &end, 10)) >= 0 && *end == '\0')
            continue;
        else
            return usage();
    }
    struct db *db = db_open(cfg, NULL);
    struct arena a;
    struct keys k = {NULL, 0, 0, 0};
    arena_init(&a, 0);
    enum db_status st = db != NULL ? recipe_store_image_keys(db, 0, &a, collect, &k) : DB_ERROR;
    /* an image missing from the list would look orphaned and be deleted */
    long n = -1;
    if (st != DB_OK)
        fprintf(stderr, "recipebox media gc: cannot read the image keys: %s\n",
                db ? db_last_error(db) : "out of memory");
    else if (k.incomplete)
        fprintf(stderr, "recipebox media gc: too many images to hold in memory; nothing removed\n");
    else
        n = sweep(cfg, &k, min_age, dry);
    free(k.v);
    arena_free(&a);
    db_close(db);
    return n < 0 ? 1 : 0;
}
