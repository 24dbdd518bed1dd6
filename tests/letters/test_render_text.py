"""What the debtor reads, from the PDF's text: every figure as formatted in the letter's
language, the reference, the deadline, the recalled commitments, and each kind's wording.
The expected strings are written out by hand from tests/letters/builders.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from stdnum import iso11649

from domain.letters.content import LetterContent
from domain.letters.model import LetterKind
from domain.letters.references import payment_reference
from domain.ports.letters import RenderedLetter
from domain.shared.language import Language
from tests.letters import builders as b

N = "\u202f"  # the narrow no-break space French money is grouped with

TextOf = Callable[[LetterContent], str]

CROSSING_FR = ("Si votre règlement s'est croisé avec ce courrier, nous vous prions de ne pas "
               "tenir compte de la présente.")
CROSSING_EN = "If your payment has crossed with this letter, please disregard it."


def test_the_builders_reference_is_the_claims_and_valid() -> None:
    assert payment_reference("clm_01JABCDEFGHJKMNPQRSTVWXYZ0") == b.REFERENCE
    assert iso11649.is_valid(b.REFERENCE)


# The letters to the debtor (a declaration of claim goes to the mandataire and asks for no
# payment: tests/letters/test_declaration.py).
@pytest.mark.parametrize("kind", [k for k in LetterKind
                                  if k is not LetterKind.DECLARATION_OF_CLAIM])
def test_every_kind_carries_the_invoices_the_amounts_and_how_to_pay(
        text_of: TextOf, render: Callable[[LetterContent], RenderedLetter],
        kind: LetterKind) -> None:
    letter = b.content(kind, instalments=b.INSTALMENTS)
    text = text_of(letter)
    pages = render(letter).pages
    for expected in (
        # letterhead, window, place and date, references
        b.CREDITOR_NAME, "12 rue de la Paix", "75002 Paris", "SIREN 552100554",
        "SOCIÉTÉ ŒUVRE FRANÇAISE", "MADAME ÉLODIE LŒVENBRÜCK", "18 AVENUE DU GÉNÉRAL LECLERC",
        "69003 LYON", "Paris, le 3 décembre 2026", "Notre référence : DOSSIER-2026-118",
        # the invoices: number, issue and due dates, amount, paid, outstanding
        f"F-2026-0017 04/05/2026 03/06/2026 1{N}200,00{N}€ 200,00{N}€ 1{N}102,45{N}€",
        f"F-2026-0042 01/07/2026 31/07/2026 2{N}500,00{N}€ 0,00{N}€ 2{N}586,92{N}€",
        # the amounts, each period with its dates, days and rate
        f"Principal restant dû 3{N}500,00{N}€",
        f"du 04/06/2026 au 03/12/2026, 183 jours au taux annuel de 12,15{N}% sur "
        f"1{N}000,00{N}€ : 62,45{N}€",
        f"du 01/08/2026 au 03/12/2026, 125 jours au taux annuel de 12,15{N}% sur "
        f"2{N}500,00{N}€ : 46,92{N}€",
        f"109,37{N}€",
        "Indemnité forfaitaire de recouvrement", f"40,00{N}€ par facture", f"80,00{N}€",
        f"Total dû 3{N}689,37{N}€",
        # the transfer
        "IBAN : FR76 3000 6000 0112 3456 7890 189", "BIC : AGRIFRPP",
        "RF20 01JA BCDE FGHJ KMNP QRST V",
        # page numbers from the @page margin box
        f"Page 1 / {pages}", f"Page {pages} / {pages}",
    ):
        assert expected in text, expected


def test_reminder_1_is_courteous_and_gives_the_deadline(text_of: TextOf) -> None:
    text = text_of(b.content(LetterKind.REMINDER_1))
    assert "Sauf erreur ou omission de notre part" in text
    assert f"la somme de 3{N}689,37{N}€ au plus tard le 11 décembre 2026" in text
    assert CROSSING_FR in text
    assert "MISE EN DEMEURE" not in text


def test_reminder_2_names_the_next_steps(text_of: TextOf) -> None:
    text = text_of(b.content(LetterKind.REMINDER_2))
    assert "nous vous adresserons une mise en demeure de payer" in text
    assert "saisir la juridiction compétente" in text
    assert "au plus tard le 11 décembre 2026" in text
    assert CROSSING_FR in text


def test_a_formal_notice_demands_the_total_by_the_precise_date(text_of: TextOf) -> None:
    text = text_of(b.content(LetterKind.FORMAL_NOTICE))
    assert "Objet : « MISE EN DEMEURE » de payer – factures n° F-2026-0017, F-2026-0042" in text
    assert "valant « MISE EN DEMEURE » au sens de l'article 1344 du Code civil" in text
    assert (f"la somme totale de 3{N}689,37{N}€ au plus tard le 11 décembre 2026, soit 8 "
            "jours à compter de la présente") in text
    assert "nous saisirons la juridiction compétente" in text
    assert "sans autre avis" in text
    assert "Lettre recommandée avec accusé de réception" in text
    assert f"Pour {b.CREDITOR_NAME}" in text
    assert CROSSING_FR not in text


def test_a_formal_notice_recalls_the_commitments_with_their_dates(text_of: TextOf) -> None:
    text = text_of(b.content(promises=b.PROMISES, plans=b.PLANS,
                             earlier_letters=b.EARLIER))
    for expected in (
        "le 10 juillet 2026, première relance envoyée par lettre simple",
        "le 20 août 2026, deuxième relance envoyée par lettre recommandée",
        f"le 14 septembre 2026, engagement de régler 500,00{N}€ au plus tard le 30 septembre "
        "2026 (non tenu)",
        f"le 20 octobre 2026, engagement de régler 1{N}000,00{N}€ au plus tard le 5 novembre "
        "2026 (tenu)",
        f"le 1er août 2026, échéancier de 3 échéance(s) pour 3{N}000,00{N}€ (non respecté le "
        "15 septembre 2026)",
    ):
        assert expected in text, expected


def test_a_consumers_letter_has_no_indemnity_and_no_fee(text_of: TextOf) -> None:
    for kind in (LetterKind.REMINDER_2, LetterKind.FORMAL_NOTICE):
        text = text_of(b.consumer_content(kind))
        assert f"Total dû 3{N}609,37{N}€" in text
        for absent in ("Indemnité", "indemnité", "40,00", "frais", "pénalités", "L441-10"):
            assert absent not in text, (kind, absent)
    # and the notice starts statutory interest for a consumer (C. civ. 1344-1)
    assert "fait courir les intérêts moratoires" in text


def test_a_business_letter_without_indemnity_prints_no_indemnity_line(text_of: TextOf) -> None:
    amounts = replace(b.AMOUNTS, indemnity=b.D("0"), total=b.D("3609.37"))
    text = text_of(b.content(amounts=amounts))
    assert "Indemnité" not in text
    assert f"Total dû 3{N}609,37{N}€" in text


def test_a_confirmed_prescribed_invoice_is_marked(text_of: TextOf) -> None:
    text = text_of(b.content(invoices=(replace(b.INVOICE_1, prescribed_confirmed=True),
                                       b.INVOICE_2)))
    assert "F-2026-0017 (prescrite*)" in text
    assert "F-2026-0042 (prescrite" not in text
    assert "* Facture dont le délai de prescription est écoulé" in text


def test_the_plan_agreement_lists_the_schedule_for_signature(text_of: TextOf) -> None:
    text = text_of(b.content(LetterKind.PAYMENT_PLAN_AGREEMENT, instalments=b.INSTALMENTS))
    for expected in (
        f"1 5 janvier 2027 1{N}229,79{N}€", f"2 5 février 2027 1{N}229,79{N}€",
        f"3 5 mars 2027 1{N}229,79{N}€",
        f"Total dû 3{N}689,37{N}€",
        "Société Œuvre Française reconnaît devoir à Atelier Dupré & Fils SAS la somme de "
        f"3{N}689,37{N}€",
        "« Bon pour accord »", "Fait à", "Signature",
    ):
        assert expected in text, expected


def test_english_letters_use_english_wording_and_formats(text_of: TextOf) -> None:
    text = text_of(b.content(LetterKind.FORMAL_NOTICE, Language.EN))
    for expected in (
        "Paris, 3 December 2026", "Our reference: DOSSIER-2026-118",
        "F-2026-0017 04/05/2026 03/06/2026 EUR 1,200.00 EUR 200.00 EUR 1,102.45",
        "from 04/06/2026 to 03/12/2026, 183 days at the annual rate of 12.15% on EUR 1,000.00",
        "EUR 40.00 per invoice", "Total due EUR 3,689.37",
        "the total sum of EUR 3,689.37 by 11 December 2026 at the latest, that is 8 days",
        "« MISE EN DEMEURE »", "we will refer the matter to the competent court",
        "Registered letter with acknowledgement of receipt", "Page 1 / 1",
    ):
        assert expected in text, expected
    assert "Madame" not in text and "décembre" not in text
    reminder = text_of(b.content(LetterKind.REMINDER_1, Language.EN))
    assert CROSSING_EN in reminder
    assert "Unless we are mistaken" in reminder
    assert "by 11 December 2026" in reminder
    assert CROSSING_EN in text_of(b.content(LetterKind.REMINDER_2, Language.EN))
