/* gumbo with a CPU budget: gumbo's tree builder is quadratic in nesting
 * depth (200,000 nested <div> take minutes), so a hostile page could hold a
 * worker. Every gumbo allocation comes from an arena that checks the
 * thread's CPU time every few hundred calls and, past the budget, past
 * HTMLDOC_MEMORY_MAX, or when malloc fails (which gumbo itself does not
 * check), abandons the parse and frees the arena. The only file that calls
 * gumbo_parse. */
#ifndef RB_LIB_HTMLDOC_H
#define RB_LIB_HTMLDOC_H

#include <gumbo.h>
#include <stddef.h>

/* CPU time one parse may take before it is abandoned. */
#define HTMLDOC_BUDGET_MS 300
/* Memory one parse may hold (freed memory is only reclaimed at the end). */
#define HTMLDOC_MEMORY_MAX ((size_t)256 * 1024 * 1024)

enum htmldoc_status { HTMLDOC_OK = 0, HTMLDOC_TOO_COMPLEX = 1, HTMLDOC_NOMEM = -1 };

struct htmldoc_block;

struct htmldoc {
    GumboOptions opts;
    GumboOutput *out;           /* the parse (NULL unless HTMLDOC_OK) */
    struct htmldoc_block *live; /* the arena's chunks, the one in use first */
    size_t bytes;               /* their total size */
    void *escape;               /* the jmp_buf of the parse running */
    unsigned long calls;
    long long start_ns, budget_ns;
};

/* Parses len bytes of s (s may be NULL when len is 0) into doc->out with
 * budget_ms of CPU time (0: HTMLDOC_BUDGET_MS). Returns HTMLDOC_OK, or a
 * failure with nothing left allocated. On HTMLDOC_OK the caller ends with
 * htmldoc_free. */
enum htmldoc_status htmldoc_parse(struct htmldoc *doc, const char *s, size_t len, long budget_ms);

/* The calling thread's CPU time in ns (0 when the clock fails), for
 * budgets that span several parses. */
long long htmldoc_cpu_ns(void);

/* Releases a parse; a doc that failed or was freed already is fine. */
void htmldoc_free(struct htmldoc *doc);

#endif
