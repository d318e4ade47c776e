#!/usr/bin/python3
"""Writes the archives the archive suite imports, each in its app's
documented layout, with Python's own zipfile and gzip (an independent
writer: the reader under test never made these files).

usage: archive_fixtures.py DIR
Writes into DIR: mealie.zip, tandoor.zip, paprika.paprikarecipes,
bomb.zip, traversal.zip, many.zip, gzipbomb.paprikarecipes, unknown.zip,
notzip.zip, lying.zip, and image.png (for an upload).
"""
import base64
import gzip
import io
import json
import struct
import sys
import zipfile
import zlib


def png(w=4, h=3):
    """A small valid RGB PNG, written by hand from the PNG spec."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([200, 100, 50]) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_zip(path, files, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in files:
            z.writestr(name, data)


def zip_bytes(files):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)
    return b.getvalue()


def mealie(d):
    """A Mealie backup: recipes/SLUG/SLUG.json, recipes/SLUG/images/original.EXT."""
    r = {
        "name": "Mealie Pancakes", "slug": "mealie-pancakes", "description": "From Mealie",
        "recipe_yield": "4 servings", "prep_time": "10 minutes", "cook_time": "20 minutes",
        "org_url": "https://example.org/pancakes",
        "recipe_ingredient": [
            {"title": "Batter", "note": "sifted", "quantity": 200, "unit": {"name": "g"},
             "food": {"name": "flour"}, "disable_amount": False},
            {"title": None, "note": "2 eggs", "quantity": 0, "unit": None, "food": None,
             "disable_amount": True}],
        "recipe_instructions": [{"title": "", "text": "Mix."}, {"title": "", "text": "Fry."}],
        "tags": [{"name": "Breakfast", "slug": "breakfast"}],
        "recipe_category": [{"name": "Sweet"}],
    }
    broken = {"name": "", "recipe_ingredient": [], "recipe_instructions": []}
    write_zip(f"{d}/mealie.zip", [
        ("database.json", "{}"),
        ("recipes/mealie-pancakes/mealie-pancakes.json", json.dumps(r)),
        ("recipes/mealie-pancakes/images/original.png", png()),
        ("recipes/broken/broken.json", json.dumps(broken)),
    ])


def tandoor(d):
    """A Tandoor export: a zip of N.zip, each with recipe.json and image.EXT."""
    r = {
        "name": "Tandoor Soup", "description": "From Tandoor", "keywords": [{"name": "Winter"}],
        "working_time": 15, "waiting_time": 40, "servings": 3, "source_url": None,
        "steps": [{"name": "", "instruction": "Chop.", "ingredients": [
            {"food": {"name": "onion"}, "unit": {"name": "pc"}, "amount": 2, "note": "",
             "is_header": False, "no_amount": False}]},
            {"name": "", "instruction": "Boil.", "ingredients": []}],
    }
    no_steps = dict(r, name="Tandoor Nothing", steps=[])
    write_zip(f"{d}/tandoor.zip", [
        ("1.zip", zip_bytes([("recipe.json", json.dumps(r)), ("image.png", png())])),
        ("2.zip", zip_bytes([("recipe.json", json.dumps(no_steps))])),
    ])


def paprika(d):
    """A .paprikarecipes file: a zip of NAME.paprikarecipe, each gzipped JSON."""
    r = {"name": "Paprika Bread", "ingredients": "500 g flour\n10 g salt\n300 ml water",
         "directions": "Knead.\n\nBake.", "servings": "2 loaves", "prep_time": "20 min",
         "cook_time": "45 min", "source_url": "https://example.org/bread",
         "categories": ["Baking"], "photo_data": base64.b64encode(png()).decode(),
         "uid": "ABC", "description": "From Paprika"}
    write_zip(f"{d}/paprika.paprikarecipes", [
        ("Paprika Bread.paprikarecipe", gzip.compress(json.dumps(r).encode())),
        ("Broken.paprikarecipe", b"not gzip at all"),
    ])
    # a gzip bomb inside: 64 MiB of zeros
    write_zip(f"{d}/gzipbomb.paprikarecipes", [
        ("Bomb.paprikarecipe", gzip.compress(b"\0" * (64 << 20), 9))], zipfile.ZIP_STORED)


def hostile(d):
    write_zip(f"{d}/bomb.zip", [("recipes/x/x.json", b"\0" * (16 << 20))])
    write_zip(f"{d}/traversal.zip", [("../../etc/evil.json", "{}"),
                                     ("recipes/a/a.json", "{}")])
    write_zip(f"{d}/many.zip", [(f"recipes/r{i}/r{i}.json", "{}") for i in range(60)])
    write_zip(f"{d}/unknown.zip", [("hello.txt", "hello")])
    with open(f"{d}/notzip.zip", "wb") as f:
        f.write(b"this is not a zip archive at all, not even close")
    # a directory that says 1000 bytes of an entry that inflates to 2 MiB
    b = bytearray(zip_bytes([("recipes/y/y.json", b" " * (2 << 20))]))
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = b.find(sig)
        b[i + off:i + off + 4] = struct.pack("<I", 1000)
    with open(f"{d}/lying.zip", "wb") as f:
        f.write(bytes(b))


def main():
    d = sys.argv[1]
    with open(f"{d}/image.png", "wb") as f:
        f.write(png())
    mealie(d)
    tandoor(d)
    paprika(d)
    hostile(d)


main()
