/* libFuzzer target: pagination cursors and limits. A cursor that decodes
 * re-encodes to itself; limits are 1..max or refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[128];
    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    long long pos;
    if (cursor_decode(text, &pos) == 0) {
        char again[CURSOR_TEXT];
        if (pos <= 0 || cursor_encode(pos, again) != 0 || strcmp(again, text) != 0)
            abort();
    }
    long long key, id;
    for (char kind = 'a'; kind <= 'z'; kind++) {
        if (cursor_decode_keyed(text, kind, &key, &id) != 0)
            continue;
        char again[CURSOR_TEXT];
        if (key < 0 || id <= 0 || cursor_encode_keyed(kind, key, id, again) != 0 ||
            strcmp(again, text) != 0)
            abort();
    }
    int limit = cursor_limit(text, 20, 100);
    if (limit != -1 && (limit < 1 || limit > 100))
        abort();
    return 0;
}
