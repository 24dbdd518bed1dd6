"""What a letter says: every figure, name and date, composed from the claim, its account
and its statement when the letter is requested, and checked against the law then.

Rules kept here, each beside its source (reference/letters-escalation.md A1, french-law):
- A letter claims what the statement says is due on its date, invoice by invoice; nothing
  else is added. A consumer's letter carries no indemnity and no fee (C. com. L441-10 II is
  between professionals; C. proc. exéc. L111-8: collection costs stay with the creditor).
- No letter claims a prescribed invoice unless a person confirms it may still be claimed
  (DGCCRF 2022 sanctions collectors chasing prescribed debts); it is then shown as such.
- A mise en demeure names the precise debt, demands payment, sets a precise deadline, says
  what follows, and is signed (the practitioners' checklist, A1). A letter does not
  interrupt prescription (Cass. com. 18 May 2022 n° 20-23.204), so one whose deadline ends
  after an invoice's limitation date is refused: the creditor must act in court first.
- It recalls the debtor's commitments with their dates (the seeds: promises on the phone,
  a plan, the earlier letters), kept or broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.debtors.model import ContactKind, ContactPoint, DebtorKind
from domain.letters.epc import CreditTransfer, credit_transfer
from domain.letters.model import AddressFrame, DispatchMode, Letter, LetterKind
from domain.letters.references import payment_reference
from domain.shared.dates import add_days
from domain.shared.errors import DomainValidationError, FieldError
from domain.shared.language import Language

if TYPE_CHECKING:  # a stored letter's content is read without the ledger and its tables
    from domain.amounts.account import ClaimAccount
    from domain.amounts.ledger import InvoiceStatement, Statement
    from domain.claims.model import Claim
    from domain.creditors.model import Creditor
    from domain.debtors.model import Debtor

ZERO = Decimal(0)

# Practice, not law: "un délai précis et raisonnable", 8 or 15 days in practice (A1). The
# creditor sets its own (Creditor.formal_notice_days); this is the default and the bounds.
DEFAULT_FORMAL_NOTICE_DAYS = 8
MIN_FORMAL_NOTICE_DAYS = 8
MAX_FORMAL_NOTICE_DAYS = 60

# An address block's statuses a letter may go to (domain.debtors.contacts.postal): a risky
# address (say, an unknown street type) is still printable; an invalid one is not.
PRINTABLE = frozenset({"valid", "risky"})


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    address_lines: tuple[str, ...]
    siren: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    number: str
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal  # principal paid
    outstanding: Decimal  # principal + interest + indemnity outstanding
    principal_outstanding: Decimal
    interest_outstanding: Decimal
    indemnity_outstanding: Decimal
    limitation_date: date
    # Prescribed, and claimed because a person confirmed it may be (shown as such).
    prescribed_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    invoice_number: str
    start: date
    end: date
    days: int
    rate: Decimal  # percent per year
    base: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Amounts:
    currency: str
    principal: Decimal  # principal outstanding
    interest: Decimal  # interest outstanding
    indemnity: Decimal  # recovery indemnities outstanding (0 for a consumer)
    total: Decimal
    paid: Decimal  # what the debtor already paid on the invoices claimed
    interest_periods: tuple[InterestPeriod, ...]
    indemnity_per_invoice: Decimal | None  # 40 EUR where it is due


@dataclass(frozen=True, slots=True)
class RecalledPromise:
    made_on: date
    amount: Decimal
    promised_on: date
    channel: str
    status: str  # pending | kept | broken


@dataclass(frozen=True, slots=True)
class RecalledPlan:
    agreed_on: date
    instalments: int
    total: Decimal
    status: str
    defaulted_on: date | None


@dataclass(frozen=True, slots=True)
class EarlierLetter:
    kind: LetterKind
    issued_on: date
    mode: DispatchMode


@dataclass(frozen=True, slots=True)
class ScheduledInstalment:
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class MandateMentions:
    """What a letter sent by a recipient under a mandate adds (CPCE R124-4, built by
    domain.judicial.handoff.letter_mentions): who writes and that it collects amicably, the
    mandate, L111-8 paragraphs 2 and 3 word for word, and the first letter it sent about
    this claim (later contacts recall it). The rest of R124-4 (the creditor, the amounts
    each apart without the fees L111-8 leaves to the creditor, the ways to pay) is what
    every letter already carries."""

    collector_name: str
    collector_address: tuple[str, ...]
    collector_siren: str | None
    activity: str
    mandate_reference: str
    l111_8: tuple[str, ...]
    first_letter_id: str | None = None
    first_letter_on: date | None = None


@dataclass(frozen=True, slots=True)
class Exhibit:
    """One line of a declaration's bordereau: a numbered piece of evidence."""

    number: int
    title: str
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Declaration:
    """What a declaration of claim states besides the invoices (C. com. L622-25, R622-23;
    domain.letters.declaration composes it)."""

    proceedings_kind: str  # sauvegarde | redressement_judiciaire | liquidation_judiciaire
    court: str
    opened_on: date
    published_on: date | None
    declared_at: date  # the day the amounts are stated at: the opening judgment's
    due_at_opening: Decimal  # échu: principal, interest and indemnities due at the opening
    to_fall_due: Decimal  # à échoir: principal of invoices not yet due at the opening
    total: Decimal
    security: str | None  # the sûreté the claim carries (None: chirographaire)
    court_seized: bool  # a court already seized of the claim (R622-23 3°)
    deadline: date | None  # the last day to declare (R622-24)
    exhibits: tuple[Exhibit, ...]


