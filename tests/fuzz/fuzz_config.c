/* libFuzzer target: the INI config loader (config_load_string) on the
 * input as NUL-terminated text. An accepted config validates again, keeps
 * every number in its range and loads the same way twice; a refusal always
 * names the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static struct config c, again;
    char err[CONFIG_ERR];
    memset(err, 'x', sizeof(err));
    if (config_load_string(&c, text, "fuzz.conf", err, sizeof(err)) == 0) {
        char why[CONFIG_ERR];
        if (config_validate(&c, why, sizeof(why)) != 0 || strcmp(c.path, "fuzz.conf") != 0 ||
            c.workers < 1 || c.workers > 256 || c.body_limit < 1024 || c.body_limit > (1u << 30) ||
            c.listen_mode > 0777 || c.db_port < 1 || c.db_port > 65535 ||
            (unsigned)c.log_level >= LOG_LEVEL__MAX ||
            (c.trust_forwarded != 0 && c.trust_forwarded != 1))
            abort();
        /* never a bare port, which would listen on every interface */
        const char *colon = strrchr(c.listen, ':');
        if (strncmp(c.listen, "unix:", 5) != 0 && (colon == NULL || colon == c.listen))
            abort();
        if (config_load_string(&again, text, "fuzz.conf", err, sizeof(err)) != 0 ||
            memcmp(&c, &again, sizeof(c)) != 0)
            abort();
    } else if (memchr(err, '\0', sizeof(err)) == NULL || strncmp(err, "fuzz.conf", 9) != 0 ||
               strlen(err) < 12) {
        abort();
    }
    free(text);
    return 0;
}
