/* `make bench`: CPU time of recipe extraction (lib/schemaorg) from a
 * generated 300 KB page shaped like a real recipe blog post: navigation,
 * ads and their scripts, a long story, a recipe card, 150 comments, five
 * JSON-LD blocks (one @graph holding the Recipe) and microdata elsewhere.
 * Prints the median, best and worst of RUNS extractions in CPU ms against
 * the budget (< 20 ms on the median), and the median of the HTML parse
 * alone (gumbo through lib/htmldoc), the floor of any extraction. CPU time
 * still grows when the other core is busy (shared caches): the load average
 * is printed alongside. Exits non-zero only when extraction fails. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/htmldoc.h"
#include "lib/schemaorg.h"
#include "lib/strbuf.h"

#define PAGE_BYTES (300 * 1024)
#define RUNS 40
#define BUDGET_MS 20.0

static void put(struct strbuf *b, const char *s)
{
    strbuf_puts(b, s);
}

/* Appends one formatted line (a macro: the formats stay literals). */
#define PUTF(b, ...)                                                                               \
    do {                                                                                           \
        char line_[512];                                                                           \
        int w_ = snprintf(line_, sizeof(line_), __VA_ARGS__);                                      \
        if (w_ > 0 && (size_t)w_ < sizeof(line_))                                                  \
            strbuf_put((b), line_, (size_t)w_);                                                    \
    } while (0)

static void head(struct strbuf *b)
{
    put(b,
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Slow Cooker Beef Stew "
        "&ndash; A Bench Kitchen</title><link rel=stylesheet href=/s.css>"
        "<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>"
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":"
        "\"Organization\",\"name\":\"A Bench Kitchen\",\"logo\":\"/logo.png\"}</script>"
        "<script type=\"application/ld+json\">{\"@type\":\"BreadcrumbList\",\"itemListElement\":"
        "[{\"@type\":\"ListItem\",\"position\":1,\"name\":\"Home\"}]}</script>"
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebPage\",\"@id\":\"#page\"},{\"@type\":\"ImageObject\",\"@id\":\"#img\","
        "\"url\":\"/uploads/stew.jpg\"},{\"@type\":\"Recipe\",\"name\":\"Slow Cooker Beef Stew\","
        "\"description\":\"<p>Hearty &amp; easy.</p>\",\"image\":{\"@id\":\"#img\"},"
        "\"recipeYield\":[\"6\",\"6 servings\"],\"prepTime\":\"PT20M\",\"cookTime\":\"PT8H\","
        "\"keywords\":\"stew, beef, slow cooker, comfort food\",\"recipeCategory\":\"Dinner\","
        "\"recipeIngredient\":[");
    for (int i = 1; i <= 30; i++)
        PUTF(b, "%s\"%d 1/2 cups ingredient number %d, chopped\"", i > 1 ? "," : "", i % 4 + 1, i);
    put(b, "],\"recipeInstructions\":[{\"@type\":\"HowToSection\",\"name\":\"Stew\","
           "\"itemListElement\":[");
    for (int i = 1; i <= 15; i++)
        PUTF(b,
             "%s{\"@type\":\"HowToStep\",\"text\":\"Step %d: stir the pot &amp; wait %d "
             "minutes.\"}",
             i > 1 ? "," : "", i, i * 5);
    put(b, "]}]}]}</script></head><body>");
}

static void body(struct strbuf *b)
{
    put(b, "<header><nav><ul>");
    for (int i = 0; i < 60; i++)
        PUTF(b, "<li><a href=\"/category/%d/\">Category %d</a></li>", i, i);
    put(b, "</ul></nav></header><main><article><h1>Slow Cooker Beef Stew</h1>");
    for (int i = 0; i < 120; i++) {
        PUTF(b,
             "<p>Paragraph %d of the story: my grandmother's kitchen smelled of thyme and "
             "bay leaves, and the stew simmered all day while we played outside.</p>",
             i);
        if (i % 20 == 0)
            put(b, "<div class=ad><script>googletag.cmd.push(function(){googletag.display("
                   "'ad')})</script><iframe src=\"https://ads.example/f\"></iframe></div>");
    }
    put(b, "<div class=card itemscope itemtype=\"https://schema.org/Product\"><span "
           "itemprop=name>Slow cooker</span></div></article><section id=comments>");
}

/* Comments until the page reaches PAGE_BYTES, then the end. */
static char *page(size_t *len)
{
    struct strbuf b = {0};
    head(&b);
    body(&b);
    for (int i = 0; b.len < PAGE_BYTES - 600 && !b.bad; i++)
        PUTF(&b,
             "<article class=comment id=c%d><p class=who>Reader %d</p><p>Made it %d times, "
             "added more carrots &amp; a splash of red wine. <a href=#reply>Reply</a>"
             "</p></article>",
             i, i, i % 7 + 1);
    put(&b, "</section></main><footer><p>&copy; A Bench Kitchen</p></footer>"
            "<script type=\"application/ld+json\">{\"@type\":\"WebSite\",\"name\":\"x\"}</script>"
            "<script type=\"application/ld+json\">{\"@type\":\"SearchAction\"}</script>"
            "<script src=/app.js></script></body></html>");
    return strbuf_finish(&b, len);
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    size_t len = 0;
    char *html = page(&len);
    if (html == NULL)
        return 2;
    double ms[RUNS];
    size_t ningredients = 0;
    for (int i = 0; i < RUNS; i++) {
        struct schemaorg_result r;
        double t0 = cpu_ms();
        enum schemaorg_status st =
            schemaorg_from_html(html, len, "https://bench.example/beef-stew/", &r);
        ms[i] = cpu_ms() - t0;
        struct json_object *ing = NULL;
        if (st != SCHEMAORG_OK || !json_object_object_get_ex(r.recipe, "ingredients", &ing)) {
            fprintf(stderr, "schemaorg_bench: no recipe extracted: %s\n", r.found);
            schemaorg_result_free(&r);
            free(html);
            return 1;
        }
        ningredients = json_object_array_length(ing);
        schemaorg_result_free(&r);
    }
    qsort(ms, RUNS, sizeof(ms[0]), cmp);
    double parse[RUNS];
    for (int i = 0; i < RUNS; i++) {
        struct htmldoc doc;
        double t0 = cpu_ms();
        enum htmldoc_status hs = htmldoc_parse(&doc, html, len, 0);
        parse[i] = cpu_ms() - t0;
        htmldoc_free(&doc);
        if (hs != HTMLDOC_OK)
            return 1;
    }
    qsort(parse, RUNS, sizeof(parse[0]), cmp);
    double load = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f != NULL) {
        if (fscanf(f, "%lf", &load) != 1)
            load = 0;
        fclose(f);
    }
    printf("recipe extraction from a %zu KB page (%zu ingredients), %d runs\n", len / 1024,
           ningredients, RUNS);
    printf(
        "  CPU per extraction:    median %.2f ms, best %.2f, worst %.2f (budget < %.0f ms): %s\n",
        ms[RUNS / 2], ms[0], ms[RUNS - 1], BUDGET_MS, ms[RUNS / 2] < BUDGET_MS ? "PASS" : "FAIL");
    printf("  of which HTML parse:   median %.2f ms (gumbo alone); load average %.2f\n",
           parse[RUNS / 2], load);
    free(html);
    return 0;
}
