/* schema.org Recipe extraction, for import: an HTML page (JSON-LD scripts,
 * else microdata) or one JSON-LD document to the body POST /api/v1/recipes
 * accepts, plus the image URLs the caller may fetch. Parses with gumbo (HTML)
 * and json-c (JSON-LD), never with regular expressions. Pure (lib/): no I/O,
 * no fetching; docs/api.md "Import: what is read" has the rules.
 *
 * What a caller gets always passes recipe_input_parse when status is
 * SCHEMAORG_OK: text is decoded (entities), stripped of markup, made valid
 * UTF-8 without control characters, white space collapsed, and clamped to
 * recipe_input's limits. Dropped or cut, silently: the title after 200
 * characters, the description after 5000, each step after 5000, steps after
 * the 100th, ingredients after the 200th (name after 200 characters), tags
 * after the 20th and any tag longer than 40 once normalised, images after
 * SCHEMAORG_MAX_IMAGES, minutes above 10000 (clamped), servings above 1000
 * (clamped). A Recipe without a name takes the page's <title>; one with no
 * ingredient or no step is not importable (SCHEMAORG_NONE, with why). */
#ifndef RB_LIB_SCHEMAORG_H
#define RB_LIB_SCHEMAORG_H

#include <stddef.h>

struct json_object;

#define SCHEMAORG_MAX_IMAGES 10
#define SCHEMAORG_FOUND_MAX 256
/* JSON-LD nesting accepted (deeper blocks count as broken) */
#define SCHEMAORG_JSON_DEPTH 64

enum schemaorg_status {
    SCHEMAORG_OK = 0,    /* recipe and images are set */
    SCHEMAORG_NONE = 1,  /* no importable Recipe: found says what there was */
    SCHEMAORG_NOMEM = -1 /* out of memory: nothing is set */
};

struct schemaorg_result {
    /* The draft, the exact shape POST /api/v1/recipes takes: title,
     * description, servings?, prep_minutes?, cook_minutes?, source_url?,
     * visibility "private", ingredients [{quantity?, unit?, name, note?}],
     * steps [string], tags [string]. Owned: schemaorg_result_free. */
    struct json_object *recipe;
    /* Array of absolute http(s) image URL strings, best first (maybe empty).
     * Owned: schemaorg_result_free. */
    struct json_object *images;
    /* With SCHEMAORG_NONE: what was found instead, for a 422
     * no_recipe_found, e.g. "2 JSON-LD blocks (1 broken): Organization,
     * WebPage; no microdata". With SCHEMAORG_OK: a short summary of where
     * the recipe came from ("JSON-LD" or "microdata"). */
    char found[SCHEMAORG_FOUND_MAX];
};

/* Extracts the first Recipe of len bytes of HTML (any bytes; invalid UTF-8
 * is replaced). JSON-LD blocks (<script type="application/ld+json">, with
 * @graph, arrays, @type arrays) come first; microdata (itemtype
 * schema.org/Recipe) only when no JSON-LD block holds a Recipe. base_url (the
 * page's URL, may be NULL) resolves relative image URLs and is the
 * source_url when it is http(s). Fills *out (zeroed first) and returns a
 * status; the caller frees with schemaorg_result_free in every case. */
enum schemaorg_status schemaorg_from_html(const char *html, size_t len, const char *base_url,
                                          struct schemaorg_result *out);

/* The same from one parsed JSON-LD value (an object, an array or a @graph
 * document; not changed, not taken). base_url may be NULL: then the
 * Recipe's own "url" is the source_url when it is absolute http(s). */
enum schemaorg_status schemaorg_from_jsonld(struct json_object *doc, const char *base_url,
                                            struct schemaorg_result *out);

/* The same from len bytes of JSON-LD text (an application/ld+json body);
 * text that does not parse gives SCHEMAORG_NONE ("JSON-LD that does not
 * parse"). */
enum schemaorg_status schemaorg_from_jsonld_text(const char *text, size_t len, const char *base_url,
                                                 struct schemaorg_result *out);

/* Releases what *r holds and zeroes it; r may be NULL, and a zeroed or
 * already freed result is fine. */
void schemaorg_result_free(struct schemaorg_result *r);

#endif
