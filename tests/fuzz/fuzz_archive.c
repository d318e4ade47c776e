/* libFuzzer target: the zip reader and the import format readers. Any
 * bytes: opened with small caps, the format detected, every recipe read.
 * Whatever comes out must be within the caps (no entry and no total larger
 * than allowed), and every entry name handed out must be a safe one. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/archive.h"
#include "lib/archive_formats.h"
#include "lib/fielderr.h"
#include "lib/recipe_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct archive_caps caps = {1u << 20, 64, 256u << 10, 1u << 20, 50};
static struct recipe_input in;

static int each(const struct archive_recipe *r, void *ctx)
{
    size_t *total = ctx;
    if (r->entry == NULL || (r->input == NULL && r->error == NULL))
        abort();
    *total += r->image_len;
    if (r->input != NULL) {
        struct field_errors errors = {0};
        (void)recipe_input_parse(r->input, &in, &errors);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct archive *a = NULL;
    char why[256];
    if (archive_open(data, size, &caps, &a, why, sizeof(why)) != ARCHIVE_OK)
        return 0;
    if (archive_count(a) > caps.entries)
        abort();
    for (size_t i = 0; i < archive_count(a); i++)
        if (!archive_name_safe(archive_name(a, i)))
            abort();
    size_t total = 0;
    (void)archive_formats_each(a, archive_formats_detect(a), each, &total, why, sizeof(why));
    if (total > caps.total_bytes)
        abort();
    /* every entry once more, directly */
    for (size_t i = 0; i < archive_count(a); i++) {
        unsigned char *bytes = NULL;
        size_t len = 0;
        if (archive_read(a, i, &bytes, &len, why, sizeof(why)) == ARCHIVE_OK &&
            len > caps.entry_bytes)
            abort();
        free(bytes);
    }
    archive_close(a);
    return 0;
}
