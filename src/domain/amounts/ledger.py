"""Payments and the statement of account (décompte) of a claim at a given date.

Imputation (which debt a payment settles):
- Across invoices (C. civ. 1342-10): first the invoices the debtor names on the payment,
  in the order named; then the invoices already due before those not yet due, the
  oldest first (due date, then issue date). The code's "most interest in paying"
  criterion is read as the oldest due debt, as every late invoice bears interest at the
  same rate. Invoices equal in every respect (same due date, same issue date) share the
  payment in proportion to what each owes: 1342-10 ends "proportionnellement".
- Within an invoice: interest first (C. civ. 1343-1: "le paiement partiel s'impute
  d'abord sur les intérêts"), then the 40 EUR indemnity (D441-5), then principal: the
  indemnity is an accessory paid like interest (Cass. 1re civ. 7 Feb 1995 n° 92-14.216,
  recovery costs are accessories "au même titre que les intérêts"). An invoice (or a group
  of equal ones) is settled in full before the next.
- What remains once everything is paid is kept as `credit` (said so by a flag), never
  lost.

Interest accrues per invoice on its outstanding principal, piecewise: a payment on day P
still leaves day P to bear interest on the old principal (date difference P - start),
the new principal bears interest from P + 1. Each line (constant principal, constant
rate, never across a 1 Jan / 1 Jul) is rounded to the cent, then summed
(domain.interest). No interest on interest (C. civ. 1343-2 capitalisation not modelled).

The statement is a pure function of its inputs: payments received after `at` and
payments reversed on or before `at` are ignored (a reversal recomputes everything as if
the payment never happened), so any past or future date can be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from domain.amounts import deadlines, law
from domain.amounts.interest import InterestLine, first_interest_day, interest_lines
from domain.amounts.rates import DEFAULT_RATES, RateTables
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import arose_before
from domain.shared.errors import DomainValidationError, FieldError
from domain.shared.money import format_amount, minor_units, quantum

ZERO = Decimal(0)
ONE_DAY = timedelta(days=1)


class PaymentMethod(StrEnum):
    TRANSFER = "transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"
    DIRECT_DEBIT = "direct_debit"
    OTHER = "other"


PAYMENT_METHODS = frozenset(m.value for m in PaymentMethod)


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment received from the debtor. `invoice_numbers` are the invoices the debtor
    names (C. civ. 1342-10). A reversed payment (bounced cheque, chargeback) keeps its
    record with `reversed_on`; statements from that date on ignore it entirely."""

    id: str
    amount: Decimal
    received_on: date
    method: str = PaymentMethod.TRANSFER
    reference: str | None = None
    invoice_numbers: tuple[str, ...] = ()
    reversed_on: date | None = None
    reversal_reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise DomainValidationError("amount", "must be a decimal amount", code="invalid_amount")
        if self.amount <= 0:
            raise DomainValidationError("amount", "must be greater than zero", code="not_positive")
        if self.method not in PAYMENT_METHODS:
            raise DomainValidationError(
                "method", f"must be one of {', '.join(sorted(PAYMENT_METHODS))}", code="invalid"
            )
        if self.reversed_on is not None and self.reversed_on < self.received_on:
            raise DomainValidationError(
                "reversed_on", "a payment cannot be reversed before it was received",
                code="before_received",
            )

    def counts_at(self, at: date) -> bool:
        """Received by `at` and not reversed by then."""
        return self.received_on <= at and (self.reversed_on is None or self.reversed_on > at)


@dataclass(frozen=True, slots=True)
class PaymentApplication:
    """How much of one payment went to one invoice."""

    payment_id: str
    invoice_number: str
    received_on: date
    to_interest: Decimal
    to_principal: Decimal
    to_indemnity: Decimal

    @property
    def total(self) -> Decimal:
        return self.to_interest + self.to_principal + self.to_indemnity


@dataclass(frozen=True, slots=True)
class Indemnity:
    amount: Decimal
    paid: Decimal
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceStatement:
    number: str
    issue_date: date
    due_date: date
    principal: Decimal
    principal_paid: Decimal
    principal_outstanding: Decimal
    interest_lines: tuple[InterestLine, ...]  # breakdown by rate period and principal
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_outstanding: Decimal
    indemnity: Indemnity
    limitation_date: date
    prescription_warning: bool  # the limitation date is within 90 days of `at`
    prescribed: bool  # the limitation date is before `at` (acknowledgements counted)
    flags: tuple[deadlines.Flag, ...]  # payment term flags
    applications: tuple[PaymentApplication, ...]

    @property
    def outstanding(self) -> Decimal:
        return self.principal_outstanding + self.interest_outstanding + self.indemnity.outstanding