@dataclass(frozen=True, slots=True)
class LetterContent:
    kind: LetterKind
    language: Language
    letter_id: str
    issued_on: date
    place: str  # where it is written: the creditor's city
    creditor: Party
    debtor: Party
    consumer: bool
    our_reference: str  # the claim's external reference, else its id
    invoices: tuple[InvoiceLine, ...]
    amounts: Amounts
    transfer: CreditTransfer
    frame: AddressFrame
    deadline: date | None = None  # formal notice, reminder: pay by
    deadline_days: int | None = None
    promises: tuple[RecalledPromise, ...] = ()
    plans: tuple[RecalledPlan, ...] = ()
    earlier_letters: tuple[EarlierLetter, ...] = ()
    instalments: tuple[ScheduledInstalment, ...] = ()  # the plan to sign
    signatory: str | None = None  # who signs for the creditor (Creditor.signatory)
    mandate: MandateMentions | None = None  # sent by a recipient under a mandate (R124-4)
    # Who the letter goes to when it is not the debtor (the mandataire a declaration of
    # claim is addressed to): the window shows it and the post sends it there.
    addressee: Party | None = None
    declaration: Declaration | None = None  # a declaration of claim's own facts

    @property
    def recipient(self) -> Party:
        return self.addressee or self.debtor

    @property
    def qr_amount(self) -> Decimal | None:
        return self.amounts.total if self.transfer.qr_possible else None


@dataclass(frozen=True, slots=True)
class LetterRequest:
    kind: LetterKind
    letter_id: str
    issued_on: date
    language: Language | None = None
    confirm_prescribed: tuple[str, ...] = ()
    contact_point_id: str | None = None


# Reminders give the debtor a short time too ("sous huitaine"): the same default.
REMINDER_DAYS = 8


