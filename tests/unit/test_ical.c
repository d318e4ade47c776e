/* Unit tests for the RFC 5545 writer (lib/ical.c): folding at 75 octets
 * without cutting a UTF-8 sequence, TEXT escaping, a whole calendar's
 * shape, and the civil-date helpers the meal plan uses. */
#include <stdlib.h>
#include <string.h>

#include "lib/ical.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "unit.h"

/* The text of b (freed by the caller). */
static char *done(struct strbuf *b)
{
    char *s = strbuf_finish(b, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

/* Undoes folding: every CRLF followed by a space goes. */
static void unfold(char *s)
{
    char *w = s;
    for (const char *r = s; *r != '\0';) {
        if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ')
            r += 3;
        else
            *w++ = *r++;
    }
    *w = '\0';
}

/* Every physical line of s ends in CRLF, is at most 75 octets and valid
 * UTF-8 on its own. Returns the number of lines. */
static int check_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p != '\0'; n++) {
        const char *e = strstr(p, "\r\n");
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        CU_ASSERT((size_t)(e - p) <= ICAL_FOLD);
        CU_ASSERT_EQUAL(utf8_check(p, (size_t)(e - p), 0), UTF8_OK);
        CU_ASSERT(memchr(p, '\n', (size_t)(e - p)) == NULL);
        p = e + 2;
    }
    return n;
}

static void test_fold_ascii(void)
{
    char line[200];
    memset(line, 'a', sizeof(line));
    struct strbuf b = {0};
    ical_line(&b, line, 75);
    char *s = done(&b);
    CU_ASSERT_EQUAL(check_lines(s), 1); /* exactly 75: no fold */
    free(s);
    b = (struct strbuf){0};
    ical_line(&b, line, 76);
    s = done(&b);
    CU_ASSERT_EQUAL(check_lines(s), 2);
    CU_ASSERT_EQUAL(strlen(s), 76 + 2 + 3); /* one CRLF SP inserted */
    CU_ASSERT_EQUAL(memcmp(s + 75, "\r\n a\r\n", 6), 0);
    free(s);
    b = (struct strbuf){0};
    ical_line(&b, line, 200); /* 75 + 74 + 51 */
    s = done(&b);
    CU_ASSERT_EQUAL(check_lines(s), 3);
    unfold(s);
    CU_ASSERT_EQUAL(strlen(s), 202);
    free(s);
}

static void test_fold_utf8(void)
{
    /* 74 ASCII octets, then U+20AC (3 octets): the euro sign would straddle
     * octet 75, so the first line holds 74 and the sign starts the next */
    char line[128];
    memset(line, 'x', 74);
    memcpy(line + 74, "\xe2\x82\xac", 3);
    memcpy(line + 77, "tail", 4);
    struct strbuf b = {0};
    ical_line(&b, line, 81);
    char *s = done(&b);
    CU_ASSERT_EQUAL(check_lines(s), 2);
    CU_ASSERT_EQUAL(memcmp(s + 74, "\r\n \xe2\x82\xac", 6), 0);
    unfold(s);
    CU_ASSERT_EQUAL(memcmp(s, line, 81), 0);
    free(s);
    /* a long run of 4-octet characters: every line valid on its own */
    char emoji[4 * 60 + 1];
    for (int i = 0; i < 60; i++)
        memcpy(emoji + 4 * i, "\xf0\x9f\x8d\x85", 4);
    b = (struct strbuf){0};
    ical_line(&b, emoji, 240);
    s = done(&b);
    CU_ASSERT(check_lines(s) >= 4);
    unfold(s);
    CU_ASSERT_EQUAL(strlen(s), 242);
    CU_ASSERT_EQUAL(memcmp(s, emoji, 240), 0);
    free(s);
}

static void test_escape(void)
{
    const char in[] = "a\\b;c,d\ne\r\nf\rg\th\x01i:j\"k";
    struct strbuf b = {0};
    ical_text(&b, in, sizeof(in) - 1);
    char *s = done(&b);
    CU_ASSERT_STRING_EQUAL(s, "a\\\\b\\;c\\,d\\ne\\nf\\ng h i:j\"k");
    free(s);
}

static void test_calendar(void)
{
    struct strbuf b = {0};
    struct ical_event e = {"mealplan-7@recipes.example.org",
                           2026,
                           12,
                           31,
                           "Dinner: Crème brûlée; with friends, at 8",
                           "Serves 4\nbring wine",
                           "20261129T120000Z"};
    ical_begin(&b, "-//recipebox//meal plan//EN", "Meal plan");
    ical_event(&b, &e);
    ical_end(&b);
    char *s = done(&b);
    check_lines(s);
    CU_ASSERT(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nUID:mealplan-7@recipes.example.org\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nDTSTART;VALUE=DATE:20261231\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nDTEND;VALUE=DATE:20270101\r\n")); /* over the year */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nDTSTAMP:20261129T120000Z\r\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(s, "\r\nSUMMARY:Dinner: Crème brûlée\\; with friends\\, at 8\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nDESCRIPTION:Serves 4\\nbring wine\r\n"));
    size_t n = strlen(s);
    CU_ASSERT(n > 15 && strcmp(s + n - 15, "END:VCALENDAR\r\n") == 0);
    free(s);
}

static void test_dates(void)
{
    int y = 0, m = 0, d = 0;
    CU_ASSERT_EQUAL(ical_date_parse("2024-02-29", &y, &m, &d), 0);
    CU_ASSERT(y == 2024 && m == 2 && d == 29);
    CU_ASSERT_EQUAL(ical_date_parse("2023-02-29", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("1900-02-29", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("2000-02-29", &y, &m, &d), 0);
    CU_ASSERT_EQUAL(ical_date_parse("2026-13-01", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("2026-04-31", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("2026-4-01", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("2026-04-01x", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("+026-04-01", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("0000-01-01", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse("", &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_date_parse(NULL, &y, &m, &d), -1);
    CU_ASSERT_EQUAL(ical_days(1970, 1, 1), 0);
    CU_ASSERT_EQUAL(ical_days(2000, 3, 1), 11017);
    CU_ASSERT_EQUAL(ical_days(1969, 12, 31), -1);
    /* round trips over four centuries, day by day */
    for (long day = ical_days(1900, 1, 1); day < ical_days(2300, 1, 1); day += 1) {
        ical_civil(day, &y, &m, &d);
        if (ical_days(y, m, d) != day) {
            CU_FAIL("civil round trip");
            break;
        }
    }
}

int unit_ical_register(void)
{
    CU_pSuite s = CU_add_suite("ical", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "folding at 75 octets", test_fold_ascii) ||
        !CU_add_test(s, "folding never cuts a UTF-8 sequence", test_fold_utf8) ||
        !CU_add_test(s, "TEXT escaping", test_escape) ||
        !CU_add_test(s, "a calendar with one all-day event", test_calendar) ||
        !CU_add_test(s, "dates", test_dates))
        return -1;
    return 0;
}
