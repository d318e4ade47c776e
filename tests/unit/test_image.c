/* Unit tests of the pure parts of lib/image: the size a configured width is
 * stored at (never wider than the original, neither side above WebP's
 * 16383), and the EXIF orientation -> transform mapping, checked on where
 * the corners of a 3 x 2 image land for each of the 8 values. */
#include <stdio.h>

#include "lib/image.h"
#include "unit.h"

/* image_target_size against an expected w x h, reporting the case. */
static void expect_size(unsigned w, unsigned h, unsigned width, unsigned ew, unsigned eh,
                        unsigned line)
{
    unsigned tw = 0, th = 0;
    image_target_size(w, h, width, &tw, &th);
    if (tw != ew || th != eh)
        fprintf(stderr, "\n  %ux%u at %u: %ux%u, expected %ux%u\n", w, h, width, tw, th, ew, eh);
    UNIT_CHECK_AT(tw == ew && th == eh, line, "image_target_size");
}

static void test_target_size(void)
{
    expect_size(1600, 1000, 1200, 1200, 750, __LINE__); /* scaled, ratio kept */
    expect_size(1600, 1000, 400, 400, 250, __LINE__);
    expect_size(800, 600, 1200, 800, 600, __LINE__);     /* never enlarged */
    expect_size(100, 20000, 1200, 82, 16383, __LINE__);  /* too tall: height sets the scale */
    expect_size(100, 20000, 400, 82, 16383, __LINE__);   /* every width collapses to it */
    expect_size(100, 16383, 1200, 100, 16383, __LINE__); /* exactly the limit: kept */
    expect_size(100, 16384, 1200, 100, 16383, __LINE__); /* one over: the height drops */
    expect_size(1000, 20000, 400, 400, 8000, __LINE__);  /* the width alone suffices */
    expect_size(20000, 100, 20000, 16383, 82, __LINE__); /* a configured width over the limit */
    expect_size(1, 40000000, 1200, 1, 16383, __LINE__);  /* never 0 wide */
    expect_size(40000000, 1, 1200, 1200, 1, __LINE__);   /* never 0 high */
}

/* Over a sweep of shapes, no side is 0 or above the limit, and the width
 * is never above the configured one or the original's. */
static void test_target_size_bounds(void)
{
    static const unsigned sides[] = {1, 2, 7, 399, 400, 1199, 1200, 16383, 16384, 20000, 40000000};
    static const unsigned widths[] = {1, 400, 1200, 16383, 20000};
    size_t n = sizeof(sides) / sizeof(sides[0]), bad = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
                unsigned w = sides[i], h = sides[j], tw = 0, th = 0;
                image_target_size(w, h, widths[k], &tw, &th);
                int ok = tw >= 1 && th >= 1 && tw <= IMAGE_MAX_SIDE && th <= IMAGE_MAX_SIDE &&
                         tw <= widths[k] && tw <= w && th <= h;
                if (!ok && bad++ < 5)
                    fprintf(stderr, "\n  %ux%u at %u: %ux%u\n", w, h, widths[k], tw, th);
            }
    CU_ASSERT_EQUAL(bad, 0);
}

/* Where three corners of a 3 x 2 stored image go for each orientation:
 * top-left, top-right and bottom-left, as (x, y) in the upright image. */
static const struct {
    unsigned o, w, h; /* the upright size */
    unsigned pos[3][2];
} corners[] = {
    {1, 3, 2, {{0, 0}, {2, 0}, {0, 1}}}, /* as stored */
    {2, 3, 2, {{2, 0}, {0, 0}, {2, 1}}}, /* mirrored left-right */
    {3, 3, 2, {{2, 1}, {0, 1}, {2, 0}}}, /* rotated 180 */
    {4, 3, 2, {{0, 1}, {2, 1}, {0, 0}}}, /* flipped top-bottom */
    {5, 2, 3, {{0, 0}, {0, 2}, {1, 0}}}, /* transposed */
    {6, 2, 3, {{1, 0}, {1, 2}, {0, 0}}}, /* rotated 90 clockwise: the top is the right */
    {7, 2, 3, {{1, 2}, {1, 0}, {0, 2}}}, /* transverse */
    {8, 2, 3, {{0, 2}, {0, 0}, {1, 2}}}, /* rotated 270 clockwise: the top is the left */
};

static void test_orientation_corners(void)
{
    static const unsigned from[3][2] = {{0, 0}, {2, 0}, {0, 1}};
    for (size_t i = 0; i < sizeof(corners) / sizeof(corners[0]); i++) {
        struct image_orientation t = image_orientation_of(corners[i].o);
        unsigned w = t.transpose ? 2 : 3, h = t.transpose ? 3 : 2;
        CU_ASSERT(w == corners[i].w && h == corners[i].h);
        for (int c = 0; c < 3; c++) {
            unsigned dx = 99, dy = 99;
            image_orient_point(t, 3, 2, from[c][0], from[c][1], &dx, &dy);
            int ok = dx == corners[i].pos[c][0] && dy == corners[i].pos[c][1];
            if (!ok)
                fprintf(stderr, "\n  orientation %u: (%u,%u) went to (%u,%u)\n", corners[i].o,
                        from[c][0], from[c][1], dx, dy);
            CU_ASSERT(ok);
        }
    }
}

/* Every orientation moves each pixel somewhere inside, and no two to the
 * same place; values outside 1..8 change nothing. */
static void test_orientation_bijective(void)
{
    for (unsigned o = 0; o <= 9; o++) {
        struct image_orientation t = image_orientation_of(o);
        unsigned w = t.transpose ? 4 : 5, h = t.transpose ? 5 : 4, hits[5][5] = {{0}};
        int inside = 1;
        for (unsigned y = 0; y < 4; y++)
            for (unsigned x = 0; x < 5; x++) {
                unsigned dx = 99, dy = 99;
                image_orient_point(t, 5, 4, x, y, &dx, &dy);
                inside &= dx < w && dy < h;
                if (dx < 5 && dy < 5)
                    hits[dy][dx]++;
            }
        int once = 1;
        for (unsigned y = 0; y < h; y++)
            for (unsigned x = 0; x < w; x++)
                once &= hits[y][x] == 1;
        CU_ASSERT(inside && once);
    }
    static const unsigned none[] = {0, 1, 9, 255, 65535};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        struct image_orientation t = image_orientation_of(none[i]);
        CU_ASSERT(!t.transpose && !t.flip_x && !t.flip_y);
    }
}

int unit_image_register(void)
{
    CU_pSuite s = CU_add_suite("image", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "stored sizes: ratio, no enlarging, 16383", test_target_size) ||
        !CU_add_test(s, "stored sizes: bounds over a sweep", test_target_size_bounds) ||
        !CU_add_test(s, "EXIF orientation 1-8: where the corners go", test_orientation_corners) ||
        !CU_add_test(s, "EXIF orientation: a bijection; other values are 1",
                     test_orientation_bijective))
        return -1;
    return 0;
}
