/* schema.org Recipe extraction (see include/lib/schemaorg.h). HTML goes
 * through gumbo, JSON-LD through json-c; microdata is first turned into the
 * JSON-LD shape, so one converter (recipe_convert) reads both. Every walk over
 * a tree is depth-capped: pages are hostile input. Never fetches anything. */
#include "lib/schemaorg.h"

#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/duration.h"
#include "lib/htmldoc.h"
#include "lib/ingredient_line.h"
#include "lib/quantity.h"
#include "lib/recipe_input.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"

#define HTML_DEPTH 256   /* element levels looked into */
#define JSON_DEPTH 32    /* JSON-LD levels searched for a Recipe or an @id */
#define MAX_LD_BLOCKS 64 /* JSON-LD scripts read per page */
#define MAX_TYPES 6      /* type names listed in "found" */
#define TYPE_NAME_MAX 40

enum text_mode { TEXT_FLAT, TEXT_LINES };

/* One extraction: where strings come from and what is built. */
struct extract {
    struct json_object *doc; /* the JSON-LD document, for @id references */
    const char *base_url;    /* may be NULL */
    const char *page_title;  /* the HTML <title>, cleaned; may be NULL */
    int markup;              /* 1: strings may hold HTML (JSON-LD); 0: plain text */
    int nomem;
    struct json_object *recipe, *images;
    char why[96]; /* why a Recipe found is not importable */
};

/* Type names seen, for the "found" text. */
struct type_list {
    char names[MAX_TYPES][TYPE_NAME_MAX];
    size_t n, more;
};

/* ---- text: decode, strip markup, clean ---- */

static int is_block(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
        return 1;
    default:
        return 0;
    }
}

static const GumboVector *children(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
        return &n->v.element.children;
    return NULL;
}

/* Appends the text under n, with '\n' around block elements; script,
 * style and template content is not text. */
static void node_text(const GumboNode *n, struct strbuf *b, int depth)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        strbuf_puts(b, n->v.text.text);
        return;
    }
    const GumboVector *kids = children(n);
    if (kids == NULL || depth > HTML_DEPTH)
        return;
    GumboTag tag = n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : n->v.element.tag;
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE ||
        tag == GUMBO_TAG_NOSCRIPT)
        return;
    int block = is_block(tag);
    if (block)
        strbuf_put(b, "\n", 1);
    for (unsigned i = 0; i < kids->length; i++)
        node_text(kids->data[i], b, depth + 1);
    if (block)
        strbuf_put(b, "\n", 1);
}

/* The length of the UTF-8 sequence at s[0..n) (1 for a bad byte) and
 * whether it is valid. */
static size_t char_len(const char *s, size_t n, int *valid)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    *valid = k <= n && utf8_valid(s, k, 0);
    return *valid ? k : 1;
}

/* White space, controls, NBSP and the line separators all become one gap. */
static int is_gap(const char *s, size_t k, int *newline)
{
    unsigned char c = (unsigned char)s[0];
    *newline = c == '\n' || c == '\r';
    if (k == 1)
        return c <= 0x20 || c == 0x7f;
    if (k == 2)
        return c == 0xc2 && ((unsigned char)s[1] <= 0x9f || (unsigned char)s[1] == 0xa0);
    return k == 3 && memcmp(s, "\xe2\x80", 2) == 0 &&
           ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9);
}

/* Valid UTF-8 (bad bytes become U+FFFD) without controls, white space runs
 * collapsed to one space (TEXT_LINES: to one '\n' when the run held a line
 * break), trimmed, at most maxchars characters. A new string (maybe ""), or
 * NULL when out of memory. */
static char *text_normalise(const char *s, size_t n, enum text_mode mode, size_t maxchars)
{
    struct strbuf b = {0};
    size_t chars = 0;
    int gap = 0, gap_nl = 0;
    for (size_t i = 0; i < n && chars < maxchars;) {
        int valid, nl;
        size_t k = char_len(s + i, n - i, &valid);
        if (valid && is_gap(s + i, k, &nl)) {
            gap = 1;
            gap_nl |= nl && mode == TEXT_LINES;
        } else {
            if (gap && b.len > 0) {
                if (chars + 1 >= maxchars)
                    break; /* no room for the gap and a character after it */
                strbuf_put(&b, gap_nl ? "\n" : " ", 1);
                chars++;
            }
            gap = gap_nl = 0;
            if (valid)
                strbuf_put(&b, s + i, k);
            else
                strbuf_put(&b, "\xef\xbf\xbd", 3);
            chars++;
        }
        i += k;
    }
    return strbuf_finish(&b, NULL);
}

/* Decodes entities and strips markup (gumbo) when x says strings may hold
 * HTML and this one looks like it, then normalises. New string or NULL. */
static char *text_clean(struct extract *x, const char *s, size_t n, enum text_mode mode,
                        size_t maxchars)
{
    if (!x->markup || (memchr(s, '<', n) == NULL && memchr(s, '&', n) == NULL))
        return text_normalise(s, n, mode, maxchars);
    struct htmldoc doc;
    enum htmldoc_status hs = htmldoc_parse(&doc, s, n, 0);
    if (hs == HTMLDOC_TOO_COMPLEX) /* markup nested absurdly: keep it as text */
        return text_normalise(s, n, mode, maxchars);
    if (hs != HTMLDOC_OK)
        return NULL;
    struct strbuf b = {0};
    node_text(doc.out->document, &b, 0);
    htmldoc_free(&doc);
    size_t len;
    char *raw = strbuf_finish(&b, &len);
    if (raw == NULL)
        return NULL;
    char *out = text_normalise(raw, len, mode, maxchars);
    free(raw);
    return out;
}

/* ---- JSON-LD helpers ---- */