def compose(request: LetterRequest, claim: Claim, account: ClaimAccount, statement: Statement,
            creditor: Creditor, debtor: Debtor, earlier: list[Letter],
            frame: AddressFrame | None = None,
            mandate: MandateMentions | None = None) -> LetterContent:
    """The letter's content, or the reasons it may not be sent.

    Raises
    ------
    DomainValidationError
        No printable postal address; nothing left to claim; a prescribed invoice confirmed
        that is not prescribed or not in the claim; a formal notice whose deadline ends
        after an invoice's limitation date; a plan agreement with no plan; the creditor's
        IBAN, BIC or name unusable for a transfer.
    """
    errors: list[FieldError] = []
    address = _address(debtor, request.contact_point_id, errors)
    claimed = _claimed(statement, request, claim.disputed_invoices, errors)
    days = (creditor.formal_notice_days if request.kind is LetterKind.FORMAL_NOTICE
            else REMINDER_DAYS)
    deadline = (add_days(request.issued_on, days)
                if request.kind is not LetterKind.PAYMENT_PLAN_AGREEMENT else None)
    if request.kind is LetterKind.FORMAL_NOTICE and deadline is not None:
        errors += _prescribed_before(deadline, claimed, request)
    instalments: tuple[ScheduledInstalment, ...] = ()
    if request.kind is LetterKind.PAYMENT_PLAN_AGREEMENT:
        if account.plan is None:
            errors.append(FieldError("kind", "a plan agreement needs a payment plan on the "
                                     "claim: agree one first", "no_payment_plan"))
        else:
            instalments = tuple(ScheduledInstalment(i.due_on, i.amount)
                                for i in account.plan.instalments)
    if errors:
        raise DomainValidationError.many(errors)
    amounts = _amounts(claimed, statement.currency, claim.debtor_kind)
    transfer = credit_transfer(creditor.legal_name, creditor.iban, creditor.bic,
                               amounts.total, statement.currency, payment_reference(claim.id))
    return LetterContent(
        kind=request.kind,
        language=request.language or debtor.language,
        letter_id=request.letter_id,
        issued_on=request.issued_on,
        place=creditor.address.city,
        creditor=Party(creditor.legal_name, (*creditor.address.lines,
                       f"{creditor.address.postal_code} {creditor.address.city}"),
                       creditor.siren),
        debtor=Party(debtor.name, address, debtor.siren),
        consumer=claim.debtor_kind is DebtorKind.CONSUMER,
        our_reference=claim.external_reference or claim.id,
        invoices=tuple(_line(inv, request) for inv in claimed),
        amounts=amounts,
        transfer=transfer,
        frame=frame or AddressFrame(),
        deadline=deadline,
        deadline_days=days if deadline is not None else None,
        promises=tuple(RecalledPromise(p.made_on, p.amount, p.promised_on, p.channel,
                                       p.status.value)
                       for p in sorted(account.promises, key=lambda p: p.made_on)
                       if p.made_on <= request.issued_on),
        plans=_plans(account, request.issued_on),
        earlier_letters=tuple(
            EarlierLetter(letter.kind, letter.issued_on, letter.dispatch.mode)
            for letter in sorted(earlier, key=lambda x: (x.issued_on, x.requested_at))
            if letter.dispatch is not None and letter.id != request.letter_id),
        instalments=instalments,
        signatory=creditor.signatory,
        mandate=mandate,
    )


def _address(debtor: Debtor, contact_point_id: str | None,
             errors: list[FieldError]) -> tuple[str, ...]:
    """The AFNOR block of the debtor's postal address: the one named, else the first one
    contact validation found printable."""
    points = [p for p in debtor.contact_points if p.kind is ContactKind.POSTAL_ADDRESS]
    if contact_point_id is not None:
        named = [p for p in points if p.id == contact_point_id]
        if not named:
            errors.append(FieldError("contact_point_id", "not a postal address of this "
                                     "debtor", "not_found"))
            return ()
        points = named
    printable = [p for p in points if _printable(p)]
    if not printable:
        errors.append(FieldError(
            "contact_point_id" if contact_point_id else "debtor.contact_points",
            "a letter needs a postal address that contact validation found valid: add or "
            "correct the debtor's address", "no_postal_address"))
        return ()
    block = printable[0].validation.normalized  # type: ignore[union-attr]
    return tuple(block) if isinstance(block, tuple | list) else (str(block),)


def _printable(point: ContactPoint) -> bool:
    v = point.validation
    return v is not None and v.status in PRINTABLE and isinstance(v.normalized, tuple | list)


