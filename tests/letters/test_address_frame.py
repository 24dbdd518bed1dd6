"""The address block lies inside the envelope's window frame, wherever the print provider
puts it, and nothing else is printed there (La Poste: no bold or italic in it)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from decimal import Decimal

import pypdfium2
import pypdfium2.raw as pdfium
import pytest

from domain.letters.content import LetterContent
from domain.letters.model import AddressFrame, LetterKind
from domain.ports.letters import RenderedLetter
from domain.shared.language import Language
from tests.letters import builders as b

Render = Callable[[LetterContent], RenderedLetter]
PT_PER_MM = 72 / 25.4
A4_HEIGHT_PT = 297 * PT_PER_MM
# Glyph boxes are the font's ink; allow a rounding hair at the edges.
EPSILON = 0.01


def frame_in_points(frame: AddressFrame) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in PDF points, the origin at the bottom-left corner."""
    left = float(frame.left) * PT_PER_MM
    top = A4_HEIGHT_PT - float(frame.top) * PT_PER_MM
    right = left + float(frame.width) * PT_PER_MM
    bottom = top - float(frame.height) * PT_PER_MM
    return left, bottom, right, top


def font_name(textpage: pypdfium2.PdfTextPage, index: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
    return buffer.value.decode()


def check_frame(pdf: bytes, frame: AddressFrame, lines: tuple[str, ...]) -> None:
    page = pypdfium2.PdfDocument(pdf)[0]
    assert page.get_size() == pytest.approx((210 * PT_PER_MM, A4_HEIGHT_PT), abs=0.1)
    textpage = page.get_textpage()
    left, bottom, right, top = frame_in_points(frame)
    address_chars: set[int] = set()
    for line in lines:
        found = textpage.search(line, match_case=True).get_next()
        assert found is not None, line
        start, count = found
        for i in range(start, start + count):
            if textpage.get_text_range(i, 1).isspace():
                continue
            x0, y0, x1, y1 = textpage.get_charbox(i)
            assert left - EPSILON <= x0 and x1 <= right + EPSILON, (line, i, x0, x1)
            assert bottom - EPSILON <= y0 and y1 <= top + EPSILON, (line, i, y0, y1)
            name = font_name(textpage, i)
            assert not any(s in name for s in ("Bold", "Italic", "Oblique")), name
            address_chars.add(i)
    intruders = []
    for i in range(textpage.count_chars()):
        if i in address_chars or textpage.get_text_range(i, 1).isspace():
            continue
        x0, y0, x1, y1 = textpage.get_charbox(i)
        if x1 > left and x0 < right and y1 > bottom and y0 < top:
            intruders.append(textpage.get_text_range(i, 1))
    assert not intruders, "".join(intruders)


@pytest.mark.parametrize("kind", list(LetterKind))
def test_the_default_frame_holds_the_address(render: Render, kind: LetterKind) -> None:
    letter = b.content(kind, instalments=b.INSTALMENTS)
    # The recipient's: the debtor's, or the mandataire's for a declaration of claim.
    check_frame(render(letter).pdf, AddressFrame(), letter.recipient.address_lines)


def test_a_window_on_the_left_moves_the_address_and_the_references(render: Render) -> None:
    frame = AddressFrame(top=Decimal(45), left=Decimal(20), width=Decimal(90),
                         height=Decimal(40))
    check_frame(render(b.content(frame=frame)).pdf, frame, b.DEBTOR.address_lines)


def test_a_lower_narrower_frame_too(render: Render) -> None:
    frame = AddressFrame(top=Decimal("62.5"), left=Decimal(120), width=Decimal(75),
                         height=Decimal(30))
    check_frame(render(b.content(frame=frame)).pdf, frame, b.DEBTOR.address_lines)


def test_the_check_fails_when_the_address_is_outside_the_frame(render: Render) -> None:
    """The check itself: the default letter against a frame 30 mm lower."""
    elsewhere = AddressFrame(top=Decimal(85))
    with pytest.raises(AssertionError):
        check_frame(render(b.content()).pdf, elsewhere, b.DEBTOR.address_lines)


@pytest.mark.parametrize("letter", [
    *(b.content(kind, language, instalments=b.INSTALMENTS, promises=b.PROMISES)
      for kind in LetterKind for language in Language),
    b.many_invoices(40),
], ids=lambda c: f"{c.kind.value}-{c.language.value}-{len(c.invoices)}")
def test_no_text_runs_past_the_side_margins(render: Render, letter: LetterContent) -> None:
    """20 mm on the left, 18 mm on the right (assets/letter.css): a table too wide for the
    page would print into the margin, or off the sheet."""
    document = pypdfium2.PdfDocument(render(letter).pdf)
    left, right = 20 * PT_PER_MM, (210 - 18) * PT_PER_MM
    for page in document:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            if textpage.get_text_range(i, 1).isspace():
                continue
            x0, _, x1, _ = textpage.get_charbox(i)
            assert left - 0.5 <= x0 and x1 <= right + 0.5, (textpage.get_text_range(i, 1),
                                                            x0, x1)
