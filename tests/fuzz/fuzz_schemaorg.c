/* libFuzzer target: recipe extraction from an HTML page (first byte even)
 * or a JSON-LD body (odd). Whatever the input: no sanitizer report; a
 * draft serialises to JSON the strict body parser accepts and that
 * recipe_input_parse validates without an error, as POST /api/v1/recipes
 * would; at most SCHEMAORG_MAX_IMAGES images, each an absolute http(s)
 * URL; "found" is valid UTF-8 without controls and never empty. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/recipe_input.h"
#include "lib/schemaorg.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct recipe_input in;

static void check_draft(struct json_object *recipe)
{
    size_t len = 0;
    const char *text = json_object_to_json_string_length(recipe, JSON_C_TO_STRING_PLAIN, &len);
    char why[128];
    struct json_object *again = text != NULL ? jsonv_parse(text, len, why, sizeof(why)) : NULL;
    if (again == NULL)
        abort();
    struct field_errors errors = {0};
    if (recipe_input_parse(again, &in, &errors) != 0 || strcmp(in.visibility, "private") != 0)
        abort();
    json_object_put(again);
}

static void check_images(struct json_object *images)
{
    size_t n = json_object_array_length(images);
    if (n > SCHEMAORG_MAX_IMAGES)
        abort();
    for (size_t i = 0; i < n; i++) {
        const char *u = json_object_get_string(json_object_array_get_idx(images, i));
        if (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0)
            abort();
        if (strlen(u) > RECIPE_URL_MAX || strpbrk(u, " <>\"\\") != NULL)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int html = (data[0] & 1) == 0;
    size_t n = size - 1;
    char *buf = malloc(n ? n : 1); /* exactly n bytes: ASan sees over-reads */
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, n);
    struct schemaorg_result r;
    const char *base = (data[0] & 2) ? "https://example.com/a/b.html?q=1" : NULL;
    enum schemaorg_status st = html ? schemaorg_from_html(buf, n, base, &r)
                                    : schemaorg_from_jsonld_text(buf, n, base, &r);
    if (st == SCHEMAORG_OK) {
        if (r.recipe == NULL || r.images == NULL)
            abort();
        check_draft(r.recipe);
        check_images(r.images);
    } else if (st == SCHEMAORG_NONE && (r.recipe != NULL || r.found[0] == '\0')) {
        abort();
    }
    if (st != SCHEMAORG_NOMEM && !utf8_valid(r.found, strlen(r.found), UTF8_NO_CONTROLS))
        abort();
    schemaorg_result_free(&r);
    free(buf);
    return 0;
}
