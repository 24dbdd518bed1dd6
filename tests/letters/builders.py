"""LetterContent built by hand: every figure below is written out, not computed, so the
tests can look for it in the PDF as the debtor would read it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from domain.letters.content import (
    AddressFrame,
    Amounts,
    EarlierLetter,
    InterestPeriod,
    InvoiceLine,
    LetterContent,
    Party,
    RecalledPlan,
    RecalledPromise,
    ScheduledInstalment,
)
from domain.letters.epc import CreditTransfer
from domain.letters.model import DispatchMode, LetterKind
from domain.shared.language import Language

D = Decimal

IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"
# payment_reference("clm_01JABCDEFGHJKMNPQRSTVWXYZ0"), checked by hand with ISO 7064 in
# tests/letters/test_render_text.py against python-stdnum.
REFERENCE = "RF2001JABCDEFGHJKMNPQRSTV"
REFERENCE_PRINTED = "RF20 01JA BCDE FGHJ KMNP QRST V"
CREDITOR_NAME = "Atelier Dupré & Fils SAS"
ISSUED = date(2026, 12, 3)
DEADLINE = date(2026, 12, 11)

CREDITOR = Party(CREDITOR_NAME, ("12 rue de la Paix", "75002 Paris"), "552100554")
DEBTOR = Party("Société Œuvre Française", (
    "SOCIÉTÉ ŒUVRE FRANÇAISE",
    "MADAME ÉLODIE LŒVENBRÜCK",
    "BÂTIMENT C",
    "18 AVENUE DU GÉNÉRAL LECLERC",
    "69003 LYON",
))

INVOICE_1 = InvoiceLine(
    number="F-2026-0017", issue_date=date(2026, 5, 4), due_date=date(2026, 6, 3),
    amount=D("1200.00"), paid=D("200.00"), outstanding=D("1102.45"),
    principal_outstanding=D("1000.00"), interest_outstanding=D("62.45"),
    indemnity_outstanding=D("40.00"), limitation_date=date(2031, 6, 3))
INVOICE_2 = InvoiceLine(
    number="F-2026-0042", issue_date=date(2026, 7, 1), due_date=date(2026, 7, 31),
    amount=D("2500.00"), paid=D("0.00"), outstanding=D("2586.92"),
    principal_outstanding=D("2500.00"), interest_outstanding=D("46.92"),
    indemnity_outstanding=D("40.00"), limitation_date=date(2031, 7, 31))

PERIODS = (
    InterestPeriod("F-2026-0017", date(2026, 6, 4), date(2026, 12, 3), 183, D("12.15"),
                   D("1000.00"), D("62.45")),
    InterestPeriod("F-2026-0042", date(2026, 8, 1), date(2026, 12, 3), 125, D("12.15"),
                   D("2500.00"), D("46.92")),
)

# principal 1000 + 2500; interest 62.45 + 46.92; indemnity 2 × 40.
AMOUNTS = Amounts(currency="EUR", principal=D("3500.00"), interest=D("109.37"),
                  indemnity=D("80.00"), total=D("3689.37"), paid=D("200.00"),
                  interest_periods=PERIODS, indemnity_per_invoice=D("40.00"))

TRANSFER = CreditTransfer(CREDITOR_NAME, IBAN, BIC, D("3689.37"), "EUR", REFERENCE)


def content(kind: LetterKind = LetterKind.FORMAL_NOTICE, language: Language = Language.FR,
            **changes: object) -> LetterContent:
    base = LetterContent(
        kind=kind, language=language, letter_id="ltr_01JB0000000000000000000000",
        issued_on=ISSUED, place="Paris", creditor=CREDITOR, debtor=DEBTOR, consumer=False,
        our_reference="DOSSIER-2026-118", invoices=(INVOICE_1, INVOICE_2), amounts=AMOUNTS,
        transfer=TRANSFER, frame=AddressFrame(),
        deadline=None if kind is LetterKind.PAYMENT_PLAN_AGREEMENT else DEADLINE,
        deadline_days=None if kind is LetterKind.PAYMENT_PLAN_AGREEMENT else 8,
    )
    if kind is LetterKind.DECLARATION_OF_CLAIM and "declaration" not in changes:
        base = replace(base, **declaration_parts())  # type: ignore[arg-type]
    return replace(base, **changes)  # type: ignore[arg-type]


def declaration_parts() -> dict[str, object]:
    """What a declaration of claim adds: the mandataire it goes to, and its own facts."""
    from domain.letters.content import Declaration, Exhibit
    from domain.letters.declaration import MandataireAddress, address_block

    mandataire = MandataireAddress("SELARL Exemple Mandataires prise en la personne de Me "
                                   "Anne Test", "4 RUE DE LA REPUBLIQUE", "69002", "LYON")
    return {"deadline": None, "deadline_days": None,
            "addressee": Party(mandataire.name, address_block(mandataire)),
            "declaration": Declaration(
                proceedings_kind="liquidation_judiciaire",
                court="Tribunal de commerce de Lyon", opened_on=date(2026, 11, 20),
                published_on=date(2026, 11, 30), declared_at=date(2026, 11, 20),
                due_at_opening=D("1189.37"), to_fall_due=D("2500.00"), total=D("3689.37"),
                security=None, court_seized=False, deadline=date(2027, 1, 30),
                exhibits=(Exhibit(1, "Facture n° F-2026-0017", date(2026, 5, 4)),
                          Exhibit(2, "Mise en demeure", date(2026, 10, 2))))}


PROMISES = (
    RecalledPromise(date(2026, 9, 14), D("500.00"), date(2026, 9, 30), "phone", "broken"),
    RecalledPromise(date(2026, 10, 20), D("1000.00"), date(2026, 11, 5), "email", "kept"),
)
PLANS = (RecalledPlan(date(2026, 8, 1), 3, D("3000.00"), "defaulted", date(2026, 9, 15)),)
EARLIER = (
    EarlierLetter(LetterKind.REMINDER_1, date(2026, 7, 10), DispatchMode.SIMPLE),
    EarlierLetter(LetterKind.REMINDER_2, date(2026, 8, 20), DispatchMode.REGISTERED),
)


def consumer_content(kind: LetterKind = LetterKind.FORMAL_NOTICE,
                     language: Language = Language.FR) -> LetterContent:
    """A consumer's letter: no indemnity at all (C. com. L441-10 II is between
    professionals)."""
    inv = replace(INVOICE_1, outstanding=D("1062.45"), indemnity_outstanding=D("0"))
    inv2 = replace(INVOICE_2, outstanding=D("2546.92"), indemnity_outstanding=D("0"))
    amounts = replace(AMOUNTS, indemnity=D("0"), total=D("3609.37"),
                      indemnity_per_invoice=None)
    return content(kind, language, consumer=True, invoices=(inv, inv2), amounts=amounts,
                   transfer=replace(TRANSFER, amount=D("3609.37")))


def many_invoices(count: int = 40) -> LetterContent:
    invoices = tuple(
        replace(INVOICE_1, number=f"F-2025-{i:04d}",
                issue_date=date(2025, 1, 1) + timedelta(days=i),
                due_date=date(2025, 1, 31) + timedelta(days=i))
        for i in range(1, count + 1))
    return content(invoices=invoices)


INSTALMENTS = (
    ScheduledInstalment(date(2027, 1, 5), D("1229.79")),
    ScheduledInstalment(date(2027, 2, 5), D("1229.79")),
    ScheduledInstalment(date(2027, 3, 5), D("1229.79")),
)  # 3 × 1229.79 = 3689.37
