#!/usr/bin/env python3
"""Reads the messages the test SMTP sink stored in DIR with Python's email
package (a real MIME parser) and prints, as one JSON object, those sent to
ADDRESS: {"count": N, "messages": [{"subject", "text", "from", "to",
"date", "message_id", "list_unsubscribe", "list_unsubscribe_post"}]},
oldest first. The integration suites read mail through it.
usage: mail_read.py DIR ADDRESS"""
import email
import email.policy
import json
import os
import sys


def main():
    d, to = sys.argv[1], sys.argv[2].lower()
    out = []
    names = [n for n in os.listdir(d) if n.endswith(".eml")] if os.path.isdir(d) else []
    names.sort(key=lambda n: (os.path.getmtime(os.path.join(d, n)), n))
    for name in names:
        with open(os.path.join(d, name), "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        rcpt = str(msg.get("To", "")).lower()
        if to not in rcpt:
            continue
        body = msg.get_body(preferencelist=("plain",))
        out.append({
            "file": name,
            "subject": str(msg.get("Subject", "")),
            "text": body.get_content() if body is not None else "",
            "from": str(msg.get("From", "")),
            "to": str(msg.get("To", "")),
            "date": str(msg.get("Date", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "list_unsubscribe": str(msg.get("List-Unsubscribe", "")),
            "list_unsubscribe_post": str(msg.get("List-Unsubscribe-Post", "")),
        })
    json.dump({"count": len(out), "messages": out}, sys.stdout)


main()
