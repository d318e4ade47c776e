#!/usr/bin/python3
"""Checks one mail as a reader would: parsed by Python's email package
(policy.default, which decodes RFC 2047 words and quoted-printable).
  mail_check.py FILE --subject S [--to A] [--from-addr A] [--text-file F |
                --text-contains T] [--html] [--unsubscribe URL]
Asserts: no parser defects; CRLF line ends only; lines <= 998 bytes (76 in
the bodies and in an encoded Subject); exactly one of each standard header;
Date parses; Message-ID is <...@domain of From>; MIME-Version 1.0; the
Subject decodes to exactly S; the text/plain part decodes to exactly the
text (line ends compared as LF); a text/html part when --html; the RFC 8058
pair when --unsubscribe (and neither without). Prints "ok FILE" or why.
"""
import argparse
import email
import email.policy
import email.utils
import sys


def fail(why):
    print("mail_check: %s: %s" % (ARGS.file, why))
    sys.exit(1)


def check_lines(raw):
    if b"\n" in raw.replace(b"\r\n", b"") or b"\r" in raw.replace(b"\r\n", b""):
        fail("a bare CR or LF")
    head, _, body = raw.partition(b"\r\n\r\n")
    for line in raw.split(b"\r\n"):
        if len(line) > 998:
            fail("a line of %d bytes" % len(line))
    for line in body.split(b"\r\n"):
        if len(line) > 76:
            fail("a body line of %d bytes: %r" % (len(line), line[:80]))
    in_subject = False
    for line in head.split(b"\r\n"):
        if not line.startswith(b" "):
            in_subject = line.startswith(b"Subject: =?")
        if in_subject and len(line) > 76:
            fail("an encoded Subject line of %d bytes" % len(line))


def check_headers(msg):
    for name in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version", "Content-Type"):
        if len(msg.get_all(name, [])) != 1:
            fail("%s appears %d times" % (name, len(msg.get_all(name, []))))
    if msg["Subject"] != ARGS.subject:
        fail("Subject %r, want %r" % (msg["Subject"], ARGS.subject))
    if email.utils.parsedate_to_datetime(msg["Date"]) is None:
        fail("Date does not parse")
    from_addr = email.utils.parseaddr(msg["From"])[1]
    if ARGS.from_addr and from_addr != ARGS.from_addr:
        fail("From %r, want %r" % (from_addr, ARGS.from_addr))
    mid = msg["Message-ID"]
    if not (mid.startswith("<") and mid.endswith("@" + from_addr.split("@")[1] + ">")
            and len(mid) > 20):
        fail("Message-ID %r" % mid)
    if ARGS.to and msg["To"] != ARGS.to:
        fail("To %r, want %r" % (msg["To"], ARGS.to))
    if msg["MIME-Version"] != "1.0":
        fail("MIME-Version %r" % msg["MIME-Version"])
    unsub, post = msg.get_all("List-Unsubscribe", []), msg.get_all("List-Unsubscribe-Post", [])
    if ARGS.unsubscribe:
        if unsub != ["<%s>" % ARGS.unsubscribe] or post != ["List-Unsubscribe=One-Click"]:
            fail("List-Unsubscribe %r / %r" % (unsub, post))
    elif unsub or post:
        fail("List-Unsubscribe without an unsubscribe URL")


def check_bodies(msg):
    for part in msg.walk():
        if part.defects:
            fail("defects in a part: %r" % part.defects)
    plain = msg.get_body(("plain",))
    if plain is None or plain["Content-Transfer-Encoding"] != "quoted-printable":
        fail("no quoted-printable text/plain part")
    text = plain.get_content().replace("\r\n", "\n")
    if ARGS.text_file:
        with open(ARGS.text_file, encoding="utf-8") as f:
            want = f.read()
        if text != want:
            fail("text differs:\n--- got\n%s\n--- want\n%s" % (text, want))
    if ARGS.text_contains and ARGS.text_contains not in text:
        fail("text lacks %r" % ARGS.text_contains)
    html = msg.get_body(("html",))
    if ARGS.html and (html is None or msg.get_content_type() != "multipart/alternative"):
        fail("no text/html alternative")
    if not ARGS.html and html is not None:
        fail("an unexpected text/html part")


def main():
    with open(ARGS.file, "rb") as f:
        raw = f.read()
    check_lines(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.defects:
        fail("defects: %r" % msg.defects)
    check_headers(msg)
    check_bodies(msg)
    print("ok %s" % ARGS.file)


P = argparse.ArgumentParser()
P.add_argument("file")
P.add_argument("--subject", required=True)
P.add_argument("--to")
P.add_argument("--from-addr")
P.add_argument("--text-file")
P.add_argument("--text-contains")
P.add_argument("--html", action="store_true")
P.add_argument("--unsubscribe")
ARGS = P.parse_args()
main()
