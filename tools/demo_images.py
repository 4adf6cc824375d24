#!/usr/bin/env python3
"""demo_images.py - draws the pictures of the demonstration projects.

    python3 tools/demo_images.py assets/demo/projets.csv assets/demo/images

One 480x270 PNG per project of the spreadsheet (its Image column): a flat
pictogram of what the project is (a tree, a bicycle, a slide, a book, water,
a building, a bus, the sun, a path) in white on its territory's colour.
Made here, for borne, with nothing but Python's standard library (zlib): no
photograph, no third-party picture. The output is byte-for-byte the same on
every run.
"""
import csv
import math
import struct
import sys
import zlib

W, H = 480, 270
TERRITORY_RGB = {
    "Pays de Rennes": (0x0b, 0x50, 0x9c),
    "Pays de Redon et Vallons de Vilaine": (0x1f, 0x6f, 0x4a),
    "Pays de Saint-Malo": (0x0e, 0x6e, 0x7e),
    "Pays de Fougères": (0x8a, 0x4b, 0x14),
    "Pays de Brocéliande": (0x3b, 0x5e, 0x1d),
    "Pays de Vitré": (0x7a, 0x2e, 0x5c),
}
WHITE = (255, 255, 255)


class Canvas:
    def __init__(self, bg):
        self.px = bytearray(bytes(bg) * (W * H))
        self.bg = bg

    def set(self, x, y, c):
        if 0 <= x < W and 0 <= y < H:
            i = 3 * (y * W + x)
            self.px[i:i + 3] = bytes(c)

    def fill(self, inside, box, c):
        x0, y0, x1, y1 = (int(v) for v in box)
        for y in range(max(0, y0), min(H, y1 + 1)):
            for x in range(max(0, x0), min(W, x1 + 1)):
                if inside(x + 0.5, y + 0.5):
                    self.set(x, y, c)

    def rect(self, x0, y0, x1, y1, c=WHITE):
        self.fill(lambda x, y: True, (x0, y0, x1 - 1, y1 - 1), c)

    def disc(self, cx, cy, r, c=WHITE):
        self.fill(lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
                  (cx - r, cy - r, cx + r, cy + r), c)

    def ring(self, cx, cy, r, t, c=WHITE):
        self.fill(lambda x, y: (r - t) ** 2 <= (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
                  (cx - r, cy - r, cx + r, cy + r), c)

    def line(self, ax, ay, bx, by, t, c=WHITE):
        dx, dy = bx - ax, by - ay
        n = dx * dx + dy * dy

        def inside(x, y):
            u = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / n))
            return (x - ax - u * dx) ** 2 + (y - ay - u * dy) ** 2 <= t * t / 4

        self.fill(inside, (min(ax, bx) - t, min(ay, by) - t, max(ax, bx) + t, max(ay, by) + t), c)

    def tri(self, a, b, c_, c=WHITE):
        def side(p, q, x, y):
            return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

        def inside(x, y):
            s = (side(a, b, x, y), side(b, c_, x, y), side(c_, a, x, y))
            return all(v >= 0 for v in s) or all(v <= 0 for v in s)

        xs, ys = (a[0], b[0], c_[0]), (a[1], b[1], c_[1])
        self.fill(inside, (min(xs), min(ys), max(xs), max(ys)), c)

    def png(self):
        raw = b"".join(b"\0" + bytes(self.px[3 * W * y:3 * W * (y + 1)]) for y in range(H))

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data +
                    struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ground(cv):
    dark = tuple(max(0, v - 40) for v in cv.bg)
    cv.rect(0, 215, W, H, dark)


def tree(cv):
    ground(cv)
    cv.rect(230, 140, 250, 216)
    cv.disc(240, 110, 58)
    cv.disc(190, 140, 34)
    cv.disc(290, 140, 34)


