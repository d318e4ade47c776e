"""A small web server for the import tests (tests/integration/import_suite.c):
recipe pages, an image, redirects (anywhere, or a chain of N), a slow answer,
a slow body, answers larger than the import's page limit, and a forward
proxy's answer to a request with an absolute URI (never forwarded). Started and
stopped by tests/support/webfixture.sh; python3's http.server, one thread per
request so that a slow answer never holds the others.

    webfixture.py --host 127.0.0.2 --port N --ready FILE
"""
import argparse
import json
import struct
import sys
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def png(width, height):
    """A valid RGB PNG of width x height (a gradient), made by hand."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"".join(bytes((x * 7 % 256, y * 5 % 256, 128))
                                        for x in range(width)) for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


IMAGE = png(64, 48)


def recipe_jsonld(name, image="img.png"):
    return {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": name,
        "description": "A fixture recipe for the import tests.",
        "image": image,
        "recipeYield": "4 servings",
        "prepTime": "PT10M",
        "cookTime": "PT25M",
        "recipeIngredient": ["2 cups flour", "1 tsp salt", "300 ml water"],
        "recipeInstructions": [
            {"@type": "HowToStep", "text": "Mix everything."},
            {"@type": "HowToStep", "text": "Bake for 25 minutes."},
        ],
        "keywords": "bread, fixture",
    }


def page(name, image="img.png", extra=""):
    block = json.dumps(recipe_jsonld(name, image))
    return ("<!doctype html><html><head><meta charset=utf-8><title>%s</title>"
            "<script type=\"application/ld+json\">%s</script></head>"
            "<body><h1>%s</h1>%s</body></html>" % (name, block, name, extra)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def send(self, status, ctype, body, headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("http://"):
            return self.proxied()
        u = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        route = ROUTES.get(u.path)
        if route is None:
            return self.send(404, "text/plain", b"not here\n")
        try:
            route(self, q)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a cap or a timeout): what the tests want

    def proxied(self):
        """A forward proxy's request (absolute URI): answered here, never
        forwarded, with a recipe named after the host it was meant for."""
        host = urlparse(self.path).hostname or "?"
        self.send(200, "text/html; charset=utf-8", page("Via proxy " + host, image=""))

    # ---- pages ----
    def recipe(self, q):
        self.send(200, "text/html; charset=utf-8",
                  page(q.get("name", "Fixture bread"), image=q.get("img", "img.png")))

    def no_image(self, q):
        self.send(200, "text/html; charset=utf-8", page("Fixture without image", image=""))

    def plain(self, q):
        self.send(200, "text/html; charset=utf-8",
                  b"<!doctype html><title>Just a page</title><p>No recipe here.</p>")

    def ldjson(self, q):
        self.send(200, "application/ld+json", json.dumps(recipe_jsonld("Fixture JSON-LD")).encode())

    def ua(self, q):
        """A recipe named after the User-Agent the fetcher sent."""
        name = "UA " + self.headers.get("User-Agent", "none")
        self.send(200, "text/html; charset=utf-8", page(name[:150]))

    def text(self, q):
        self.send(200, "text/plain", b"Recipe: just text\n")

    def image(self, q):
        self.send(200, "image/png", IMAGE)

    def status(self, q):
        self.send(int(q.get("code", "500")), "text/plain", b"as asked\n")

    # ---- redirects ----
    def redirect(self, q):
        self.send(int(q.get("code", "302")), "text/plain", b"moved\n",
                  [("Location", q.get("to", "/recipe.html"))])

    def chain(self, q):
        n = int(q.get("n", "0"))
        to = "/chain?n=%d" % (n - 1) if n > 0 else "/recipe.html?name=Chained"
        self.send(302, "text/plain", b"moved\n", [("Location", to)])

    # ---- slow and large ----
    def slow(self, q):
        time.sleep(float(q.get("s", "10")))
        self.send(200, "text/html", page("Too late"))

    def drip(self, q):
        """Headers at once, then one byte a second: only a total timeout stops it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(30):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(1)

    def huge(self, q):
        """size bytes, with a Content-Length (or chunked with ?chunked=1)."""
        size = int(q.get("size", str(6 << 20)))
        block = b"<p>" + b"x" * 65530 + b"</p>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if q.get("chunked") == "1":
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        sent = 0
        while sent < size:
            part = block[:min(len(block), size - sent)]
            if q.get("chunked") == "1":
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                self.wfile.write(part)
            sent += len(part)
        if q.get("chunked") == "1":
            self.wfile.write(b"0\r\n\r\n")


ROUTES = {
    "/recipe.html": Handler.recipe,
    "/noimage.html": Handler.no_image,
    "/plain.html": Handler.plain,
    "/recipe.jsonld": Handler.ldjson,
    "/ua.html": Handler.ua,
    "/text": Handler.text,
    "/img.png": Handler.image,
    "/status": Handler.status,
    "/redirect": Handler.redirect,
    "/chain": Handler.chain,
    "/slow": Handler.slow,
    "/drip": Handler.drip,
    "/huge": Handler.huge,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.2")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer((a.host, a.port), Handler)
    with open(a.ready, "w") as f:
        f.write("%s:%d\n" % (a.host, a.port))
    srv.serve_forever()


if __name__ == "__main__":
    main()