def _claimed(statement: Statement, request: LetterRequest, disputed: tuple[str, ...],
             errors: list[FieldError]) -> list[InvoiceStatement]:
    """The invoices the letter claims: something outstanding, not under a dispute scoped
    to them, and not prescribed unless a person confirmed it."""
    by_number = {inv.number: inv for inv in statement.invoices}
    for i, number in enumerate(request.confirm_prescribed):
        inv = by_number.get(number)
        if inv is None:
            errors.append(FieldError(f"confirm_prescribed[{i}]", "not an invoice of this "
                                     "claim", "not_found"))
        elif not inv.prescribed:
            errors.append(FieldError(f"confirm_prescribed[{i}]", f"invoice {number} is not "
                                     "prescribed: nothing to confirm", "not_prescribed"))
    claimed = [inv for inv in statement.invoices if inv.outstanding > ZERO
               and inv.number not in disputed
               and (not inv.prescribed or inv.number in request.confirm_prescribed)]
    if not claimed and not errors:
        left_out = [inv.number for inv in statement.invoices
                    if inv.outstanding > ZERO and inv.prescribed and inv.number not in disputed]
        errors.append(FieldError(
            "kind", "nothing is due to claim" + (
                f": invoices {', '.join(left_out)} are prescribed (confirm them in "
                "confirm_prescribed if the debtor's acknowledgement kept them alive)"
                if left_out else ""), "nothing_due"))
    return claimed


def _prescribed_before(deadline: date, claimed: list[InvoiceStatement],
                       request: LetterRequest) -> list[FieldError]:
    return [FieldError(
        "kind", f"invoice {inv.number} is prescribed on {inv.limitation_date}, before the "
        f"formal notice's deadline ({deadline}); a letter does not interrupt prescription "
        "(Cass. com. 18 May 2022 n° 20-23.204): go to court before that date",
        "prescribed_before_deadline")
        for inv in claimed
        if inv.limitation_date < deadline and inv.number not in request.confirm_prescribed]


def _line(inv: InvoiceStatement, request: LetterRequest) -> InvoiceLine:
    return InvoiceLine(
        number=inv.number, issue_date=inv.issue_date, due_date=inv.due_date,
        amount=inv.principal, paid=inv.principal_paid, outstanding=inv.outstanding,
        principal_outstanding=inv.principal_outstanding,
        interest_outstanding=inv.interest_outstanding,
        indemnity_outstanding=inv.indemnity.outstanding,
        limitation_date=inv.limitation_date,
        prescribed_confirmed=inv.prescribed and inv.number in request.confirm_prescribed)


def _amounts(claimed: list[InvoiceStatement], currency: str, kind: DebtorKind) -> Amounts:
    def total(values: list[Decimal]) -> Decimal:
        return sum(values, ZERO)

    principal = total([inv.principal_outstanding for inv in claimed])
    interest = total([inv.interest_outstanding for inv in claimed])
    # A consumer owes no recovery indemnity: the statement already gives none; asserted so
    # that no later change can print one (C. com. L441-10 II is B2B only).
    indemnity = (ZERO if kind is DebtorKind.CONSUMER
                 else total([inv.indemnity.outstanding for inv in claimed]))
    per_invoice = next((inv.indemnity.amount for inv in claimed
                        if inv.indemnity.amount > ZERO), None)
    return Amounts(
        currency=currency, principal=principal, interest=interest, indemnity=indemnity,
        total=principal + interest + indemnity,
        paid=total([inv.principal_paid + inv.interest_paid + inv.indemnity.paid
                    for inv in claimed]),
        interest_periods=tuple(
            InterestPeriod(inv.number, line.start, line.end, line.days, line.rate, line.base,
                           line.amount)
            for inv in claimed for line in inv.interest_lines if line.amount > ZERO),
        indemnity_per_invoice=None if kind is DebtorKind.CONSUMER else per_invoice,
    )


def _plans(account: ClaimAccount, at: date) -> tuple[RecalledPlan, ...]:
    from domain.amounts.payment_plan import evaluate_plan

    recalled = []
    for plan in account.plans():
        if plan.starts_on > at:
            continue
        evaluation = evaluate_plan(plan, account.payments, at)
        recalled.append(RecalledPlan(plan.starts_on, len(plan.instalments), plan.total,
                                     evaluation.status.value, evaluation.defaulted_on))
    return tuple(recalled)
