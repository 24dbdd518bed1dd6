"""A letter a mandate's recipient sends carries the R124-4 mentions in one block, with
L111-8 paragraphs 2 and 3 word for word (reference/french-law.md §4, quoted here from the
reference, not from the code); everything else in the letter keeps the wording lint."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pypdf
import pytest

from adapters.letters.renderer import WeasyPrintRenderer
from domain.letters.content import LetterContent, MandateMentions
from domain.letters.model import AddressFrame, LetterKind
from domain.ports.letters import RenderedLetter
from domain.shared.language import Language
from tests.letters.builders import CREDITOR_NAME, content
from tests.letters.conftest import pdf_text
from tests.letters.test_wording_lint import findings

PARAGRAPH_2 = ("Les frais de recouvrement entrepris sans titre exécutoire restent à la charge "
               "du créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit "
               "par la loi au créancier. Toute stipulation contraire est réputée non écrite, "
               "sauf disposition législative contraire.")
PARAGRAPH_3 = ("Cependant, le créancier qui justifie du caractère nécessaire des démarches "
               "entreprises pour recouvrer sa créance peut demander au juge de l'exécution de "
               "laisser tout ou partie des frais ainsi exposés à la charge du débiteur de "
               "mauvaise foi.")


def mentions(**changes: object) -> MandateMentions:
    from domain.claims.judicial import TransferTarget
    from domain.creditors.model import Address
    from domain.judicial.handoff import (
        Commission,
        Mandate,
        MandatedClaim,
        MandateStatus,
        Recipient,
        letter_mentions,
    )
    from tests.unit.test_handoff import NOW

    mandate = Mandate(
        id="mdt_1", creditor_id="cred_a",
        recipient=Recipient(TransferTarget.AGENCY, "Recouvrement Rhône SAS",
                            Address(("4 quai Perrache",), "69002", "Lyon", "FR"), "732829320"),
        reference="MDT-2026-007", document="doc_1", insurance="RCP", signed_on=date(2026, 3, 9),
        key_id="key_1", claims=(MandatedClaim("clm_1", MandateStatus.ACTIVE, NOW, **changes),),
        commission=Commission("EUR", None, None), created_at=NOW, updated_at=NOW)
    return letter_mentions(mandate, "clm_1")


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def block(page: str) -> str:
    found = re.search(r'<div class="mandate">(.*?)</div>', page, flags=re.S)
    assert found is not None
    return text(found.group(1))


@pytest.mark.parametrize("language", [Language.FR, Language.EN])
def test_the_block_carries_every_mention_and_l111_8_verbatim(language: Language) -> None:
    page = WeasyPrintRenderer().html(content(language=language, mandate=mentions()))
    said = block(page)
    assert PARAGRAPH_2 in said and PARAGRAPH_3 in said
    assert "Recouvrement Rhône SAS" in said and "4 quai Perrache, 69002 Lyon" in said
    assert "recouvrement amiable" in said and "MDT-2026-007" in said and "732829320" in said
    assert "L111-8" in said


def test_a_later_letter_recalls_the_first_ones_reference_and_date() -> None:
    later = mentions(first_letter_id="ltr_FIRST", first_letter_on=date(2026, 3, 10))
    said = block(WeasyPrintRenderer().html(content(mandate=later)))
    assert "ltr_FIRST" in said and "10 mars 2026" in said


def test_outside_the_quoted_law_the_letter_keeps_the_lint() -> None:
    page = WeasyPrintRenderer().html(content(mandate=mentions()))
    outside = text(page).replace(PARAGRAPH_2, "").replace(PARAGRAPH_3, "")
    assert findings(outside) == []
    # and without a mandate there is no block at all
    assert 'class="mandate"' not in WeasyPrintRenderer().html(content())
    assert PARAGRAPH_2 not in text(WeasyPrintRenderer().html(
        replace(content(), mandate=None)))


# ------------------------------------------------------------ who signs, on the PDF

def _letterhead(pdf: bytes) -> str:
    """The lines printed on page 1 above the address window, left of it: the letterhead
    (a PDF's text order puts absolutely placed blocks anywhere, their position does not)."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    window_top = float(page.mediabox.height) - float(AddressFrame().top) * 72 / 25.4
    lines: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and y > window_top and x < float(AddressFrame().left) * 72 / 25.4:
            lines.append(text.strip())
    page.extract_text(visitor_text=visit)
    return " | ".join(lines).replace("\u00a0", " ")


@pytest.mark.parametrize("kind", [LetterKind.REMINDER_1, LetterKind.REMINDER_2,
                                  LetterKind.FORMAL_NOTICE])
def test_the_recipient_writes_and_signs_for_the_creditor(
        kind: LetterKind, render: Callable[[LetterContent], RenderedLetter]) -> None:
    pdf = render(content(kind, mandate=mentions(), signatory="Claire Fontaine, gérante")).pdf
    said = pdf_text(pdf)
    # R124-4 1°: the collector heads the letter (name, address, SIREN), for the creditor,
    # whose identity the letter keeps (2°: its address is in the mandate block).
    assert _letterhead(pdf) == ("Recouvrement Rhône SAS | 4 quai Perrache | 69002 Lyon | "
                                f"SIREN 732829320 | pour le compte de {CREDITOR_NAME}")
    assert (f"pour le compte et au nom de {CREDITOR_NAME}, 12 rue de la Paix, 75002 Paris"
            in said)
    assert f"Recouvrement Rhône SAS, pour le compte de {CREDITOR_NAME}" in said
    # The creditor's own signatory does not sign what the recipient sends.
    assert "Claire Fontaine" not in said and f"Pour {CREDITOR_NAME}" not in said


def test_an_english_letter_is_signed_on_behalf_of_the_creditor(
        render: Callable[[LetterContent], RenderedLetter]) -> None:
    pdf = render(content(language=Language.EN, mandate=mentions())).pdf
    assert f"Recouvrement Rhône SAS, on behalf of {CREDITOR_NAME}" in pdf_text(pdf)
    assert _letterhead(pdf).endswith(f"| on behalf of {CREDITOR_NAME}")


def test_a_creditors_own_letter_is_still_headed_and_signed_by_it(
        render: Callable[[LetterContent], RenderedLetter]) -> None:
    pdf = render(content(signatory="Claire Fontaine, gérante")).pdf
    said = pdf_text(pdf)
    assert _letterhead(pdf) == (f"{CREDITOR_NAME} | 12 rue de la Paix | 75002 Paris | "
                                "SIREN 552100554")
    assert f"Pour {CREDITOR_NAME} Claire Fontaine, gérante" in said
    assert "Recouvrement" not in said and "pour le compte de" not in said


def test_the_terms_of_sale_are_the_creditors_in_a_recipients_reminder(
        text_of: Callable[[LetterContent], str]) -> None:
    said = text_of(content(LetterKind.REMINDER_2, mandate=mentions()))
    assert f"les conditions générales de vente de {CREDITOR_NAME}" in said
    assert "nos conditions générales" not in said
