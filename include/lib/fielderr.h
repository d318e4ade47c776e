/* A list of field errors ({field, code, message}) that validators fill and
 * the HTTP layer renders as problem+json "errors". Plain data, no
 * allocation: the first FIELDERR_MAX errors are kept, later ones counted. */
#ifndef RB_LIB_FIELDERR_H
#define RB_LIB_FIELDERR_H

#define FIELDERR_MAX 32

struct field_error {
    char field[96];   /* "title", "ingredients[3].name"; cut at 95 bytes */
    char code[16];    /* "required", "type", "length", "range", "unknown", ... */
    char message[160];
};

struct field_errors {
    struct field_error items[FIELDERR_MAX];
    unsigned count;   /* kept in items */
    unsigned dropped; /* added past FIELDERR_MAX */
};

/* Appends one error. Never fails; past FIELDERR_MAX only counts. Returns 1
 * (so validators can write `bad += fielderr_add(...)`). e must not be NULL. */
int fielderr_add(struct field_errors *e, const char *field, const char *code,
                 const char *message);

/* Number of errors added, kept or not. */
unsigned fielderr_total(const struct field_errors *e);

#endif
