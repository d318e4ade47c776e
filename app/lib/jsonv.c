/* Strict JSON parsing on top of json-c, refusing what json-c lets through:
 * trailing data, NaN, a lax grammar even in strict mode, bad UTF-8, control
 * characters, duplicate keys; and the field helpers handlers read bodies with. */
#include "lib/jsonv.h"

#include "lib/fielderr.h"
#include "lib/utf8.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The walk over what json-c built: finite numbers, strict UTF-8 without
 * controls in every string and key, and how many objects and members it
 * holds (compared with the text's, see jsonv_parse). */
struct jsonv_tree {
    size_t objects, members;
    char *why;
    size_t whylen;
};

static int jsonv_text(struct jsonv_tree *t, const char *s, size_t n, int key)
{
    int r = utf8_check(s, n, UTF8_NO_CONTROLS);
    if (r == UTF8_OK)
        return 0;
    snprintf(t->why, t->whylen, "%s %s", key ? "keys" : "strings",
             r == UTF8_ENCODING ? "must be valid UTF-8"
             : key              ? "must not contain control characters"
                                : "must not contain NUL or control characters");
    return -1;
}

static int jsonv_walk(struct jsonv_tree *t, struct json_object *o)
{
    switch (json_object_get_type(o)) {
    case json_type_double:
        if (!isfinite(json_object_get_double(o))) {
            snprintf(t->why, t->whylen, "numbers must be finite");
            return -1;
        }
        return 0;
    case json_type_string:
        return jsonv_text(t, json_object_get_string(o), (size_t)json_object_get_string_len(o), 0);
    case json_type_array: {
        size_t n = json_object_array_length(o);
        for (size_t i = 0; i < n; i++)
            if (jsonv_walk(t, json_object_array_get_idx(o, i)) != 0)
                return -1;
        return 0;
    }
    case json_type_object: {
        t->objects++;
        t->members += (size_t)json_object_object_length(o);
        json_object_object_foreach(o, key, val)
        {
            if (jsonv_text(t, key, strlen(key), 1) != 0)
                return -1;
            if (val != NULL && jsonv_walk(t, val) != 0)
                return -1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* One key of an object the scan has open: decoded, so that "a" and
 * "\u0061" compare equal. */
struct jsonv_key {
    const char *s;
    size_t len;
};

/* The second pass, over the text json-c accepted: the RFC 8259 grammar
 * where json-c is lax, unpaired surrogate escapes (json-c turns them into
 * U+FFFD), and duplicate keys. Each object's keys are sorted when it
 * closes, so an object with n keys costs n log n, not n * n. */
struct jsonv_scan {
    const char *s;
    size_t len, pos;
    char *buf; /* decoded keys of the open objects: escapes never grow, so len bytes do */
    size_t used;
    struct jsonv_key *keys; /* keys of the open objects, innermost last */
    size_t nkeys, cap;
    size_t objects, members;
    char *why;
    size_t whylen;
};

static int scan_fail(struct jsonv_scan *sc, const char *what)
{
    snprintf(sc->why, sc->whylen, "invalid JSON: %s at byte %zu", what, sc->pos);
    return -1;
}

static int scan_peek(const struct jsonv_scan *sc)
{
    return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void scan_ws(struct jsonv_scan *sc)
{
    int c;
    while ((c = scan_peek(sc)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        sc->pos++;
}

static int scan_hex4(struct jsonv_scan *sc, unsigned long *out)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++, sc->pos++) {
        int c = scan_peek(sc), d = c >= '0' && c <= '9'   ? c - '0'
                                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                          : -1;
        if (d < 0)
            return scan_fail(sc, "bad \\u escape");
        v = v << 4 | (unsigned long)d;
    }
    *out = v;
    return 0;
}

/* The escape after a backslash: its code point in *cp. */
static int scan_escape(struct jsonv_scan *sc, unsigned long *cp)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int c = scan_peek(sc);
    const char *e = c > 0 ? strchr(from, c) : NULL;
    sc->pos++;
    if (e != NULL) {
        *cp = (unsigned char)to[e - from];
        return 0;
    }
    if (c != 'u')
        return scan_fail(sc, "bad escape");
    if (scan_hex4(sc, cp) != 0)
        return -1;
    if (*cp >= 0xdc00 && *cp <= 0xdfff)
        return scan_fail(sc, "unpaired surrogate escape");
    if (*cp < 0xd800 || *cp > 0xdbff)
        return 0;
    unsigned long lo;
    if (sc->pos + 2 > sc->len || sc->s[sc->pos] != '\\' || sc->s[sc->pos + 1] != 'u')
        return scan_fail(sc, "unpaired surrogate escape");
    sc->pos += 2;
    if (scan_hex4(sc, &lo) != 0)
        return -1;
    if (lo < 0xdc00 || lo > 0xdfff)
        return scan_fail(sc, "unpaired surrogate escape");
    *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
    return 0;
}

/* Appends n bytes to the key being decoded. */
static int scan_put(struct jsonv_scan *sc, const unsigned char *b, size_t n)
{
    if (sc->used + n > sc->len)
        return scan_fail(sc, "key longer than its text"); /* cannot happen: escapes shrink */
    memcpy(sc->buf + sc->used, b, n);
    sc->used += n;
    return 0;
}

/* Appends code point cp, encoded as UTF-8, to the key being decoded. */
static int scan_put_cp(struct jsonv_scan *sc, unsigned long cp)
{
    static const unsigned char lead[5] = {0, 0, 0xc0, 0xe0, 0xf0};
    unsigned char b[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        b[i] = (unsigned char)(0x80 | (cp & 0x3f));
    b[0] = (unsigned char)(lead[n] | cp);
    return scan_put(sc, b, n);
}

/* Records the key decoded into buf from start on as one of the innermost
 * open object's. */
static int scan_push_key(struct jsonv_scan *sc, size_t start)
{
    if (sc->nkeys == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 64;
        struct jsonv_key *k = realloc(sc->keys, cap * sizeof(*k));
        if (k == NULL) {
            snprintf(sc->why, sc->whylen, "out of memory");
            return -1;
        }
        sc->keys = k;
        sc->cap = cap;
    }
    sc->keys[sc->nkeys].s = sc->buf + start;
    sc->keys[sc->nkeys].len = sc->used - start;
    sc->nkeys++;
    sc->members++;
    return 0;
}

/* A string at pos; a key is also decoded and recorded. */
static int scan_string(struct jsonv_scan *sc, int key)
{
    if (scan_peek(sc) != '"')
        return scan_fail(sc,
                         key ? "keys must be strings in double quotes" : "unexpected character");
    sc->pos++;
    size_t start = sc->used;
    int c;
    while ((c = scan_peek(sc)) != '"') {
        unsigned long cp = (unsigned long)c;
        unsigned char raw = (unsigned char)c;
        if (c < 0)
            return scan_fail(sc, "unterminated string");
        if (c < 0x20)
            return scan_fail(sc, "raw control character in a string");
        sc->pos++;
        if (c == '\\' && scan_escape(sc, &cp) != 0)
            return -1;
        if (!key)
            continue;
        if (c == '\\' && cp < 0x20) {
            /* json-c cuts a key at "\u0000", so the walk cannot see this one */
            snprintf(sc->why, sc->whylen, "keys must not contain control characters");
            return -1;
        }
        if ((c == '\\' ? scan_put_cp(sc, cp) : scan_put(sc, &raw, 1)) != 0)
            return -1;
    }
    sc->pos++;
    return key ? scan_push_key(sc, start) : 0;
}

static int scan_digits(struct jsonv_scan *sc)
{
    size_t from = sc->pos;
    while (scan_peek(sc) >= '0' && scan_peek(sc) <= '9')
        sc->pos++;
    return sc->pos > from;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(struct jsonv_scan *sc)
{
    if (scan_peek(sc) == '-')
        sc->pos++;
    size_t first = sc->pos;
    if (!scan_digits(sc) || (sc->s[first] == '0' && sc->pos - first > 1))
        return scan_fail(sc, "malformed number"); /* none, or a leading zero */
    if (scan_peek(sc) == '.') {
        sc->pos++;
        if (!scan_digits(sc))
            return scan_fail(sc, "malformed number");
    }
    if (scan_peek(sc) == 'e' || scan_peek(sc) == 'E') {
        sc->pos++;
        if (scan_peek(sc) == '+' || scan_peek(sc) == '-')
            sc->pos++;
        if (!scan_digits(sc))
            return scan_fail(sc, "malformed number");
    }
    return 0;
}

static int scan_literal(struct jsonv_scan *sc)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = strlen(words[i]);
        if (sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, words[i], n) == 0) {
            sc->pos += n;
            return 0;
        }
    }
    return scan_fail(sc, "unexpected character");
}

static int scan_value(struct jsonv_scan *sc, int depth);

static int key_cmp(const void *a, const void *b)
{
    const struct jsonv_key *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Refuses a key that the n keys at k (one object's) hold twice. */
static int scan_unique(struct jsonv_scan *sc, struct jsonv_key *k, size_t n)
{
    if (n > 1)
        qsort(k, n, sizeof(*k), key_cmp);
    for (size_t i = 1; i < n; i++) {
        if (key_cmp(&k[i - 1], &k[i]) == 0) {
            size_t shown = utf8_prefix(k[i].s, k[i].len, 64);
            snprintf(sc->why, sc->whylen, "duplicate key \"%.*s%s\"", (int)shown, k[i].s,
                     shown < k[i].len ? "..." : "");
            return -1;
        }
    }
    return 0;
}

static int scan_object(struct jsonv_scan *sc, int depth)
{
    size_t base = sc->nkeys, mark = sc->used;
    sc->objects++;
    sc->pos++; /* '{' */
    scan_ws(sc);
    if (scan_peek(sc) == '}') {
        sc->pos++;
        return 0;
    }
    for (;;) {
        scan_ws(sc);
        if (scan_string(sc, 1) != 0)
            return -1;
        scan_ws(sc);
        if (scan_peek(sc) != ':')
            return scan_fail(sc, "':' expected");
        sc->pos++;
        if (scan_value(sc, depth + 1) != 0)
            return -1;
        scan_ws(sc);
        int c = scan_peek(sc);
        if (c != ',' && c != '}')
            return scan_fail(sc, "',' or '}' expected");
        sc->pos++;
        if (c == '}')
            break;
    }
    int rc = scan_unique(sc, sc->keys + base, sc->nkeys - base);
    sc->nkeys = base; /* this object's keys are done with: its parent's come next */
    sc->used = mark;
    return rc;
}

static int scan_array(struct jsonv_scan *sc, int depth)
{
    sc->pos++; /* '[' */
    scan_ws(sc);
    if (scan_peek(sc) == ']') {
        sc->pos++;
        return 0;
    }
    for (;;) {
        if (scan_value(sc, depth + 1) != 0)
            return -1;
        scan_ws(sc);
        int c = scan_peek(sc);
        if (c != ',' && c != ']')
            return scan_fail(sc, "',' or ']' expected");
        sc->pos++;
        if (c == ']')
            return 0;
    }
}

static int scan_value(struct jsonv_scan *sc, int depth)
{
    if (depth > JSONV_DEPTH)
        return scan_fail(sc, "nested too deeply"); /* json-c stops earlier: bounds the recursion */
    scan_ws(sc);
    int c = scan_peek(sc);
    if (c == '{')
        return scan_object(sc, depth);
    if (c == '[')
        return scan_array(sc, depth);
    if (c == '"')
        return scan_string(sc, 0);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(sc);
    return scan_literal(sc);
}

/* Runs the scan over the whole text; 0 or -1 with the reason in why. */
static int jsonv_scan_text(struct jsonv_scan *sc)
{
    sc->buf = malloc(sc->len);
    if (sc->buf == NULL) {
        snprintf(sc->why, sc->whylen, "out of memory");
        return -1;
    }
    int rc = scan_value(sc, 0);
    if (rc == 0) {
        scan_ws(sc);
        if (sc->pos != sc->len)
            rc = scan_fail(sc, "data after the value");
    }
    free(sc->buf);
    free(sc->keys);
    return rc;
}

/* json-c's own checks, then the walk over its tree, then the scan of the
 * text. json-c replaces the value of a repeated key and so holds fewer
 * members than the text; comparing the counts makes the duplicate check
 * sound even where the scan's idea of equal keys and json-c's differed. */
static int jsonv_check(struct json_object *o, const char *buf, size_t len, char *why, size_t whylen)
{
    if (!json_object_is_type(o, json_type_object)) {
        snprintf(why, whylen, "a JSON object is expected");
        return -1;
    }
    struct jsonv_tree t = {.why = why, .whylen = whylen};
    if (jsonv_walk(&t, o) != 0)
        return -1;
    struct jsonv_scan sc = {.s = buf, .len = len, .why = why, .whylen = whylen};
    if (jsonv_scan_text(&sc) != 0)
        return -1;
    if (sc.objects != t.objects || sc.members != t.members) {
        snprintf(why, whylen, "duplicate keys in an object");
        return -1;
    }
    return 0;
}

struct json_object *jsonv_parse(const char *buf, size_t len, char *why, size_t whylen)
{
    if (buf == NULL || len == 0) {
        snprintf(why, whylen, "the body is empty; a JSON object is expected");
        return NULL;
    }
    if (len > 0x7fffffff || memchr(buf, '\0', len) != NULL) {
        snprintf(why, whylen, "the body is not valid JSON text");
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new_ex(JSONV_DEPTH);
    if (tok == NULL) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *o = json_tokener_parse_ex(tok, buf, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (e == json_tokener_success && end < len &&
           (buf[end] == ' ' || buf[end] == '\n' || buf[end] == '\r' || buf[end] == '\t'))
        end++;
    if (e != json_tokener_success || end != len) {
        snprintf(why, whylen, "invalid JSON: %s",
                 e == json_tokener_success    ? "data after the value"
                 : e == json_tokener_continue ? "unexpected end of input"
                                              : json_tokener_error_desc(e));
        json_object_put(o);
        return NULL;
    }
    if (jsonv_check(o, buf, len, why, whylen) != 0) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

const char *jsonv_unknown_key(struct json_object *obj, const char *const *allowed)
{
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return key;
    }
    return NULL;
}

size_t jsonv_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

int jsonv_string_value(struct json_object *v, const char *field, size_t min, size_t max,
                       const char **out, size_t *len, struct field_errors *errors)
{
    if (!json_object_is_type(v, json_type_string)) {
        fielderr_add(errors, field, "type", "this field must be a string");
        return -1;
    }
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v), chars = jsonv_chars(s, n);
    if (chars < min || chars > max) {
        char msg[96];
        snprintf(msg, sizeof(msg), "must be %zu..%zu characters", min, max);
        fielderr_add(errors, field, "length", msg);
        return -1;
    }
    *out = s;
    if (len != NULL)
        *len = n;
    return 0;
}

int jsonv_string(struct json_object *obj, const char *key, size_t min, size_t max, int required,
                 const char **out, size_t *len, struct field_errors *errors)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (len != NULL)
        *len = 0;
    if (!json_object_object_get_ex(obj, key, &v)) {
        if (!required)
            return 0;
        fielderr_add(errors, key, "required", "this field is required");
        return -1;
    }
    return jsonv_string_value(v, key, min, max, out, len, errors);
}

int jsonv_int(struct json_object *obj, const char *key, long long lo, long long hi, int required,
              long long *out, struct field_errors *errors)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || v == NULL) {
        if (!required)
            return 0;
        fielderr_add(errors, key, "required", "this field is required");
        return -1;
    }
    if (!json_object_is_type(v, json_type_int)) {
        fielderr_add(errors, key, "type", "this field must be an integer");
        return -1;
    }
    errno = 0; /* json-c saturates out-of-range values and says so in errno */
    long long n = json_object_get_int64(v);
    if (errno != 0 || n < lo || n > hi) {
        char msg[96];
        snprintf(msg, sizeof(msg), "must be %lld..%lld", lo, hi);
        fielderr_add(errors, key, "range", msg);
        return -1;
    }
    *out = n;
    return 0;
}

int jsonv_reject_unknown(struct json_object *obj, const char *const *allowed,
                         struct field_errors *errors)
{
    int n = 0;
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            fielderr_add(errors, key, "unknown", "this field is not accepted");
            n++;
        }
    }
    return n;
}

struct json_object *jsonv_merge_patch(struct json_object *target, struct json_object *patch)
{
    if (!json_object_is_type(patch, json_type_object)) {
        struct json_object *copy = NULL;
        json_object_put(target);
        if (patch != NULL && json_object_deep_copy(patch, &copy, NULL) != 0)
            return NULL;
        return copy; /* NULL for a null patch: the member is removed */
    }
    if (!json_object_is_type(target, json_type_object)) {
        json_object_put(target);
        target = json_object_new_object();
        if (target == NULL)
            return NULL;
    }
    json_object_object_foreach(patch, key, val)
    {
        if (val == NULL) {
            json_object_object_del(target, key);
            continue;
        }
        struct json_object *old = json_object_object_get(target, key);
        struct json_object *merged = jsonv_merge_patch(json_object_get(old), val);
        if (merged == NULL || json_object_object_add(target, key, merged) != 0) {
            json_object_put(merged);
            json_object_put(target);
            return NULL;
        }
    }
    return target;
}
