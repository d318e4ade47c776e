/* The media directory (see include/core/media.h). */
#include "db/media.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "lib/image.h"
#include "lib/token.h"

#define TMP_PREFIX ".tmp-"

int media_new_key(char key[MEDIA_KEY_LEN + 1])
{
    unsigned char raw[16];
    char text[32]; /* token_b64url wants room for the padded length */
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw) ||
        token_b64url(raw, sizeof(raw), text, sizeof(text)) != MEDIA_KEY_LEN)
        return -1;
    memcpy(key, text, MEDIA_KEY_LEN + 1);
    return 0;
}

void media_file_name(const char *key, unsigned width, const char *ext, char *out, size_t len)
{
    snprintf(out, len, "%s-%u%s", key, width, ext);
}

/* Tests only: pretend the disk fills up after a number of bytes. */
static int budget_spend(const struct config *cfg, size_t *spent, size_t n)
{
    if (!cfg->test_routes || cfg->media_test_fail_after == 0)
        return 0;
    *spent += n;
    return *spent > cfg->media_test_fail_after ? -1 : 0;
}

/* Writes data to dir/name through a temporary file. 0, or -1 with errno. */
static int write_whole(const struct config *cfg, int dirfd, const char *name, const void *data,
                       size_t size, size_t *spent)
{
    char tmp[128];
    snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s", name);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t left = size;
    int rc = fchmod(fd, 0644); /* readable by the front server whatever the umask */
    while (rc == 0 && left > 0) {
        size_t chunk = left < 65536 ? left : 65536;
        if (budget_spend(cfg, spent, chunk) != 0) {
            errno = ENOSPC;
            rc = -1;
            break;
        }
        ssize_t n = write(fd, p, chunk);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (rc == 0)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        saved = errno;
        rc = -1;
    }
    if (rc == 0 && renameat(dirfd, tmp, dirfd, name) != 0) {
        saved = errno;
        rc = -1;
    }
    if (rc != 0) {
        unlinkat(dirfd, tmp, 0);
        errno = saved;
    }
    return rc;
}

static int open_dir(const struct config *cfg)
{
    int fd = open(cfg->media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && mkdir(cfg->media_dir, 0755) == 0)
        fd = open(cfg->media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return fd;
}

static void remove_in(int dirfd, const char *key)
{
    DIR *d = fdopendir(dup(dirfd));
    if (d == NULL)
        return;
    size_t n = strlen(key);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, key, n) == 0 && e->d_name[n] == '-')
            unlinkat(dirfd, e->d_name, 0);
    closedir(d);
}

int media_store(const struct config *cfg, const char *key, const struct image_result *res)
{
    int dirfd = open_dir(cfg);
    if (dirfd < 0)
        return -1;
    size_t spent = 0;
    int rc = 0;
    for (size_t i = 0; i < res->n && rc == 0; i++) {
        char name[96];
        const struct image_output *o = &res->out[i];
        media_file_name(key, o->width, image_extension(o->type), name, sizeof(name));
        rc = write_whole(cfg, dirfd, name, o->data, o->size, &spent);
    }
    /* the renames are durable only once the directory is */
    if (rc == 0)
        rc = fsync(dirfd);
    int saved = errno;
    if (rc != 0)
        remove_in(dirfd, key);
    close(dirfd);
    errno = saved;
    return rc;
}

void media_remove(const struct config *cfg, const char *key)
{
    int dirfd = open(cfg->media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return;
    remove_in(dirfd, key);
    fsync(dirfd);
    close(dirfd);
}

/* The key a file name starts with, or "" for names that are not ours. */
static void key_of(const char *name, char key[MEDIA_KEY_LEN + 1])
{
    key[0] = '\0';
    if (strlen(name) > MEDIA_KEY_LEN && name[MEDIA_KEY_LEN] == '-' &&
        strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") >=
            MEDIA_KEY_LEN) {
        memcpy(key, name, MEDIA_KEY_LEN);
        key[MEDIA_KEY_LEN] = '\0';
    }
}

long media_gc(const struct config *cfg, int (*known)(const char *key, void *ctx),
              void (*fn)(const char *path, void *ctx), void *ctx, long min_age, int dry_run)
{
    int dirfd = open(cfg->media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
    if (d == NULL) {
        if (dirfd >= 0)
            close(dirfd);
        return -1;
    }
    long count = 0;
    time_t now = time(NULL);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        struct stat st;
        char key[MEDIA_KEY_LEN + 1], path[1024];
        if (e->d_name[0] == '.' && strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
            continue;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            now - st.st_mtime < min_age)
            continue;
        int temp = strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
        key_of(e->d_name, key);
        if (!temp && (key[0] == '\0' || known(key, ctx)))
            continue; /* not ours, or in use */
        snprintf(path, sizeof(path), "%s/%s", cfg->media_dir, e->d_name);
        if (!dry_run && unlinkat(dirfd, e->d_name, 0) != 0)
            continue;
        fn(path, ctx);
        count++;
    }
    closedir(d);
    return count;
}