static struct json_object *member(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;
    if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, key, &v))
        return NULL;
    return v;
}

/* "Recipe", "schema:Recipe" and "https://schema.org/Recipe" all name Recipe. */
static const char *type_local(const char *t)
{
    const char *slash = strrchr(t, '/'), *colon = strrchr(t, ':');
    const char *cut = slash > colon ? slash : colon;
    return cut != NULL ? cut + 1 : t;
}

static int type_has(struct json_object *obj, const char *want)
{
    struct json_object *t = member(obj, "@type");
    if (t != NULL && json_object_is_type(t, json_type_string))
        return strcmp(type_local(json_object_get_string(t)), want) == 0;
    if (t == NULL || !json_object_is_type(t, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(t); i++) {
        struct json_object *e = json_object_array_get_idx(t, i);
        if (json_object_is_type(e, json_type_string) &&
            strcmp(type_local(json_object_get_string(e)), want) == 0)
            return 1;
    }
    return 0;
}

/* The first object typed Recipe, depth first in document order. */
static struct json_object *find_recipe(struct json_object *v, int depth)
{
    if (v == NULL || depth > JSON_DEPTH)
        return NULL;
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            struct json_object *r = find_recipe(json_object_array_get_idx(v, i), depth + 1);
            if (r != NULL)
                return r;
        }
        return NULL;
    }
    if (!json_object_is_type(v, json_type_object))
        return NULL;
    if (type_has(v, "Recipe"))
        return v;
    json_object_object_foreach(v, key, val)
    {
        (void)key;
        struct json_object *r = find_recipe(val, depth + 1);
        if (r != NULL)
            return r;
    }
    return NULL;
}

/* The object of doc with this @id and something more than the @id. */
static struct json_object *find_id(struct json_object *v, const char *id, int depth)
{
    if (v == NULL || depth > JSON_DEPTH)
        return NULL;
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            struct json_object *r = find_id(json_object_array_get_idx(v, i), id, depth + 1);
            if (r != NULL)
                return r;
        }
        return NULL;
    }
    if (!json_object_is_type(v, json_type_object))
        return NULL;
    struct json_object *own = member(v, "@id");
    if (own != NULL && json_object_is_type(own, json_type_string) &&
        strcmp(json_object_get_string(own), id) == 0 && json_object_object_length(v) > 1)
        return v;
    json_object_object_foreach(v, key, val)
    {
        (void)key;
        struct json_object *r = find_id(val, id, depth + 1);
        if (r != NULL)
            return r;
    }
    return NULL;
}

/* {"@id": "..."} alone stands for the object of the document with that @id. */
static struct json_object *deref(struct extract *x, struct json_object *v)
{
    struct json_object *id = member(v, "@id");
    if (id == NULL || json_object_object_length(v) != 1 ||
        !json_object_is_type(id, json_type_string))
        return v;
    struct json_object *found = find_id(x->doc, json_object_get_string(id), 0);
    return found != NULL ? found : v;
}

static void type_add(struct type_list *l, const char *name)
{
    char local[TYPE_NAME_MAX];
    char *clean =
        text_normalise(type_local(name), strlen(type_local(name)), TEXT_FLAT, TYPE_NAME_MAX - 1);
    if (clean == NULL || *clean == '\0') {
        free(clean);
        return;
    }
    size_t len = utf8_prefix(clean, strlen(clean), TYPE_NAME_MAX - 1);
    memcpy(local, clean, len);
    local[len] = '\0';
    free(clean);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->names[i], local) == 0)
            return;
    if (l->n == MAX_TYPES) {
        l->more++;
        return;
    }
    memcpy(l->names[l->n++], local, sizeof(local));
}

static void types_of_object(struct type_list *l, struct json_object *obj)
{
    struct json_object *t = member(obj, "@type");
    if (t != NULL && json_object_is_type(t, json_type_string))
        type_add(l, json_object_get_string(t));
    for (size_t i = 0; t != NULL && json_object_is_type(t, json_type_array) &&
                       i < json_object_array_length(t) && i < MAX_TYPES;
         i++) {
        struct json_object *e = json_object_array_get_idx(t, i);
        if (json_object_is_type(e, json_type_string))
            type_add(l, json_object_get_string(e));
    }
}

/* The types at the top of a block: the object's, a @graph's members', an
 * array's elements'. */
static void types_of(struct type_list *l, struct json_object *v)
{
    struct json_object *graph = member(v, "@graph");
    if (graph != NULL)
        v = graph;
    if (!json_object_is_type(v, json_type_array)) {
        types_of_object(l, v);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(v) && i < 64; i++)
        types_of_object(l, json_object_array_get_idx(v, i));
}

static void types_print(const struct type_list *l, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        int w = snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", l->names[i]);
        if (w < 0 || (size_t)w >= outlen - used)
            return;
        used += (size_t)w;
    }
    if (l->more > 0)
        snprintf(out + used, outlen - used, " and %zu more", l->more);
}

/* Parses one JSON-LD script body: surrounding white space, an HTML comment
 * wrapper and a trailing ';' are tolerated, anything else must be JSON. */
static struct json_object *ld_parse(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
        s += 4;
        n -= 4;
    }
    while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    if (n >= 3 && memcmp(s + n - 3, "-->", 3) == 0)
        n -= 3;
    while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    if (n == 0 || n > INT_MAX)
        return NULL;
    struct json_tokener *tok = json_tokener_new_ex(SCHEMAORG_JSON_DEPTH);
    if (tok == NULL)
        return NULL;
    struct json_object *v = json_tokener_parse_ex(tok, s, (int)n);
    int ok = json_tokener_get_error(tok) == json_tokener_success;
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (ok && end < n && isspace((unsigned char)s[end]))
        end++;
    if (!ok || end != n) {
        json_object_put(v);
        return NULL;
    }
    return v;
}

