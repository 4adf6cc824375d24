#!/usr/bin/env python3
"""gen_fold.py - generates firmware/crypto/pseud_fold.h, the folding table of pseud.c.

Usage: python3 tools/gen_fold.py > firmware/crypto/pseud_fold.h

For each code point of the covered ranges the table gives what it becomes in
a normalised name (UTF-8, possibly empty = dropped, " " = a separator):

  * Latin letters (U+00C0..U+024F, U+1E00..U+1EFF): their base letter(s) in
    lowercase ASCII, from the compatibility decomposition (NFKD) with the
    combining marks dropped, e.g. "é" -> "e", "ǆ" -> "dz", "ĳ" -> "ij";
    letters that do not decompose but are named "LETTER X WITH ..." (stroke,
    hook, bar: ø, đ, ł, ƀ ...) become "x"; the ligatures and specials of
    SPECIAL below are given by hand. Letters with no base (ə, ŋ, ʒ ...) stay,
    lowercased.
  * Greek and Cyrillic (U+0370..U+03FF, U+0400..U+04FF, and Greek Extended
    U+1F00..U+1FFF for polytonic spellings): lowercased and
    stripped of their combining marks, kept in their script ("Ά" -> "α",
    "Й" -> "и", "ς" -> "σ"), so that a decomposed and a precomposed spelling
    give the same bytes.
  * Punctuation, symbols and spaces of U+00A0..U+00BF, U+02B9..U+02BD,
    U+2000..U+206F, U+2212, U+3000: " " (a separator); format characters
    (zero-width, bidi marks, soft hyphen): "" (dropped). U+00B7 (middle dot,
    Catalan "l·l") is dropped so that "l·l" equals "ŀl".

ASCII, the combining marks (dropped) and code points outside the table (kept
as they are) are handled in pseud.c itself. The output is deterministic for a
given Unicode version (recorded in the header)."""

import re
import sys
import unicodedata

SPECIAL = {
    0x00C6: "ae", 0x00E6: "ae",        # Æ æ
    0x0152: "oe", 0x0153: "oe",        # Œ œ
    0x00DF: "ss", 0x1E9E: "ss",        # ß ẞ
    0x00D8: "o", 0x00F8: "o",          # Ø ø
    0x0110: "d", 0x0111: "d",          # Đ đ
    0x0141: "l", 0x0142: "l",          # Ł ł
    0x00DE: "th", 0x00FE: "th",        # Þ þ
    0x00D0: "d", 0x00F0: "d",          # Ð ð
    0x0131: "i",                       # ı (Turkish dotless i)
    0x0132: "ij", 0x0133: "ij",        # Ĳ ĳ
    0x0138: "k",                       # ĸ (kra, Greenlandic, now written q/k)
    0x01A2: "oi", 0x01A3: "oi",        # Ƣ ƣ (OI)
    0x0238: "db", 0x0239: "qp",        # ȸ ȹ digraphs
    0x1EFA: "ll", 0x1EFB: "ll",        # Ỻ ỻ (Middle-Welsh LL)
    0x1EFC: "v", 0x1EFD: "v",          # Ỽ ỽ (Middle-Welsh V)
    0x1E9C: "s", 0x1E9D: "s",          # ẜ ẝ (long s with stroke / high stroke)
    0x1E9A: "a",                       # ẚ (its NFKD keeps a modifier half ring)
    0x0244: "u",                       # Ʉ (U bar, no "WITH" in its name)
    0x03C2: "\u03c3",                  # ς -> σ: final sigma is the same letter
    0x00B7: "",                        # middle dot (Catalan l·l)
    0x00AD: "",                        # soft hyphen
    0x0387: "",                        # Greek ano teleia: canonically U+00B7
}

# Apostrophe-like modifier letters: separators like U+0027.
APOSTROPHES = [0x02B9, 0x02BA, 0x02BB, 0x02BC, 0x02BD]

LATIN = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]
GREEK_CYRILLIC = [(0x0370, 0x03FF), (0x0400, 0x04FF), (0x1F00, 0x1FFF)]
PUNCT = [(0x00A0, 0x00BF), (0x02B9, 0x02BD), (0x2000, 0x206F), (0x2212, 0x2212), (0x3000, 0x3000),
         (0xFEFF, 0xFEFF)]

NAMED_BASE = re.compile(r"^LATIN (?:CAPITAL|SMALL) LETTER ([A-Z]) WITH ")
NAMED_DOTLESS = re.compile(r"^LATIN SMALL LETTER DOTLESS ([A-Z])$")


def is_mark(c):
    return unicodedata.category(c).startswith("M")


def is_separator(c):
    cat = unicodedata.category(c)
    return cat[0] in "PSZ" or ord(c) in APOSTROPHES or (ord(c) < 0x20) or ord(c) == 0x7F


