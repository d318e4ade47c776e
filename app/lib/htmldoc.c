/* gumbo with a CPU budget (see include/lib/htmldoc.h). gumbo allocates from
 * an arena: an allocation is a pointer bump, a free does nothing, and the
 * whole parse is released at once (gumbo spends a fifth of its time in
 * malloc and free otherwise, and its recursive tree destructor is never
 * needed). The budget is left with longjmp from inside the allocator:
 * gumbo holds nothing but memory, all of it in the arena, so nothing leaks. */
#include "lib/htmldoc.h"

#include <setjmp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often (in allocations) the clock is read. */
#define CHECK_EVERY 256
/* Arena chunk size; larger requests get a chunk of their own. Under
 * AddressSanitizer every request does, of its exact size, so that an
 * overflow (gumbo's or ours, reading its tree) is still reported. */
#if defined(__SANITIZE_ADDRESS__)
#define CHUNK_SIZE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHUNK_SIZE 0
#endif
#endif
#ifndef CHUNK_SIZE
#define CHUNK_SIZE (64 * 1024)
#endif
#define ALIGN (CHUNK_SIZE > 0 ? alignof(max_align_t) : 1)

struct htmldoc_block {
    struct htmldoc_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

long long htmldoc_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static _Noreturn void escape(struct htmldoc *doc, int why)
{
    longjmp(*(jmp_buf *)doc->escape, why);
}

/* A new chunk of at least need bytes; the current chunk stays first when a
 * large request gets a chunk of its own. */
static struct htmldoc_block *chunk_new(struct htmldoc *doc, size_t need)
{
    size_t cap = need > CHUNK_SIZE ? need : (size_t)CHUNK_SIZE;
    if (cap > HTMLDOC_MEMORY_MAX - doc->bytes)
        escape(doc, HTMLDOC_TOO_COMPLEX);
    struct htmldoc_block *b = malloc(sizeof(*b) + cap);
    if (b == NULL)
        escape(doc, 2);
    b->used = 0;
    b->cap = cap;
    doc->bytes += cap;
    if (need > CHUNK_SIZE && doc->live != NULL) {
        b->next = doc->live->next;
        doc->live->next = b;
    } else {
        b->next = doc->live;
        doc->live = b;
    }
    return b;
}

static void *arena_alloc(void *userdata, size_t size)
{
    struct htmldoc *doc = userdata;
    if (++doc->calls % CHECK_EVERY == 0 && htmldoc_cpu_ns() - doc->start_ns > doc->budget_ns)
        escape(doc, HTMLDOC_TOO_COMPLEX);
    if (size > HTMLDOC_MEMORY_MAX)
        escape(doc, HTMLDOC_TOO_COMPLEX);
    size_t need = (size + ALIGN - 1) / ALIGN * ALIGN;
    struct htmldoc_block *b = doc->live;
    if (b == NULL || b->cap - b->used < need)
        b = chunk_new(doc, need);
    void *p = b->data + b->used;
    b->used += need;
    return p;
}

/* Memory goes back with the whole arena (htmldoc_free). */
static void arena_free(void *userdata, void *ptr)
{
    (void)userdata;
    (void)ptr;
}

static void free_all(struct htmldoc *doc)
{
    while (doc->live != NULL) {
        struct htmldoc_block *next = doc->live->next;
        free(doc->live);
        doc->live = next;
    }
    doc->bytes = 0;
}

/* setjmp in a function of its own whose locals are never changed after it. */
static int parse_run(struct htmldoc *doc, const char *s, size_t len)
{
    jmp_buf escape;
    doc->escape = &escape;
    int rc = setjmp(escape);
    if (rc == 0)
        doc->out = gumbo_parse_with_options(&doc->opts, s, len);
    doc->escape = NULL;
    return rc;
}

enum htmldoc_status htmldoc_parse(struct htmldoc *doc, const char *s, size_t len, long budget_ms)
{
    memset(doc, 0, sizeof(*doc));
    doc->opts = kGumboDefaultOptions;
    doc->opts.allocator = arena_alloc;
    doc->opts.deallocator = arena_free;
    doc->opts.userdata = doc;
    doc->opts.max_errors = 0; /* parse errors are not kept: time and memory */
    doc->budget_ns = (budget_ms > 0 ? budget_ms : HTMLDOC_BUDGET_MS) * 1000000LL;
    doc->start_ns = htmldoc_cpu_ns();
    int rc = parse_run(doc, s != NULL ? s : "", s != NULL ? len : 0);
    if (rc == 0 && doc->out != NULL)
        return HTMLDOC_OK;
    doc->out = NULL;
    free_all(doc);
    return rc == HTMLDOC_TOO_COMPLEX ? HTMLDOC_TOO_COMPLEX : HTMLDOC_NOMEM;
}

void htmldoc_free(struct htmldoc *doc)
{
    doc->out = NULL; /* in the arena: gumbo_destroy_output would only walk it */
    free_all(doc);
}