def bicycle(cv):
    ground(cv)
    for cx in (170, 310):
        cv.ring(cx, 165, 46, 8)
    cv.line(170, 165, 225, 110, 8)
    cv.line(225, 110, 290, 110, 8)
    cv.line(290, 110, 310, 165, 8)
    cv.line(170, 165, 250, 165, 8)
    cv.line(250, 165, 290, 110, 8)
    cv.line(225, 110, 250, 165, 8)
    cv.line(215, 96, 240, 96, 8)
    cv.line(290, 110, 282, 88, 8)
    cv.line(270, 86, 296, 86, 8)


def slide(cv):
    ground(cv)
    cv.line(170, 215, 200, 70, 10)
    cv.line(230, 215, 200, 70, 10)
    for y in (110, 150, 190):
        cv.line(182, y, 220, y, 6)
    cv.line(200, 70, 330, 205, 14)
    cv.disc(330, 60, 18)


def book(cv):
    cv.tri((240, 90), (140, 70), (140, 200))
    cv.tri((240, 90), (140, 200), (240, 220))
    cv.tri((240, 90), (340, 70), (340, 200))
    cv.tri((240, 90), (340, 200), (240, 220))
    for k in range(4):
        cv.line(160, 100 + 24 * k, 222, 112 + 24 * k, 5, cv.bg)
        cv.line(258, 112 + 24 * k, 320, 100 + 24 * k, 5, cv.bg)


def waves(cv):
    cv.disc(340, 70, 30)
    for row in range(3):
        y0 = 150 + 34 * row
        pts = [(x, y0 + 12 * math.sin(x / 22.0)) for x in range(60, 421, 6)]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            cv.line(ax, ay, bx, by, 9)


def building(cv):
    ground(cv)
    cv.tri((150, 110), (240, 50), (330, 110))
    cv.rect(165, 110, 315, 216)
    cv.rect(220, 150, 260, 216, cv.bg)
    for x in (180, 280):
        cv.rect(x, 130, x + 24, 154, cv.bg)


def bus(cv):
    ground(cv)
    cv.rect(120, 90, 360, 190)
    cv.disc(120 + 18, 108, 18)
    for x in (140, 195, 250, 305):
        cv.rect(x, 105, x + 40, 140, cv.bg)
    for cx in (170, 310):
        cv.disc(cx, 195, 24, cv.bg)
        cv.disc(cx, 195, 16)


def sun(cv):
    ground(cv)
    cv.disc(240, 115, 42)
    for k in range(12):
        a = k * math.pi / 6
        cv.line(240 + 58 * math.cos(a), 115 + 58 * math.sin(a),
                240 + 82 * math.cos(a), 115 + 82 * math.sin(a), 9)
    cv.rect(170, 200, 310, 212)


def path(cv):
    cv.tri((60, 215), (170, 80), (280, 215))
    cv.tri((200, 215), (300, 110), (420, 215))
    cv.rect(0, 215, W, H, tuple(max(0, v - 40) for v in cv.bg))
    cv.tri((200, 270), (280, 270), (246, 215), WHITE)


# what a project is, from words of its identifier
KINDS = [
    (("jardin", "verger", "arbres", "haies", "mare", "cour"), tree),
    (("velo", "voie-verte"), bicycle),
    (("aire-jeux", "skatepark", "pumptrack", "escalade"), slide),
    (("livres", "bibliobus", "ludotheque", "musique", "cinema"), book),
    (("dune", "plage", "berges", "ponton", "etang", "fontaines"), waves),
    (("cantine", "epicerie", "halle", "reparation", "outilotheque", "tiers-lieu"), building),
    (("navette",), bus),
    (("solaire",), sun),
    (("sentier", "refuge", "passerelle"), path),
]


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    for r in rows:
        pid = r["Identifiant"]
        draw = next((d for words, d in KINDS if any(w in pid for w in words)), None)
        if draw is None:
            sys.exit("%s: no picture for project %s (add a word to KINDS)" % (src, pid))
        cv = Canvas(TERRITORY_RGB[r["Territoire"]])
        draw(cv)
        with open("%s/%s" % (out, r["Image"]), "wb") as f:
            f.write(cv.png())
    print("%d pictures in %s" % (len(rows), out))


if __name__ == "__main__":
    main()
