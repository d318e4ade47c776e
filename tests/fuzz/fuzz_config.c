/* libFuzzer target: the INI config loader. A config it accepts passes
 * validation again; a refusal always says why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static struct config c;
    char err[CONFIG_ERR] = "";
    if (config_load_string(&c, text, "fuzz.conf", err, sizeof(err)) == 0) {
        char again[CONFIG_ERR];
        if (config_validate(&c, again, sizeof(again)) != 0 || c.workers < 1 || c.workers > 256)
            abort();
    } else if (strncmp(err, "fuzz.conf", 9) != 0) {
        abort();
    }
    free(text);
    return 0;
}
