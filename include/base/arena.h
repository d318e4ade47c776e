/* Per-request bump allocator: everything a request allocates comes from here
 * and is released in one arena_reset() when the response has been written.
 * Never hand arena memory to anything that outlives the request. */
#ifndef RB_BASE_ARENA_H
#define RB_BASE_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head; /* newest chunk first */
    size_t used;              /* bytes handed out since the last reset */
    size_t limit;             /* 0 = unlimited; past it arena_alloc returns NULL */
};

/* Prepares an empty arena. limit caps the bytes one request may take. */
void arena_init(struct arena *a, size_t limit);

/* Returns n bytes aligned for any type, or NULL when n is 0, when the limit
 * would be passed or when malloc fails. The memory is uninitialised. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc, zero-filled; nmemb * size is checked for overflow. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);

/* Copies n bytes of s and adds a NUL. s may hold NULs; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Copies a NUL-terminated string; NULL when s is NULL or on failure. */
char *arena_strdup(struct arena *a, const char *s);

/* snprintf into arena memory; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Releases everything but the first chunk, which is kept for the next
 * request so that a steady worker does not call malloc at all. */
void arena_reset(struct arena *a);

/* Releases every chunk. The arena may be reused after arena_init. */
void arena_free(struct arena *a);

#endif