@dataclass(frozen=True, slots=True)
class PaymentSplit:
    """One counted payment and how it was imputed."""

    payment_id: str
    received_on: date
    amount: Decimal
    to_interest: Decimal
    to_principal: Decimal
    to_indemnity: Decimal
    to_credit: Decimal
    applications: tuple[PaymentApplication, ...]


@dataclass(frozen=True, slots=True)
class IgnoredPayment:
    payment_id: str
    reason: str  # "reversed" | "after_statement_date"


@dataclass(frozen=True, slots=True)
class Totals:
    principal: Decimal
    principal_paid: Decimal
    principal_outstanding: Decimal
    interest: Decimal
    interest_paid: Decimal
    interest_outstanding: Decimal
    indemnity: Decimal
    indemnity_paid: Decimal
    indemnity_outstanding: Decimal
    paid: Decimal  # every counted payment, credit included
    due: Decimal  # principal + interest + indemnity outstanding
    not_yet_due: Decimal  # principal outstanding of invoices not yet due at `at`


@dataclass(frozen=True, slots=True)
class Statement:
    """Invariant (conservation): principal + interest + indemnity + credit == paid + due."""

    at: date
    currency: str
    invoices: tuple[InvoiceStatement, ...]
    payments: tuple[PaymentSplit, ...]
    ignored_payments: tuple[IgnoredPayment, ...]
    totals: Totals
    credit: Decimal  # overpayment kept for the debtor
    flags: tuple[deadlines.Flag, ...] = field(default=())


class _InvoiceState:
    """Mutable working state of one invoice while payments are imputed in order."""

    __slots__ = (
        "after_opening", "applications", "closed_interest", "indemnity_amount", "indemnity_paid",
        "interest_paid", "inv", "late", "late_from", "lines", "partial", "partial_through",
        "principal_out", "seg_start", "settled", "withheld",
    )

    def __init__(self, inv: Invoice, first_day: date | None, late_from: date | None,
                 after_opening: bool = False) -> None:
        self.inv = inv
        # A debt that arose after the opening of the debtor's collective proceedings: paid
        # at its due date (C. com. L622-17), its interest and indemnity run as usual.
        self.after_opening = after_opening
        # The first day it is late if still unpaid (None: not while a kept plan covers it).
        self.late_from = late_from
        self.withheld = False  # late, but collective proceedings withhold its 40 EUR
        self.principal_out = inv.amount
        self.seg_start = first_day  # first day of the open interest line(s); None: no interest
        self.lines: list[InterestLine] = []
        self.closed_interest = ZERO
        self.interest_paid = ZERO
        self.late = False
        self.indemnity_amount = ZERO
        self.indemnity_paid = ZERO
        self.applications: list[PaymentApplication] = []
        self.settled = False
        self.partial: list[InterestLine] = []
        self.partial_through: date | None = None


