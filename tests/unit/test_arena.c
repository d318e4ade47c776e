/* Unit tests for the per-request arena (base/arena.c): alignment, the limit,
 * growth past the first chunk, zeroing, string copies and what reset keeps.
 * Every arena made here is freed, so LeakSanitizer checks the module too. */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "unit.h"

/* Fills n bytes at p with c and checks they read back (ASan checks bounds). */
static int fill_and_check(void *p, size_t n, unsigned char c)
{
    if (p == NULL)
        return 0;
    memset(p, c, n);
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != c)
            return 0;
    return 1;
}

static void test_alloc_alignment_and_disjoint(void)
{
    struct arena a;
    arena_init(&a, 0);
    CU_ASSERT_PTR_NULL(a.head);
    CU_ASSERT_EQUAL(a.used, 0);
    unsigned char *p[20];
    for (size_t i = 0; i < 20; i++) {
        p[i] = arena_alloc(&a, i + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
        CU_ASSERT_EQUAL((uintptr_t)p[i] % 16, 0);
        memset(p[i], (int)i, i + 1);
    }
    /* each block still holds what was written: no two overlap */
    for (size_t i = 0; i < 20; i++)
        for (size_t j = 0; j <= i; j++)
            CU_ASSERT_EQUAL(p[i][j], (unsigned char)i);
    /* 1..16 bytes take 16 each, 17..20 take 32 each */
    CU_ASSERT_EQUAL(a.used, 16 * 16 + 4 * 32);
    arena_free(&a);
    CU_ASSERT_PTR_NULL(a.head);
    CU_ASSERT_EQUAL(a.used, 0);
}

static void test_alloc_refusals(void)
{
    struct arena a;
    arena_init(&a, 0);
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 0));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, SIZE_MAX));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, SIZE_MAX - 15));
    /* rounds to SIZE_MAX - 15: too big for any chunk, refused before malloc */
    CU_ASSERT_PTR_NULL(arena_alloc(&a, SIZE_MAX - 16));
    CU_ASSERT_EQUAL(a.used, 0);
    CU_ASSERT_PTR_NULL(arena_calloc(&a, 0, 8));
    CU_ASSERT_PTR_NULL(arena_calloc(&a, 8, 0));
    CU_ASSERT_PTR_NULL(arena_calloc(&a, SIZE_MAX / 2, 4)); /* product overflows */
    CU_ASSERT_PTR_NULL(arena_calloc(&a, (SIZE_MAX >> 4) + 2, 16));
    CU_ASSERT_EQUAL(a.used, 0);
    arena_free(&a);
}

static void test_limit(void)
{
    struct arena a;
    arena_init(&a, 1024);
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 1025)); /* alone past the limit */
    CU_ASSERT_EQUAL(a.used, 0);
    void *p = arena_alloc(&a, 1000); /* takes 1008 */
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_EQUAL(a.used, 1008);
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 17)); /* rounds to 32, only 16 left */
    void *q = arena_alloc(&a, 16);           /* exactly reaches the limit */
    CU_ASSERT_PTR_NOT_NULL(q);
    CU_ASSERT_EQUAL(a.used, 1024);
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 1));
    CU_ASSERT_PTR_NULL(arena_strdup(&a, ""));
    CU_ASSERT_PTR_NULL(arena_printf(&a, "%d", 1));
    CU_ASSERT_EQUAL(a.used, 1024); /* a refusal takes nothing */
    arena_reset(&a);
    CU_ASSERT_EQUAL(a.used, 0);
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 1024)); /* the limit is per request */
    arena_free(&a);

    /* padding counts against the limit */
    arena_init(&a, 32);
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 1));
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 1));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 1));
    arena_free(&a);
}

static void test_growth(void)
{
    struct arena a;
    arena_init(&a, 0);
    void *first = arena_alloc(&a, 16384); /* fills a first chunk of 16 KiB */
    CU_ASSERT_TRUE(fill_and_check(first, 16384, 0x11));
    void *second = arena_alloc(&a, 16);
    CU_ASSERT_TRUE(fill_and_check(second, 16, 0x22));
    void *big = arena_alloc(&a, 200000); /* larger than any chunk so far */
    CU_ASSERT_TRUE(fill_and_check(big, 200000, 0x33));
    /* earlier blocks survive the growth */
    CU_ASSERT_TRUE(fill_and_check(first, 16384, 0x11));
    CU_ASSERT_EQUAL(((unsigned char *)second)[15], 0x22);
    CU_ASSERT_EQUAL(a.used, 16384 + 16 + 200000);
    for (int i = 0; i < 1000; i++) /* many small ones across chunk borders */
        CU_ASSERT_TRUE(fill_and_check(arena_alloc(&a, 100), 100, (unsigned char)i));
    arena_free(&a);
}

