"""The declaration of claim (déclaration de créance) to the mandataire judiciaire, or the
liquidateur in a liquidation: what it must state, composed from the claim's statement on
the opening judgment's day.

The law (C. com. L622-25, R622-23; reference/judicial.md §6 and french-law §6): the amount
due at the opening, with the sums to fall due and their dates; whether a sûreté secures
it; the interest, which stops at the opening (L622-28; in liquidation L641-3); the court
already seized, if any; a certification that the declaration is sincere (unless the claim
rests on an enforceable title); the evidence, listed in a bordereau. It goes to the
mandataire by registered letter, and the posting date counts (Cass. com. 28/01/1997).
A letter to the mandataire is no demand on the debtor: it asks for no payment (L622-7
forbids paying pre-opening debts) and carries no transfer order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.debtors.model import ContactKind, DebtorKind
from domain.debtors.proceedings import arose_before
from domain.letters.content import (
    ZERO,
    Declaration,
    Exhibit,
    LetterContent,
    LetterRequest,
    Party,
    _amounts,
    _line,
    _printable,
)
from domain.letters.epc import CreditTransfer
from domain.letters.model import AddressFrame, Letter, LetterKind
from domain.letters.references import payment_reference
from domain.shared.errors import DomainValidationError
from domain.shared.language import Language

if TYPE_CHECKING:
    from domain.amounts.ledger import Statement
    from domain.claims.model import Claim
    from domain.creditors.model import Creditor
    from domain.debtors.model import Debtor
    from domain.debtors.proceedings import CollectiveProceedings

# AFNOR NF Z10-011: at most 38 characters a line (french-law §7).
LINE = 38


@dataclass(frozen=True, slots=True)
class MandataireAddress:
    """The mandataire as the BODACC names them (domain.ports.company_data.Mandataire)."""

    name: str
    street: str
    postal_code: str
    city: str


def address_block(m: MandataireAddress) -> tuple[str, ...]:
    """The window's block, AFNOR-shaped: the firm, the named practitioner ("prise en la
    personne de Me …") on its own line, the street, then postcode and city in capitals."""
    firm, _, person = m.name.partition(" prise en la personne de ")
    lines = [firm.strip()[:LINE]]
    if person.strip():
        lines.append(person.strip()[:LINE])
    lines.append(m.street.upper()[:LINE])
    lines.append(f"{m.postal_code} {m.city.upper()}"[:LINE])
    return tuple(lines)


def compose_declaration(letter_id: str, issued_on: date, claim: Claim, opening: Statement,
                        creditor: Creditor, debtor: Debtor, proceedings: CollectiveProceedings,
                        deadline: date | None, mandataire: MandataireAddress,
                        earlier: list[Letter], frame: AddressFrame | None = None,
                        language: Language = Language.FR) -> LetterContent:
    """The declaration, from `opening`: the claim's statement on the opening judgment's
    day (interest runs to that day and stops). An invoice due after the opening is a sum
    to fall due (à échoir); a disputed or prescribed one is left out, as in any letter,
    and so is one whose debt arose after the opening (arose_before).

    Raises
    ------
    DomainValidationError
        Nothing is owed on the opening day.
    """
    # A debt that arose after the opening is a post-opening claim (L622-17): not declared.
    before = {inv.number for inv in claim.invoices
              if arose_before(inv, proceedings.opened_on)}
    claimed = [inv for inv in opening.invoices
               if inv.outstanding > ZERO and not inv.prescribed and inv.number in before
               and inv.number not in claim.disputed_invoices]
    if not claimed:
        raise DomainValidationError("kind", "nothing was owed on the opening day: nothing "
                                    "to declare", code="nothing_due")
    request = LetterRequest(LetterKind.DECLARATION_OF_CLAIM, letter_id, issued_on, language)
    amounts = _amounts(claimed, opening.currency, claim.debtor_kind)
    to_fall_due = sum((inv.principal_outstanding for inv in claimed
                       if inv.due_date > proceedings.opened_on), ZERO)
    exhibits = [Exhibit(i + 1, f"Facture n° {inv.number}", inv.issue_date)
                for i, inv in enumerate(claimed)]
    for letter in sorted(earlier, key=lambda x: (x.issued_on, x.requested_at)):
        if letter.dispatch is not None and letter.kind is not LetterKind.DECLARATION_OF_CLAIM:
            exhibits.append(Exhibit(len(exhibits) + 1, _exhibit_title(letter.kind),
                                    letter.issued_on))
    exhibits.append(Exhibit(len(exhibits) + 1, "Relevé de compte de la créance arrêté au "
                            "jour du jugement d'ouverture", proceedings.opened_on))
    address = creditor.address
    return LetterContent(
        kind=LetterKind.DECLARATION_OF_CLAIM, language=language, letter_id=letter_id,
        issued_on=issued_on, place=address.city,
        creditor=Party(creditor.legal_name, (*address.lines,
                       f"{address.postal_code} {address.city}"), creditor.siren),
        debtor=Party(debtor.name, _debtor_block(debtor), debtor.siren),
        consumer=claim.debtor_kind is DebtorKind.CONSUMER,
        our_reference=claim.external_reference or claim.id,
        invoices=tuple(_line(inv, request) for inv in claimed),
        amounts=amounts,
        # No payment is asked of a mandataire: a transfer of nothing, never printed.
        transfer=CreditTransfer(creditor.legal_name, creditor.iban or "", creditor.bic,
                                Decimal(0), opening.currency, payment_reference(claim.id)),
        frame=frame or AddressFrame(),
        signatory=creditor.signatory,
        addressee=Party(mandataire.name, address_block(mandataire)),
        declaration=Declaration(
            proceedings_kind=proceedings.kind.value, court=proceedings.court,
            opened_on=proceedings.opened_on, published_on=proceedings.bodacc_published_on,
            declared_at=opening.at, due_at_opening=amounts.total - to_fall_due,
            to_fall_due=to_fall_due, total=amounts.total, security=None,
            court_seized=claim.phase.value == "judicial", deadline=deadline,
            exhibits=tuple(exhibits)),
    )


def _exhibit_title(kind: LetterKind) -> str:
    return {LetterKind.FORMAL_NOTICE: "Mise en demeure",
            LetterKind.REMINDER_1: "Lettre de relance",
            LetterKind.REMINDER_2: "Seconde lettre de relance",
            LetterKind.PAYMENT_PLAN_AGREEMENT: "Proposition d'échéancier"}.get(
                kind, "Courrier")


def _debtor_block(debtor: Debtor) -> tuple[str, ...]:
    """The debtor's validated postal address, to identify it (none: its name and SIREN
    suffice)."""
    for point in debtor.contact_points:
        if point.kind is ContactKind.POSTAL_ADDRESS and _printable(point):
            block = point.validation.normalized  # type: ignore[union-attr]
            return tuple(block) if isinstance(block, tuple | list) else (str(block),)
    return ()
