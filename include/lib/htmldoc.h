/* gumbo with a CPU budget: gumbo's tree builder is quadratic in nesting
 * depth (200,000 nested <div> take minutes), so a hostile page could hold a
 * worker. Every gumbo allocation goes through a tracked allocator that checks
 * the thread's CPU time every few hundred calls and, past the budget (or when
 * malloc fails, which gumbo itself does not check), abandons the parse and
 * frees everything it had allocated. The only file that calls gumbo_parse. */
#ifndef RB_LIB_HTMLDOC_H
#define RB_LIB_HTMLDOC_H

#include <gumbo.h>
#include <stddef.h>

/* CPU time one parse may take before it is abandoned. */
#define HTMLDOC_BUDGET_MS 300

enum htmldoc_status { HTMLDOC_OK = 0, HTMLDOC_TOO_COMPLEX = 1, HTMLDOC_NOMEM = -1 };

struct htmldoc_block;

struct htmldoc {
    GumboOptions opts;
    GumboOutput *out;           /* the parse (NULL unless HTMLDOC_OK) */
    struct htmldoc_block *live; /* every block gumbo holds */
    void *escape;               /* the jmp_buf of the parse running */
    unsigned long calls;
    long long start_ns, budget_ns;
};

/* Parses len bytes of s (s may be NULL when len is 0) into doc->out with
 * budget_ms of CPU time (0: HTMLDOC_BUDGET_MS). Returns HTMLDOC_OK, or a
 * failure with nothing left allocated. On HTMLDOC_OK the caller ends with
 * htmldoc_free. */
enum htmldoc_status htmldoc_parse(struct htmldoc *doc, const char *s, size_t len, long budget_ms);

/* Releases a parse; a doc that failed or was freed already is fine. */
void htmldoc_free(struct htmldoc *doc);

#endif
