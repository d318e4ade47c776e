/* An RFC 5545 (iCalendar) writer for the meal plan feed: CRLF line ends,
 * content lines folded at 75 octets without splitting a UTF-8 sequence,
 * TEXT values escaped (backslash, semicolon, comma, newlines), all-day
 * events as DTSTART;VALUE=DATE. Plus the civil-date arithmetic the feed and
 * the meal plan's date parameters need. Pure: writes into a strbuf. */
#ifndef RB_LIB_ICAL_H
#define RB_LIB_ICAL_H

#include <stddef.h>

struct strbuf;

#define ICAL_FOLD 75 /* octets of a content line, CRLF not counted (RFC 5545 3.1) */

/* One all-day event. uid must be unique and stable ("mealplan-12@host");
 * dtstamp is a UTC date-time "YYYYMMDDTHHMMSSZ"; description may be NULL. */
struct ical_event {
    const char *uid;
    int year, month, day;
    const char *summary;
    const char *description;
    const char *dtstamp;
};

/* BEGIN:VCALENDAR with VERSION, PRODID (prodid, e.g. "-//recipebox//meal plan//EN"),
 * CALSCALE and the calendar's display name (X-WR-CALNAME, escaped). */
void ical_begin(struct strbuf *b, const char *prodid, const char *name);

/* One VEVENT: UID, DTSTAMP, DTSTART;VALUE=DATE, DTEND;VALUE=DATE (the next
 * day), SUMMARY and DESCRIPTION as escaped TEXT, TRANSP:TRANSPARENT. */
void ical_event(struct strbuf *b, const struct ical_event *e);

/* END:VCALENDAR. */
void ical_end(struct strbuf *b);

/* Appends the content line of len octets, folded: at most ICAL_FOLD
 * octets per physical line, continuation lines starting with one space,
 * never cutting inside a UTF-8 sequence; each line ends in CRLF. */
void ical_line(struct strbuf *b, const char *line, size_t len);

/* Appends s (len octets of UTF-8) escaped as a TEXT value: \ ; , become
 * \\ \; \, and CRLF, LF or CR become \n; other control characters (which
 * TEXT may not hold) become spaces. */
void ical_text(struct strbuf *b, const char *s, size_t len);

/* Parses "YYYY-MM-DD" (exactly; a real calendar date, years 1..9999).
 * 0, or -1. */
int ical_date_parse(const char *s, int *year, int *month, int *day);

/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
long ical_days(int year, int month, int day);

/* The date of a day number from ical_days. */
void ical_civil(long days, int *year, int *month, int *day);

#endif
