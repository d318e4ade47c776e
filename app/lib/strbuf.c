/* A growing string (see include/lib/strbuf.h): doubling, so appends cost
 * one copy per byte on average. */
#include "lib/strbuf.h"

#include <stdlib.h>
#include <string.h>

void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (grown == NULL) {
            b->bad = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
    strbuf_put(b, s, strlen(s));
}

char *strbuf_finish(struct strbuf *b, size_t *len)
{
    strbuf_put(b, "", 0);
    if (b->bad) {
        free(b->p);
        b->p = NULL;
        return NULL;
    }
    if (len != NULL)
        *len = b->len;
    return b->p;
}
