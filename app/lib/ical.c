/* RFC 5545 output (include/lib/ical.h). Each content line is assembled
 * unfolded and folded once when appended, so escaping and folding never
 * interact: a fold may fall between a backslash and the character it
 * escapes, which RFC 5545 allows (a reader unfolds before it unescapes). */
#include "lib/ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"

void ical_line(struct strbuf *b, const char *line, size_t len)
{
    size_t at = 0, room = ICAL_FOLD;
    while (len - at > room) {
        size_t cut = at + utf8_prefix(line + at, len - at, room);
        if (cut == at) /* not UTF-8: cut anyway rather than loop */
            cut = at + room;
        strbuf_put(b, line + at, cut - at);
        strbuf_puts(b, "\r\n ");
        at = cut;
        room = ICAL_FOLD - 1; /* the leading space counts */
    }
    strbuf_put(b, line + at, len - at);
    strbuf_puts(b, "\r\n");
}

void ical_text(struct strbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = {'\\', (char)c};
            strbuf_put(b, esc, 2);
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                i++;
            strbuf_puts(b, "\\n");
        } else if (c < 0x20 || c == 0x7F) {
            strbuf_puts(b, " ");
        } else {
            strbuf_put(b, s + i, 1);
        }
    }
}

/* Appends the line in l (consumed), folded; a failed l fails b. */
static void flush_line(struct strbuf *b, struct strbuf *l)
{
    size_t n = 0;
    char *text = strbuf_finish(l, &n);
    if (text == NULL) {
        b->bad = 1;
        return;
    }
    ical_line(b, text, n);
    free(text);
}

/* NAME:VALUE with value as it is (no escaping: fixed or generated text). */
static void property(struct strbuf *b, const char *name, const char *value)
{
    struct strbuf l = {0};
    strbuf_puts(&l, name);
    strbuf_puts(&l, ":");
    strbuf_puts(&l, value);
    flush_line(b, &l);
}

/* NAME:VALUE with value escaped as TEXT. */
static void text_property(struct strbuf *b, const char *name, const char *value)
{
    struct strbuf l = {0};
    strbuf_puts(&l, name);
    strbuf_puts(&l, ":");
    ical_text(&l, value, strlen(value));
    flush_line(b, &l);
}

void ical_begin(struct strbuf *b, const char *prodid, const char *name)
{
    property(b, "BEGIN", "VCALENDAR");
    property(b, "VERSION", "2.0");
    text_property(b, "PRODID", prodid);
    property(b, "CALSCALE", "GREGORIAN");
    property(b, "METHOD", "PUBLISH");
    text_property(b, "X-WR-CALNAME", name);
}

/* DTSTART/DTEND;VALUE=DATE:YYYYMMDD of day number days. */
static void date_property(struct strbuf *b, const char *name, long days)
{
    int y = 0, m = 0, d = 0;
    char value[16];
    ical_civil(days, &y, &m, &d);
    if (snprintf(value, sizeof(value), "%04d%02d%02d", y, m, d) >= (int)sizeof(value)) {
        b->bad = 1;
        return;
    }
    property(b, name, value);
}

void ical_event(struct strbuf *b, const struct ical_event *e)
{
    long day = ical_days(e->year, e->month, e->day);
    property(b, "BEGIN", "VEVENT");
    text_property(b, "UID", e->uid);
    property(b, "DTSTAMP", e->dtstamp);
    date_property(b, "DTSTART;VALUE=DATE", day);
    date_property(b, "DTEND;VALUE=DATE", day + 1);
    text_property(b, "SUMMARY", e->summary);
    if (e->description != NULL && e->description[0] != '\0')
        text_property(b, "DESCRIPTION", e->description);
    property(b, "TRANSP", "TRANSPARENT");
    property(b, "END", "VEVENT");
}

void ical_end(struct strbuf *b)
{
    property(b, "END", "VCALENDAR");
}

/* Days of month m (1..12) in year y. */
static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* The n ASCII digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int ical_date_parse(const char *s, int *year, int *month, int *day)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *year = y;
    *month = m;
    *day = d;
    return 0;
}

/* Howard Hinnant's days_from_civil and civil_from_days (public domain
 * algorithms), for the proleptic Gregorian calendar. */
long ical_days(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ical_civil(long days, int *year, int *month, int *day)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}