/* ---- building the draft ---- */

static struct json_object *jstr(struct extract *x, const char *s)
{
    struct json_object *v = json_object_new_string(s);
    if (v == NULL)
        x->nomem = 1;
    return v;
}

static void obj_add(struct extract *x, struct json_object *obj, const char *key,
                    struct json_object *v)
{
    if (v == NULL || json_object_object_add(obj, key, v) != 0) {
        json_object_put(v);
        x->nomem = 1;
    }
}

static void arr_add(struct extract *x, struct json_object *arr, struct json_object *v)
{
    if (v == NULL || json_object_array_add(arr, v) != 0) {
        json_object_put(v);
        x->nomem = 1;
    }
}

/* The first string of v: itself, or an array's first string. */
static struct json_object *first_string(struct json_object *v)
{
    if (v != NULL && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (json_object_is_type(e, json_type_string))
                return e;
        }
    return v != NULL && json_object_is_type(v, json_type_string) ? v : NULL;
}

/* The cleaned text of a string member (or an array's first string); NULL
 * when absent or empty. */
static char *text_member(struct extract *x, struct json_object *obj, const char *key,
                         size_t maxchars)
{
    struct json_object *v = first_string(member(obj, key));
    if (v == NULL)
        return NULL;
    char *t = text_clean(x, json_object_get_string(v), (size_t)json_object_get_string_len(v),
                         TEXT_FLAT, maxchars);
    if (t == NULL)
        x->nomem = 1;
    if (t != NULL && *t == '\0') {
        free(t);
        return NULL;
    }
    return t;
}

/* recipeYield: 4, "4", "4 servings", "Serves 4-6", ["4", "4 servings"],
 * {"value": 4}: the first whole number, 0 when none. */
static long long yield_servings(struct json_object *v, int depth)
{
    if (v == NULL || depth > 4)
        return 0;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double: {
        double d = json_object_get_double(v);
        return isfinite(d) && d >= 1
                   ? (d > RECIPE_SERVINGS_MAX ? RECIPE_SERVINGS_MAX : (long long)(d + 0.5))
                   : 0;
    }
    case json_type_string: {
        const char *s = json_object_get_string(v);
        while (*s != '\0' && !isdigit((unsigned char)*s))
            s++;
        long long n = 0;
        for (; isdigit((unsigned char)*s) && n <= RECIPE_SERVINGS_MAX; s++)
            n = n * 10 + (*s - '0');
        return n > RECIPE_SERVINGS_MAX ? RECIPE_SERVINGS_MAX : n;
    }
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            long long n = yield_servings(json_object_array_get_idx(v, i), depth + 1);
            if (n > 0)
                return n;
        }
        return 0;
    case json_type_object:
        return yield_servings(member(v, "value"), depth + 1);
    default:
        return 0;
    }
}

/* A time member in minutes (an ISO 8601 duration, or a bare number of
 * minutes), clamped to recipe_input's range; -1 when absent or unreadable. */
static long long time_member(struct json_object *obj, const char *key)
{
    struct json_object *v = member(obj, key);
    long long m = -1;
    if (v != NULL && json_object_is_type(v, json_type_int))
        m = json_object_get_int64(v);
    else if ((v = first_string(v)) != NULL &&
             duration_minutes(json_object_get_string(v), (size_t)json_object_get_string_len(v),
                              &m) != 0)
        m = -1;
    return m < 0 ? -1 : m > RECIPE_MINUTES_MAX ? RECIPE_MINUTES_MAX : m;
}

static void times(struct extract *x, struct json_object *rec)
{
    long long prep = time_member(rec, "prepTime"), cook = time_member(rec, "cookTime");
    long long total = time_member(rec, "totalTime");
    /* only a total: what is not preparation is cooking */
    if (cook < 0 && total >= 0 && total >= (prep > 0 ? prep : 0))
        cook = total - (prep > 0 ? prep : 0);
    if (prep >= 0)
        obj_add(x, x->recipe, "prep_minutes", json_object_new_int64(prep));
    if (cook >= 0)
        obj_add(x, x->recipe, "cook_minutes", json_object_new_int64(cook));
}

/* ---- URLs ---- */

static size_t scheme_len(const char *u)
{
    return strncasecmp(u, "https://", 8) == 0 ? 8 : strncasecmp(u, "http://", 7) == 0 ? 7 : 0;
}

/* Appends u percent-encoding what an URL may not hold as is (spaces,
 * quotes, angle brackets, backslashes, controls, non-ASCII bytes). */