static void test_calloc_zeroes_reused_memory(void)
{
    struct arena a;
    arena_init(&a, 0);
    unsigned char *p = arena_alloc(&a, 256);
    CU_ASSERT_TRUE_FATAL(fill_and_check(p, 256, 0xAA));
    arena_reset(&a);
    unsigned char *z = arena_calloc(&a, 32, 8);
    CU_ASSERT_PTR_EQUAL(z, p); /* the same bytes, handed out again */
    int zero = z != NULL;
    for (size_t i = 0; zero && i < 256; i++)
        zero = z[i] == 0;
    CU_ASSERT_TRUE(zero);
    arena_free(&a);
}

static void test_strings(void)
{
    struct arena a;
    arena_init(&a, 1 << 20);
    char *s = arena_strndup(&a, "ab\0cd", 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(memcmp(s, "ab\0cd\0", 6), 0);
    char *t = arena_strndup(&a, "abcdef", 3); /* copies only n bytes */
    UNIT_ASSERT_STR(t, "abc");
    char *e = arena_strndup(&a, "xyz", 0);
    UNIT_ASSERT_STR(e, "");
    CU_ASSERT_PTR_NULL(arena_strndup(&a, NULL, 3));
    CU_ASSERT_PTR_NULL(arena_strndup(&a, "x", SIZE_MAX));
    CU_ASSERT_PTR_NULL(arena_strdup(&a, NULL));
    char src[] = "recipe";
    char *d = arena_strdup(&a, src);
    src[0] = 'R';
    UNIT_ASSERT_STR(d, "recipe"); /* a copy, not the caller's buffer */
    CU_ASSERT_PTR_NOT_EQUAL(d, src);
    UNIT_ASSERT_STR(arena_printf(&a, "%d-%s-%zu", -42, "x", (size_t)7), "-42-x-7");
    UNIT_ASSERT_STR(arena_printf(&a, "%s", ""), "");
    char *wide = arena_printf(&a, "%30000d", 5); /* longer than the first chunk */
    CU_ASSERT_PTR_NOT_NULL_FATAL(wide);
    CU_ASSERT_EQUAL(strlen(wide), 30000);
    CU_ASSERT_EQUAL(wide[29999], '5');
    CU_ASSERT_EQUAL(wide[0], ' ');
    arena_free(&a);
}

static void test_reset_keeps_first_chunk(void)
{
    struct arena a;
    arena_init(&a, 0);
    arena_reset(&a); /* an empty arena resets to empty */
    CU_ASSERT_PTR_NULL(a.head);
    char *p = arena_alloc(&a, 10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 16384)); /* forces a second chunk */
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 100000));
    arena_reset(&a);
    CU_ASSERT_EQUAL(a.used, 0);
    CU_ASSERT_PTR_NOT_NULL(a.head);
    CU_ASSERT_PTR_EQUAL(arena_alloc(&a, 10), p); /* the first chunk, from its start */
    arena_free(&a);
}

static void test_reset_drops_big_first_chunk(void)
{
    struct arena a;
    arena_init(&a, 0);
    /* a first request that needs 100 KB must not pin 128 KiB for the worker's life */
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 100000));
    arena_reset(&a);
    CU_ASSERT_PTR_NULL(a.head);
    CU_ASSERT_EQUAL(a.used, 0);
    CU_ASSERT_TRUE(fill_and_check(arena_alloc(&a, 64), 64, 1)); /* usable again */
    arena_free(&a);
    /* arena_free then arena_init: a fresh arena */
    arena_init(&a, 64);
    CU_ASSERT_PTR_NOT_NULL(arena_alloc(&a, 64));
    CU_ASSERT_PTR_NULL(arena_alloc(&a, 1));
    arena_free(&a);
}

int unit_arena_register(void)
{
    CU_pSuite s = CU_add_suite("arena", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "blocks are 16-aligned and disjoint", test_alloc_alignment_and_disjoint) ||
        !CU_add_test(s, "0, huge and overflowing sizes are refused", test_alloc_refusals) ||
        !CU_add_test(s, "the limit is exact and counts padding", test_limit) ||
        !CU_add_test(s, "growth keeps earlier blocks", test_growth) ||
        !CU_add_test(s, "calloc zeroes reused memory", test_calloc_zeroes_reused_memory) ||
        !CU_add_test(s, "strndup, strdup and printf", test_strings) ||
        !CU_add_test(s, "reset keeps the first chunk", test_reset_keeps_first_chunk) ||
        !CU_add_test(s, "reset drops a big first chunk", test_reset_drops_big_first_chunk))
        return -1;
    return 0;
}
