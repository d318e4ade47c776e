/* A growing NUL-terminated string for building text of unknown length
 * (mail messages, rendered templates). After a failed allocation every
 * append is ignored and bad stays set, so callers check once at the end. */
#ifndef RB_LIB_STRBUF_H
#define RB_LIB_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *p; /* NULL until the first append */
    size_t len, cap;
    int bad;
};

/* Appends n bytes of s (s may hold NUL bytes). */
void strbuf_put(struct strbuf *b, const char *s, size_t n);

/* Appends the string s. */
void strbuf_puts(struct strbuf *b, const char *s);

/* The text (the caller frees it; "" when nothing was appended) and its
 * length in *len (when len is not NULL); NULL, with the buffer freed, when
 * an allocation failed. */
char *strbuf_finish(struct strbuf *b, size_t *len);

#endif