class _Engine:
    def __init__(
        self, currency: str, terms: law.InterestTerms, schedule: law.StatutoryRateSchedule,
        indemnity: Decimal, later: law.StatutoryRateSchedule | None = None,
    ) -> None:
        self.currency = currency
        self.terms = terms
        self.schedule = schedule
        self.indemnity = indemnity
        # The schedule of debts that arose after the opening (no collective stop).
        self.later = later or schedule

    def open_lines(self, s: _InvoiceState, through: date) -> list[InterestLine]:
        """Lines of the open segment from its start to `through` (cached per day)."""
        if s.seg_start is None or through < s.seg_start or s.principal_out <= 0:
            return []
        if s.partial_through != through:
            s.partial = interest_lines(
                s.principal_out, s.seg_start, through,
                self.later if s.after_opening else self.schedule, self.currency
            )
            s.partial_through = through
        return s.partial

    def interest_due(self, s: _InvoiceState, through: date) -> Decimal:
        accrued = s.closed_interest + sum((ln.amount for ln in self.open_lines(s, through)), ZERO)
        return accrued - s.interest_paid

    def close_segment(self, s: _InvoiceState, through: date) -> None:
        """The principal changes after `through`: freeze the open lines up to it."""
        lines = self.open_lines(s, through)
        if lines:
            s.lines.extend(lines)
            s.closed_interest += sum((ln.amount for ln in lines), ZERO)
        if s.seg_start is not None and through >= s.seg_start:
            s.seg_start = through + ONE_DAY
        s.partial = []
        s.partial_through = None

    def owed(self, s: _InvoiceState, day: date) -> Decimal:
        """What invoice `s` owes on `day`: interest, indemnity and principal."""
        indemnity = s.indemnity_amount - s.indemnity_paid if s.late else ZERO
        return self.interest_due(s, day) + indemnity + s.principal_out

    def shares(self, group: list[_InvoiceState], day: date, available: Decimal) -> list[Decimal]:
        """Split `available` between invoices equal in every respect, pro rata to what each
        owes (C. civ. 1342-10, last rule), in whole cents: the cents rounding leaves over go
        to the largest remainders, so the shares add up to the payment exactly."""
        owed = [self.owed(s, day) for s in group]
        total = sum(owed, ZERO)
        if available >= total or total == 0:
            return owed
        q = quantum(self.currency)
        exact = [available * o / total for o in owed]
        shares = [e.quantize(q, rounding=ROUND_DOWN) for e in exact]
        left = int((available - sum(shares, ZERO)) / q)
        by_remainder = sorted(range(len(group)), key=lambda i: shares[i] - exact[i])
        for i in by_remainder[:left]:
            shares[i] += q
        return shares

    def mark_late(self, s: _InvoiceState) -> None:
        """Called once the due date is over: late if principal was still owed then."""
        if s.principal_out > 0:
            s.late = True
            if not s.after_opening and law.indemnity_withheld(
                    s.inv.due_date, self.terms.proceedings_opened_on):
                s.withheld = self.indemnity > 0
            else:
                s.indemnity_amount = self.indemnity

    def keep_withheld_as_paid(self, s: _InvoiceState, pay: Payment,
                              available: Decimal) -> PaymentApplication | None:
        """Money a payment leaves once everything owed is paid goes to an indemnity that
        collective proceedings withhold, up to its 40 EUR: the debtor paid it before the
        proceedings were known, and the statement must not turn it into a refund."""
        known = self.terms.proceedings_recorded_on
        if not s.withheld or known is None or pay.received_on >= known:
            return None  # paid knowing the proceedings: an overpayment, kept as a credit
        take = min(available, self.indemnity - s.indemnity_amount)
        if take <= 0:
            return None
        s.indemnity_amount += take
        s.indemnity_paid += take
        application = PaymentApplication(pay.id, s.inv.number, pay.received_on, ZERO, ZERO,
                                         take)
        s.applications.append(application)
        return application

    def apply(
        self, s: _InvoiceState, pay: Payment, available: Decimal
    ) -> PaymentApplication | None:
        """Impute up to `available` of `pay` to invoice `s` (interest, then indemnity, then
        principal); None when nothing of it was owed."""
        day = pay.received_on
        to_interest = min(available, self.interest_due(s, day))
        rest = available - to_interest
        to_indemnity = min(rest, s.indemnity_amount - s.indemnity_paid) if s.late else ZERO
        rest -= to_indemnity
        to_principal = min(rest, s.principal_out)
        rest -= to_principal
        if to_interest == 0 and to_principal == 0 and to_indemnity == 0:
            return None
        if to_principal > 0:
            self.close_segment(s, day)
            s.principal_out -= to_principal
        s.interest_paid += to_interest
        s.indemnity_paid += to_indemnity
        application = PaymentApplication(
            pay.id, s.inv.number, day, to_interest, to_principal, to_indemnity
        )
        s.applications.append(application)
        if (
            s.principal_out == 0
            and s.interest_paid == s.closed_interest
            and s.indemnity_paid == s.indemnity_amount
        ):
            # Nothing can accrue any more: no principal, so no interest; lateness of every
            # due date before `day` is already known, and an invoice paid off by its due
            # date is never late.
            s.settled = True
        return application


