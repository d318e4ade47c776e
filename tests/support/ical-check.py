#!/usr/bin/python3
"""Checks a calendar feed as a calendar app would read it: parsed by Debian's
python3-icalendar (run with /usr/bin/python3: docs/pitfalls.md).
  ical-check.py FILE
Asserts: CRLF line ends only; no physical line over 75 octets; each line
valid UTF-8 on its own (a fold never splits a character); the parse
succeeds; one VCALENDAR with VERSION 2.0 and PRODID; every VEVENT has a UID,
a DTSTAMP, and an all-day DTSTART (a date, VALUE=DATE) with DTEND the next
day. Prints one line per event, "UID<TAB>YYYY-MM-DD<TAB>SUMMARY<TAB>
DESCRIPTION" (tabs and newlines in text shown as \\t and \\n), then
"events N"; or "ical-check: why" and exits 1.
"""
import datetime
import sys

import icalendar


def fail(why):
    print("ical-check: %s" % why)
    sys.exit(1)


def check_lines(raw):
    if not raw.endswith(b"\r\n"):
        fail("the last line does not end in CRLF")
    if b"\n" in raw.replace(b"\r\n", b"") or b"\r" in raw.replace(b"\r\n", b""):
        fail("a bare CR or LF")
    for line in raw[:-2].split(b"\r\n"):
        if len(line) > 75:
            fail("a line of %d octets: %r" % (len(line), line[:80]))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail("a fold splits a UTF-8 sequence: %r" % line)


def shown(text):
    return str(text).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def main():
    raw = open(sys.argv[1], "rb").read()
    check_lines(raw)
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except ValueError as e:
        fail("does not parse: %s" % e)
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        fail("not a VERSION 2.0 VCALENDAR with a PRODID")
    events = cal.walk("VEVENT")
    for ev in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if ev.get(prop) is None:
                fail("an event without %s" % prop)
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
            fail("DTSTART is not a date: %r" % start)
        if end - start != datetime.timedelta(days=1):
            fail("DTEND is not the day after DTSTART")
        print("%s\t%s\t%s\t%s" % (ev.get("UID"), start.isoformat(), shown(ev.get("SUMMARY")),
                                  shown(ev.get("DESCRIPTION", ""))))
    print("events %d" % len(events))


main()
