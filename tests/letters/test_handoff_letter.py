"""A letter a mandate's recipient sends carries the R124-4 mentions in one block, with
L111-8 paragraphs 2 and 3 word for word (reference/french-law.md §4, quoted here from the
reference, not from the code); everything else in the letter keeps the wording lint."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date

import pytest

from adapters.letters.renderer import WeasyPrintRenderer
from domain.letters.content import MandateMentions
from domain.shared.language import Language
from tests.letters.builders import content
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
