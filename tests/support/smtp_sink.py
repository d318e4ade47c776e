#!/usr/bin/python3
"""A real SMTP server for the mail tests (Debian's python3-aiosmtpd), on
loopback. Every message it accepts is written to DIR as N.eml (the bytes as
received) with N.json beside it (envelope sender and recipients, whether the
session was under TLS, the AUTH user and mechanism). Written to a temporary
name and renamed, so a reader never sees half a file.

Options:
  --dir DIR --host ADDR --port PORT
  --user U --password P      require AUTH (PLAIN and LOGIN) with these
  --mechanism PLAIN|LOGIN    offer only this one
  --tls-cert F --tls-key F   offer STARTTLS (and require it before AUTH)
Recipients at @reject.example get 550, at @tempfail.example 451.
Stops on SIGTERM or SIGINT.
"""
import argparse
import json
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, directory):
        self.dir = directory
        # numbering goes on after a restart on the same directory
        self.count = len([f for f in os.listdir(directory) if f.endswith(".eml")])
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@reject.example"):
            return "550 5.1.1 no such user here"
        if address.endswith("@tempfail.example"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": bool(session.ssl),
            "auth_user": getattr(session, "rb_user", None),
            "auth_mechanism": getattr(session, "rb_mechanism", None),
        }
        base = os.path.join(self.dir, str(n))
        for ext, data in ((".eml", envelope.original_content),
                          (".json", json.dumps(meta).encode())):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + ext + ".tmp", base + ext)
        return "250 Message accepted"


def authenticator_for(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode() == user and auth_data.password.decode() == password)
        if ok:
            session.rb_user = user
            session.rb_mechanism = mechanism
        return AuthResult(success=ok)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--mechanism", choices=["PLAIN", "LOGIN"])
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    a = p.parse_args()
    kw = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kw["tls_context"] = ctx
        kw["auth_require_tls"] = True
    else:
        kw["auth_require_tls"] = False
    if a.user:
        kw["authenticator"] = authenticator_for(a.user, a.password or "")
        kw["auth_required"] = True
        if a.mechanism:
            kw["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m != a.mechanism]
    c = Controller(Sink(a.dir), hostname=a.host, port=a.port, **kw)
    c.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with open(os.path.join(a.dir, "ready"), "w") as f:
        f.write("ready\n")
    while not stop.wait(1):
        pass
    c.stop()


if __name__ == "__main__":
    main()
