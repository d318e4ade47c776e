/* Strict JSON input: the body parser every handler uses, with the json-c
 * pitfalls handled (PITFALLS.md): depth cap, strict mode, UTF-8 validation,
 * nothing after the value, no NaN/Infinity, no NUL or control characters in
 * strings, an object at the top. Pure. */
#ifndef RB_LIB_JSONV_H
#define RB_LIB_JSONV_H

#include <stddef.h>

struct json_object;

#define JSONV_DEPTH 16

/* Parses len bytes. Returns the object (caller frees with json_object_put),
 * or NULL with a reason for the client in why. */
struct json_object *jsonv_parse(const char *buf, size_t len, char *why, size_t whylen);

/* Checks that obj has no key outside allowed (NULL-terminated). Returns
 * NULL, or the first unknown key. */
const char *jsonv_unknown_key(struct json_object *obj, const char *const *allowed);

#endif
