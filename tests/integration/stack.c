/* Helpers that change the running stack: the pool's config file. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "suites.h"

/* Rewrites "key = value" in the pool's config file (RB_CONFIG). */
int config_set_value(const char *key, const char *value)
{
    const char *path = getenv("RB_CONFIG");
    static char text[65536];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    f = fopen(path, "w");
    if (f == NULL)
        return -1;
    size_t klen = strlen(key);
    for (char *line = text; *line != '\0';) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
            fprintf(f, "%s = %s\n", key, value);
        else
            fprintf(f, "%.*s\n", (int)len, line);
        line += len + (nl != NULL);
    }
    return fclose(f);
}

