/* libFuzzer target: migration file names. An accepted name round-trips:
 * the version printed back and the name are a prefix of the file name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/migrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char file[300];
    if (size >= sizeof(file))
        return 0;
    memcpy(file, data, size);
    file[size] = '\0';
    unsigned v;
    int up;
    char name[MIGRATE_NAME];
    if (migrate_parse_name(file, &v, name, sizeof(name), &up) != 0)
        return 0;
    size_t n = strlen(name);
    if (strncmp(file, name, n) != 0 || strcmp(file + n, up ? ".up.sql" : ".down.sql") != 0)
        abort();
    if (strtoul(name, NULL, 10) != v)
        abort();
    return 0;
}
