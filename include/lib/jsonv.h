/* Strict JSON input: the body parser every handler uses, with the json-c
 * pitfalls handled (docs/pitfalls.md): depth cap, the RFC 8259 grammar (json-c's
 * strict mode still takes single-quoted keys, "1." and "-01"), strict UTF-8
 * without control characters in every string and key, no unpaired surrogate
 * escapes, no duplicate keys, nothing after the value, no NaN/Infinity, an
 * object at the top. Pure. */
#ifndef RB_LIB_JSONV_H
#define RB_LIB_JSONV_H

#include <stddef.h>

struct field_errors;
struct json_object;

#define JSONV_DEPTH 16

/* Parses len bytes (buf may be NULL when len is 0). Returns the object
 * (caller frees with json_object_put), or NULL with a reason for the client
 * in why, e.g. "duplicate key \"a\"". Time and memory are linear in len
 * (n log n in the keys of one object). */
struct json_object *jsonv_parse(const char *buf, size_t len, char *why, size_t whylen);

/* Checks that obj has no key outside allowed (NULL-terminated). Returns
 * NULL, or the first unknown key. */
const char *jsonv_unknown_key(struct json_object *obj, const char *const *allowed);

/* Reads string member key. Absent: *out = NULL and, when required, a
 * "required" error. Otherwise it must be a string of min..max characters
 * (UTF-8 code points), else a "type" or "length" error is added to *errors.
 * Returns 0 when fine, -1 when an error was added. */
int jsonv_string(struct json_object *obj, const char *key, size_t min, size_t max, int required,
                 const char **out, size_t *len, struct field_errors *errors);

/* Checks a value already taken from a member or array: a string of
 * min..max characters, else a "type" or "length" error named field. 0 (and
 * *out, *len) or -1. */
int jsonv_string_value(struct json_object *v, const char *field, size_t min, size_t max,
                       const char **out, size_t *len, struct field_errors *errors);

/* Reads integer member key in lo..hi into *out. Absent or null: *out is
 * left as it is and, when required, a "required" error. A non-integer
 * (also "5" or 4.5) is a "type" error, out of range a "range" one. 0 or -1. */
int jsonv_int(struct json_object *obj, const char *key, long long lo, long long hi, int required,
              long long *out, struct field_errors *errors);

/* Adds an "unknown" error for every key not in allowed. Returns the count. */
int jsonv_reject_unknown(struct json_object *obj, const char *const *allowed,
                         struct field_errors *errors);

/* Number of UTF-8 code points in a valid UTF-8 string of len bytes. */
size_t jsonv_chars(const char *s, size_t len);

/* JSON Merge Patch (RFC 7396): applies patch to target in place when both
 * are objects and returns target; otherwise returns a copy of patch (target
 * is then released). The caller owns the result. NULL when out of memory. */
struct json_object *jsonv_merge_patch(struct json_object *target, struct json_object *patch);

#endif
