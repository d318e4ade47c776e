/* The media directory: image files named KEY-WIDTH.EXT from a random key,
 * never from input. Each file is written to a temporary name, fsynced and
 * renamed, then the directory is fsynced: a reader (the front server) sees
 * a whole file or none. Orphans (files whose key no recipe names, left by a
 * crash between the rename and the database update) are removed by
 * `recipebox media gc`. */
#ifndef RB_DB_MEDIA_H
#define RB_DB_MEDIA_H

#include <stddef.h>

struct config;
struct image_result;

#define MEDIA_KEY_LEN 22 /* base64url of 128 random bits */

/* A new random key. 0/-1. */
int media_new_key(char key[MEDIA_KEY_LEN + 1]);

/* The file name of one output: "KEY-1200.webp". */
void media_file_name(const char *key, unsigned width, const char *ext, char *out, size_t len);

/* Stores every output of res under key. 0, or -1 with errno set (ENOSPC,
 * EDQUOT and EFBIG mean the disk is full: 507); after a failure nothing of
 * this key is left in the directory. */
int media_store(const struct config *cfg, const char *key, const struct image_result *res);

/* Removes every file of key (best effort: a leftover is gc's). */
void media_remove(const struct config *cfg, const char *key);

/* Calls fn(path, ctx) for every file in the media directory that belongs to
 * no key for which known(key, ctx) says 1, and for stale temporary files,
 * when older than min_age seconds; removes it unless dry_run. Returns the
 * count, or -1 when the directory cannot be read. */
long media_gc(const struct config *cfg, int (*known)(const char *key, void *ctx),
              void (*fn)(const char *path, void *ctx), void *ctx, long min_age, int dry_run);

#endif