def _equal_groups(order: list[_InvoiceState], named: int) -> list[list[_InvoiceState]]:
    """The imputation order as groups of invoices equal in every respect (due date, issue
    date), each group shared pro rata; the `named` first ones, which the debtor chose in
    that order, each stand alone."""
    groups: list[list[_InvoiceState]] = [[s] for s in order[:named]]
    for s in order[named:]:
        last = groups[-1][0] if len(groups) > named else None
        if last is not None and (last.inv.due_date, last.inv.issue_date) == (
                s.inv.due_date, s.inv.issue_date):
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _validate(
    invoices: Sequence[Invoice], currency: str, payments: Sequence[Payment]
) -> dict[str, int]:
    errors: list[FieldError] = []
    exponent = minor_units(currency)
    q = quantum(currency)
    index: dict[str, int] = {}
    for i, inv in enumerate(invoices):
        if inv.number in index:
            errors.append(
                FieldError(f"invoices[{i}].number", "duplicate invoice number", "duplicate")
            )
        index.setdefault(inv.number, i)
        if not inv.amount.is_finite() or inv.amount <= 0:
            errors.append(FieldError(f"invoices[{i}].amount", "must be greater than zero",
                                     "not_positive"))
        elif inv.amount != inv.amount.quantize(q):
            errors.append(FieldError(f"invoices[{i}].amount",
                                     f"{currency} amounts have at most {exponent} decimals",
                                     "too_many_decimals"))
    seen: set[str] = set()
    for i, pay in enumerate(payments):
        if pay.id in seen:
            errors.append(FieldError(f"payments[{i}].id", "duplicate payment id", "duplicate"))
        seen.add(pay.id)
        if pay.amount != pay.amount.quantize(q):
            errors.append(FieldError(f"payments[{i}].amount",
                                     f"{currency} amounts have at most {exponent} decimals",
                                     "too_many_decimals"))
        for j, number in enumerate(pay.invoice_numbers):
            if number not in index:
                errors.append(FieldError(f"payments[{i}].invoice_numbers[{j}]",
                                         f"no invoice '{number}' in this claim", "unknown_invoice"))
    if errors:
        raise DomainValidationError.many(errors)
    return index


