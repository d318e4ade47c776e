/* Reading a whole small file: config files and migrations. */
#ifndef RB_LIB_FILE_H
#define RB_LIB_FILE_H

#include <stddef.h>

/* Reads the regular file path (at most max bytes) into a new
 * NUL-terminated buffer the caller frees. Returns 0, or -1 with
 * "PATH: cannot read: why" in err. */
int file_read_all(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);

#endif
