"""The dossier's cover note as a PDF, written by hand: a few pages of text in the PDF's
standard Helvetica, so the HTTP function that builds the dossier never loads WeasyPrint
(the letter worker's, about a second of cold start). The same text gives the same bytes
(no date, no random id in the file): an unchanged dossier is still one stored object.

It reads the cover note's Markdown as domain.judicial.dossier.cover_note writes it: `#` and
`##` headings, `- ` items, numbered lines, paragraphs. The standard fonts carry no glyph
outside Windows-1252 (WinAnsiEncoding): French text fits; anything else prints as `?`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_PAGE_W, _PAGE_H = 595.28, 841.89  # A4, in points
_MARGIN = 56.69  # 2 cm
_WIDTH = _PAGE_W - 2 * _MARGIN
_FOOTER_Y = 28.35

# Advance widths in 1/1000 em of ASCII 32-126, from Adobe's Helvetica and Helvetica-Bold
# AFM files (the 14 standard fonts every PDF reader has). An accented letter has its base
# letter's width in both.
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584)
_OTHER = {"—": 1000, "–": 556, "’": 222, "‘": 222, "“": 333, "”": 333, "€": 556,
          "«": 556, "»": 556, "°": 400, "…": 1000, "•": 350, "×": 584, "\u00a0": 278,
          "œ": 944, "Œ": 1000, "æ": 889, "Æ": 1000, "ß": 611}
# French typography's narrow no-break space has no WinAnsi code: the no-break space.
_SPACES = str.maketrans({"\u202f": "\u00a0", "\u2009": " "})


def _char_width(char: str, bold: bool) -> int:
    if char in _OTHER:
        return _OTHER[char]
    base = unicodedata.normalize("NFD", char)[0]
    table = _BOLD if bold else _REGULAR
    return table[ord(base) - 32] if 32 <= ord(base) <= 126 else 1000  # never too narrow


def _width(text: str, size: float, bold: bool) -> float:
    return sum(_char_width(c, bold) for c in text) * size / 1000


@dataclass(frozen=True, slots=True)
class _Style:
    size: float
    bold: bool
    before: float  # space above the block, in points
    indent: float = 0.0  # of the lines after the first (a list item's hanging indent)


_BODY = _Style(10, False, 0)
_H1 = _Style(16, True, 0)
_H2 = _Style(12, True, 10)
_ITEM = _Style(10, False, 0, 12)


def _blocks(markdown: str) -> Iterator[tuple[_Style, str]]:
    # Composed accents (é, not e + ◌́): the WinAnsi fonts have the letters, not the marks.
    for line in unicodedata.normalize("NFC", markdown).translate(_SPACES).splitlines():
        if line.startswith("## "):
            yield _H2, line[3:]
        elif line.startswith("# "):
            yield _H1, line[2:]
        elif line.startswith("- "):
            yield _ITEM, "•  " + line[2:]
        elif not line.strip():
            yield _BODY, ""
        else:
            yield _BODY, line


def _wrap(text: str, style: _Style) -> list[str]:
    """Lines that fit the text width, broken at spaces (a word longer than a line, such as
    a path, is cut where it overflows)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        room = _WIDTH - (style.indent if lines else 0)
        if _width(candidate, style.size, style.bold) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _width(current, style.size, style.bold) > _WIDTH - style.indent:
            # One pass: as many characters as fit, at least one.
            room_units = (_WIDTH - style.indent) * 1000 / style.size
            cut, used = 0, 0
            for char in current:
                used += _char_width(char, style.bold)
                if used > room_units and cut:
                    break
                cut += 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") \
        + b")"


def _pages(markdown: str) -> list[list[tuple[_Style, float, float, str]]]:
    """Each page's lines: style, x, y (the baseline), text."""
    pages: list[list[tuple[_Style, float, float, str]]] = [[]]
    y = _PAGE_H - _MARGIN
    for style, text in _blocks(markdown):
        leading = style.size * 1.4
        if not text:
            y -= leading / 2
            continue
        y -= style.before
        for i, line in enumerate(_wrap(text, style)):
            if y - leading < _MARGIN:
                pages.append([])
                y = _PAGE_H - _MARGIN
            y -= leading
            pages[-1].append((style, _MARGIN + (style.indent if i else 0), y, line))
    return pages


def render(markdown: str, footer: str) -> bytes:
    """The PDF of `markdown`, each page's foot saying `footer` and its number."""
    pages = _pages(markdown)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Producer (Relance) >>",
    ]
    kids: list[int] = []
    for number, lines in enumerate(pages, start=1):
        ops = []
        for style, x, y, text in lines:
            font = b"/F2" if style.bold else b"/F1"
            ops.append(b"BT %s %g Tf %.2f %.2f Td %s Tj ET" % (
                font, style.size, x, y, _literal(text)))
        foot = f"{footer} — page {number}/{len(pages)}"
        ops.append(b"BT /F1 8 Tf %.2f %.2f Td %s Tj ET" % (
            _PAGE_W - _MARGIN - _width(foot, 8, False), _FOOTER_Y, _literal(foot)))
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
                       % (_PAGE_W, _PAGE_H, content))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