static void url_put(struct strbuf *b, const char *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\`{}|^", c) != NULL) {
            char esc[4];
            snprintf(esc, sizeof(esc), "%%%02X", c);
            strbuf_put(b, esc, 3);
        } else {
            strbuf_put(b, u + i, 1);
        }
    }
}

/* ref resolved against base (RFC 3986 section 5.2, without dot-segment
 * removal): a new absolute http(s) URL of at most RECIPE_URL_MAX bytes with
 * a host, or NULL (also for data:, javascript: and other schemes). */
static char *url_resolve(const char *base, const char *ref, size_t n)
{
    while (n > 0 && isspace((unsigned char)*ref)) {
        ref++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)ref[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && (isalnum((unsigned char)ref[i]) || strchr("+-.", ref[i]) != NULL))
        i++;
    int absolute = i > 0 && i < n && ref[i] == ':' && isalpha((unsigned char)ref[0]);
    struct strbuf b = {0};
    if (absolute) {
        if (scheme_len(ref) == 0 || n < 8)
            return NULL;
        url_put(&b, ref, n);
    } else {
        size_t sl = base != NULL ? scheme_len(base) : 0;
        if (sl == 0 || n == 0)
            return NULL;
        size_t auth = sl + strcspn(base + sl, "/?#"), path = auth + strcspn(base + auth, "?#");
        if (n >= 2 && ref[0] == '/' && ref[1] == '/')
            strbuf_put(&b, base, sl - 2); /* the scheme and ':' */
        else if (ref[0] == '/')
            strbuf_put(&b, base, auth);
        else if (ref[0] == '?' || ref[0] == '#')
            strbuf_put(&b, base, path);
        else {
            size_t dir = path;
            while (dir > auth && base[dir - 1] != '/')
                dir--;
            strbuf_put(&b, base, dir > auth ? dir : auth);
            if (dir <= auth)
                strbuf_put(&b, "/", 1);
        }
        url_put(&b, ref, n);
    }
    size_t len;
    char *u = strbuf_finish(&b, &len);
    size_t sl = u != NULL ? scheme_len(u) : 0;
    if (u != NULL && (len > RECIPE_URL_MAX || sl == 0 || u[sl] == '\0' || u[sl] == '/')) {
        free(u);
        return NULL;
    }
    return u;
}

/* ---- the parts of a recipe ---- */

/* A JSON-LD URL member resolved against the page: entities decoded
 * first (WordPress writes "&#038;" in them). New string or NULL. */
static char *url_member(struct extract *x, struct json_object *v)
{
    char *t = text_clean(x, json_object_get_string(v), (size_t)json_object_get_string_len(v),
                         TEXT_FLAT, RECIPE_URL_MAX);
    char *u = t != NULL ? url_resolve(x->base_url, t, strlen(t)) : NULL;
    x->nomem |= t == NULL;
    free(t);
    return u;
}

static void image_add(struct extract *x, struct json_object *v)
{
    if (json_object_array_length(x->images) >= SCHEMAORG_MAX_IMAGES)
        return;
    char *u = url_member(x, v);
    if (u == NULL)
        return;
    for (size_t i = 0; i < json_object_array_length(x->images); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(x->images, i)), u) == 0) {
            free(u);
            return;
        }
    arr_add(x, x->images, jstr(x, u));
    free(u);
}

/* image: an URL, an ImageObject (url or contentUrl), or an array of them. */
static void images(struct extract *x, struct json_object *v, int depth)
{
    if (v == NULL || depth > 4)
        return;
    if (json_object_is_type(v, json_type_string)) {
        image_add(x, v);
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v) && i < 64; i++)
            images(x, json_object_array_get_idx(v, i), depth + 1);
    } else if (json_object_is_type(v, json_type_object)) {
        v = deref(x, v);
        struct json_object *u = member(v, "url");
        images(x, u != NULL ? u : member(v, "contentUrl"), depth + 1);
    }
}

/* Adds text (cleaned, cut to maxchars) to arr, split at line breaks when
 * split is set; empty pieces are skipped, and arr stops at max elements.
 * make turns one piece into the element added. */
static void lines_add(struct extract *x, struct json_object *arr, struct json_object *v, int split,
                      size_t maxchars, size_t max,
                      struct json_object *(*make)(struct extract *, const char *))
{
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    char *t = text_clean(x, s, n, split ? TEXT_LINES : TEXT_FLAT, split ? SIZE_MAX : maxchars);
    if (t == NULL) {
        x->nomem = 1;
        return;
    }
    for (char *line = t; *line != '\0' && json_object_array_length(arr) < max;) {
        size_t len = strcspn(line, "\n");
        char *next = line + len + (line[len] == '\n');
        line[len] = '\0';
        char *piece = text_normalise(line, len, TEXT_FLAT, maxchars);
        if (piece == NULL)
            x->nomem = 1;
        else if (*piece != '\0')
            arr_add(x, arr, make(x, piece));
        free(piece);
        line = next;
    }
    free(t);
}

static struct json_object *make_step(struct extract *x, const char *s)
{
    return jstr(x, s);
}

/* recipeInstructions: text (one step per line), a list, HowToStep (text,
 * else name), HowToSection and ItemList (their itemListElement), nested. */
static void steps(struct extract *x, struct json_object *arr, struct json_object *v, int split,
                  int depth)
{
    if (v == NULL || depth > 8 || json_object_array_length(arr) >= RECIPE_MAX_STEPS)
        return;
    if (json_object_is_type(v, json_type_string)) {
        lines_add(x, arr, v, split, RECIPE_STEP_MAX, RECIPE_MAX_STEPS, make_step);
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            steps(x, arr, json_object_array_get_idx(v, i), 0, depth + 1);
    } else if (json_object_is_type(v, json_type_object)) {
        v = deref(x, v);
        struct json_object *text = first_string(member(v, "text"));
        struct json_object *list = member(v, "itemListElement");
        if (text != NULL)
            steps(x, arr, text, 1, depth + 1);
        else if (list != NULL)
            steps(x, arr, list, 0, depth + 1);
        else
            steps(x, arr, first_string(member(v, "name")), 1, depth + 1);
    }
}

/* Adds text member key cut to maxchars characters, when not empty. */
static void clipped_add(struct extract *x, struct json_object *obj, const char *key,
                        const char *text, size_t maxchars)
{
    char *t = text_normalise(text, strlen(text), TEXT_FLAT, maxchars);
    if (t == NULL)
        x->nomem = 1;
    else if (*t != '\0')
        obj_add(x, obj, key, jstr(x, t));
    free(t);
}

/* The quantity as the API stores it (3 decimals) in *number, its JSON text
 * in text; 1 when it survives storage exactly (quantity_from_stored gives
 * it back), 0 when only approximately, -1 when it is out of range. */
static int stored_quantity(struct quantity q, double *number, char *text, size_t textlen)
{
    if (quantity_number(q, text, textlen) < 0)
        return -1;
    double d = round(quantity_to_double(q) * 1000) / 1000;
    struct quantity back;
    if (!(d >= RECIPE_QUANTITY_MIN && d <= RECIPE_QUANTITY_MAX))
        return -1;
    *number = d;
    return quantity_from_stored(d, &back) == 0 && quantity_cmp(back, q) == 0;
}

/* One ingredient line through ingredient_line_parse: quantity (the low end
 * of a range), unit (its API id), name and note. The line as written is
 * kept in the note when the structured form would lose part of it (an
 * amount like 1/7 that 3 decimals do not hold); a line the parser cannot
 * read, or whose amount is out of range, becomes the name as it is. */
static struct json_object *make_ingredient(struct extract *x, const char *line)
{
    static struct ingredient_line p; /* 2 KB: not on the stack */
    struct json_object *ing = json_object_new_object();
    if (ing == NULL) {
        x->nomem = 1;
        return NULL;
    }
    double number = 0;
    char qtext[QUANTITY_TEXT_MAX];
    int exact = ingredient_line_parse(line, strlen(line), &p) != 0 ? -1
                : p.has_quantity ? stored_quantity(p.quantity, &number, qtext, sizeof(qtext))
                                 : 1;
    if (exact < 0) {
        clipped_add(x, ing, "name", line, 200);
        return ing;
    }
    if (p.has_quantity)
        obj_add(x, ing, "quantity", json_object_new_double_s(number, qtext));
    if (p.unit != NULL && strlen(p.unit->id) <= 32)
        obj_add(x, ing, "unit", jstr(x, p.unit->id));
    clipped_add(x, ing, "name", p.name, 200);
    clipped_add(x, ing, "note", exact ? p.note : line, 200);
    return ing;
}

/* recipeIngredient (or the older ingredients): a list of lines, or one
 * text of lines; HowToSupply-like objects give their name. */
static void ingredients(struct extract *x, struct json_object *arr, struct json_object *v,
                        int depth)
{
    if (v == NULL || depth > 4)
        return;
    if (json_object_is_type(v, json_type_string))
        lines_add(x, arr, v, depth == 0, INGREDIENT_LINE_MAX / 4, RECIPE_MAX_INGREDIENTS,
                  make_ingredient);
    else if (json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            ingredients(x, arr, json_object_array_get_idx(v, i), depth + 1);
    else if (json_object_is_type(v, json_type_object))
        ingredients(x, arr, first_string(member(deref(x, v), "name")), depth + 1);
}

/* A tag from one keyword: recipe_input's form (ASCII words joined by single
 * hyphens, Latin-1 letters folded), at most RECIPE_TAG_MAX, no duplicates. */
static void tag_add(struct extract *x, struct json_object *tags, const char *word, size_t n)
{
    char slug[RECIPE_SLUG_MAX + 1];
    if (json_object_array_length(tags) >= RECIPE_MAX_TAGS)
        return;
    recipe_input_slug(word, n, slug);
    size_t len = strlen(slug);
    /* the slug says "recipe" when nothing was left of the word */
    if (len > RECIPE_TAG_MAX || (strcmp(slug, "recipe") == 0 && strcasestr(word, "recipe") == NULL))
        return;
    for (size_t i = 0; i < json_object_array_length(tags); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(tags, i)), slug) == 0)
            return;
    arr_add(x, tags, jstr(x, slug));
}

/* keywords, recipeCategory, recipeCuisine: a text of comma-separated words
 * or a list of them. */
static void tags_from(struct extract *x, struct json_object *tags, struct json_object *v, int depth)
{
    if (v == NULL || depth > 2)
        return;
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v) && i < 256; i++)
            tags_from(x, tags, json_object_array_get_idx(v, i), depth + 1);
        return;
    }
    if (!json_object_is_type(v, json_type_string))
        return;
    char *t = text_clean(x, json_object_get_string(v), (size_t)json_object_get_string_len(v),
                         TEXT_FLAT, 4000);
    if (t == NULL) {
        x->nomem = 1;
        return;
    }
    for (char *w = t; *w != '\0';) {
        size_t len = strcspn(w, ",;");
        char *next = w + len + (w[len] != '\0');
        w[len] = '\0';
        tag_add(x, tags, w, len);
        w = next;
    }
    free(t);
}

/* The page's own URL, else the Recipe's url (resolved against it). */
static void source_url(struct extract *x, struct json_object *rec)
{
    struct json_object *u = first_string(member(rec, "url"));
    char *r = x->base_url != NULL ? url_resolve(NULL, x->base_url, strlen(x->base_url)) : NULL;
    if (r == NULL && u != NULL)
        r = url_member(x, u);
    if (r != NULL)
        obj_add(x, x->recipe, "source_url", jstr(x, r));
    free(r);
}

static void title(struct extract *x, struct json_object *rec, const char **name)
{
    char *t = text_member(x, rec, "name", RECIPE_TITLE_MAX);
    if (t == NULL)
        t = text_member(x, rec, "headline", RECIPE_TITLE_MAX);
    if (t == NULL && x->page_title != NULL && *x->page_title != '\0')
        t = text_normalise(x->page_title, strlen(x->page_title), TEXT_FLAT, RECIPE_TITLE_MAX);
    if (t != NULL)
        obj_add(x, x->recipe, "title", jstr(x, t));
    *name = t != NULL ? json_object_get_string(member(x->recipe, "title")) : NULL;
    free(t);
}

static struct json_object *new_array(struct extract *x, struct json_object *parent, const char *key)
{
    struct json_object *a = json_object_new_array();
    obj_add(x, parent, key, a);
    return x->nomem ? NULL : a;
}

/* Fills x->recipe and x->images from one Recipe object. SCHEMAORG_NONE
 * (x->why says why) when it lacks a name, ingredients or steps. */
static enum schemaorg_status recipe_convert(struct extract *x, struct json_object *rec)
{
    x->recipe = json_object_new_object();
    x->images = json_object_new_array();
    if (x->recipe == NULL || x->images == NULL)
        return SCHEMAORG_NOMEM;
    const char *name = NULL;
    title(x, rec, &name);
    char *d = text_member(x, rec, "description", RECIPE_DESCRIPTION_MAX);
    obj_add(x, x->recipe, "description", jstr(x, d != NULL ? d : ""));
    free(d);
    long long servings = yield_servings(member(rec, "recipeYield"), 0);
    if (servings > 0)
        obj_add(x, x->recipe, "servings", json_object_new_int64(servings));
    times(x, rec);
    source_url(x, rec);
    obj_add(x, x->recipe, "visibility", jstr(x, "private"));
    struct json_object *ing = new_array(x, x->recipe, "ingredients");
    struct json_object *st = new_array(x, x->recipe, "steps");
    struct json_object *tags = new_array(x, x->recipe, "tags");
    if (x->nomem)
        return SCHEMAORG_NOMEM;
    struct json_object *lines = member(rec, "recipeIngredient");
    ingredients(x, ing, lines != NULL ? lines : member(rec, "ingredients"), 0);
    steps(x, st, member(rec, "recipeInstructions"), 1, 0);
    tags_from(x, tags, member(rec, "recipeCategory"), 0);
    tags_from(x, tags, member(rec, "recipeCuisine"), 0);
    tags_from(x, tags, member(rec, "keywords"), 0);
    images(x, member(rec, "image"), 0);
    if (x->nomem)
        return SCHEMAORG_NOMEM;
    const char *missing = name == NULL                         ? "a name"
                          : json_object_array_length(ing) == 0 ? "ingredients"
                          : json_object_array_length(st) == 0  ? "instructions"
                                                               : NULL;
    if (missing == NULL)
        return SCHEMAORG_OK;
    snprintf(x->why, sizeof(x->why), "a Recipe without %s", missing);
    return SCHEMAORG_NONE;
}

static void extract_reset(struct extract *x)
{
    json_object_put(x->recipe);
    json_object_put(x->images);
    x->recipe = x->images = NULL;
}

/* Converts the first Recipe of doc; keeps the draft only when importable. */
static enum schemaorg_status from_doc(struct extract *x, struct json_object *doc)
{
    struct json_object *rec = find_recipe(doc, 0);
    if (rec == NULL)
        return SCHEMAORG_NONE;
    x->doc = doc;
    enum schemaorg_status st = recipe_convert(x, rec);
    if (st != SCHEMAORG_OK)
        extract_reset(x);
    return st;
}

/* snprintf may have cut the last character of found in two: drop it. */
static void found_tail(char *found)
{
    size_t len = strlen(found);
    while (len > 0 && !utf8_valid(found, len, 0))
        found[--len] = '\0';
}

static enum schemaorg_status finish(struct extract *x, enum schemaorg_status st,
                                    struct schemaorg_result *out)
{
    found_tail(out->found);
    if (st == SCHEMAORG_OK) {
        out->recipe = x->recipe;
        out->images = x->images;
        x->recipe = x->images = NULL;
    }
    extract_reset(x);
    if (st == SCHEMAORG_NOMEM)
        memset(out, 0, sizeof(*out));
    return st;
}

/* ---- microdata: turned into the JSON-LD shape ---- */

static const char *attr(const GumboNode *n, const char *name)
{
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
        return NULL;
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a != NULL ? a->value : NULL;
}

/* The itemtype token naming want, or else the last token; "" when none. */
static void itemtype_pick(const char *itemtype, const char *want, char *out, size_t outlen)
{
    out[0] = '\0';
    for (const char *p = itemtype != NULL ? itemtype : ""; *p != '\0';) {
        size_t len = strcspn(p, " \t\n\r\f");
        if (len > 0 && len < outlen) {
            memcpy(out, p, len);
            out[len] = '\0';
            if (want != NULL && strcmp(type_local(out), want) == 0)
                return;
        }
        p += len + (p[len] != '\0');
    }
}

static int itemtype_is(const char *itemtype, const char *want)
{
    char t[256];
    itemtype_pick(itemtype, want, t, sizeof(t));
    return strcmp(type_local(t), want) == 0;
}

static struct json_object *micro_item(struct extract *x, const GumboNode *scope, int depth);

/* A property's value as the microdata spec reads it from its element. */
static struct json_object *micro_value(struct extract *x, const GumboNode *n, int depth)
{
    static const struct {
        GumboTag tag;
        const char *attr;
    } from_attr[] = {
        {GUMBO_TAG_META, "content"}, {GUMBO_TAG_IMG, "src"},     {GUMBO_TAG_AUDIO, "src"},
        {GUMBO_TAG_VIDEO, "src"},    {GUMBO_TAG_SOURCE, "src"},  {GUMBO_TAG_EMBED, "src"},
        {GUMBO_TAG_IFRAME, "src"},   {GUMBO_TAG_TRACK, "src"},   {GUMBO_TAG_A, "href"},
        {GUMBO_TAG_AREA, "href"},    {GUMBO_TAG_LINK, "href"},   {GUMBO_TAG_OBJECT, "data"},
        {GUMBO_TAG_DATA, "value"},   {GUMBO_TAG_METER, "value"}, {GUMBO_TAG_TIME, "datetime"},
    };
    if (attr(n, "itemscope") != NULL)
        return micro_item(x, n, depth + 1);
    for (size_t i = 0; i < sizeof(from_attr) / sizeof(from_attr[0]); i++)
        if (n->v.element.tag == from_attr[i].tag) {
            const char *v = attr(n, from_attr[i].attr);
            if (v != NULL || from_attr[i].tag != GUMBO_TAG_TIME)
                return jstr(x, v != NULL ? v : "");
        }
    struct strbuf b = {0};
    node_text(n, &b, depth);
    char *t = strbuf_finish(&b, NULL);
    if (t == NULL) {
        x->nomem = 1;
        return NULL;
    }
    struct json_object *v = jstr(x, t);
    free(t);
    return v;
}

/* Adds v under key; a second value turns the member into an array. */
static void micro_put(struct extract *x, struct json_object *obj, const char *key,
                      struct json_object *v)
{
    struct json_object *old = member(obj, key);
    if (old == NULL) {
        obj_add(x, obj, key, v);
        return;
    }
    if (!json_object_is_type(old, json_type_array)) { /* values are never arrays */
        struct json_object *a = json_object_new_array();
        if (a == NULL || json_object_array_add(a, json_object_get(old)) != 0) {
            json_object_put(a);
            json_object_put(v);
            x->nomem = 1;
            return;
        }
        obj_add(x, obj, key, a); /* replaces (and releases once) old */
        old = a;
    }
    arr_add(x, old, v);
}

/* The properties under n (not inside nested items) into obj. */
static void micro_props(struct extract *x, const GumboNode *n, struct json_object *obj, int depth)
{
    const GumboVector *kids = children(n);
    if (kids == NULL || depth > HTML_DEPTH || x->nomem)
        return;
    for (unsigned i = 0; i < kids->length; i++) {
        const GumboNode *c = kids->data[i];
        if (c->type != GUMBO_NODE_ELEMENT)
            continue;
        const char *prop = attr(c, "itemprop");
        for (const char *p = prop != NULL ? prop : ""; *p != '\0';) {
            size_t len = strcspn(p, " \t\n\r\f");
            char key[64];
            if (len > 0 && len < sizeof(key)) {
                memcpy(key, p, len);
                key[len] = '\0';
                micro_put(x, obj, type_local(key), micro_value(x, c, depth));
            }
            p += len + (p[len] != '\0');
        }
        if (attr(c, "itemscope") == NULL)
            micro_props(x, c, obj, depth + 1);
    }
}

static struct json_object *micro_item(struct extract *x, const GumboNode *scope, int depth)
{
    struct json_object *obj = json_object_new_object();
    if (obj == NULL || depth > HTML_DEPTH) {
        x->nomem |= obj == NULL;
        return obj;
    }
    char t[256];
    itemtype_pick(attr(scope, "itemtype"), "Recipe", t, sizeof(t));
    if (t[0] != '\0')
        obj_add(x, obj, "@type", jstr(x, type_local(t)));
    micro_props(x, scope, obj, depth);
    return obj;
}

/* ---- the HTML page ---- */

struct page {
    const GumboNode *ld[MAX_LD_BLOCKS];
    size_t nld, ld_more;
    const GumboNode *title;
    const GumboNode *micro; /* the first itemscope typed Recipe */
    struct type_list micro_types;
};

static int is_ld_script(const GumboNode *n)
{
    const char *type = attr(n, "type");
    if (type == NULL)
        return 0;
    while (isspace((unsigned char)*type))
        type++;
    size_t len = strlen("application/ld+json");
    return strncasecmp(type, "application/ld+json", len) == 0 &&
           (type[len] == '\0' || type[len] == ';' || isspace((unsigned char)type[len]));
}

static void page_walk(const GumboNode *n, struct page *p, int in_item, int depth)
{
    const GumboVector *kids = children(n);
    if (kids == NULL || depth > HTML_DEPTH)
        return;
    if (n->type == GUMBO_NODE_ELEMENT) {
        GumboTag tag = n->v.element.tag;
        if (tag == GUMBO_TAG_SCRIPT) {
            if (is_ld_script(n) && p->nld < MAX_LD_BLOCKS)
                p->ld[p->nld++] = n;
            else if (is_ld_script(n))
                p->ld_more++;
            return;
        }
        if (tag == GUMBO_TAG_TITLE && p->title == NULL)
            p->title = n;
        if (attr(n, "itemscope") != NULL) {
            const char *it = attr(n, "itemtype");
            if (p->micro == NULL && itemtype_is(it, "Recipe"))
                p->micro = n;
            char t[256];
            itemtype_pick(it, NULL, t, sizeof(t));
            if (!in_item && t[0] != '\0')
                type_add(&p->micro_types, t);
            in_item = 1;
        }
    }
    for (unsigned i = 0; i < kids->length; i++)
        page_walk(kids->data[i], p, in_item, depth + 1);
}

/* The raw text of a script element (gumbo keeps script data undecoded). */
static const char *script_text(const GumboNode *script)
{
    const GumboVector *kids = children(script);
    for (unsigned i = 0; kids != NULL && i < kids->length; i++) {
        const GumboNode *c = kids->data[i];
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
            c->type == GUMBO_NODE_CDATA)
            return c->v.text.text;
    }
    return "";
}

/* The "found" text of a page without an importable Recipe. */
/* Appends s to out, cut at outlen - 1 bytes (found_tail mends the cut). */
static void cat(char *out, size_t outlen, const char *s)
{
    size_t used = strlen(out), n = strlen(s);
    if (used + 1 >= outlen)
        return;
    if (n > outlen - 1 - used)
        n = outlen - 1 - used;
    memcpy(out + used, s, n);
    out[used + n] = '\0';
}

/* The "found" text of a page without an importable Recipe, e.g. "2 JSON-LD
 * blocks (some not parsable): Organization; no microdata". */
static void page_found(const struct extract *x, const struct page *p, size_t broken,
                       const struct type_list *types, char *out, size_t outlen)
{
    char list[128], num[32];
    size_t blocks = p->nld + p->ld_more;
    out[0] = '\0';
    if (x->why[0] != '\0') {
        cat(out, outlen, x->why);
        cat(out, outlen, "; ");
    }
    snprintf(num, sizeof(num), "%zu", blocks);
    cat(out, outlen, blocks == 0 ? "no" : num);
    cat(out, outlen, blocks == 1 ? " JSON-LD block" : blocks == 0 ? " JSON-LD" : " JSON-LD blocks");
    if (broken > 0)
        cat(out, outlen, broken == blocks ? " (not parsable)" : " (some not parsable)");
    types_print(types, list, sizeof(list));
    if (list[0] != '\0') {
        cat(out, outlen, ": ");
        cat(out, outlen, list);
    } else if (broken < blocks) {
        cat(out, outlen, " without @type");
    }
    types_print(&p->micro_types, list, sizeof(list));
    cat(out, outlen, p->micro_types.n == 0 ? "; no microdata" : "; microdata: ");
    cat(out, outlen, p->micro_types.n == 0 ? "" : list);
}

static char *page_title(const struct page *p)
{
    if (p->title == NULL)
        return NULL;
    struct strbuf b = {0};
    node_text(p->title, &b, 0);
    size_t len;
    char *raw = strbuf_finish(&b, &len);
    if (raw == NULL)
        return NULL;
    char *t = text_normalise(raw, len, TEXT_FLAT, RECIPE_TITLE_MAX);
    free(raw);
    return t;
}

static enum schemaorg_status page_ld(struct extract *x, const struct page *p, size_t *broken,
                                     struct type_list *types)
{
    enum schemaorg_status st = SCHEMAORG_NONE;
    for (size_t i = 0; i < p->nld; i++) {
        const char *s = script_text(p->ld[i]);
        struct json_object *doc = ld_parse(s, strlen(s));
        if (doc == NULL) {
            ++*broken;
            continue;
        }
        types_of(types, doc);
        if (st == SCHEMAORG_NONE)
            st = from_doc(x, doc);
        json_object_put(doc);
        x->doc = NULL;
        if (st == SCHEMAORG_NOMEM)
            return st;
    }
    return st;
}

enum schemaorg_status schemaorg_from_html(const char *html, size_t len, const char *base_url,
                                          struct schemaorg_result *out)
{
    memset(out, 0, sizeof(*out));
    struct htmldoc doc;
    enum htmldoc_status hs = htmldoc_parse(&doc, html, len, 0);
    if (hs == HTMLDOC_NOMEM)
        return SCHEMAORG_NOMEM;
    if (hs == HTMLDOC_TOO_COMPLEX) {
        snprintf(out->found, sizeof(out->found), "HTML too deeply nested to read");
        return SCHEMAORG_NONE;
    }
    const GumboOutput *g = doc.out;
    struct page p = {0};
    page_walk(g->document, &p, 0, 0);
    char *ptitle = page_title(&p);
    struct extract x = {.base_url = base_url, .page_title = ptitle, .markup = 1};
    struct type_list types = {0};
    size_t broken = 0;
    enum schemaorg_status st = page_ld(&x, &p, &broken, &types);
    const char *from = "JSON-LD";
    if (st == SCHEMAORG_NONE && p.micro != NULL) {
        struct json_object *item = micro_item(&x, p.micro, 0);
        x.markup = 0;
        st = x.nomem ? SCHEMAORG_NOMEM : from_doc(&x, item);
        json_object_put(item);
        from = "microdata";
    }
    if (st == SCHEMAORG_OK)
        snprintf(out->found, sizeof(out->found), "%s", from);
    else
        page_found(&x, &p, broken, &types, out->found, sizeof(out->found));
    st = finish(&x, st, out);
    free(ptitle);
    htmldoc_free(&doc);
    return st;
}

enum schemaorg_status schemaorg_from_jsonld(struct json_object *doc, const char *base_url,
                                            struct schemaorg_result *out)
{
    memset(out, 0, sizeof(*out));
    struct extract x = {.base_url = base_url, .markup = 1};
    enum schemaorg_status st = from_doc(&x, doc);
    if (st == SCHEMAORG_OK) {
        snprintf(out->found, sizeof(out->found), "JSON-LD");
    } else {
        struct type_list types = {0};
        char list[128];
        types_of(&types, doc);
        types_print(&types, list, sizeof(list));
        if (x.why[0] != '\0') {
            cat(out->found, sizeof(out->found), x.why);
            cat(out->found, sizeof(out->found), "; ");
        }
        cat(out->found, sizeof(out->found),
            list[0] != '\0' ? "JSON-LD of type " : "JSON-LD without @type");
        cat(out->found, sizeof(out->found), list);
    }
    return finish(&x, st, out);
}

enum schemaorg_status schemaorg_from_jsonld_text(const char *text, size_t len, const char *base_url,
                                                 struct schemaorg_result *out)
{
    memset(out, 0, sizeof(*out));
    struct json_object *doc = text != NULL ? ld_parse(text, len) : NULL;
    if (doc == NULL) {
        snprintf(out->found, sizeof(out->found), "JSON-LD that does not parse");
        return SCHEMAORG_NONE;
    }
    enum schemaorg_status st = schemaorg_from_jsonld(doc, base_url, out);
    json_object_put(doc);
    return st;
}

void schemaorg_result_free(struct schemaorg_result *r)
{
    if (r == NULL)
        return;
    json_object_put(r->recipe);
    json_object_put(r->images);
    memset(r, 0, sizeof(*r));
}