def fold_char(cp):
    """What one code point becomes, or None to keep it unchanged."""
    if cp in SPECIAL:
        return SPECIAL[cp]
    c = chr(cp)
    if cp < 0x80:
        if c.isalnum():
            return c.lower()
        return " "
    cat = unicodedata.category(c)
    if cat.startswith("M"):
        return ""
    if cat == "Cf":
        return ""
    if cp in APOSTROPHES:
        return " "
    if cat[0] in "PSZ":
        return " "
    if cat[0] != "L" and cat[0] != "N":
        return None
    # letters and numbers: decompose, fold each part, drop the marks
    d = unicodedata.normalize("NFKD", c)
    if d != c:
        out = "".join(fold_char(ord(x)) if fold_char(ord(x)) is not None else x.lower()
                      for x in d)
        return out
    name = unicodedata.name(c, "")
    m = NAMED_BASE.match(name) or NAMED_DOTLESS.match(name)
    if m and name.startswith("LATIN"):
        return m.group(1).lower()
    f = c.lower()  # simple lowercase: full case folding would turn "ᾳ" into "αι"
    if f != c:
        # the lowercase form may itself decompose: fold it again
        return "".join(fold_char(ord(x)) if fold_char(ord(x)) is not None else x for x in f)
    return None


def in_ranges(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


COMBINING = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
             (0xFE20, 0xFE2F)]  # dropped by pseud.c itself


def simulate(text, table):
    """What pseud.c does to text, before collapsing spaces."""
    out = []
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            out.append(ch.lower() if ch.isalnum() else " ")
        elif cp < 0xA0:
            out.append(" ")
        elif in_ranges(cp, COMBINING):
            pass
        elif cp in table:
            out.append(table[cp])
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def self_check(entries):
    """Precomposed and decomposed spellings fold alike; folding is idempotent."""
    table = dict(entries)
    for cp, f in entries:
        c = chr(cp)
        want = " ".join(f.split())
        for form in ("NFD", "NFC"):
            got = simulate(unicodedata.normalize(form, c), table)
            if got != want and unicodedata.normalize("NFD", c) != unicodedata.normalize("NFKD", c):
                continue  # compatibility decompositions (ǆ, ¼) fold by NFKD only
            assert got == want, "U+%04X %s: %r != %r" % (cp, form, got, want)
        assert simulate(want, table) == want, "U+%04X not idempotent" % cp


def main():
    entries = []
    kept = []
    for lo, hi in LATIN + GREEK_CYRILLIC + PUNCT:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            if unicodedata.category(c) == "Cn":
                continue  # unassigned: kept as is
            f = fold_char(cp)
            if f is None:
                kept.append(cp)
                continue
            if f == c:
                continue
            if in_ranges(cp, LATIN) and f.strip() and not f.isascii():
                kept.append(cp)
            entries.append((cp, f))
    entries.sort()
    self_check(entries)
    w = sys.stdout.write
    w("/* pseud_fold.h - GENERATED by tools/gen_fold.py from Unicode %s: do not edit.\n"
      % unicodedata.unidata_version)
    w(" *\n * What a code point becomes in a normalised name (pseud.c): UTF-8 text,\n"
      " * \"\" to drop it, \" \" for a separator. Sorted by code point (binary search).\n"
      " * Code points not listed are kept as they are (except ASCII and the\n"
      " * combining marks, handled in pseud.c). */\n")
    w("#ifndef PSEUD_FOLD_H\n#define PSEUD_FOLD_H\n\n#include <stdint.h>\n\n")
    maxlen = max(len(f.encode()) for _, f in entries)
    w("#define PSEUD_FOLD_MAX %d /* longest replacement, in bytes */\n\n" % maxlen)
    w("typedef struct pseud_fold_s {\n    uint16_t cp;\n    char to[PSEUD_FOLD_MAX + 1];\n} pseud_fold_t;\n\n")
    w("static const pseud_fold_t pseud_fold[] = {\n")
    for cp, f in entries:
        assert cp <= 0xFFFF
        lit = "".join(ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\' else
                      "".join("\\%03o" % b for b in ch.encode()) for ch in f)
        w('    {0x%04X, "%s"}, /* %s */\n' % (cp, lit, unicodedata.name(chr(cp), "?")))
    w("};\n\n")
    w("/* Letters of the Latin ranges that have no base letter and are kept\n"
      " * (lowercased where they have a lowercase form):\n")
    line = " *"
    for cp in kept:
        if not in_ranges(cp, LATIN):
            continue
        item = " U+%04X" % cp
        if len(line) + len(item) > 78:
            w(line + "\n")
            line = " *"
        line += item
    w(line + " */\n\n#endif\n")


if __name__ == "__main__":
    main()
