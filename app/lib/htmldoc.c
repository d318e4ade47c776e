/* gumbo with a CPU budget (see include/lib/htmldoc.h). The budget is left
 * with longjmp from inside gumbo's allocator: gumbo holds nothing but memory,
 * and all of that memory is on our list, so nothing leaks. */
#include "lib/htmldoc.h"

#include <setjmp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often (in allocations) the clock is read. */
#define CHECK_EVERY 256

struct htmldoc_block {
    struct htmldoc_block *prev, *next;
    alignas(max_align_t) unsigned char data[];
};

static long long cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *tracked_alloc(void *userdata, size_t size)
{
    struct htmldoc *doc = userdata;
    if (++doc->calls % CHECK_EVERY == 0 && cpu_ns() - doc->start_ns > doc->budget_ns)
        longjmp(*(jmp_buf *)doc->escape, HTMLDOC_TOO_COMPLEX);
    struct htmldoc_block *b = size <= SIZE_MAX - sizeof(*b) ? malloc(sizeof(*b) + size) : NULL;
    if (b == NULL)
        longjmp(*(jmp_buf *)doc->escape, 2);
    b->prev = NULL;
    b->next = doc->live;
    if (doc->live != NULL)
        doc->live->prev = b;
    doc->live = b;
    return b->data;
}

static void tracked_free(void *userdata, void *ptr)
{
    struct htmldoc *doc = userdata;
    if (ptr == NULL)
        return;
    struct htmldoc_block *b =
        (struct htmldoc_block *)((unsigned char *)ptr - offsetof(struct htmldoc_block, data));
    if (b->prev != NULL)
        b->prev->next = b->next;
    else
        doc->live = b->next;
    if (b->next != NULL)
        b->next->prev = b->prev;
    free(b);
}

static void free_all(struct htmldoc *doc)
{
    while (doc->live != NULL) {
        struct htmldoc_block *next = doc->live->next;
        free(doc->live);
        doc->live = next;
    }
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
    doc->opts.allocator = tracked_alloc;
    doc->opts.deallocator = tracked_free;
    doc->opts.userdata = doc;
    doc->opts.max_errors = 0; /* parse errors are not kept: time and memory */
    doc->budget_ns = (budget_ms > 0 ? budget_ms : HTMLDOC_BUDGET_MS) * 1000000LL;
    doc->start_ns = cpu_ns();
    int rc = parse_run(doc, s != NULL ? s : "", s != NULL ? len : 0);
    if (rc == 0 && doc->out != NULL)
        return HTMLDOC_OK;
    doc->out = NULL;
    free_all(doc);
    return rc == HTMLDOC_TOO_COMPLEX ? HTMLDOC_TOO_COMPLEX : HTMLDOC_NOMEM;
}

void htmldoc_free(struct htmldoc *doc)
{
    if (doc->out != NULL)
        gumbo_destroy_output(&doc->opts, doc->out);
    doc->out = NULL;
    free_all(doc);
}
