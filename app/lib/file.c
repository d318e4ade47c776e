/* Whole-file reads with a size cap; refuses directories and other
 * non-regular files (fopen accepts a directory; the read then fails). */
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int file_read_all(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    const char *why = NULL;
    if (f == NULL)
        why = strerror(errno);
    else if (fstat(fileno(f), &sb) != 0)
        why = strerror(errno);
    else if (!S_ISREG(sb.st_mode))
        why = "not a regular file";
    else if ((unsigned long long)sb.st_size > max)
        why = "too large";
    char *buf = why ? NULL : malloc((size_t)sb.st_size + 1);
    if (why == NULL && buf == NULL)
        why = "out of memory";
    size_t got = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
    if (why == NULL && got != (size_t)sb.st_size)
        why = "short read";
    if (f != NULL)
        fclose(f);
    if (why != NULL) {
        free(buf);
        snprintf(err, errlen, "%s: cannot read: %s", path, why);
        return -1;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}