def compute_statement(
    *,
    invoices: Sequence[Invoice],
    currency: str,
    terms: law.InterestTerms,
    payments: Sequence[Payment] = (),
    at: date,
    rates: RateTables = DEFAULT_RATES,
    acknowledged: Sequence[date] = (),
) -> Statement:
    """The statement of account of a claim on `at` (interest counted up to `at` included).

    Raises DomainValidationError (bad amounts, duplicate numbers, unknown invoice named by
    a payment, contractual rate below the B2B floor) and rates.RateUnknown (interest would
    need a rate the tables do not have).
    """
    if not invoices:
        raise DomainValidationError("invoices", "at least one invoice is needed", code="empty")
    index = _validate(invoices, currency, payments)

    schedule = law.StatutoryRateSchedule(terms, rates)
    opened = terms.proceedings_opened_on
    later = (law.StatutoryRateSchedule(replace(terms, proceedings_opened_on=None), rates)
             if opened is not None else None)
    indemnity_applies = law.indemnity_applies(terms.debtor_kind, currency=currency)
    engine = _Engine(currency, terms, schedule,
                     law.RECOVERY_INDEMNITY if indemnity_applies else ZERO, later)

    states: list[_InvoiceState] = []
    for inv in invoices:
        origin = law.interest_origin(inv.due_date, terms)
        first = None if origin is None else first_interest_day(
            origin, law.interest_day_count(terms.debtor_kind, terms.day_count))
        states.append(_InvoiceState(inv, first, _late_from(inv.due_date, terms.plans_kept),
                                    opened is not None and not arose_before(inv, opened)))
    by_due = sorted(states, key=lambda s: (s.inv.due_date, s.inv.issue_date, s.inv.number))
    default_order = by_due  # imputation order (1342-10); settled invoices are pruned from it
    # The order in which invoices become late (a kept plan defers some).
    by_lateness = sorted((s for s in states if s.late_from is not None),
                         key=lambda s: (s.late_from or at, s.inv.due_date, s.inv.number))

    counted: list[tuple[date, int, Payment]] = []
    ignored: list[IgnoredPayment] = []
    for i, pay in enumerate(payments):
        if pay.received_on > at:
            ignored.append(IgnoredPayment(pay.id, "after_statement_date"))
        elif not pay.counts_at(at):
            ignored.append(IgnoredPayment(pay.id, "reversed"))
        else:
            counted.append((pay.received_on, i, pay))
    counted.sort(key=lambda t: (t[0], t[1]))

    q = quantum(currency)
    late_cursor = 0  # by_due: mark each invoice late (or not) once its due date is over
    credit = ZERO
    splits: list[PaymentSplit] = []
    for day, _, pay in counted:
        while (late_cursor < len(by_lateness)
               and (by_lateness[late_cursor].late_from or at) <= day):
            engine.mark_late(by_lateness[late_cursor])
            late_cursor += 1
        available = pay.amount
        order, named_count = default_order, 0
        if pay.invoice_numbers:
            named = [states[index[n]] for n in dict.fromkeys(pay.invoice_numbers)]
            named_ids = {id(s) for s in named}
            order = named + [s for s in default_order if id(s) not in named_ids]
            named_count = len(named)
        apps: list[PaymentApplication] = []
        newly_settled = False
        for group in _equal_groups(order, named_count):
            if available == 0:
                break
            live = [s for s in group if not s.settled]
            if not live:
                continue
            shares = [available] if len(live) == 1 else engine.shares(live, day, available)
            for s, share in zip(live, shares, strict=True):
                application = engine.apply(s, pay, share) if share > 0 else None
                if application is not None:
                    apps.append(application)
                    available -= application.total
                    newly_settled = newly_settled or s.settled
        if available > 0:
            for s in by_due:
                application = engine.keep_withheld_as_paid(s, pay, available)
                if application is not None:
                    apps.append(application)
                    available -= application.total
        if newly_settled:  # settled invoices never owe anything again: stop visiting them
            default_order = [s for s in default_order if not s.settled]
        credit += available
        available = available.quantize(q)
        splits.append(PaymentSplit(
            pay.id, day, pay.amount.quantize(q),
            sum((a.to_interest for a in apps), ZERO),
            sum((a.to_principal for a in apps), ZERO),
            sum((a.to_indemnity for a in apps), ZERO),
            available,
            tuple(apps),
        ))
    while late_cursor < len(by_lateness) and (by_lateness[late_cursor].late_from or at) <= at:
        engine.mark_late(by_lateness[late_cursor])
        late_cursor += 1

    inv_statements: list[InvoiceStatement] = []
    for s in states:
        engine.close_segment(s, at)
        inv = s.inv
        # `acknowledged`: the days the debtor acknowledged the claim (payments, promises,
        # a plan), each starting a new period (C. civ. 2240, 2231).
        lim = deadlines.limitation_date(deadlines.prescription_start(inv), terms.debtor_kind,
                                       acknowledged)
        inv_statements.append(InvoiceStatement(
            number=inv.number,
            issue_date=inv.issue_date,
            due_date=inv.due_date,
            principal=inv.amount,
            principal_paid=inv.amount - s.principal_out,
            principal_outstanding=s.principal_out,
            interest_lines=tuple(s.lines),
            interest_accrued=s.closed_interest,
            interest_paid=s.interest_paid,
            interest_outstanding=s.closed_interest - s.interest_paid,
            indemnity=Indemnity(s.indemnity_amount, s.indemnity_paid,
                                s.indemnity_amount - s.indemnity_paid),
            limitation_date=lim,
            prescription_warning=deadlines.prescription_warning(lim, at),
            prescribed=deadlines.is_prescribed(lim, at),
            flags=tuple(deadlines.payment_term_flags(inv, terms.debtor_kind)),
            applications=tuple(s.applications),
        ))

    totals = _totals(inv_statements, splits, at, quantum(currency))
    flags = [*law.regime_flags(terms), *schedule.flags,
             *(f for f in (later.flags if later else []) if f not in schedule.flags)]
    if terms.debtor_kind is DebtorKind.BUSINESS and not indemnity_applies:
        flags.append(deadlines.Flag(
            "indemnity_not_in_currency",
            f"the 40 EUR recovery indemnity (C. com. D441-5) is fixed in euros; it is not "
            f"converted into {currency} automatically",
        ))
    flags += _proceedings_and_plan_flags(terms, states, at)
    if credit > 0:
        flags.append(deadlines.Flag(
            "overpayment_credit",
            f"the debtor paid {format_amount(credit, currency)} {currency} more than owed; "
            "this is held as a credit for the debtor (to refund or set off), not lost"
            + ("; collective proceedings are open: a refund or set-off is for the "
               "mandataire judiciaire to decide (C. com. L622-7)"
               if terms.in_collective_proceedings else ""),
        ))
    for st in inv_statements:
        for day in deadlines.late_acknowledgements(st.limitation_date, acknowledged):
            flags.append(deadlines.Flag(
                "acknowledged_after_prescription",
                f"invoice {st.number}: acknowledged on {day.isoformat()}, after its limitation "
                f"date {st.limitation_date.isoformat()}; this revives nothing but may be a "
                "renunciation to prescription (C. civ. 2250-2251): for a person to judge",
                st.number))
        if st.prescribed and st.outstanding > 0:
            flags.append(deadlines.Flag(
                "prescribed", f"invoice {st.number}: limitation date "
                f"{st.limitation_date.isoformat()} has passed", st.number))
        elif st.prescription_warning and st.outstanding > 0:
            flags.append(deadlines.Flag(
                "prescription_near", f"invoice {st.number}: limitation date "
                f"{st.limitation_date.isoformat()} is within "
                f"{deadlines.PRESCRIPTION_WARNING_DAYS} days", st.number))

    return Statement(
        at=at,
        currency=currency,
        invoices=tuple(inv_statements),
        payments=tuple(splits),
        ignored_payments=tuple(ignored),
        totals=totals,
        credit=credit.quantize(q),
        flags=tuple(flags),
    )


