"""The EPC QR code, read back from the printed page as a banking app would: rasterised,
decoded, and compared line by line with the EPC069-12 payload written out by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pypdfium2
import zxingcpp

from domain.letters.content import LetterContent
from domain.letters.model import LetterKind
from domain.ports.letters import RenderedLetter
from tests.letters import builders as b

Render = Callable[[LetterContent], RenderedLetter]


def codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=4).to_pil()
        found += [code.text for code in zxingcpp.read_barcodes(image)
                  if code.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def test_the_code_on_a_formal_notice_pays_the_total_with_the_reference(render: Render) -> None:
    [payload] = codes(render(b.content(LetterKind.FORMAL_NOTICE)).pdf)
    lines = payload.split("\n")
    assert lines[:10] == [
        "BCD",
        "002",
        "2",  # ISO 8859-1: the name's "é" fits it
        "SCT",
        "AGRIFRPP",
        "Atelier Dupré & Fils SAS",
        "FR7630006000011234567890189",
        "EUR3689.37",
        "",  # purpose
        "RF2001JABCDEFGHJKMNPQRSTV",
    ]
    assert lines[10:] in ([], [""])  # no unstructured text beside the reference


def test_a_reminder_carries_the_code_too_and_a_transfer_without_bic_leaves_it_empty(
        render: Render) -> None:
    letter = b.content(LetterKind.REMINDER_1, transfer=replace(b.TRANSFER, bic=None))
    [payload] = codes(render(letter).pdf)
    assert payload.split("\n")[3:8] == ["SCT", "", "Atelier Dupré & Fils SAS",
                                        "FR7630006000011234567890189", "EUR3689.37"]


def test_no_code_when_the_transfer_cannot_be_a_sepa_one(render: Render) -> None:
    letter = b.content(transfer=replace(b.TRANSFER, currency="USD"),
                       amounts=replace(b.AMOUNTS, currency="USD"))
    assert codes(render(letter).pdf) == []


def test_no_code_on_a_plan_agreement_whose_debtor_pays_instalments(render: Render) -> None:
    letter = b.content(LetterKind.PAYMENT_PLAN_AGREEMENT, instalments=b.INSTALMENTS)
    assert codes(render(letter).pdf) == []
