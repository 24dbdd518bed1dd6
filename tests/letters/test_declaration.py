"""The declaration of claim as the PDF reads: addressed to the mandataire (in the window,
not the debtor), with what C. com. L622-25 and R622-23 require (reference/judicial.md §6):
the amount at the opening, the sums to fall due, the sûreté, the interest stopped, the
sincerity certification and the bordereau; and no payment asked of anyone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from domain.letters.content import LetterContent
from domain.letters.model import LetterKind
from tests.letters.builders import CREDITOR, DEBTOR, IBAN, REFERENCE_PRINTED, content


def declaration(**changes: object) -> LetterContent:
    return content(LetterKind.DECLARATION_OF_CLAIM, **changes)


def test_the_declaration_says_what_the_law_requires(text_of: Callable[[LetterContent], str]
                                                    ) -> None:
    text = text_of(declaration())
    for required in [
        "Déclaration de créance",
        "Lettre recommandée avec accusé de réception",
        "procédure de liquidation judiciaire",
        "Tribunal de commerce de Lyon",
        "qualité de liquidateur",
        "Créance échue au jour du jugement d'ouverture",
        "Créance à échoir",
        "chirographaire",
        "article L641-3",  # interest stopped, in a liquidation
        "Je certifie sincère et véritable la présente déclaration de créance",
        "Bordereau des pièces justificatives",
        "Pièce n° 2 : Mise en demeure",
        "article R622-24",
    ]:
        assert required in text, required
    # No transfer asked: paying a pre-opening debt is barred (L622-7).
    assert REFERENCE_PRINTED not in text and IBAN[:4] + " " + IBAN[4:8] not in text


def test_it_goes_to_the_mandataire_not_the_debtor(renderer: object) -> None:
    html = renderer.html(declaration())  # type: ignore[attr-defined]
    window = html.split('class="address"', 1)[1].split("</div>", 1)[0]
    assert "SELARL Exemple Mandataires" in window and "69002 LYON" in window
    assert DEBTOR.address_lines[-1] not in window
    assert CREDITOR.name.replace("&", "&amp;") in html


def test_a_sauvegarde_cites_l622_28_and_a_seized_court(text_of: Callable[[LetterContent], str]
                                                       ) -> None:
    base = declaration()
    assert base.declaration is not None
    text = text_of(replace(base, declaration=replace(
        base.declaration, proceedings_kind="sauvegarde", court_seized=True)))
    assert "article L622-28" in text and "qualité de mandataire judiciaire" in text
    assert "Une instance relative à cette créance est déjà pendante" in text