def _late_from(due_date: date, plans_kept: tuple[tuple[date, date | None], ...]) -> date | None:
    """The first day an unpaid invoice is late: the day after its due date, unless a kept
    payment plan covers that day (law.PLAN_KEEPS_INTEREST: what a kept plan schedules is
    not late); then the day the plan defaulted, or None while it is kept."""
    first_late = due_date + ONE_DAY
    for start, last in plans_kept:
        if start <= first_late and (last is None or first_late <= last):
            return None if last is None else last + ONE_DAY
    return first_late


def _proceedings_and_plan_flags(terms: law.InterestTerms, states: list[_InvoiceState],
                                at: date) -> list[deadlines.Flag]:
    flags: list[deadlines.Flag] = []
    opened = terms.proceedings_opened_on
    if opened is not None and opened <= at:
        flags.append(deadlines.Flag(
            "interest_stopped_collective_proceedings",
            f"collective proceedings opened on {opened.isoformat()}: no interest runs from "
            "that day on (C. com. L622-28); individual actions stop (L622-21) and the claim "
            "is declared to the mandataire judiciaire (L622-24)"))
    for s in states:
        if s.withheld:
            flags.append(deadlines.Flag(
                "indemnity_not_claimed_collective_proceedings",
                f"invoice {s.inv.number}: due on {s.inv.due_date.isoformat()}, after the "
                "opening of collective proceedings, which forbid paying it at its due date: "
                "the 40 EUR recovery indemnity is not claimed (C. com. L441-10 II)"
                + (f"; the {format_amount(s.indemnity_paid, 'EUR')} EUR already paid "
                   "towards it stays paid" if s.indemnity_paid > 0 else ""),
                s.inv.number))
    for first, last in terms.plans_kept:
        if last is None:
            flags.append(deadlines.Flag(
                "payment_plan_kept",
                f"a payment plan is kept: no late interest from {first.isoformat()}, and an "
                "invoice it schedules is not late while it is kept (what the plan schedules "
                "is what was due the day it was agreed)"))
        elif last >= first:
            flags.append(deadlines.Flag(
                "plan_defaulted",
                f"a payment plan defaulted on {(last + ONE_DAY).isoformat()}: late interest "
                f"resumed that day; none is charged for {first.isoformat()} to "
                f"{last.isoformat()}, while the plan was kept"))
    return flags


def _totals(
    invs: list[InvoiceStatement], splits: list[PaymentSplit], at: date, q: Decimal
) -> Totals:
    def total(values: list[Decimal]) -> Decimal:
        return sum(values, ZERO).quantize(q)  # exact: every value already has <= q

    principal = total([i.principal for i in invs])
    principal_paid = total([i.principal_paid for i in invs])
    principal_out = total([i.principal_outstanding for i in invs])
    interest = total([i.interest_accrued for i in invs])
    interest_paid = total([i.interest_paid for i in invs])
    interest_out = total([i.interest_outstanding for i in invs])
    indemnity = total([i.indemnity.amount for i in invs])
    indemnity_paid = total([i.indemnity.paid for i in invs])
    indemnity_out = total([i.indemnity.outstanding for i in invs])
    return Totals(
        principal=principal,
        principal_paid=principal_paid,
        principal_outstanding=principal_out,
        interest=interest,
        interest_paid=interest_paid,
        interest_outstanding=interest_out,
        indemnity=indemnity,
        indemnity_paid=indemnity_paid,
        indemnity_outstanding=indemnity_out,
        paid=total([p.amount for p in splits]),
        due=(principal_out + interest_out + indemnity_out).quantize(q),
        not_yet_due=total([i.principal_outstanding for i in invs if i.due_date >= at]),
    )
